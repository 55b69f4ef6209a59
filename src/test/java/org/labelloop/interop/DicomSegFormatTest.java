package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.testing.TestDicom.element;
import static org.labelloop.testing.TestDicom.text;
import static org.labelloop.testing.TestDicom.us;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.Format;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.Images;
import org.labelloop.testing.TestDicom;

import ij.ImagePlus;

/**
 * DICOM-SEG import: test-data/dicom/MR_small_seg.dcm (written with pydicom by test-data/make_test_data.py: two
 * overlapping threshold segments of pydicom's MR_small.dcm) onto MR_small, a SEG of a CT series onto its slices, and
 * every refusal leaving the project as it was.
 */
class DicomSegFormatTest {

	static final Path SEG = TestData.path("dicom/MR_small_seg.dcm"), MR = TestData.path("dicom/MR_small.dcm");

	@TempDir
	Path dir;

	private static Map<String, Mask> masksByClass(LocalBackend b, long imageId) {
		Map<Long, String> names = new TreeMap<>();
		b.classes().forEach(c -> names.put(c.id(), c.name()));
		Map<String, Mask> out = new TreeMap<>();
		for (Annotation a : b.annotations(imageId)) {
			assertEquals(Status.ACCEPTED, a.data().status());
			assertEquals("human:ann", a.data().origin().toString());
			out.put(names.get(a.data().classId()), a.data().mask());
		}
		return out;
	}

