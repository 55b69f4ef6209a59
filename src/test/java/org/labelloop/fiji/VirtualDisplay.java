package org.labelloop.fiji;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An X display for GUI tests: a private {@code Xvfb} (which picks a free display number itself with
 * {@code -displayfd}), else the {@code DISPLAY} the tests run under. Without either the GUI tests are skipped,
 * unless {@code LABELLOOP_REQUIRE_GUI=1} (set in CI), which makes them fail instead.
 */
final class VirtualDisplay implements AutoCloseable {

	private final String display;
	private final Process xvfb;

	private VirtualDisplay(String display, Process xvfb) {
		this.display = display;
		this.xvfb = xvfb;
	}

	/** The DISPLAY value for child processes, e.g. {@code :57}. */
	String display() {
		return display;
	}

	static VirtualDisplay start() {
		String xvfb = onPath("Xvfb");
		if (xvfb != null) {
			try {
				Process p = new ProcessBuilder(xvfb, "-displayfd", "1", "-screen", "0", "1400x900x24", "-nolisten", "tcp")
						.redirectError(ProcessBuilder.Redirect.DISCARD).start();
				BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
				String line = CompletableFuture.supplyAsync(() -> {
					try {
						return r.readLine();
					} catch (IOException e) {
						return null;
					}
				}).get(20, TimeUnit.SECONDS);
				if (line != null && line.strip().matches("\\d+")) return new VirtualDisplay(":" + line.strip(), p);
				p.destroyForcibly();
				Assertions.fail("Xvfb did not report a display number (got '" + line + "')");
			} catch (Exception e) {
				Assertions.fail("Cannot start Xvfb: " + e);
			}
		}
		String env = System.getenv("DISPLAY");
		if (env != null && !env.isBlank()) return new VirtualDisplay(env, null);
		String msg = "GUI tests need Xvfb on the PATH (Debian: apt-get install xvfb) or a DISPLAY";
		if ("1".equals(System.getenv("LABELLOOP_REQUIRE_GUI"))) Assertions.fail(msg + ", and LABELLOOP_REQUIRE_GUI=1 requires them");
		Assumptions.abort(msg + "; skipped (set LABELLOOP_REQUIRE_GUI=1 to make this a failure)");
		return null;
	}

	private static String onPath(String exe) {
		String path = System.getenv("PATH");
		if (path == null) return null;
		for (String dir : path.split(File.pathSeparator)) {
			File f = new File(dir, exe);
			if (f.canExecute()) return f.getPath();
		}
		return null;
	}

	@Override
	public void close() {
		if (xvfb != null) {
			xvfb.destroy();
			try {
				if (!xvfb.waitFor(5, TimeUnit.SECONDS)) xvfb.destroyForcibly();
			} catch (InterruptedException e) {
				xvfb.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}
}
