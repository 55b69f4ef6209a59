package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Target;

class ModelStoreTest extends StoreTest {

	@TempDir
	Path dir;

	@Test
	void aRunBecomesActiveOnlyWhenFinishedAndCanBeRolledBack() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long img = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			long a = s.addClass(SqlProjectStoreTest.cls("a"), "u").id(), b = s.addClass(SqlProjectStoreTest.cls("b"), "u").id();
			ModelVersion v1 = s.startModel(Task.IMAGE, "u", "features-v1", "logistic", List.of(a, b), 10);
			assertEquals("v1", v1.name());
			assertTrue(s.activeModel(Task.IMAGE).isEmpty(), "not usable while training");
			Prediction p = new Prediction(v1.id(), Target.image(img), Map.of(a, 0.25, b, 0.75), false);
			s.finishModel(v1.id(), Map.of("accuracy", 0.9), List.of(p), "u", List.of());
			assertEquals(v1.id(), s.activeModel(Task.IMAGE).orElseThrow().id());
			assertEquals(List.of(p), s.predictions(v1.id()));
			assertEquals(b, s.prediction(v1.id(), Target.image(img)).orElseThrow().predictedClass());

			ModelVersion v2 = s.startModel(Task.IMAGE, "u", "features-v1", "logistic", List.of(a, b), 20);
			assertEquals(v1.id(), s.activeModel(Task.IMAGE).orElseThrow().id(), "the previous version stays usable");
			s.abandonModel(v2.id(), ModelVersion.State.CANCELLED, "cancelled by u");
			assertEquals(v1.id(), s.activeModel(Task.IMAGE).orElseThrow().id());
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> s.activate(v2.id(), "u"));
			assertTrue(e.getMessage().contains("cancelled"), e.getMessage());

			ModelVersion v3 = s.startModel(Task.IMAGE, "u", "features-v1", "logistic", List.of(a, b), 30);
			s.finishModel(v3.id(), Map.of("accuracy", 0.95), List.of(), "u", List.of());
			assertEquals("v3", s.activeModel(Task.IMAGE).orElseThrow().name());
			s.activate(v1.id(), "u");
			assertEquals("v1", s.activeModel(Task.IMAGE).orElseThrow().name(), "rolled back");
			assertEquals(List.of("ready", "cancelled", "ready"), s.models().stream().map(m -> m.state().key()).toList());
			assertEquals(0.95, s.models().get(2).metrics().get("accuracy"));
		}
	}

	@Test
	void aFinishWhoseEditsConflictKeepsNothing() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long img = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			ModelVersion v1 = s.startModel(Task.ROI, "u", "f", "c", List.of(), 0);
			Prediction p = new Prediction(v1.id(), Target.image(img), Map.of(), false);
			assertThrows(LabelLoopException.class, () -> s.finishModel(v1.id(), Map.of(), List.of(p), "model",
					List.of(new Edit.Update(1234, 1, SqlProjectStoreTest.box(1, null)))));
			assertThrows(LabelLoopException.class, () -> s.finishModel(v1.id(), Map.of(), List.of(p), "model",
					List.of(new Edit.Create(img, SqlProjectStoreTest.box(1, 99L)))));
			assertTrue(s.predictions(v1.id()).isEmpty());
			assertTrue(s.activeModel(Task.ROI).isEmpty());
		}
	}

	/**
	 * A model's predictions are written in parts, and another write (a Next Image lease) goes between them instead of
	 * waiting for all of them: here the second part is held back until the lease is done. A finish that fails keeps
	 * none of the parts, and an abandoned run none either.
	 */
	@Test
	void aLeaseGoesBetweenThePartsOfAModelsPredictionsAndAFailedFinishKeepsNone() throws Exception {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long img = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			long a = s.addClass(SqlProjectStoreTest.cls("a"), "u").id();
			ModelVersion v1 = s.startModel(Task.IMAGE, "u", "features-v1", "logistic", List.of(a), 10);
			int part = SqlProjectStore.PREDICTIONS_PER_TRANSACTION, n = 2 * part + 10;
			java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1), leased = new java.util.concurrent.CountDownLatch(1);
			List<Prediction> predictions = new java.util.AbstractList<>() {
				@Override
				public Prediction get(int i) {
					if (i == part) { // the first of the second part: wait here until the lease is written
						reached.countDown();
						try {
							assertTrue(leased.await(30, java.util.concurrent.TimeUnit.SECONDS), "the lease was not written meanwhile");
						} catch (InterruptedException e) {
							Thread.currentThread().interrupt();
						}
					}
					return new Prediction(v1.id(), Target.image(1000 + i), Map.of(a, 1.0), false);
				}

				@Override
				public int size() {
					return n;
				}
			};
			java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
			try {
				java.util.concurrent.Future<ModelVersion> finish = ex.submit(() -> s.finishModel(v1.id(), Map.of(), predictions, "u", List.of()));
				assertTrue(reached.await(30, java.util.concurrent.TimeUnit.SECONDS));
				assertTrue(s.tryLease(img, "bob", java.time.Duration.ofMinutes(5), "entropy", "rank 1"), "leased while the model is saved");
				leased.countDown();
				assertEquals("v1", finish.get(60, java.util.concurrent.TimeUnit.SECONDS).name());
			} finally {
				ex.shutdownNow();
			}
			assertEquals(n, s.predictions(v1.id()).size());
			assertEquals(v1.id(), s.activeModel(Task.IMAGE).orElseThrow().id());

			// a second run whose finish fails at the end (an edit of an annotation that is not there): no part is kept
			ModelVersion v2 = s.startModel(Task.IMAGE, "u", "features-v1", "logistic", List.of(a), 10);
			List<Prediction> many = new ArrayList<>();
			for (int i = 0; i < part + 5; i++) many.add(new Prediction(v2.id(), Target.image(1000 + i), Map.of(a, 1.0), false));
			assertThrows(LabelLoopException.class, () -> s.finishModel(v2.id(), Map.of(), many, "model",
					List.of(new Edit.Update(1234, 1, SqlProjectStoreTest.box(1, null)))));
			assertTrue(s.predictions(v2.id()).isEmpty());
			assertEquals(v1.id(), s.activeModel(Task.IMAGE).orElseThrow().id());
			// finishing a ready version again is refused, and its predictions stay
			assertThrows(LabelLoopException.class, () -> s.finishModel(v1.id(), Map.of(), many.subList(0, 1), "u", List.of()));
			assertEquals(n, s.predictions(v1.id()).size());
			s.abandonModel(v2.id(), ModelVersion.State.FAILED, "failed");
			assertEquals(List.of("ready", "failed"), s.models().stream().map(m -> m.state().key()).toList());
			assertEquals(n, s.predictions(v1.id()).size(), "abandoning v2 leaves v1's predictions");
		}
	}

	@Test
	void embeddingsAreCachedPerContentStamp() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			Target t = Target.image(1);
			float[] v = { 1.5f, -2f, 0f };
			s.putEmbeddings("features-v1", Map.of(t, v), Map.of(t, "sha:abc"));
			assertArrayEquals(v, s.embedding("features-v1", t, "sha:abc").orElseThrow());
			assertTrue(s.embedding("features-v1", t, "sha:changed").isEmpty());
			assertTrue(s.embedding("other", t, "sha:abc").isEmpty());
		}
	}
}
