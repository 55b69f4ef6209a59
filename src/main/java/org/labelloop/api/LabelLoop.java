package org.labelloop.api;

import java.nio.file.Path;

import org.labelloop.backend.LocalBackend;

/**
 * Entry point of the script API.
 *
 * <pre>
 * // Groovy
 * import org.labelloop.api.LabelLoop
 * def p = LabelLoop.open("/data/my project", "ann")
 * p.items().each { println it.name() + " " + p.label(it).orElse("-") }
 * p.close()
 * </pre>
 */
public final class LabelLoop {

	private LabelLoop() {
	}

	/**
	 * Opens a project folder as {@code user} (the name every change is recorded under). Close the project when done:
	 * it holds the project's lock, so another ImageJ cannot open it meanwhile.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if the folder holds no project, or another process has it open
	 */
	public static Project open(String folder, String user) {
		return new Project(LocalBackend.open(Path.of(folder), user));
	}

	/** {@link #open(String, String)} as the user {@code script}. */
	public static Project open(String folder) {
		return open(folder, "script");
	}

	/** Makes a new project in {@code folder} (which may already hold images). */
	public static Project create(String folder, String name, String user) {
		return new Project(LocalBackend.create(Path.of(folder), name, user));
	}
}
