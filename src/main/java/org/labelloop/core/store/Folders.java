package org.labelloop.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole folders on disk: deleting one with everything in it, and its size. */
public final class Folders {

	private Folders() {
	}

	/** Deletes the folder (or file) and everything in it, deepest first; nothing to do if it does not exist. */
	public static void delete(Path folder) throws IOException {
		if (!Files.exists(folder)) return;
		try (Stream<Path> walk = Files.walk(folder)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
		} catch (UncheckedIOException e) {
			throw e.getCause();
		}
	}

	/** {@link #delete}s a temporary folder, for which a failure is harmless: what cannot be deleted is left behind. */
	public static void deleteQuietly(Path folder) {
		try {
			delete(folder);
		} catch (IOException e) {
			// a temporary folder left behind costs only disk space
		}
	}

	/** The bytes of the regular files in the folder and its subfolders. */
	public static long bytes(Path folder) throws IOException {
		try (Stream<Path> walk = Files.walk(folder)) {
			long sum = 0;
			for (Path p : walk.filter(Files::isRegularFile).toList()) sum += Files.size(p);
			return sum;
		} catch (UncheckedIOException e) {
			throw e.getCause();
		}
	}
}
