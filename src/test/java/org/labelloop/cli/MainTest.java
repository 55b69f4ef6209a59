package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;

/** The command line as a script would use it: exit codes, output, and errors for bad input. */
class MainTest extends CommandLineTest {

	@TempDir
	Path dir;
	@Test
	void helpListsTheCommands() {
		assertEquals(0, run("--help"));
		for (String c : new String[] { "init", "add", "info", "export", "import", "demo" }) assertTrue(out().contains(c), c);
	}

	/** {@code demo --no-imagej} makes the project and the menu jar, and starts no ImageJ; {@code --fashion} the other demo. */
	@Test
	void demoMakesEitherProjectWithoutStartingImageJ() {
		Path micro = dir.resolve("demo"), fashion = dir.resolve("fashion");
		assertEquals(0, run("demo", "--no-imagej", "--project", micro.toString(), "--test-data", TestData.folder().toString()), err());
		assertTrue(out().contains("Demo project 'LabelLoop demo': 11 images, 5 classes,"), out());
		assertTrue(Files.isRegularFile(dir.resolve("demo-imagej/plugins/LabelLoop_.jar")));
		assertEquals(0, run("demo", "--no-imagej", "--fashion", "--project", fashion.toString(), "--test-data", TestData.folder().toString()), err());
		assertTrue(out().contains("Demo project 'LabelLoop Fashion-MNIST demo': 20 images, 10 classes, 10 image labels"), out());
		assertEquals(0, run("demo", "--no-imagej", "--fashion", "--project", fashion.toString()), err());
		assertTrue(!out().contains("Making"), "made once: " + out());
	}

	@Test
	void initAddInfoExportImportRoundTrip() throws Exception {
		Path p = dir.resolve("proj");
		assertEquals(0, run("init", p.toString(), "--name", "CLI test", "--class", "cell", "--class", "Mitosis, late", "-u", "ann"));
		assertTrue(out().contains("Created project 'CLI test'"));
		assertEquals(0, run("add", "-p", p.toString(), "-u", "ann", TestData.path("microscopy").toString(), TestData.path("bad").toString()));
		assertTrue(out().contains("3 added, 0 skipped"), out());
		assertTrue(err().contains("truncated.png"), err());
		assertEquals(0, run("add", "-p", p.toString(), TestData.path("microscopy/cell.png").toString()));
		assertTrue(out().contains("0 added, 1 skipped"), out());

		Path csv = dir.resolve("labels.csv");
		Files.writeString(csv, "image,label\ncell.png,\"Mitosis, late\"\ncoins.png,cell\n");
		assertEquals(0, run("import", "-p", p.toString(), "-f", "csv", csv.toString()));
		assertTrue(out().contains("2 added"), out());

		assertEquals(0, run("info", "-p", p.toString(), "--images"));
		assertTrue(out().contains("Images: 3"), out());
		assertTrue(out().contains("Mitosis, late"), out());
		assertTrue(out().contains("Annotations: 2 {accepted=2}"), out());

		Path coco = dir.resolve("out.json");
		assertEquals(0, run("export", "-p", p.toString(), "-f", "coco", "-o", coco.toString()));
		assertTrue(Files.readString(coco).contains("\"categories\""));

		assertEquals(0, run("undo", "-p", p.toString(), "-u", System.getProperty("user.name")));
		assertTrue(out().contains("Undo Import"), out());
		assertEquals(0, run("info", "-p", p.toString()));
		assertTrue(out().contains("Annotations: 0"), out());
	}

	@Test
	void badInputGivesAClearMessageAndExitCode1() throws Exception {
		assertEquals(1, run("info", "-p", dir.toString()));
		assertTrue(err().contains("is not a LabelLoop project"), err());
		Path p = dir.resolve("proj");
		assertEquals(0, run("init", p.toString()));
		assertEquals(1, run("export", "-p", p.toString(), "-f", "pdf", "-o", dir.resolve("x").toString()));
		assertTrue(err().contains("Unknown format 'pdf'"), err());
		assertEquals(1, run("import", "-p", p.toString(), "-f", "coco", dir.resolve("missing.json").toString()));
		assertTrue(err().contains("does not exist"), err());
		assertEquals(2, run("frobnicate"));
	}
}
