package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.Progress;
import org.labelloop.imaging.Images;
import org.labelloop.testing.TestDicom;

import ij.ImagePlus;
import ij.ImageStack;

/**
 * Folders of single-slice DICOM files become one volume per series. The series are written by {@link TestDicom#ctSeries}
 * at test time from a real volume, test-data/mri/ch2_crop.nii (MNI ch2, 48×56×8): no multi-file DICOM series ships in
 * the Debian packages test-data comes from (python3-pydicom's test files hold single files).
 */
class DicomSeriesTest {

	@TempDir
	Path dir;

	static int[][] volume;
	static final int W = 48, H = 56;
	static final String SERIES = "1.2.826.0.1.3680043.2.1125.1.41", OTHER = "1.2.826.0.1.3680043.2.1125.1.42";

	@BeforeAll
	static void readVolume() {
		ImageStack s = Images.open(TestData.path("mri/ch2_crop.nii")).getStack();
		volume = new int[s.getSize()][];
		for (int k = 0; k < s.getSize(); k++) {
			volume[k] = new int[W * H];
			for (int i = 0; i < W * H; i++) volume[k][i] = s.getProcessor(k + 1).get(i);
		}
	}

	@Test
	void aFolderOfOneSeriesBecomesOneVolumeInHounsfieldUnitsOrderedByPosition() {
		Path folder = dir.resolve("ct");
		write(folder, SERIES, "P017");
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "ct", "alice")) {
			ImportReport r = b.addImages(List.of(folder), Progress.NONE);
			assertEquals(1, r.added(), r.problems().toString());
			assertEquals(List.of(), r.problems());
			ImageRecord im = b.images().get(0);
			assertEquals(List.of(48, 56, 8, 32), List.of(im.width(), im.height(), im.slices(), im.bitDepth()));
			assertEquals("series/" + SERIES + ".dcmseries", im.path(), "the manifest lies in the project, by relative path");
			ImagePlus imp = Images.open(b.imageFile(im.id()));
			for (int k = 0; k < 8; k++)
				for (int i = 0; i < W * H; i += 97)
					assertEquals(4 * volume[k][i] - 1024, imp.getStack().getProcessor(k + 1).getf(i), 1e-3, "slice " + k + " pixel " + i);
			assertTrue(imp.getStack().getProcessor(1).getMin() < 0, "HU of air are negative");
			assertEquals(0.8, imp.getCalibration().pixelWidth, 1e-9, "Pixel Spacing's second value is the column spacing");
			assertEquals(0.7, imp.getCalibration().pixelHeight, 1e-9);
			assertEquals(2.5, imp.getCalibration().pixelDepth, 1e-9);
			Map<String, String> m = b.store().imageMetadata(im.id());
			assertEquals("CT", m.get("modality"));
			assertEquals("P017", m.get("patient"));
			assertEquals(SERIES, m.get("series"));
			assertEquals("HEAD", m.get("bodypart"));
			assertEquals("test head", m.get("description"));
			// adding the folder again adds nothing
			assertEquals(1, b.addImages(List.of(folder), Progress.NONE).skipped());
		}
	}

	@Test
	void aChangedSliceIsRefusedByName() throws Exception {
		Path folder = dir.resolve("ct");
		List<Path> files = write(folder, SERIES, "P017");
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "ct", "alice")) {
			assertEquals(1, b.addImages(List.of(folder), Progress.NONE).added());
			byte[] bytes = Files.readAllBytes(files.get(3));
			bytes[bytes.length - 1] ^= 1;
			Files.write(files.get(3), bytes);
			String why = org.junit.jupiter.api.Assertions.assertThrows(org.labelloop.core.model.LabelLoopException.class,
					() -> Images.open(b.imageFile(b.images().get(0).id()))).getMessage();
			assertTrue(why.contains(files.get(3).toString()) && why.contains("changed on disk"), why);
		}
	}

	@Test
	void aSeriesWithAMissingSliceIsRefusedNamingTheGapAndNothingIsAdded() {
		Path folder = dir.resolve("gap");
		write(folder, SERIES, "P017", 4);
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "gap", "alice")) {
			ImportReport r = b.addImages(List.of(folder), Progress.NONE);
			assertEquals(0, r.added());
			assertEquals(1, r.problems().size(), r.problems().toString());
			String why = r.problems().get(0);
			assertTrue(why.contains("DICOM series " + SERIES + " has a gap: no slice between 41_IM1_3.dcm (7.5) and 41_IM7_5.dcm (12.5),"
					+ " where the slices are 2.5 mm apart; a slice is missing"), why);
			assertTrue(why.startsWith("Cannot read image " + folder.toAbsolutePath()), why);
			assertEquals(List.of(), b.images());
			assertFalse(Files.exists(dir.resolve("p/series/" + SERIES + ".dcmseries")));
		}
	}

	@Test
	void aFolderMixingTwoSeriesGivesTwoVolumes() {
		Path folder = dir.resolve("mixed");
		write(folder, SERIES, "P017");
		write(folder, OTHER, "P018");
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "mixed", "alice")) {
			ImportReport r = b.addImages(List.of(folder), Progress.NONE);
			assertEquals(2, r.added(), r.problems().toString());
			assertEquals(List.of(8, 8), b.images().stream().map(ImageRecord::slices).toList());
			assertEquals(List.of("P017", "P018"), b.images().stream().map(i -> b.store().imageMetadata(i.id()).get("patient")).sorted().toList());
		}
	}

	@Test
	void aDicomSegIsRefusedAsLabelsAndNothingIsAdded() throws Exception {
		Path folder = Files.createDirectories(dir.resolve("seg"));
		Files.write(folder.resolve("seg.dcm"), TestDicom.segmentation());
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "seg", "alice")) {
			ImportReport r = b.addImages(List.of(folder), Progress.NONE);
			assertEquals(0, r.added());
			assertEquals(List.of("Cannot read image " + folder.resolve("seg.dcm").toAbsolutePath()
					+ ": DICOM-SEG: this file is a segmentation, not an image; import it with Import Labels (format dicom-seg)"), r.problems());
			assertEquals(List.of(), b.images());
		}
	}

	@Test
	void singleDicomFilesKeepTheirMetadataAndCopiesOfOneSliceStaySeparate() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "single", "alice")) {
			// MR_small.dcm and MR_small_implicit.dcm are one SOP instance in two encodings: not a series
			ImportReport r = b.addImages(List.of(TestData.path("dicom")), Progress.NONE);
			assertEquals(3, r.added(), r.problems().toString());
			ImageRecord ct = b.images().stream().filter(i -> i.name().equals("CT_small.dcm")).findFirst().orElseThrow();
			assertEquals("CT", b.store().imageMetadata(ct.id()).get("modality"));
		}
	}

	/**
	 * Issue 15: two series of each of six patients, the class given by the patient; the image folds group by the
	 * patient DICOM import kept, so no patient's series is validated by a model that saw the patient's other one.
	 */
	@Test
	void imageFoldsGroupThePatientsSeries() throws Exception {
		Path folder = dir.resolve("cts");
		for (int p = 0; p < 6; p++)
			for (int k = 0; k < 2; k++) {
				int offset = (p < 3 ? 0 : 150) + 10 * p + 3 * k; // class b is brighter; every series has its own pixels
				int[][] v = new int[volume.length][];
				for (int z = 0; z < v.length; z++) v[z] = java.util.Arrays.stream(volume[z]).map(x -> x + offset).toArray();
				TestDicom.ctSeries(folder.resolve("p" + p + "s" + k), SERIES + "." + p + k, "P" + p, v, W, H);
			}
		try (LocalBackend b = LocalBackend.create(dir.resolve("p"), "ct", "alice")) {
			assertEquals(12, b.addImages(List.of(folder), Progress.NONE).added());
			long a = b.addClass("a", null, null).id(), c = b.addClass("b", null, null).id();
			List<org.labelloop.core.model.Edit> edits = new java.util.ArrayList<>();
			for (ImageRecord im : b.images()) {
				int patient = Integer.parseInt(b.store().imageMetadata(im.id()).get("patient").substring(1));
				edits.add(new org.labelloop.core.model.Edit.Create(im.id(), org.labelloop.core.model.AnnotationData.human(null, patient < 3 ? a : c, "alice")));
			}
			b.apply("label by patient", edits);
			TrainReport r = b.retrain(TrainOptions.defaults().withTasks(List.of(org.labelloop.core.model.Task.IMAGE)), Progress.NONE);
			var v = r.model(org.labelloop.core.model.Task.IMAGE).orElseThrow(() -> new AssertionError(r.summary()));
			assertEquals(6.0, v.metrics().get("groups"), v.metrics()::toString);
			assertEquals(Trainer.Grouping.PATIENT, Trainer.Grouping.of(v.metrics().get("grouped")));
			assertEquals(5.0, v.metrics().get("folds"));
			assertTrue(r.summary().contains("folds grouped by patient (6 patients, none split)"), r.summary());
		}
	}

	private static List<Path> write(Path folder, String series, String patient, int... skip) {
		try {
			return TestDicom.ctSeries(folder, series, patient, volume, W, H, skip);
		} catch (java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}
}
