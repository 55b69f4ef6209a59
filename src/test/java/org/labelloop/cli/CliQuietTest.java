package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;

/**
 * The command line in a JVM of its own, as a script sees it: a successful call prints nothing on stderr (no SLF4J
 * binding warnings, no reader chatter), an error is one clear line there. {@code CliJarIT} checks the same on the
 * shaded jar.
 */
class CliQuietTest {

	@TempDir
	Path dir;

	@Test
	void successfulCallsPrintNothingOnStderr() throws Exception {
		Path p = dir.resolve("proj");
		CliProcess init = CliProcess.main("init", p.toString(), "--class", "cell");
		assertEquals(0, init.code(), init.toString());
		assertEquals("", init.err(), init.toString());
		CliProcess add = CliProcess.main("add", "-p", p.toString(), TestData.path("microscopy/cell.png").toString());
		assertEquals(0, add.code(), add.toString());
		assertTrue(add.out().contains("1 added"), add.toString());
		assertEquals("", add.err(), add.toString());
		CliProcess help = CliProcess.main("user", "add", "--help");
		assertEquals(0, help.code(), help.toString());
		assertTrue(help.out().startsWith("Usage: labelloop user add"), help.toString());
		assertEquals("", help.err(), help.toString());
	}

	@Test
	void anErrorIsOneLineOnStderrWithoutSlf4jOrStackTrace() throws Exception {
		CliProcess info = CliProcess.main("info", "-p", dir.toString());
		assertEquals(1, info.code(), info.toString());
		assertEquals("", info.out(), info.toString());
		assertEquals(1, info.err().strip().lines().count(), info.toString());
		assertTrue(info.err().startsWith("labelloop: "), info.toString());
		assertFalse(info.err().contains("SLF4J"), info.toString());
	}
}
