package org.labelloop.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a second JVM on the test class path, for crash, lock and GUI tests that need a process of their own. */
public final class ChildJvm {

	private ChildJvm() {
	}

	/** The test class path: Surefire passes it in a property since its own JVM runs from a manifest-only jar. */
	public static String classPath() {
		String cp = System.getProperty("surefire.test.class.path");
		return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
	}

	public static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/**
	 * A process builder for {@code java -cp <test class path> [jvmArgs] mainClass args}; the test data folder is
	 * passed on.
	 */
	public static ProcessBuilder builder(List<String> jvmArgs, Class<?> mainClass, String... args) {
		List<String> cmd = new ArrayList<>();
		cmd.add(java());
		cmd.add("-cp");
		cmd.add(classPath());
		String td = System.getProperty("labelloop.testData");
		if (td != null) cmd.add("-Dlabelloop.testData=" + td);
		cmd.addAll(jvmArgs);
		cmd.add(mainClass.getName());
		cmd.addAll(List.of(args));
		return new ProcessBuilder(cmd);
	}

	/** Appends {@code entries} to a class path string. */
	public static String join(String cp, List<String> entries) {
		StringBuilder sb = new StringBuilder(cp);
		for (String e : entries) sb.append(File.pathSeparator).append(e);
		return sb.toString();
	}

	/** Environment without a display, for headless children. */
	public static void headless(ProcessBuilder pb) {
		Map<String, String> env = pb.environment();
		env.remove("DISPLAY");
	}
}
