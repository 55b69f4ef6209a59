package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code labelloop import/export --format nifti}: the AAL atlas onto its T1 image and back, from the command line. */
class LabelMapCommandsTest extends CommandLineTest {

	@TempDir
	Path dir;

	static byte[] voxels(Path niiGz) throws Exception {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(niiGz))) {
			byte[] all = in.readAllBytes();
			return Arrays.copyOfRange(all, 352, all.length);
		}
	}

	@Test
	void importsTheAtlasWithNamesAndExportsItBackVoxelForVoxel() throws Exception {
		Path p = dir.resolve("p");
		Files.createDirectories(p);
		Files.copy(Path.of("test-data/mri/ch2_crop.nii"), p.resolve("ch2_crop.nii"));
		assertEquals(0, run("init", p.toString(), "-u", "ann"));
		assertEquals(0, run("add", "-p", p.toString(), "-u", "ann", p.resolve("ch2_crop.nii").toString()), err());
		assertEquals(0, run("import", "-p", p.toString(), "-u", "ann", "-f", "nifti", "--image", "ch2_crop.nii", "--names",
				"test-data/mri/aal_labels.txt", "test-data/mri/aal_crop.nii.gz"), err());
		assertTrue(out().contains("10 added"), out());
		assertEquals(0, run("classes", "-p", p.toString()));
		assertTrue(out().contains("Thalamus_L") && out().contains("Precuneus_R"), out());
		Path out = dir.resolve("aal_again.nii.gz");
		assertEquals(0, run("export", "-p", p.toString(), "-f", "nifti", "-o", out.toString()), err());
		assertTrue(out().contains("Wrote 10 annotation(s) of 1 image(s)"), out());
		assertArrayEquals(voxels(Path.of("test-data/mri/aal_crop.nii.gz")), voxels(out));
		// TIFF label images into a folder
		assertEquals(0, run("export", "-p", p.toString(), "-f", "tiff-labels", "-o", dir.resolve("tif").toString()), err());
		assertTrue(Files.isRegularFile(dir.resolve("tif/ch2_crop_labels.tif")));
		assertTrue(Files.readString(dir.resolve("tif/ch2_crop_labels.txt")).contains("77\tThalamus_L"));
		// a bad one: a clear message, exit code 1
		assertEquals(1, run("import", "-p", p.toString(), "-f", "nifti", "--objects", "blobs", "test-data/mri/aal_crop.nii.gz"));
		assertTrue(err().contains("--objects is value or connected"), err());
		assertEquals(1, run("import", "-p", p.toString(), "-f", "nifti", "test-data/bad/corrupt.nii.gz"));
		assertTrue(err().contains("corrupt.nii.gz") && err().contains("Nothing was imported"), err());
	}

	@Test
	void proposes3dObjectsOnAVolumeAsMasks() throws Exception {
		Path p = dir.resolve("p");
		Files.createDirectories(p);
		Files.copy(Path.of("test-data/mri/ch2_crop.nii"), p.resolve("ch2_crop.nii"));
		assertEquals(0, run("init", p.toString(), "-u", "ann"));
		assertEquals(0, run("add", "-p", p.toString(), p.resolve("ch2_crop.nii").toString()), err());
		assertEquals(0, run("propose", "-p", p.toString(), "-u", "ann", "--3d", "--objects", "bright", "--min-voxels", "50"), err());
		assertTrue(out().matches("(?s)[1-9]\\d* object\\(s\\) proposed on 1 image\\(s\\).*"), out());
		try (var b = org.labelloop.backend.LocalBackend.open(p, "ann")) {
			var anns = b.annotations(b.images().get(0).id());
			assertTrue(!anns.isEmpty() && anns.stream().allMatch(a -> a.data().isMask() && a.data().mask().voxelCount() >= 50
					&& a.data().status() == org.labelloop.core.model.Status.PROPOSED && a.data().origin().toString().startsWith("weak:classical3d:Otsu")), anns.toString());
			assertTrue(anns.stream().anyMatch(a -> a.data().mask().depth() > 1), "3D objects span slices");
		}
	}
}
