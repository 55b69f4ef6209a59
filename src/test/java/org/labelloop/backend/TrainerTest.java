package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.imaging.FloatImages;
import org.labelloop.imaging.Images;

/**
 * Retrain on a small real project from test-data: Fashion-MNIST images grouped into footwear / top / other, and
 * scans (DICOM 16-bit, MRI slices) as a fourth class, with microscopy (RGB, other sizes), a NIfTI volume and more
 * scans left unlabelled; and coins.png's proposed objects for the ROI task, some accepted as coins, with drawn
 * background boxes.
 */
class TrainerTest {

	@TempDir
	Path dir;

	static final Map<String, String> IMAGE_LABELS = Map.ofEntries(
			Map.entry("0000_ankle_boot.png", "footwear"), Map.entry("0008_sandal.png", "footwear"), Map.entry("0011_sandal.png", "footwear"),
			Map.entry("0009_sneaker.png", "footwear"), Map.entry("0012_sneaker.png", "footwear"),
			Map.entry("0001_pullover.png", "top"), Map.entry("0016_pullover.png", "top"), Map.entry("0004_shirt.png", "top"),
			Map.entry("0007_shirt.png", "top"), Map.entry("0006_coat.png", "top"), Map.entry("0010_coat.png", "top"), Map.entry("0019_tshirt.png", "top"),
			Map.entry("0002_trouser.png", "other"), Map.entry("0003_trouser.png", "other"), Map.entry("0013_dress.png", "other"), Map.entry("0018_bag.png", "other"),
			Map.entry("CT_small.dcm", "scan"), Map.entry("MR_small.dcm", "scan"), Map.entry("ch2_axial_z090.png", "scan"), Map.entry("ch2_axial_z100.png", "scan"));

	/** A project with every readable test-data image, classes, the image labels above and coins proposed. */
	static LocalBackend project(Path folder) {
		LocalBackend b = LocalBackend.create(folder, "train", "alice");
		b.addImages(List.of(TestData.path("fashion"), TestData.path("microscopy"), TestData.path("dicom"), TestData.path("mri/ch2_axial_z090.png"),
				TestData.path("mri/ch2_axial_z100.png"), TestData.path("mri/ch2_axial_z110.png"), TestData.path("mri/ch2_crop.nii.gz")), Progress.NONE);
		for (String c : List.of("footwear", "top", "other", "scan", "coin", "background")) b.addClass(c, null, null);
		return b;
	}

	static long cls(LocalBackend b, String name) {
		return b.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().id();
	}

	static ImageRecord image(LocalBackend b, String name) {
		return b.images().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
	}

	static void labelImages(LocalBackend b, Map<String, String> labels) {
		List<Edit> edits = new ArrayList<>();
		labels.forEach((img, c) -> edits.add(new Edit.Create(image(b, img).id(), AnnotationData.human(null, cls(b, c), "alice"))));
		b.apply("label images", edits);
	}

	/** Proposes coins, accepts 6 as coins and draws 6 background boxes; returns the ids left proposed. */
	static List<Long> labelCoins(LocalBackend b) {
		ImageRecord coins = image(b, "coins.png");
		ClassicalProposer.Settings s = new ClassicalProposer.Settings("Li", 1, 2, ClassicalProposer.Objects.BRIGHT, true, 300, 1e9, 0.5, true);
		ProposeReport r = b.proposeObjects(List.of(coins.id()), s, false, Progress.NONE);
		assertTrue(r.objects() >= 15, r.summary());
		List<Annotation> proposed = b.annotations(coins.id());
		List<Edit> edits = new ArrayList<>();
		long coin = cls(b, "coin"), background = cls(b, "background");
		for (Annotation a : proposed.subList(0, 6))
			edits.add(new Edit.Update(a.id(), a.revision(), a.data().withClass(coin).withStatus(Status.ACCEPTED)));
		int[][] boxes = { { 0, 0, 20, 20 }, { 360, 0, 20, 20 }, { 0, 280, 20, 20 }, { 360, 280, 20, 20 }, { 170, 140, 16, 12 }, { 100, 0, 30, 10 } };
		for (int[] x : boxes)
			edits.add(new Edit.Create(coins.id(), AnnotationData.human(Geometry.rect(x[0], x[1], x[2], x[3], null), background, "alice")));
		b.apply("label coins", edits);
		return proposed.subList(6, proposed.size()).stream().map(Annotation::id).toList();
	}

