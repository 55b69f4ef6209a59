package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.core.al.Uncertainty;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;

/**
 * Next Image with active learning ({@link Backend#nextItems}) on a project trained as in {@link TrainerTest}, with
 * a few images left unlabelled: the choice matches the stored predictions, leases keep two labellers apart and expire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NextItemsTest {

	@TempDir
	static Path dir;
	private LocalBackend trained;

	/** Three Fashion images stay unlabelled besides the ones TrainerTest never labels. */
	@BeforeAll
	void train() {
		trained = TrainerTest.project(dir.resolve("trained"));
		Map<String, String> labels = new HashMap<>(TrainerTest.IMAGE_LABELS);
		for (String left : List.of("0000_ankle_boot.png", "0001_pullover.png", "0002_trouser.png")) labels.remove(left);
		TrainerTest.labelImages(trained, labels);
		trained.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
	}

	@AfterAll
	void close() {
		trained.close();
	}

	private Set<Long> unlabelled(LocalBackend b) {
		Set<Long> labelled = new HashSet<>();
		b.store().allAnnotations().forEach(a -> labelled.add(a.imageId()));
		Set<Long> out = new HashSet<>();
		for (ImageRecord im : b.images()) if (!labelled.contains(im.id())) out.add(im.id());
		return out;
	}

	@Test
	void entropyPicksTheMostUncertainUnlabelledImageAndSaysWhy() {
		ModelVersion m = trained.activeModel(Task.IMAGE).orElseThrow();
		Set<Long> open = unlabelled(trained);
		long best = -1;
		int bestZ = 0;
		double bestEntropy = -1;
		for (Prediction p : trained.store().predictions(m.id())) {
			if (p.outOfFold() || !open.contains(p.target().imageId())) continue;
			boolean volume = trained.image(p.target().imageId()).slices() > 1;
			if (p.target().isSlice() != volume) continue; // a volume is ranked by its slices, a 2D image as itself
			float[] row = new float[m.classIds().size()];
			for (int c = 0; c < row.length; c++) row[c] = p.probabilities().getOrDefault(m.classIds().get(c), 0.0).floatValue();
			double e = Uncertainty.ENTROPY.of(row);
			if (e > bestEntropy) {
				bestEntropy = e;
				best = p.target().imageId(); // a volume's slices are ranked as items of their own
				bestZ = p.target().z();
			}
		}
		// the units ranked: each unlabelled 2D image, and each slice of an unlabelled volume
		int units = 0;
		for (long id : open) units += Math.max(1, trained.image(id).slices());
		LocalBackend alice = trained.engine().as("alice");
		NextChoice.Batch b = alice.nextItems("entropy", 1, NextOptions.DEFAULT);
		assertEquals(1, b.choices().size(), b.message());
		NextChoice c = b.choices().get(0);
		assertEquals(best, c.image().id(), "highest entropy among the stored predictions: " + c.reason());
		assertEquals("entropy", c.used());
		assertEquals(bestZ, c.z());
		assertTrue(c.reason().startsWith(bestZ == 0 ? "entropy " : "slice " + bestZ + " of ") && c.reason().contains("rank 1 of " + units + " unlabelled items"),
				c.reason());
		assertTrue(alice.store().leasedByOthers("bob").contains(best), "leased to alice");
		alice.releaseItems();
		assertFalse(alice.store().leasedByOthers("bob").contains(best), "given back");
	}

	@Test
	void inAProjectOfPlaneImagesPicksFollowLabelsAddedAndUndoneThroughThePoolKeptForTheVersion() {
		try (LocalBackend b = LocalBackend.create(dir.resolve("planar"), "planar", "alice")) {
			b.addImages(List.of(org.labelloop.TestData.path("fashion"), org.labelloop.TestData.path("microscopy")), Progress.NONE);
			for (String c : List.of("footwear", "top", "other")) b.addClass(c, null, null);
			Map<String, String> labels = new HashMap<>();
			TrainerTest.IMAGE_LABELS.forEach((im, c) -> {
				if (!c.equals("scan")) labels.put(im, c);
			});
			for (String left : List.of("0000_ankle_boot.png", "0001_pullover.png", "0002_trouser.png")) labels.remove(left);
			TrainerTest.labelImages(b, labels);
			b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			ModelVersion m = b.activeModel(Task.IMAGE).orElseThrow();
			Set<Long> open = unlabelled(b);
			Map<Long, Double> entropy = new HashMap<>();
			for (Prediction p : b.store().predictions(m.id())) {
				if (p.outOfFold() || !open.contains(p.target().imageId())) continue;
				float[] row = new float[m.classIds().size()];
				for (int c = 0; c < row.length; c++) row[c] = p.probabilities().getOrDefault(m.classIds().get(c), 0.0).floatValue();
				entropy.put(p.target().imageId(), Uncertainty.ENTROPY.of(row));
			}
			List<Long> ranked = new ArrayList<>(entropy.keySet());
			ranked.sort((x, y) -> Double.compare(entropy.get(y), entropy.get(x)));
			assertTrue(ranked.size() >= 4 && entropy.get(ranked.get(0)) > entropy.get(ranked.get(1)) && entropy.get(ranked.get(1)) > entropy.get(ranked.get(2)), entropy.toString());
			PredictionRows.KeptPool kept = b.engine().predictionRows().keptPool();
			assertTrue(kept != null && kept.modelId() == m.id(), "Retrain made the version's pool");

			NextChoice first = b.nextItems("entropy", 1, NextOptions.DEFAULT).choices().get(0);
			assertEquals(ranked.get(0), first.image().id(), first.reason());
			assertTrue(first.reason().contains("rank 1 of " + ranked.size() + " unlabelled"), first.reason());
			b.releaseItems();
			// labelled: the runner-up next, among one image fewer, from the same pool
			b.apply("label", List.of(new Edit.Create(first.image().id(), AnnotationData.human(null, TrainerTest.cls(b, "other"), "alice"))));
			NextChoice second = b.nextItems("entropy", 1, NextOptions.DEFAULT).choices().get(0);
			assertEquals(ranked.get(1), second.image().id(), second.reason());
			assertTrue(second.reason().contains("rank 1 of " + (ranked.size() - 1) + " unlabelled"), second.reason());
			assertTrue(kept == b.engine().predictionRows().keptPool(), "labels added: the kept pool answers");
			// alice holds the runner-up: bob, sharing the pool, gets the third
			NextChoice bobs = b.engine().as("bob").nextItems("entropy", 1, NextOptions.DEFAULT).choices().get(0);
			assertEquals(ranked.get(2), bobs.image().id(), bobs.reason());
			b.releaseItems();
			b.engine().as("bob").releaseItems();
			// the label undone: the first image is unlabelled again, and first again
			b.undo();
			NextChoice again = b.nextItems("entropy", 1, NextOptions.DEFAULT).choices().get(0);
			assertEquals(ranked.get(0), again.image().id(), again.reason());
			assertTrue(again.reason().contains("rank 1 of " + ranked.size() + " unlabelled"), again.reason());
			b.releaseItems();
			// a label the version was trained with deleted: that image is a candidate again, though the pool kept for
			// the version does not hold it (the version has only its out-of-fold prediction)
			ImageRecord sandal = TrainerTest.image(b, "0008_sandal.png");
			org.labelloop.core.model.Annotation label = org.labelloop.core.model.Labels.current(b.annotations(sandal.id())).orElseThrow();
			b.apply("unlabel", List.of(new Edit.Delete(label.id(), label.revision())));
			List<Long> all = b.nextItems("entropy", 50, NextOptions.DEFAULT).choices().stream().map(c -> c.image().id()).toList();
			assertEquals(ranked.size() + 1, all.size(), all.toString());
			assertTrue(all.contains(sandal.id()) && all.containsAll(ranked), all.toString());
			b.releaseItems();
			// a second Retrain makes v2's pool, though Next Image may answer from v1's pool while that Retrain runs
			PredictionRows.KeptPool v1Pool = b.engine().predictionRows().keptPool();
			assertEquals(m.id(), v1Pool.modelId());
			b.apply("relabel", List.of(new Edit.Create(sandal.id(), AnnotationData.human(null, TrainerTest.cls(b, "footwear"), "alice"))));
			b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			ModelVersion m2 = b.activeModel(Task.IMAGE).orElseThrow();
			assertTrue(m2.id() != m.id());
			assertEquals(m2.id(), b.engine().predictionRows().keptPool().modelId(), "the Retrain made the pool of the version it activated");
			// between v2's activation and its pool (here: v1's pool kept, a Retrain running): v1's pool answers, none is made
			b.engine().predictionRows().keep(v1Pool);
			NextChoice meanwhile = b.engine().predictionRows().makingPool(() -> b.nextItems("entropy", 1, NextOptions.DEFAULT).choices().get(0));
			assertSame(v1Pool, b.engine().predictionRows().keptPool());
			assertEquals(ranked.get(0), meanwhile.image().id(), "v1's first: " + meanwhile.reason());
			b.releaseItems();
			// no Retrain running: the active version's pool is made
			b.nextItems("entropy", 1, NextOptions.DEFAULT);
			assertEquals(m2.id(), b.engine().predictionRows().keptPool().modelId());
			b.releaseItems();
		}
	}

	@Test
	void twoLabellersOnOneStoreNeverGetTheSameImage() {
		LocalBackend alice = trained.engine().as("alice"), bob = trained.engine().as("bob");
		Set<Long> open = unlabelled(trained);
		List<Long> a = new ArrayList<>(), b = new ArrayList<>();
		for (int round = 0; round < open.size(); round++) {
			alice.nextItems("hybrid", 1, NextOptions.DEFAULT).choices().forEach(c -> a.add(c.image().id()));
			bob.nextItems("entropy", 1, NextOptions.DEFAULT).choices().forEach(c -> b.add(c.image().id()));
		}
		Set<Long> both = new HashSet<>(a);
		both.retainAll(b);
		assertTrue(both.isEmpty(), "alice " + a + ", bob " + b);
		Set<Long> all = new HashSet<>(a);
		all.addAll(b);
		assertEquals(open, all, "between them they hold every unlabelled image");
		NextChoice.Batch none = trained.engine().as("carol").nextItems("entropy", 1, NextOptions.DEFAULT);
		assertTrue(none.choices().isEmpty());
		assertTrue(none.message().contains("leased to other labellers"), none.message());
		alice.releaseItems();
		bob.releaseItems();

		NextChoice.Batch batch = alice.nextItems("hybrid", 3, NextOptions.DEFAULT);
		assertEquals(3, batch.choices().stream().map(c -> c.image().id()).distinct().count(), batch.toString());
		alice.releaseItems();
	}

	@Test
	void leasesExpireAndMovingOnGivesTheLeaseBack() throws InterruptedException {
		LocalBackend alice = trained.engine().as("alice"), bob = trained.engine().as("bob");
		long first = alice.nextItem("entropy", NextOptions.DEFAULT.withLease(Duration.ofMillis(400))).orElseThrow().image().id();
		long other = bob.nextItem("entropy", NextOptions.DEFAULT).orElseThrow().image().id();
		assertNotEquals(first, other);
		Thread.sleep(900); // alice's client "crashed": her lease runs out
		assertFalse(bob.store().leasedByOthers("bob").contains(first));
		assertEquals(first, bob.nextItem("entropy", NextOptions.DEFAULT.withCurrent(other)).orElseThrow().image().id(),
				"the most uncertain image again, once its lease expired");
		assertFalse(alice.store().leasedByOthers("alice").contains(other), "bob moved on from it: released");
		long next = bob.nextItem("entropy", NextOptions.DEFAULT.withCurrent(first)).orElseThrow().image().id();
		assertNotEquals(first, next, "the image moved on from is not handed out again at once");
		bob.releaseItems();
	}

	@Test
	void reviewAndClassTargetedStrategies() {
		LocalBackend alice = trained.engine().as("alice");
		NextChoice r = alice.nextItem("review", NextOptions.DEFAULT).orElseThrow();
		assertFalse(unlabelled(trained).contains(r.image().id()), "review hands out a labelled image: " + r.reason());
		NextChoice more = alice.nextItem("more-of-class", NextOptions.DEFAULT.withClasses("scan", null).withCurrent(r.image().id())).orElseThrow();
		assertTrue(more.reason().contains("scan"), more.reason());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> alice.nextItems("more-of-class", 1, NextOptions.DEFAULT.withClasses("mitosis", null)));
		assertTrue(e.getMessage().contains("mitosis") && e.getMessage().contains("footwear"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> alice.nextItems("cleverest", 1, NextOptions.DEFAULT));
		alice.releaseItems();
	}

	@Test
	void withoutAModelItFallsBackAndSaysSoAndWhenAllIsLabelledItSaysThat() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("fresh"))) {
			NextChoice.Batch r = b.nextItems("entropy", 1, NextOptions.DEFAULT);
			assertEquals(1, r.choices().size(), r.message());
			assertNotEquals("entropy", r.used());
			assertTrue(r.message().toLowerCase().contains("no model predictions yet"), r.message());
			List<Edit> edits = new ArrayList<>();
			long cls = TrainerTest.cls(b, "other");
			for (ImageRecord im : b.images()) edits.add(new Edit.Create(im.id(), AnnotationData.human(null, cls, "alice")));
			b.apply("label everything", edits);
			NextChoice.Batch none = b.nextItems("hybrid", 1, NextOptions.DEFAULT.withCurrent(r.choices().get(0).image().id()));
			assertTrue(none.choices().isEmpty());
			assertTrue(none.message().startsWith("Every item is labelled"), none.message());
		}
	}

	@Test
	void aProjectWithOnlyAnRoiModelRanksImagesByTheirProposedRois() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("roi"))) {
			List<Long> open = TrainerTest.labelCoins(b);
			b.retrain(TrainOptions.defaults().withTasks(List.of(Task.ROI)), Progress.NONE);
			assertTrue(b.activeModel(Task.IMAGE).isEmpty());
			NextChoice c = b.nextItem("entropy", NextOptions.DEFAULT).orElseThrow();
			assertEquals("coins.png", c.image().name(), "the one image with proposals left, though some of its ROIs are labelled");
			assertTrue(c.reason().matches("max ROI entropy \\d\\.\\d+ over " + open.size() + " ROIs — rank 1 of 1 images"), c.reason());
			assertEquals("entropy of ROIs (max)", c.used());
			NextChoice sum = b.nextItems("hybrid", 1, NextOptions.DEFAULT.withAggregation(org.labelloop.core.al.ImageScores.Aggregation.SUM).withCurrent(c.image().id()))
					.choices().get(0);
			assertEquals(c.image(), sum.image(), "moving on from the only image left hands it out again");
			assertTrue(sum.reason().startsWith("sum ROI margin ") && sum.message().contains("hybrid ranks images by their ROIs' margin"), sum.toString());
		}
	}
}
