package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Status;
import org.labelloop.testing.HeadlessBatch;

/**
 * The example macros of {@code macros/} run headless ({@code -batch}) against the demo project, each checked on the
 * project store afterwards: what the macro says it did is what the project holds.
 */
class MacroLibraryTest {

	static final Path MACROS = Path.of("macros").toAbsolutePath();

	@TempDir
	Path tmp;

	Path demo;

	@BeforeEach
	void demo() {
		demo = tmp.resolve("demo project");
		DemoProject.createFashion(TestData.folder(), demo, "demo");
	}

	static long humanImageLabels(LocalBackend b, String user) {
		return b.images().stream().flatMap(i -> b.annotations(i.id()).stream())
				.filter(a -> a.data().isImageLevel() && a.data().origin().toString().equals("human:" + user) && a.data().status() == Status.ACCEPTED).count();
	}

	@Test
	void labellingRoundsChooseAcceptSaveAndRetrain() throws Exception {
		String out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Labelling_Round.ijm"), "project=[" + demo + "] user=ann rounds=2");
		assertFalse(out.contains("Exception"), out);
		assertTrue(out.contains("Round 1: ") && out.contains("Round 2: "), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			List<ModelVersion> models = b.models();
			assertEquals(List.of("v1 image ready", "v2 image ready"), models.stream().map(m -> m.name() + " " + m.task() + " " + m.state().key()).toList(),
					"one retrain per round; the ROI task is skipped (no labelled ROIs in the demo)");
			// v1 (six labels, out-of-fold accuracy 0.67, calibrated) is unsure of the image hybrid chooses, so the round
			// labels nothing: an unsure guess never becomes a label
			Matcher m = Pattern.compile("Round 2: (\\S+) \\(model v1: \\S+ (\\d\\.\\d\\d)(\\??)[^)]*\\)?\\) -> (\\S*)\n").matcher(out);
			assertTrue(m.find(), out);
			assertEquals("?", m.group(3), "the calibrated v1 is unsure of its pick: " + m.group());
			assertTrue(Double.parseDouble(m.group(2)) < AnnotationView.LOW_CONFIDENCE, m.group());
			assertEquals("", m.group(4), "so nothing is labelled: " + m.group());
			assertEquals(models.get(0).trainSize(), models.get(1).trainSize(), "no label added:\n" + out);
			long imageId = b.images().stream().filter(i -> i.name().equals(m.group(1))).findFirst().orElseThrow().id();
			assertEquals(List.of(), b.annotations(imageId).stream().filter(a -> a.data().isImageLevel()).toList());
			assertEquals(0, humanImageLabels(b, "ann"));
		}
	}

	@Test
	void bulkLabellingLabelsWhileTheModelIsSureAndStopsBelow() throws Exception {
		String out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Bulk_Label.ijm"), "project=[" + demo + "] class=coat user=bob");
		assertTrue(out.contains("No image model yet: run Retrain first, then this macro."), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			assertEquals(0, humanImageLabels(b, "bob"), "nothing labelled without a model");
		}
		HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Nightly_Retrain.ijm"), "project=[" + demo + "] out=[" + tmp.resolve("curves") + "]");
		out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Bulk_Label.ijm"), "project=[" + demo + "] class=coat min=0.5 user=bob");
		assertFalse(out.contains("Exception"), out);
		Matcher m = Pattern.compile("Bulk labelling: (\\d+) image\\(s\\) labelled coat\\.").matcher(out);
		assertTrue(m.find(), out);
		int n = Integer.parseInt(m.group(1));
		assertTrue(n >= 1, out);
		assertTrue(out.matches("(?s).*Stopped at \\S+ \\(model v1: \\S+ \\d\\.\\d\\d\\??( \\(unlike anything labelled\\))?\\): not a sure coat of at least 0\\.5\\..*"), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			long coat = b.classes().stream().filter(c -> c.name().equals("coat")).mapToLong(LabelClass::id).findFirst().orElseThrow();
			List<Annotation> bobs = b.images().stream().flatMap(i -> b.annotations(i.id()).stream())
					.filter(a -> a.data().origin().toString().equals("human:bob")).toList();
			assertEquals(n, bobs.size());
			for (Annotation a : bobs) {
				assertEquals(coat, a.data().classId());
				assertTrue(a.data().isImageLevel());
				var p = b.store().predictions(b.activeModel(Task.IMAGE).orElseThrow().id()).stream()
						.filter(x -> x.target().isImage() && x.target().id() == a.imageId()).findFirst();
				assertTrue(p.isPresent() && p.get().predictedClass() == coat && p.get().confidence() >= 0.5, "labelled only where v1 says coat ≥ 0.5: " + p);
			}
		}
	}