	@Test
	void retrainPredictsEveryItemWithOutOfFoldProbabilitiesForTheLabelledOnesAndCanBeRolledBack() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			labelImages(b, IMAGE_LABELS);
			List<Long> open = labelCoins(b);
			Map<Long, Long> humanRevisions = b.annotations(image(b, "coins.png").id()).stream().filter(a -> a.data().status() != Status.PROPOSED)
					.collect(Collectors.toMap(Annotation::id, Annotation::revision));
			List<String> reports = new ArrayList<>();
			Progress progress = new Progress() {
				@Override public void report(double f, String m) { reports.add(m); }
				@Override public boolean isCancelled() { return false; }
			};
			TrainReport r = b.retrain(TrainOptions.defaults(), progress);
			assertFalse(reports.isEmpty());

			// image task
			ModelVersion im = r.model(Task.IMAGE).orElseThrow(() -> new AssertionError(r.summary()));
			assertEquals(ModelVersion.State.READY, im.state());
			assertTrue(im.active());
			assertEquals(20, im.trainSize());
			assertEquals(4, im.classIds().size());
			assertEquals(4.0, im.metrics().get("folds"), "min(5, smallest class count 4)");
			for (String m : List.of("accuracy", "macro_f1", "mean_auc", "ece", "auc:" + cls(b, "scan")))
				assertTrue(im.metrics().containsKey(m), m + " in " + im.metrics());
			assertTrue(im.metrics().get("accuracy") > 0.5, "better than chance: " + r.metricsTable());
			Map<Target, Prediction> preds = new HashMap<>();
			for (Prediction p : b.store().predictions(im.id())) preds.put(p.target(), p);
			assertEquals(b.images().size(), preds.keySet().stream().filter(t -> !t.isSlice()).count(), "every image: out-of-fold or predicted");
			ImageRecord volume = image(b, "ch2_crop.nii.gz");
			assertTrue(volume.slices() > 1);
			for (int z = 1; z <= volume.slices(); z++) assertTrue(preds.containsKey(Target.slice(volume.id(), z)), "every slice of the unlabelled volume: " + z);
			assertEquals(volume.slices(), preds.keySet().stream().filter(Target::isSlice).count(), "no other slice items");
			for (ImageRecord i : b.images()) {
				Prediction p = preds.get(Target.image(i.id()));
				assertEquals(IMAGE_LABELS.containsKey(i.name()), p.outOfFold(), i.name());
				assertEquals(4, p.probabilities().size());
				assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
				assertEquals(p, b.imagePrediction(i.id()).orElseThrow());
			}
			// mixed sizes, bit depths and channels were all embedded (RGB ihc, 16-bit DICOM, a NIfTI volume, 28x28 PNGs)
			for (String n : List.of("ihc.png", "MR_small_implicit.dcm", "ch2_crop.nii.gz", "0030_bag.png"))
				assertFalse(preds.get(Target.image(image(b, n).id())).outOfFold(), n);
			assertTrue(b.store().embedding("features-v2", Target.image(image(b, "ihc.png").id()), image(b, "ihc.png").sha256()).isPresent(), "cached");
			// a volume's slices are embedded with one intensity range over the whole volume, not each its own
			FloatImages.Planes read = FloatImages.of(Images.open(TestData.path("mri/ch2_crop.nii.gz")));
			FeatureEmbedder features = new FeatureEmbedder();
			for (int z = 1; z <= volume.slices(); z++) {
				FloatImage slice = read.plane(new Plane(0, z, 0));
				float[] cached = b.store().embedding("features-v2", Target.slice(volume.id(), z), Trainer.sliceStamp(volume.sha256(), z)).orElseThrow();
				assertArrayEquals(features.embed(slice), cached, "slice " + z);
				assertFalse(Arrays.equals(features.embed(new FloatImage(slice.width(), slice.height(), 1, slice.data())), cached), "not its own range: slice " + z);
			}

