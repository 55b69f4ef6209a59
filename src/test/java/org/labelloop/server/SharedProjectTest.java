package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.backend.Backend;
import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.ProjectEngine;
import org.labelloop.backend.Similar;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

/**
 * Share Project: the Fiji user works on the project's engine in-process while server users reach the same engine over
 * HTTP. Similar Items, Retrain and the map work for both, whichever goes first, and the project stays open for the
 * Fiji user when sharing stops.
 */
class SharedProjectTest {

	@TempDir
	Path dir;

	private static final TrainOptions IMAGE = TrainOptions.defaults().withTasks(List.of(Task.IMAGE));

	private static List<String> ids(Similar.Result r) {
		return r.items().stream().map(Similar.Item::item).toList();
	}

	@Test
	void theFijiUserAndAServerUserShareOneIndexInEitherOrder() throws Exception {
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		try (ProjectEngine engine = ProjectEngine.open(lab.folder())) {
			LocalBackend fiji = engine.as("alice");
			assertSame(fiji, engine.as("alice"), "one view per user, so their leases stay theirs");
			long top = BackendBehaviour.cls(fiji, "top"), foot = BackendBehaviour.cls(fiji, "footwear");
			fiji.apply("label", LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(BackendBehaviour.image(fiji, n).id(),
					AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "alice"))).toList());
			String boot = Similar.item("image", BackendBehaviour.image(fiji, "0000_ankle_boot.png").id());
			Similar.Query query = Similar.Query.nearest(boot, 3, ItemFilter.ALL);

			try (LabServer server = LabServer.share(engine, LabServer.Config.loopback(0));
					RemoteBackend sam = RemoteBackend.connect(server.url(), "sam", lab.token("sam"), dir.resolve("cache"), Duration.ofSeconds(60))) {
				// the server user first: retrain over HTTP, then both search and map
				String v1 = sam.retrain(IMAGE, Progress.NONE).model(Task.IMAGE).orElseThrow().name();
				assertEquals(ids(sam.similar(query)), ids(fiji.similar(query)));
				assertEquals(v1, fiji.similar(query).modelVersion());
				assertEquals(fiji.images().size(), fiji.map(Task.IMAGE, Progress.NONE).points().size());
				assertEquals(fiji.images().size(), sam.map(Task.IMAGE, Progress.NONE).points().size());

				// the Fiji user next: retrain in-process, then the server user searches the new version
				String v2 = fiji.retrain(IMAGE, Progress.NONE).model(Task.IMAGE).orElseThrow().name();
				assertFalse(v1.equals(v2));
				assertEquals(v2, sam.similar(query).modelVersion());
				assertEquals(ids(fiji.similar(query)), ids(sam.similar(query)));
				assertEquals(v2, sam.map(Task.IMAGE, Progress.NONE).modelVersion());
			}
			// sharing stopped: the Fiji user's project is still open
			assertEquals(3, fiji.similar(query).items().size());
		}
	}

	@Test
	void oneRetrainAtATimeAndAClosedEngineSaysSo() throws Exception {
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		ProjectEngine engine = ProjectEngine.open(lab.folder());
		Backend alice = engine.as("alice"), sam = engine.as("sam");
		long top = BackendBehaviour.cls(alice, "top"), foot = BackendBehaviour.cls(alice, "footwear");
		alice.apply("label", LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(BackendBehaviour.image(alice, n).id(),
				AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "alice"))).toList());
		java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1), release = new java.util.concurrent.CountDownLatch(1);
		Thread first = new Thread(() -> alice.retrain(IMAGE, new Progress() {
			@Override
			public void report(double fraction, String message) {
				started.countDown();
				try {
					release.await();
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}

			@Override
			public boolean isCancelled() {
				return false;
			}
		}));
		first.start();
		assertTrue(started.await(60, java.util.concurrent.TimeUnit.SECONDS));
		LabelLoopException busy = assertThrows(LabelLoopException.class, () -> sam.retrain(IMAGE, Progress.NONE));
		assertTrue(busy.getMessage().contains("alice"), busy.getMessage());
		release.countDown();
		first.join(120_000);
		assertTrue(sam.retrain(IMAGE, Progress.NONE).model(Task.IMAGE).isPresent(), "free again once the first one finished");
		engine.close();
		LabelLoopException closed = assertThrows(LabelLoopException.class, () -> engine.as("bob"));
		assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
	}
}
