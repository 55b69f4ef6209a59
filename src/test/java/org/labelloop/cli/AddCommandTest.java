package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.testing.TestDicom;
import org.labelloop.testing.UnusualImages;

/**
 * {@code labelloop add} with files that cannot be images: each is named once on stderr with its reason, nothing else
 * is printed there (no reader text, no stack trace), the project keeps what it had, and the exit code is 1 when
 * nothing was added.
 */
class AddCommandTest extends CommandLineTest {

	@TempDir
	Path dir;

	/** Broken copies of test-data's images, by file name, with the start of the reason each must be refused for. */
	private Map<String, String> brokenFiles(Path folder) throws Exception {
		Files.createDirectories(folder);
		Map<String, String> why = new TreeMap<>();
		byte[] png = Files.readAllBytes(TestData.path("microscopy/cell.png"));
		Files.write(folder.resolve("cut.png"), Arrays.copyOf(png, 37084));
		why.put("cut.png", "file is truncated: pixel data ends at byte 37,084 of the");
		ij.ImagePlus cell = org.labelloop.imaging.Images.open(TestData.path("microscopy/cell.png"));
		Path jpg = dir.resolve("cell.jpg");
		assertTrue(new ij.io.FileSaver(cell).saveAsJpeg(jpg.toString()));
		Files.write(folder.resolve("cut.jpg"), Arrays.copyOf(Files.readAllBytes(jpg), 5000));
		why.put("cut.jpg", "file is truncated: the JPEG data stop at byte 5,000");
		byte[] ct = Files.readAllBytes(TestData.path("dicom/CT_small.dcm"));
		Files.write(folder.resolve("cut.dcm"), Arrays.copyOf(ct, 19603));
		why.put("cut.dcm", "file is truncated: pixel data ends at byte 19,603 of the 39,068 expected");
		Files.write(folder.resolve("seg.dcm"), TestDicom.segmentation());
		why.put("seg.dcm", "DICOM-SEG: this file is a segmentation, not an image; import it with Import Labels (format dicom-seg)");
		byte[] gz = Files.readAllBytes(TestData.path("mri/ch2_crop.nii.gz"));
		Files.write(folder.resolve("cut.nii.gz"), Arrays.copyOf(gz, gz.length / 2));
		why.put("cut.nii.gz", "file is truncated: pixel data ends at byte");
		Files.write(folder.resolve("empty.tif"), new byte[0]);
		why.put("empty.tif", "file is empty");
		Files.writeString(folder.resolve("notes.png"), "not an image at all");
		why.put("notes.png", "not a PNG file");
		return why;
	}

	@Test
	void badFilesAreEachNamedOnceWithTheReasonAndExitCode1() throws Exception {
		Path p = dir.resolve("proj");
		assertEquals(0, run("init", p.toString()));
		Path bad = dir.resolve("bad");
		Map<String, String> why = brokenFiles(bad);
		// the folder and one of its files: still one line for that file
		assertEquals(1, run("add", "-p", p.toString(), bad.toString(), bad.resolve("seg.dcm").toString()));
		List<String> lines = err().lines().toList();
		assertEquals(why.size(), lines.size(), err());
		for (Map.Entry<String, String> w : why.entrySet()) {
			String prefix = "not added: Cannot read image " + bad.resolve(w.getKey()).toAbsolutePath() + ": " + w.getValue();
			assertEquals(1, lines.stream().filter(l -> l.startsWith(prefix)).count(), prefix + "\n" + err());
		}
		assertEquals("0 added, 0 skipped, " + why.size() + " problem(s)", out().strip());

		assertEquals(0, run("info", "-p", p.toString()));
		assertTrue(out().contains("Images: 0"), out());

		// with one good image among them: added, exit 0, the problems still named
		Files.copy(TestData.path("fashion/0000_ankle_boot.png"), bad.resolve("boot.png"));
		assertEquals(0, run("add", "-p", p.toString(), bad.toString()));
		assertEquals("1 added, 0 skipped, " + why.size() + " problem(s)", out().strip());
		assertEquals(why.size(), err().lines().count(), err());
		// all there already: nothing added, nothing wrong
		assertEquals(0, run("add", "-p", p.toString(), bad.resolve("boot.png").toString()));
		assertEquals("0 added, 1 skipped", out().strip());
		assertEquals("", err());
	}

	@Test
	void unusualButValidFilesAreAllAdded() throws Exception {
		Path p = dir.resolve("proj");
		assertEquals(0, run("init", p.toString()));
		List<Path> files = UnusualImages.write(dir.resolve("unusual"));
		assertEquals(0, run("add", "-p", p.toString(), dir.resolve("unusual").toString()));
		assertEquals("", err());
		assertEquals(files.size() + " added, 0 skipped", out().strip());
		assertEquals(0, run("info", "-p", p.toString(), "--images"));
		for (Path f : files) assertTrue(out().contains("unusual/" + f.getFileName()), f + " not in\n" + out());
		assertTrue(out().contains("nested.dcm  5x4x1 c=1 t=1 16-bit"), out());
		assertTrue(out().contains("two-frames.dcm  8x6x2 c=1 t=1 16-bit"), out());
		assertTrue(out().contains("stack.tif  20x10x3 c=1 t=1 8-bit"), out());
	}
}
