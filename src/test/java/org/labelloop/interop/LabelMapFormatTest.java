package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Split;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.imaging.LabelVolumes;

/** NIfTI and TIFF label maps ⇄ mask annotations, on the AAL atlas crop of test-data/mri and its T1 image. */
class LabelMapFormatTest {

	static final Path MRI = Path.of("test-data/mri");
	static final Path CH2 = MRI.resolve("ch2_crop.nii").toAbsolutePath(), AAL = MRI.resolve("aal_crop.nii.gz").toAbsolutePath(),
			NAMES = MRI.resolve("aal_labels.txt").toAbsolutePath();

	@TempDir
	Path dir;

	/** A project with ch2_crop.nii (48x56x8) as its one image. */
	static SqlProjectStore project(Path folder) {
		SqlProjectStore s = SqlProjectStore.create(folder, "mri");
		s.addImage(new ImageRecord(0, CH2.toString(), "sha", 21856, 48, 56, 1, 8, 1, 8, Split.UNASSIGNED, "test", Instant.now()));
		return s;
	}

	static LabelMapFormat nifti(LabelMapFormat.Options o) {
		return new LabelMapFormat(LabelMapFormat.Kind.NIFTI, o, id -> CH2);
	}

	static final LabelMapFormat.Options AAL_NAMES = new LabelMapFormat.Options("ch2_crop.nii", NAMES, LabelMap.Split.BY_VALUE);

	/** The voxel values of an uncompressed or gzipped uint8 NIfTI, read here byte by byte (not by our reader). */
	static byte[] voxels(Path nii) throws IOException {
		byte[] all = Files.readAllBytes(nii);
		if (all[0] == 0x1f && (all[1] & 0xff) == 0x8b)
			try (InputStream in = new GZIPInputStream(Files.newInputStream(nii))) {
				all = in.readAllBytes();
			}
		ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
		assertEquals(2, b.getShort(70), "uint8");
		int off = (int) b.getFloat(108);
		return Arrays.copyOfRange(all, off, off + 48 * 56 * 8);
	}

	@Test
	void theAalAtlasBecomesOneNamedMaskPerRegionWithEveryVoxel() throws IOException {
		try (SqlProjectStore s = project(dir.resolve("p"))) {
			ImportReport r = nifti(AAL_NAMES).importLabels(s, "ann", AAL);
			assertEquals(10, r.added(), r.toString());
			byte[] v = voxels(AAL);
			Map<String, Long> expected = new TreeMap<>(), got = new TreeMap<>();
			Map<Integer, String> names = Map.of(35, "Cingulum_Post_L", 36, "Cingulum_Post_R", 67, "Precuneus_L", 68, "Precuneus_R", 71,
					"Caudate_L", 72, "Caudate_R", 73, "Putamen_L", 74, "Putamen_R", 77, "Thalamus_L", 78, "Thalamus_R");
			for (byte b : v) if (b != 0) expected.merge(names.get(b & 0xff), 1L, Long::sum);
			Map<Long, String> cls = FormatSupport.classNames(s);
			for (Annotation a : s.annotations(1)) got.put(cls.get(a.data().classId()), a.data().mask().voxelCount());
			assertEquals(expected, got);
			// voxel for voxel: (x, y, z) of the file is mask voxel (x, y, z) of its region
			for (Annotation a : s.annotations(1)) {
				int value = names.entrySet().stream().filter(e -> e.getValue().equals(cls.get(a.data().classId()))).findFirst().orElseThrow().getKey();
				for (int i = 0; i < v.length; i++)
					assertEquals((v[i] & 0xff) == value, a.data().mask().contains(i % 48, (i / 48) % 56, i / (48 * 56)));
			}
			assertEquals(1, s.changeSets(10).stream().filter(c -> c.description().startsWith("Import NIfTI")).count());
		}
	}

	@Test
	void exportAndReimportIsLosslessVoxelForVoxelInNiftiAndTiff() throws IOException {
		try (SqlProjectStore s = project(dir.resolve("p"))) {
			nifti(AAL_NAMES).importLabels(s, "ann", AAL);
			List<String> before = Fixtures.snapshot(s);

			// NIfTI: the exported file holds the atlas's own values, voxel for voxel, on the image's grid
			Path out = dir.resolve("out/ch2_crop_labels.nii.gz");
			assertEquals(10, nifti(LabelMapFormat.Options.DEFAULT).export(s, out).annotations());
			assertArrayEquals(voxels(AAL), voxels(out));
			assertTrue(Files.readString(dir.resolve("out/ch2_crop_labels.txt")).contains("35\tCingulum_Post_L"));
			try (SqlProjectStore t = project(dir.resolve("q"))) {
				// found by name (ch2_crop_labels → ch2_crop.nii) with the names from the sidecar beside it
				assertEquals(10, nifti(LabelMapFormat.Options.DEFAULT).importLabels(t, "ann", out).added());
				assertEquals(before, Fixtures.snapshot(t));
			}

			// TIFF: one page per slice, read back by ImageJ
			LabelMapFormat tiff = new LabelMapFormat(LabelMapFormat.Kind.TIFF, LabelMapFormat.Options.DEFAULT, id -> CH2);
			Path folder = dir.resolve("tif");
			assertEquals(10, tiff.export(s, folder).annotations());
			Path tif = folder.resolve("ch2_crop_labels.tif");
			LabelVolumes.Volume vol = LabelVolumes.read(tif);
			assertEquals("48x56x8", vol.size());
			byte[] v = voxels(AAL);
			for (int i = 0; i < v.length; i++) assertEquals(v[i] & 0xff, vol.slice(i / (48 * 56))[i % (48 * 56)], "voxel " + i);
			try (SqlProjectStore t = project(dir.resolve("r"))) {
				assertEquals(10, tiff.importLabels(t, "ann", tif).added());
				assertEquals(before, Fixtures.snapshot(t));
			}
		}
	}

