package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.backend.SimilarItemsTest.img;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Task;

/**
 * Labelling goes on while a Retrain runs: Next Image and Similar Items answer from the previous model version until
 * the new one is ready, then from the new one (issue 17's "done when").
 */
class RetrainWhileWorkingTest {

	@TempDir
	Path dir;

	@Test
	void nextImageAndSimilarItemsAnswerFromThePreviousVersionWhileARetrainRuns() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try (LocalBackend b = SimilarItemsTest.trained(dir.resolve("p"))) {
			ModelVersion v1 = b.activeModel(Task.IMAGE).orElseThrow();
			String boot = img(b, "0000_ankle_boot.png");
			NextChoice.Batch before = b.nextItems("entropy", 1, NextOptions.DEFAULT);
			b.releaseItems();
			// a new label, so the retrain has something new to learn
			long cell = TrainerTest.image(b, "cell.png").id(), chosen = before.choices().get(0).image().id();
			long other = chosen == cell ? TrainerTest.image(b, "ihc.png").id() : cell;
			b.apply("label", List.of(new Edit.Create(other, AnnotationData.human(null, TrainerTest.cls(b, "other"), "alice"))));

			// the retrain is held twice: at its first progress report (training), and when the new version's vector
			// index is being built (its last step before the version becomes active)
			List<String> holds = List.of("", "Indexing the embeddings of ");
			List<CountDownLatch> inside = List.of(new CountDownLatch(1), new CountDownLatch(1)), release = List.of(new CountDownLatch(1), new CountDownLatch(1));
			Progress held = new Progress() {
				int next;

				@Override
				public void report(double fraction, String message) {
					if (next >= holds.size() || !message.startsWith(holds.get(next))) return;
					int at = next++;
					inside.get(at).countDown();
					try {
						if (!release.get(at).await(60, TimeUnit.SECONDS)) throw new IllegalStateException("not released");
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
				}

				@Override
				public boolean isCancelled() {
					return false;
				}
			};
			Future<TrainReport> retrain = pool.submit(() -> b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), held));
			for (int at = 0; at < holds.size(); at++) {
				assertTrue(inside.get(at).await(60, TimeUnit.SECONDS), "the retrain reached hold " + at);
				try {
					Similar.Result during = b.similar(Similar.Query.nearest(boot, 3, ItemFilter.ALL));
					assertEquals(v1.name(), during.modelVersion(), "Similar Items from the previous version, hold " + at);
					assertEquals(3, during.items().size());
					NextChoice.Batch next = b.nextItems("entropy", 1, NextOptions.DEFAULT);
					assertEquals(before.choices().get(0).image().id(), next.choices().get(0).image().id(), "Next Image ranks by the previous version");
					String score = before.choices().get(0).reason().split(" — ")[0];
					assertTrue(next.choices().get(0).reason().startsWith(score + " — "), "the same score (" + score + "), one image fewer to choose from: "
							+ next.choices().get(0).reason());
					b.releaseItems();
					assertEquals(v1.id(), b.activeModel(Task.IMAGE).orElseThrow().id(), "still the active version");
				} finally {
					release.get(at).countDown();
				}
			}
			ModelVersion v2 = retrain.get(120, TimeUnit.SECONDS).model(Task.IMAGE).orElseThrow();
			assertNotEquals(v1.id(), v2.id());
			assertEquals(v2.name(), b.similar(Similar.Query.nearest(boot, 3, ItemFilter.ALL)).modelVersion(), "then from the new version");
		} finally {
			pool.shutdownNow();
		}
	}
}
