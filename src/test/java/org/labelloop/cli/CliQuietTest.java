package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.testing.TestDicom;

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

	/** Retrain stops L-BFGS at its iteration cap on purpose: Smile's "reaches maximum 40 iterations" must not show. */
	@Test
	void trainPrintsNoLibraryWarnings() throws Exception {
		Path p = dir.resolve("proj");
		assertEquals(0, CliProcess.main("init", p.toString()).code());
		assertEquals(0, CliProcess.main("add", "-p", p.toString(), TestData.path("fashion").toString()).code());
		assertEquals(0, CliProcess.main("import", "-p", p.toString(), "--format", "csv", TestData.path("fashion/labels.csv").toString()).code());
		CliProcess train = CliProcess.main("train", "-p", p.toString());
		assertEquals(0, train.code(), train.toString());
		assertTrue(train.out().contains("image: v1 is active"), train.toString());
		assertEquals("", train.err(), train.toString());
	}

	/**
	 * In a process of its own, so that text a native decoder would write to the process's stderr (libjpeg's "Premature
	 * end of JPEG file") would show: only LabelLoop's lines appear.
	 */
	@Test
	void truncatedImagesAreNamedWithoutTheReadersOwnText() throws Exception {
		Path p = dir.resolve("proj");
		assertEquals(0, CliProcess.main("init", p.toString()).code());
		Path bad = Files.createDirectories(dir.resolve("bad"));
		ij.ImagePlus cell = org.labelloop.imaging.Images.open(TestData.path("microscopy/cell.png"));
		Path jpg = dir.resolve("cell.jpg");
		assertTrue(new ij.io.FileSaver(cell).saveAsJpeg(jpg.toString()));
		Files.write(bad.resolve("cut.jpg"), Arrays.copyOf(Files.readAllBytes(jpg), 5000));
		Files.write(bad.resolve("cut.png"), Arrays.copyOf(Files.readAllBytes(TestData.path("microscopy/cell.png")), 5000));
		Files.write(bad.resolve("cut.dcm"), Arrays.copyOf(Files.readAllBytes(TestData.path("dicom/CT_small.dcm")), 20000));
		Files.write(bad.resolve("seg.dcm"), TestDicom.segmentation());
		CliProcess add = CliProcess.main("add", "-p", p.toString(), bad.toString());
		assertEquals(1, add.code(), add.toString());
		List<String> lines = add.err().lines().toList();
		assertEquals(4, lines.size(), add.toString());
		for (String l : lines) assertTrue(l.startsWith("not added: Cannot read image " + bad.toAbsolutePath()), add.toString());
		assertEquals("0 added, 0 skipped, 4 problem(s)", add.out().strip(), add.toString());
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
