package org.labelloop;

import java.nio.file.Path;

/** Locates the shared test images ({@code test-data/}, see its README). */
public final class TestData {

	private TestData() {
	}

	/** The test-data folder itself, absolute. */
	public static Path folder() {
		return path("").toAbsolutePath().normalize();
	}

	/** A file under test-data: the folder named by system property {@code labelloop.testData}, else ./test-data. */
	public static Path path(String relative) {
		return Path.of(System.getProperty("labelloop.testData", "test-data")).resolve(relative);
	}
}