	@Test
	void connectedPartsGiveOneMaskPerPartWithTheSameVoxels() {
		try (SqlProjectStore s = project(dir.resolve("p"))) {
			nifti(new LabelMapFormat.Options("1", null, LabelMap.Split.CONNECTED)).importLabels(s, "ann", AAL);
			List<Annotation> parts = s.annotations(1);
			assertTrue(parts.size() >= 10, "parts: " + parts.size());
			assertEquals(48 * 56 * 8 - 14457, parts.stream().mapToLong(a -> a.data().mask().voxelCount()).sum());
			// without names: classes are "label <n>"
			assertTrue(s.classByName("label 35").isPresent());
			// parts of one value never touch each other (else they would be one part)
			for (Annotation a : parts)
				for (Annotation b : parts)
					if (a.id() < b.id() && a.data().classId().equals(b.data().classId()))
						assertTrue(!touch(a, b), a.id() + " touches " + b.id());
		}
	}

	private static boolean touch(Annotation a, Annotation b) {
		var m = a.data().mask();
		var n = b.data().mask();
		for (int z = m.minZ(); z <= m.maxZ(); z++)
			for (int y = m.minY(); y <= m.maxY(); y++)
				for (int x = m.minX(); x <= m.maxX(); x++)
					if (m.contains(x, y, z) && (n.contains(x + 1, y, z) || n.contains(x - 1, y, z) || n.contains(x, y + 1, z)
							|| n.contains(x, y - 1, z) || n.contains(x, y, z + 1) || n.contains(x, y, z - 1))) return true;
		return false;
	}

	// ------------------------------------------------------------------------------------------------ bad input

	private void assertRefused(Path file, String reason) {
		try (SqlProjectStore s = project(dir.resolve("bad-" + file.getFileName()))) {
			nifti(AAL_NAMES).importLabels(s, "ann", AAL);
			List<String> before = Fixtures.snapshot(s);
			List<LabelClass> classes = s.classes();
			int changes = s.changeSets(100).size();
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> nifti(AAL_NAMES).importLabels(s, "ann", file));
			assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
			assertTrue(e.getMessage().contains(reason), e.getMessage());
			assertTrue(e.getMessage().endsWith("Nothing was imported."), e.getMessage());
			assertEquals(before, Fixtures.snapshot(s));
			assertEquals(classes, s.classes());
			assertEquals(changes, s.changeSets(100).size());
		}
	}

	private static byte[] gunzip(Path p) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
			return in.readAllBytes();
		}
	}

	@Test
	void aLabelMapOfTheWrongSizeIsRefusedNamingBothSizes() throws IOException {
		byte[] b = gunzip(AAL);
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) 7); // dim[3] = 7 slices
		Path f = dir.resolve("seven.nii");
		Files.write(f, Arrays.copyOf(b, 352 + 48 * 56 * 7));
		assertRefused(f, "the label map is 48x56x7 voxels but image '" + CH2 + "' is 48x56x8");
	}

	@Test
	void aLabelMapWithAnotherOrientationIsRefusedNamingBoth() throws IOException {
		byte[] b = gunzip(AAL);
		ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		bb.putFloat(280, -1f); // srow_x[0]: x flipped
		Path f = dir.resolve("flipped.nii");
		Files.write(f, b);
		assertRefused(f, "orientation in space differs from image '" + CH2 + "' (label map sform [-1 0 0 -24; 0 1 0 -45; 0 0 1 15], image sform [1 0 0 -24; 0 1 0 -45; 0 0 1 15])");
	}

	@Test
	void aLabelMapOfFractionsIsRefusedNamingTheVoxel() throws IOException {
		byte[] b = gunzip(AAL);
		int n = 48 * 56 * 8;
		ByteBuffer f = ByteBuffer.allocate(352 + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
		f.put(Arrays.copyOf(b, 352));
		f.putShort(70, (short) 16).putShort(72, (short) 32); // float32
		for (int i = 0; i < n; i++) f.putFloat(352 + 4 * i, b[352 + i] & 0xff);
		f.putFloat(352 + 4 * (3 + 48 * 2 + 48 * 56 * 1), 2.5f); // voxel (3, 2, 1)
		Path file = dir.resolve("fractions.nii");
		Files.write(file, f.array());
		assertRefused(file, "not a label map: voxel (3, 2, 1) holds 2.5");
	}

	@Test
	void aTruncatedNiftiGzIsRefused() throws IOException {
		byte[] gz = Files.readAllBytes(AAL);
		Path f = dir.resolve("cut.nii.gz");
		Files.write(f, Arrays.copyOf(gz, gz.length / 2));
		assertRefused(f, "truncated");
	}

	@Test
	void aFileThatIsNotNiftiIsRefused() throws IOException {
		Path f = dir.resolve("text.nii");
		Files.writeString(f, "not a label map");
		assertRefused(f, "NIfTI");
	}

	@Test
	void anImageThatCannotBeFoundByNameMustBeNamed() {
		try (SqlProjectStore s = project(dir.resolve("p"))) {
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> nifti(LabelMapFormat.Options.DEFAULT).importLabels(s, "ann", AAL));
			assertTrue(e.getMessage().contains("no project image is named aal_crop.*"), e.getMessage());
			assertTrue(s.allAnnotations().isEmpty());
		}
	}
}