			// ROI task
			ModelVersion roi = r.model(Task.ROI).orElseThrow(() -> new AssertionError(r.summary()));
			assertEquals(12, roi.trainSize());
			// every labelled ROI is on coins.png: the folds cannot be grouped by image, and the report says so
			assertEquals(0.0, roi.metrics().get("grouped"));
			assertTrue(r.tasks().stream().filter(t -> t.task() == Task.ROI).flatMap(t -> t.problems().stream())
					.anyMatch(p -> p.contains("all 12 labelled items belong to one image") && p.contains("optimistic")), r.tasks()::toString);
			// confidences are temperature-scaled; the ECE before scaling is kept beside the one after
			assertTrue(im.metrics().get("temperature") > 0 && im.metrics().containsKey("ece_uncalibrated"), im.metrics()::toString);
			assertTrue(r.summary().contains("(uncalibrated "), r.summary());
			assertEquals(List.of(cls(b, "coin"), cls(b, "background")), roi.classIds());
			for (long id : open) {
				Annotation a = b.annotation(id).orElseThrow();
				assertEquals(Status.PROPOSED, a.data().status());
				assertEquals("model:" + roi.name(), a.data().origin().toString());
				assertEquals(2, a.revision());
				assertEquals(2, a.data().probabilities().size());
				assertEquals(a.data().confidence(), a.data().probabilities().get(a.data().classId()), 1e-9);
				assertFalse(b.store().prediction(roi.id(), Target.annotation(id)).orElseThrow().outOfFold());
			}
			long coinsPredictedCoin = open.stream().filter(id -> b.annotation(id).orElseThrow().data().classId() == cls(b, "coin")).count();
			assertTrue(coinsPredictedCoin >= open.size() - 2, "the remaining coins look like coins: " + coinsPredictedCoin + " of " + open.size());
			humanRevisions.forEach((id, rev) -> {
				assertEquals(rev, b.annotation(id).orElseThrow().revision(), "human labels are never changed");
				assertTrue(b.store().prediction(roi.id(), Target.annotation(id)).orElseThrow().outOfFold());
			});

