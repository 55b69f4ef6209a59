package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.backend.TrainerTest.cls;
import static org.labelloop.backend.TrainerTest.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.ItemFilter.Comparison;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.RoiBridge;

import ij.ImagePlus;
import ij.measure.Measurements;
import ij.process.ImageStatistics;

/**
 * Numeric comparisons in filters ({@code area>50}, {@code mean<=120}, {@code slices>1}): ROI measurements taken at
 * Retrain, checked against what ImageJ itself measures for the same shapes, on coins.png (no calibration: pixels²)
 * and on CT_small.dcm (pixel spacing and rescale: mm² and HU).
 */
class MeasurementFilterTest {

	@TempDir
	Path dir;

	@Test
	void comparisonsAreReadWrittenBackAndRefusedWhenTheyMeanNothing() {
		ItemFilter f = ItemFilter.parse("modality:CT and area>50 MEAN<=120.5 slices>=1");
		assertEquals(Map.of("modality", List.of("CT")), f.metadata());
		assertEquals(List.of(new Comparison("area", ">", 50), new Comparison("mean", "<=", 120.5), new Comparison("slices", ">=", 1)), f.comparisons());
		assertEquals("modality:CT area>50 mean<=120.5 slices>=1", f.toString());
		assertEquals(f, ItemFilter.parse(f.toString()));
		assertEquals(List.of("area", "mean"), f.measurements().stream().map(Comparison::key).toList());
		assertTrue(f.metadataMatches(Map.of("modality", "ct", "slices", "3")));
		assertTrue(!f.metadataMatches(Map.of("modality", "ct", "slices", "0")), "slices>=1 fails");
		assertTrue(!f.metadataMatches(Map.of("modality", "ct", "slices", "many")), "a value that is no number fails");
		assertEquals(Map.of("description", List.of("a>b")), ItemFilter.parse("description:\"a>b\"").metadata(), "a quoted > is a value");

		assertTrue(msg(() -> ItemFilter.parse("area>abc")).contains("'abc', which is not a number"));
		assertTrue(msg(() -> ItemFilter.parse("class>3")).contains("class is not a number to compare"));
		assertTrue(msg(() -> ItemFilter.parse("area=>5")).contains("write field>number with no spaces"));
		assertTrue(msg(() -> ItemFilter.parse("area >50")).contains("not understood"));
		assertTrue(msg(() -> NextOptions.DEFAULT.withFilter(ItemFilter.parse("area>50"))).contains("not by measurements"));
	}

	private static String msg(Runnable r) {
		return assertThrows(IllegalArgumentException.class, r::run).getMessage();
	}

	@Test
	void similarItemsKeepTheRoisWhoseMeasurementsPassAsImageJMeasuresThem() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			TrainerTest.labelImages(b, TrainerTest.IMAGE_LABELS);
			TrainerTest.labelCoins(b);
			long ct = image(b, "CT_small.dcm").id();
			b.apply("ct", List.of(new Edit.Create(ct, AnnotationData.human(Geometry.rect(10, 12, 40, 30, null), cls(b, "background"), "alice")),
					new Edit.Create(ct, AnnotationData.human(Geometry.oval(60, 50, 20, 24, null), cls(b, "background"), "alice"))));
			b.retrain(TrainOptions.defaults(), Progress.NONE);

			// what ImageJ measures for every ROI of the two images
			Map<String, double[]> truth = new HashMap<>();
			measure(b, "microscopy/coins.png", image(b, "coins.png").id(), truth);
			Map<String, double[]> ctTruth = new HashMap<>();
			measure(b, "dicom/CT_small.dcm", ct, ctTruth);
			truth.putAll(ctTruth);
			String ctRect = ctTruth.entrySet().stream().filter(e -> e.getValue()[2] == 1200).findFirst().orElseThrow().getKey();
			assertNotEquals(1200, ctTruth.get(ctRect)[0], 1, "CT_small.dcm has a pixel spacing: mm², not pixels");

			String example = truth.keySet().stream().filter(k -> !ctTruth.containsKey(k)).findFirst().orElseThrow();
			// thresholds half-way between measured values, clear of the float rounding of stored ones
			List<Double> areas = truth.values().stream().map(v -> v[0]).distinct().sorted().toList();
			double medianArea = between(areas, areas.size() / 2), smallArea = between(areas, 1);
			check(b, example, "area>" + medianArea, truth, v -> v[0] > medianArea);
			check(b, example, "area<=" + medianArea, truth, v -> v[0] <= medianArea);
			List<Double> means = truth.values().stream().map(v -> v[1]).distinct().sorted().toList();
			double lowMean = between(means, means.size() / 3);
			check(b, example, "mean<" + lowMean + " and area>=" + smallArea, truth, v -> v[1] < lowMean && v[0] >= smallArea);
			check(b, example, "modality:CT area>1", truth, v -> ctTruth.containsValue(v));

			// the answers carry their measurements
			Similar.Result r = b.similar(Similar.Query.nearest(example, 1000, ItemFilter.ALL));
			for (Similar.Item it : r.items()) {
				double[] want = truth.get(it.item());
				assertEquals(want[0], it.area(), 1e-3 * want[0], it.item());
				assertEquals(want[1], it.mean(), 1e-3 * Math.abs(want[1]) + 1e-3, it.item());
			}

			LabelLoopException unknown = assertThrows(LabelLoopException.class, () -> b.similar(Similar.Query.nearest(example, 5, ItemFilter.parse("age>3"))));
			assertTrue(unknown.getMessage().contains("Unknown filter field 'age'") && unknown.getMessage().contains("slices")
					&& unknown.getMessage().contains("modality") && unknown.getMessage().contains("area"), unknown.getMessage());

			// Next Image takes the image fields: only the volume has slices
			NextChoice.Batch volumes = b.nextItems("random", 5, NextOptions.DEFAULT.withFilter(ItemFilter.parse("slices>1")));
			assertEquals(List.of("ch2_crop.nii.gz"), volumes.choices().stream().map(c -> c.image().name()).distinct().toList(), volumes.message());
		}
	}

	private static double between(List<Double> sorted, int i) {
		return (sorted.get(i) + sorted.get(i + 1)) / 2;
	}

	/** Area, mean and pixel count ImageJ measures for each area ROI of an image, by item id. */
	private static void measure(LocalBackend b, String file, long imageId, Map<String, double[]> out) {
		ImagePlus imp = Images.open(TestData.path(file));
		for (Annotation a : b.annotations(imageId)) {
			if (!ItemPayloads.isRoi(a)) continue;
			imp.setRoi(RoiBridge.toRoi(a.data().geometry()));
			ImageStatistics s = imp.getStatistics(Measurements.AREA | Measurements.MEAN);
			out.put(Similar.item(Similar.ROI, a.id()), new double[] { s.area, s.mean, s.pixelCount });
		}
	}

	private static void check(LocalBackend b, String example, String filter, Map<String, double[]> truth, Predicate<double[]> passes) {
		Set<String> want = truth.entrySet().stream().filter(e -> !e.getKey().equals(example) && passes.test(e.getValue())).map(Map.Entry::getKey)
				.collect(Collectors.toCollection(TreeSet::new));
		Similar.Result r = b.similar(Similar.Query.nearest(example, 1000, ItemFilter.parse(filter)));
		assertEquals(want, new TreeSet<>(SimilarItemsTest.ids(r)), filter);
		assertTrue(!want.isEmpty() && want.size() < truth.size() - 1 || filter.contains("CT"), filter + " should split the ROIs: " + new ArrayList<>(want));
	}
}