	@Test
	void eachSegmentOfARealSegBecomesOneNamedMaskWithEveryVoxelAndUndoTakesItBack() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "seg", "ann")) {
			b.addImages(List.of(MR), Progress.NONE);
			ImageRecord mr = b.images().get(0);
			ImportReport r = b.importLabels(Format.DICOM_SEG, SEG);
			assertEquals(2, r.added(), r.toString());
			Map<String, Mask> masks = masksByClass(b, mr.id());
			assertEquals(List.of("bright", "tissue"), List.copyOf(masks.keySet()));
			// the thresholds the fixture was made with (the 75th and 90th percentile), applied here to the MR's own values
			ImagePlus imp = Images.open(MR);
			Map<String, Double> threshold = Map.of("tissue", 654.5, "bright", 1235.5);
			for (var e : masks.entrySet()) {
				long n = 0;
				for (int y = 0; y < 64; y++)
					for (int x = 0; x < 64; x++) {
						boolean above = imp.getCalibration().getCValue(imp.getProcessor().get(x, y)) > threshold.get(e.getKey());
						assertEquals(above, e.getValue().contains(x, y, 0), e.getKey() + " at " + x + "," + y);
						if (above) n++;
					}
				assertEquals(n, e.getValue().voxelCount());
			}
			assertEquals(1024, masks.get("tissue").voxelCount(), "what pydicom reads from the file");
			assertEquals(410, masks.get("bright").voxelCount());
			b.undo();
			assertEquals(List.of(), b.annotations(mr.id()), "one change set");
			LabelLoopException export = assertThrows(LabelLoopException.class, () -> b.export(Format.DICOM_SEG, dir.resolve("out.dcm")));
			assertTrue(export.getMessage().contains("format nifti"), export.getMessage());
		}
	}

	@Test
	void aSegOfAnAbsentSeriesATruncatedOneAndAnAmbiguousImageAreRefusedAndNothingChanges() throws Exception {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "seg", "ann")) {
			b.addImages(List.of(TestData.path("dicom/CT_small.dcm")), Progress.NONE);
			LabelLoopException absent = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, SEG));
			assertTrue(absent.getMessage().contains(SEG.toString()) && absent.getMessage().contains("segments DICOM series 1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457")
					&& absent.getMessage().contains("not in the project"), absent.getMessage());

			// MR_small and MR_small_implicit are one SOP instance in two encodings: two images hold the SEG's slice
			b.addImages(List.of(MR, TestData.path("dicom/MR_small_implicit.dcm")), Progress.NONE);
			LabelLoopException two = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, SEG));
			assertTrue(two.getMessage().contains("2 project images hold its source slices") && two.getMessage().contains("image="), two.getMessage());

			Path cut = dir.resolve("cut.dcm");
			byte[] all = Files.readAllBytes(SEG);
			Files.write(cut, Arrays.copyOf(all, all.length - 200));
			LabelLoopException truncated = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, cut));
			assertTrue(truncated.getMessage().contains("cut.dcm") && truncated.getMessage().contains("truncated"), truncated.getMessage());
			LabelLoopException image = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, MR));
			assertTrue(image.getMessage().contains("not a DICOM-SEG"), image.getMessage());
			assertEquals(0, b.store().allAnnotations().size(), "nothing written");

			ImportReport r = b.importLabels(Format.DICOM_SEG, SEG, new LabelMapFormat.Options("MR_small_implicit.dcm", null, LabelMap.Split.BY_VALUE));
			assertEquals(2, r.added());
			long implicit = b.images().stream().filter(i -> i.name().equals("MR_small_implicit.dcm")).findFirst().orElseThrow().id();
			assertEquals(2, b.annotations(implicit).size());
		}
	}

	// ------------------------------------------------------------------ a SEG of a series, written here

	private static byte[] item(byte[]... elements) {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		for (byte[] e : elements) o.writeBytes(e);
		byte[] content = o.toByteArray();
		ByteBuffer b = ByteBuffer.allocate(8 + content.length).order(ByteOrder.LITTLE_ENDIAN);
		b.putShort((short) 0xfffe).putShort((short) 0xe000).putInt(content.length).put(content);
		return b.array();
	}

	private static byte[] sequence(int group, int element, byte[]... items) {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		for (byte[] i : items) o.writeBytes(i);
		return element(group, element, "SQ", o.toByteArray());
	}

	/** A BINARY SEG of one segment "lesion" on the given source instances: frame i is a w×h mask of the pixels where {@code on} holds. */
	private static byte[] segOf(String series, String[] instances, int w, int h, java.util.function.BiPredicate<Integer, Integer> on) {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		byte[] bits = new byte[(w * h * instances.length + 7) / 8];
		for (int f = 0; f < instances.length; f++) {
			frames.writeBytes(item(sequence(0x0008, 0x9124, item(sequence(0x0008, 0x2112, item(element(0x0008, 0x1155, "UI", text(instances[f])))))),
					sequence(0x0062, 0x000a, item(element(0x0062, 0x000b, "US", us(1))))));
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if (on.test(x, y)) {
						int i = (f * h + y) * w + x;
						bits[i >> 3] |= (byte) (1 << (i & 7));
					}
		}
		return TestDicom.dicom(TestDicom.EXPLICIT_LE, element(0x0008, 0x0016, "UI", text(TestDicom.SEGMENTATION_STORAGE)),
				element(0x0008, 0x0060, "CS", text("SEG")), sequence(0x0008, 0x1115, item(element(0x0020, 0x000e, "UI", text(series)))),
				element(0x0028, 0x0008, "IS", text(Integer.toString(instances.length))), element(0x0028, 0x0010, "US", us(h)),
				element(0x0028, 0x0011, "US", us(w)), element(0x0028, 0x0100, "US", us(1)), element(0x0062, 0x0001, "CS", text("BINARY")),
				sequence(0x0062, 0x0002, item(element(0x0062, 0x0004, "US", us(1)), element(0x0062, 0x0005, "LO", text("lesion")))),
				element(0x5200, 0x9230, "SQ", frames.toByteArray()), element(0x7fe0, 0x0010, "OB", bits));
	}

	@Test
	void aSegOfACtSeriesGoesOntoTheSlicesItsFramesWereDerivedFrom() throws Exception {
		String series = "1.2.826.0.1.3680043.2.1125.77";
		int w = 48, h = 56;
		int[][] volume = new int[8][w * h];
		for (int k = 0; k < 8; k++) Arrays.fill(volume[k], 10 * k);
		TestDicom.ctSeries(dir.resolve("ct"), series, "P1", volume, w, h);
		// the series' instances are <series>.<instance number>, and slice k (0-based) has instance (5k mod 8) + 1
		String onSlice3 = series + "." + ((5 * 2) % 8 + 1), onSlice6 = series + "." + ((5 * 5) % 8 + 1);
		Path seg = dir.resolve("lesion.dcm");
		Files.write(seg, segOf(series, new String[] { onSlice3, onSlice6 }, w, h, (x, y) -> x >= 10 && x < 20 && y >= 5 && y < 9));
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "ct", "ann")) {
			b.addImages(List.of(dir.resolve("ct")), Progress.NONE);
			ImageRecord ct = b.images().get(0);
			assertEquals(8, ct.slices());
			assertEquals(1, b.importLabels(Format.DICOM_SEG, seg).added());
			Mask m = masksByClass(b, ct.id()).get("lesion");
			assertEquals(2 * 10 * 4, m.voxelCount());
			assertTrue(m.contains(10, 5, 2) && m.contains(19, 8, 5) && !m.contains(10, 5, 3) && !m.contains(20, 5, 2), "slices 3 and 6 (z 2 and 5)");

			// a frame derived from an instance that is not in the series, and frames of another size
			Path stray = dir.resolve("stray.dcm");
			Files.write(stray, segOf(series, new String[] { onSlice3, series + ".99" }, w, h, (x, y) -> true));
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, stray));
			assertTrue(e.getMessage().contains("no project image of that series holds all of its 2 source slice(s)"), e.getMessage());
			Path small = dir.resolve("small.dcm");
			Files.write(small, segOf(series, new String[] { onSlice3 }, 16, 16, (x, y) -> true));
			e = assertThrows(LabelLoopException.class, () -> b.importLabels(Format.DICOM_SEG, small));
			assertTrue(e.getMessage().contains("its frames are 16x16 but image") && e.getMessage().contains("is 48x56"), e.getMessage());
			assertEquals(1, b.store().allAnnotations().size(), "the refused SEGs wrote nothing");
		}
	}
}