			// a second round, then rollback
			TrainReport r2 = b.retrain(TrainOptions.defaults().withClassifier(TrainOptions.classifier("forest")).withTasks(List.of(Task.IMAGE)),
					Progress.NONE);
			ModelVersion im2 = r2.model(Task.IMAGE).orElseThrow();
			assertEquals("v3", im2.name());
			assertTrue(im2.classifier().startsWith("random-forest"));
			assertTrue(im2.metrics().containsKey("ece"), im2.metrics()::toString);
			for (Prediction p : b.store().predictions(im2.id()))
				assertEquals(1.0, p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6, p::toString);
			long ihc = image(b, "ihc.png").id();
			assertEquals(im2.id(), b.imagePrediction(ihc).orElseThrow().modelId());
			b.activateModel(im.id());
			assertEquals(im.id(), b.activeModel(Task.IMAGE).orElseThrow().id());
			assertEquals(im.id(), b.imagePrediction(ihc).orElseThrow().modelId(), "rolled back");
			assertEquals(roi.id(), b.activeModel(Task.ROI).orElseThrow().id(), "the other task keeps its version");
		}
	}

	/** Issue 15's done-when: a model trained on clothing calls the brain volume and the CT slice unlike anything labelled. */
	@Test
	void scansAreUnlikeAnythingLabelledAfterTrainingOnClothing() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			Map<String, String> clothing = new java.util.HashMap<>(IMAGE_LABELS);
			clothing.values().removeIf(c -> c.equals("scan"));
			labelImages(b, clothing);
			ModelVersion v = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
			assertTrue(v.metrics().get("familiarity_threshold") > 0, v.metrics()::toString);
			for (String scan : List.of("ch2_crop.nii.gz", "CT_small.dcm", "MR_small_implicit.dcm"))
				assertTrue(v.isNovel(Target.image(image(b, scan).id())), scan + " is unlike the clothing: " + v.metrics());
			for (String garment : List.of("0023_ankle_boot.png", "0027_tshirt.png", "0029_dress.png"))
				assertFalse(v.isNovel(Target.image(image(b, garment).id())), garment + " is like the labelled clothing: " + v.metrics());
			assertFalse(v.isNovel(Target.image(image(b, "0000_ankle_boot.png").id())), "a labelled item is never marked");
			// and Next Image's novel strategy hands out what the model has never seen: no garment among the first three
			var batch = b.nextItems("novel", 3, NextOptions.DEFAULT);
			assertEquals(3, batch.choices().size(), batch::toString);
			for (var c : batch.choices()) {
				assertFalse(c.image().path().contains("/fashion/"), "a garment is like the labels: " + batch);
				assertTrue(c.reason().contains("unlike anything labelled"), c.reason());
			}
		}
	}

	/** Issue 15: a CSV's group column (a patient or source id DICOM did not give) keeps each group's images in one fold. */
	@Test
	void aCsvGroupColumnGroupsTheFolds() throws Exception {
		try (LocalBackend b = LocalBackend.create(dir.resolve("g"), "groups", "alice")) {
			b.addImages(List.of(TestData.path("fashion")), Progress.NONE);
			List<String> lines = java.nio.file.Files.readAllLines(TestData.path("fashion/labels.csv"));
			StringBuilder csv = new StringBuilder("image,label,group\n");
			for (int i = 1; i < lines.size(); i++) csv.append(lines.get(i)).append(",source").append((i - 1) / 4).append('\n'); // five sources of four
			java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("grouped.csv"), csv);
			b.importLabels(Format.CSV, file);
			TrainReport r = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			ModelVersion m = r.model(Task.IMAGE).orElseThrow(() -> new AssertionError(r.summary()));
			assertEquals(Trainer.Grouping.GROUP, Trainer.Grouping.of(m.metrics().get("grouped")), m.metrics()::toString);
			assertEquals(5.0, m.metrics().get("groups"));
			assertTrue(r.summary().contains("folds grouped by group (5 groups, none split)"), r.summary());
		}
	}

	@Test
	void roiFoldsAreGroupedByImageAndTheReportSaysSo() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			long coin = cls(b, "coin"), background = cls(b, "background");
			List<Edit> edits = new ArrayList<>();
			for (String name : List.of("coins.png", "cell.png", "ihc.png")) {
				long id = image(b, name).id();
				for (int i = 0; i < 2; i++) {
					edits.add(new Edit.Create(id, AnnotationData.human(Geometry.rect(10 + 40 * i, 10, 30, 30, null), coin, "alice")));
					edits.add(new Edit.Create(id, AnnotationData.human(Geometry.rect(10 + 40 * i, 60, 30, 20, null), background, "alice")));
				}
			}
			b.apply("ROIs on three images", edits);
			TrainReport r = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.ROI)), Progress.NONE);
			ModelVersion roi = r.model(Task.ROI).orElseThrow(() -> new AssertionError(r.summary()));
			assertEquals(1.0, roi.metrics().get("grouped"), roi.metrics()::toString);
			assertEquals(3.0, roi.metrics().get("groups"));
			assertEquals(3.0, roi.metrics().get("folds"), "5 folds wanted, 3 images: 3 folds, one image each");
			assertTrue(r.summary().contains("folds grouped by image (3 images, none split)"), r.summary());
			assertTrue(r.tasks().get(0).problems().isEmpty(), r.tasks().get(0).problems()::toString);
		}
	}

	@Test
	void cancellingHalfWayKeepsNothingAndThePreviousVersionStaysActive() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			labelImages(b, IMAGE_LABELS);
			List<Long> open = labelCoins(b);
			ModelVersion v1 = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
			Map<Long, Long> revisions = new HashMap<>();
			for (ImageRecord i : b.images()) for (Annotation a : b.annotations(i.id())) revisions.put(a.id(), a.revision());
			// while embedding, between folds, before the final fit; then half-way through an image model (embeddings cached)
			for (int[] run : new int[][] { { 1, 1 }, { 4, 1 }, { 7, 1 }, { 2, 0 } }) {
				AtomicInteger reports = new AtomicInteger();
				Progress cancelAfter = new Progress() {
					@Override public void report(double f, String m) { reports.incrementAndGet(); }
					@Override public boolean isCancelled() { return reports.get() >= run[0]; }
				};
				List<Task> tasks = run[1] == 1 ? List.of(Task.ROI, Task.IMAGE) : List.of(Task.IMAGE);
				assertThrows(CancelledException.class, () -> b.retrain(TrainOptions.defaults().withTasks(tasks), cancelAfter), () -> "after " + run[0]);
			}
			List<ModelVersion> models = b.models();
			assertEquals(List.of("ready", "cancelled", "cancelled", "cancelled", "cancelled"), models.stream().map(m -> m.state().key()).toList(), models::toString);
			for (ModelVersion m : models.subList(1, models.size())) assertTrue(b.store().predictions(m.id()).isEmpty());
			assertEquals(v1.id(), b.activeModel(Task.IMAGE).orElseThrow().id());
			assertTrue(b.activeModel(Task.ROI).isEmpty());
			for (ImageRecord i : b.images()) for (Annotation a : b.annotations(i.id())) assertEquals(revisions.get(a.id()), a.revision());
			for (long id : open) assertEquals(null, b.annotation(id).orElseThrow().data().classId(), "proposals untouched");
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.activateModel(models.get(1).id()));
			assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
		}
	}

	@Test
	void aFailingRunIsMarkedFailedWithItsMessageAndAnUnreadableImageIsLeftOut() throws Exception {
		try (LocalBackend b = project(dir.resolve("p"))) {
			labelImages(b, IMAGE_LABELS);
			ModelVersion v1 = b.retrain(TrainOptions.defaults(), Progress.NONE).model(Task.IMAGE).orElseThrow();
			// a fake embedder for the failure path: the real one, until it breaks on the 3rd image
			FeatureEmbedder real = new FeatureEmbedder();
			AtomicInteger calls = new AtomicInteger();
			Embedder breaking = new Embedder() {
				@Override public String id() { return "breaking-v1"; }
				@Override public int dimension() { return real.dimension(); }
				@Override public float[] embed(FloatImage image) {
					if (calls.incrementAndGet() == 3) throw new IllegalStateException("embedder crashed");
					return real.embed(image);
				}
				@Override public float[] embed(FloatImage image, Geometry region) { return real.embed(image, region); }
			};
			Trainer t = new Trainer(b.store(), "alice", b::imageFile, breaking);
			IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.retrain(TrainOptions.defaults(), Progress.NONE));
			assertEquals("embedder crashed", e.getMessage());
			ModelVersion failed = b.models().get(b.models().size() - 1);
			assertEquals(ModelVersion.State.FAILED, failed.state());
			assertEquals(v1.id(), b.activeModel(Task.IMAGE).orElseThrow().id(), "the previous version stays active");
			assertTrue(b.store().predictions(failed.id()).isEmpty());

			// an image that went missing is left out and reported; the rest trains
			Path copy = java.nio.file.Files.copy(TestData.path("microscopy/cell.png"), dir.resolve("p/copy.png"));
			b.addImages(List.of(copy), Progress.NONE);
			java.nio.file.Files.delete(copy);
			TrainReport r = b.retrain(TrainOptions.defaults(), Progress.NONE);
			assertTrue(r.tasks().get(0).problems().stream().anyMatch(p -> p.startsWith("copy.png: ") && p.contains("has moved or was deleted")),
					r.tasks().get(0).problems()::toString);
			assertEquals(b.images().size() - 1, b.store().predictions(r.model(Task.IMAGE).orElseThrow().id()).stream().filter(p -> !p.target().isSlice()).count());
		}
	}

	@Test
	void tooFewLabelsSayWhatIsNeeded() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			LabelLoopException none = assertThrows(LabelLoopException.class, () -> b.retrain(TrainOptions.defaults(), Progress.NONE));
			assertTrue(none.getMessage().contains("there are no image labels yet"), none.getMessage());
			assertTrue(none.getMessage().contains("there are no labelled ROIs yet"), none.getMessage());

			labelImages(b, Map.of("0000_ankle_boot.png", "footwear", "0008_sandal.png", "footwear", "0009_sneaker.png", "footwear"));
			LabelLoopException one = assertThrows(LabelLoopException.class, () -> b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE));
			assertTrue(one.getMessage().contains("needs two classes: all 3 image labels are 'footwear'"), one.getMessage());

			labelImages(b, Map.of("0001_pullover.png", "top"));
			LabelLoopException few = assertThrows(LabelLoopException.class, () -> b.retrain(TrainOptions.defaults(), Progress.NONE));
			assertTrue(few.getMessage().contains("needs at least 2 image labels per class for out-of-fold validation; too few: top 1."), few.getMessage());
			assertTrue(b.models().isEmpty(), "nothing started");

			labelImages(b, Map.of("0016_pullover.png", "top"));
			LabelLoopException folds = assertThrows(LabelLoopException.class,
					() -> b.retrain(TrainOptions.defaults().withFolds(3), Progress.NONE));
			assertTrue(folds.getMessage().contains("at least 3 image labels per class"), folds.getMessage());
			TrainReport r = b.retrain(TrainOptions.defaults(), Progress.NONE);
			assertEquals(2.0, r.model(Task.IMAGE).orElseThrow().metrics().get("folds"));
			assertTrue(r.summary().contains("roi: not trained: The ROI model needs labels"), r.summary());

			labelImages(b, Map.of("0018_bag.png", "other"));
			TrainReport rare = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			assertEquals(2, rare.model(Task.IMAGE).orElseThrow().classIds().size(), "a class with one label waits");
			assertTrue(rare.tasks().get(0).problems().stream().anyMatch(p -> p.contains("class 'other' left out: 1 label(s), needs 2")),
					rare.tasks().get(0).problems()::toString);
		}
	}

	@Test
	void proposeObjectsSkipsProposedImagesUnlessAskedToReplace() {
		try (LocalBackend b = project(dir.resolve("p"))) {
			long coins = image(b, "coins.png").id(), cell = image(b, "cell.png").id(), ihc = image(b, "ihc.png").id();
			ClassicalProposer.Settings s = ClassicalProposer.Settings.defaults();
			ProposeReport r = b.proposeObjects(List.of(coins, ihc), s, false, Progress.NONE);
			assertEquals(2, r.images(), r.summary());
			int first = b.annotations(coins).size();
			assertTrue(first > 5, r.summary());
			assertTrue(b.annotations(coins).stream().allMatch(a -> a.data().status() == Status.PROPOSED && a.data().origin().toString().equals("weak:" + s.id())));
			ProposeReport again = b.proposeObjects(List.of(coins, cell), s, false, Progress.NONE);
			assertEquals(1, again.skipped());
			assertEquals(1, again.images());
			assertEquals(first, b.annotations(coins).size());
			ProposeReport replaced = b.proposeObjects(List.of(coins), s, true, Progress.NONE);
			assertEquals(first, replaced.replaced());
			assertEquals(first, b.annotations(coins).size(), "same settings, same objects, old ones deleted");
			assertEquals(Set.of(), b.annotations(coins).stream().filter(a -> a.revision() != 1).map(Annotation::id).collect(Collectors.toSet()));
			assertTrue(b.undo().isPresent(), "one undoable step");
			assertEquals(first, b.annotations(coins).size());
		}
	}
}