	@Test
	void batchImportAndExportMakesTheProjectOnceAndWritesThreeFormats() throws Exception {
		Path project = tmp.resolve("imported"), exports = tmp.resolve("export dir");
		String arg = "project=[" + project + "] images=[" + TestData.path("fashion").toAbsolutePath() + "] out=[" + exports + "] user=ida";
		String out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Batch_Import_Export.ijm"),
				arg + " labels=[" + TestData.path("fashion/labels.csv").toAbsolutePath() + "] format=csv");
		assertTrue(out.contains("LabelLoop: images 20 added, 0 skipped"), out);
		assertTrue(out.contains("LabelLoop: labels 20 added, 0 skipped"), out);
		out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Batch_Import_Export.ijm"), arg);
		assertTrue(out.contains("LabelLoop: images 0 added, 20 skipped"), "a second run adds nothing twice: " + out);
		assertFalse(out.contains("Exception"), out);
		try (LocalBackend b = LocalBackend.open(project, "tester")) {
			assertEquals(20, b.images().size());
			assertEquals(20, b.images().stream().mapToLong(i -> b.annotations(i.id()).size()).sum(), "the second run imported no labels");
		}
		List<String> csv = Files.readAllLines(exports.resolve("labels.csv"));
		assertEquals(21, csv.size(), csv::toString);
		assertEquals("image,label,status,origin,confidence", csv.get(0));
		assertTrue(csv.stream().anyMatch(l -> l.endsWith("0000_ankle_boot.png,ankle_boot,accepted,human:ida,")), csv::toString);
		String coco = Files.readString(exports.resolve("labels-coco.json"));
		assertTrue(coco.contains("\"images\"") && coco.contains("0019_tshirt.png") && coco.contains("\"categories\""), coco);
		assertTrue(Files.isDirectory(exports.resolve("rois")));
	}

	@Test
	void aMisspeltMacroArgumentStopsTheMacroNamingIt() throws Exception {
		String out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Bulk_Label.ijm"), "project=[" + demo + "] clas=coat min=0.5");
		assertTrue(out.contains("LabelLoop_Bulk_Label: unknown option 'clas' (did you mean 'class'?). Valid options: project, class, min, max, user."), out);
		assertFalse(out.contains("opened project"), "stopped before anything ran:\n" + out);
		out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Nightly_Retrain.ijm"), "projet=[" + demo + "] out=[" + tmp.resolve("c") + "]");
		assertTrue(out.contains("LabelLoop_Nightly_Retrain: unknown option 'projet' (did you mean 'project'?)"), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			assertEquals(List.of(), b.models(), "nothing trained");
		}
		assertFalse(Files.exists(tmp.resolve("c")));
	}

	@Test
	void nightlyRetrainSavesTheLearningCurveAsPngAndCsv() throws Exception {
		Path curves = tmp.resolve("curves");
		for (int night = 0; night < 2; night++) {
			String out = HeadlessBatch.run(tmp, MACROS.resolve("LabelLoop_Nightly_Retrain.ijm"), "project=[" + demo + "] out=[" + curves + "]");
			assertTrue(out.contains("Saved " + curves), out);
			assertFalse(out.contains("Exception"), out);
		}
		Path png;
		try (var files = Files.list(curves)) {
			List<Path> all = files.sorted().toList();
			assertEquals(2, all.size(), "one task with a model: png + csv, overwritten on the same day: " + all);
			png = all.stream().filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
			assertTrue(png.getFileName().toString().matches("learning-curve-image-\\d{4}-\\d\\d-\\d\\d\\.png"), png.toString());
		}
		var plot = ij.IJ.openImage(png.toString());
		assertTrue(plot.getWidth() > 100 && plot.getHeight() > 100, "a plot image");
		List<String> csv = Files.readAllLines(Path.of(png.toString().replace(".png", ".csv")));
		assertEquals("version,labels,accuracy,macro_f1,mean_auc,ece", csv.get(0));
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			List<ModelVersion> image = b.models();
			assertEquals(2, image.size(), "one image model per night");
			assertEquals(3, csv.size(), csv::toString);
			ModelVersion v2 = image.get(1);
			assertEquals(String.format(java.util.Locale.ROOT, "v2,%d,%.4f,%.4f,%.4f,%.4f", v2.trainSize(), v2.metrics().get("accuracy"), v2.metrics().get("macro_f1"),
					v2.metrics().get("mean_auc"), v2.metrics().get("ece")), csv.get(2));
		}
	}
}
