package org.labelloop.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the command-line tests: runs {@link Main} in this JVM and captures what it prints. */
abstract class CommandLineTest {

	protected final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
	private PrintStream oldOut, oldErr;

	@BeforeEach
	void capture() {
		oldOut = System.out;
		oldErr = System.err;
		System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
		System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
	}

	@AfterEach
	void restore() {
		System.setOut(oldOut);
		System.setErr(oldErr);
	}

	/** Runs a command line with fresh output buffers and returns its exit code. */
	protected int run(String... args) {
		out.reset();
		err.reset();
		return Main.run(args);
	}

	protected String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	protected String err() {
		return err.toString(StandardCharsets.UTF_8);
	}
}
