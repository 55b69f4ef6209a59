package org.labelloop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an ImageJ macro file with {@code -batch} in a headless child JVM ({@code java.awt.headless=true}, no
 * {@code DISPLAY}), as a cluster job or a cron line would, and returns what it printed.
 */
public final class HeadlessBatch {

	private HeadlessBatch() {
	}

	/** Runs {@code macro} with its argument on the test class path through {@code org.labelloop.fiji.HeadlessImageJ}. */
	public static String run(Path home, Path macro, String argument) throws IOException, InterruptedException {
		return run(home, macro, argument, 180);
	}

	/** As {@link #run(Path, Path, String)}, failing when the macro has not ended after {@code seconds}. */
	public static String run(Path home, Path macro, String argument, int seconds) throws IOException, InterruptedException {
		List<String> args = new ArrayList<>(List.of("-batch", macro.toString()));
		if (argument != null) args.add(argument);
		return finish(ChildJvm.builder(List.of("-Djava.awt.headless=true", "-Duser.home=" + home), org.labelloop.fiji.HeadlessImageJ.class,
				args.toArray(String[]::new)), home, seconds);
	}

	/** As {@link #run(Path, Path, String)} with another class path (an installed Fiji.app's jars, say). */
	public static String run(Path home, String classPath, Path macro, String argument) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-Djava.awt.headless=true", "-Duser.home=" + home, "-cp", classPath,
				"org.labelloop.fiji.HeadlessImageJ", "-batch", macro.toString()));
		if (argument != null) cmd.add(argument);
		return finish(new ProcessBuilder(cmd), home, 180);
	}

	/** Runs the child without a display, HOME at {@code home}; ImageJ exits 0 even after a macro error (the output tells). */
	private static String finish(ProcessBuilder pb, Path home, int seconds) throws IOException, InterruptedException {
		ChildJvm.headless(pb);
		pb.environment().put("HOME", home.toString());
		pb.redirectErrorStream(true);
		Process p = pb.start();
		byte[] out = p.getInputStream().readAllBytes();
		assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "the macro ends");
		String text = new String(out, StandardCharsets.UTF_8);
		assertEquals(0, p.exitValue(), text);
		return text;
	}
}
