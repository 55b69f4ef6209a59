package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.bench.ServerProcess;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;

/**
 * The server in a child JVM is killed with SIGKILL at random moments while a client streams change sets; after a
 * restart on the same port every acknowledged write is there exactly once, nothing appears that was not sent, the
 * client saw a clear error during the outage and works again with the same backend, and the project opens clean.
 *
 * <p>Cycles: {@value #DEFAULT_CYCLES} by default (each starts a JVM); {@code -Dlabelloop.serverCrashCycles=100} for the
 * full run: {@code mvn test -Dtest=ServerCrashTest -Dlabelloop.serverCrashCycles=100}.
 */
class ServerCrashTest {

	static final int DEFAULT_CYCLES = 8;

	@TempDir
	Path dir;

	@Test
	void everyAcknowledgedWriteSurvivesSigkillOfTheServer() throws Exception {
		crashAndCount(LabFixture.create(dir.resolve("lab")));
	}

	/** The same, with the project's store on PostgreSQL: the server dies, the database holds what it acknowledged. */
	@Test
	void everyAcknowledgedWriteSurvivesSigkillOfAServerOnPostgres() throws Exception {
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		org.labelloop.core.store.StoreMigration.toPostgres(lab.folder(), org.labelloop.core.store.PostgresCluster.get().newDatabase());
		crashAndCount(lab);
	}

	private void crashAndCount(LabFixture lab) throws Exception {
		int cycles = Integer.getInteger("labelloop.serverCrashCycles", DEFAULT_CYCLES);
		Random random = new Random(20261129);
		Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
		Set<Integer> uncertain = ConcurrentHashMap.newKeySet();
		AtomicInteger counter = new AtomicInteger();
		List<String> outageErrors = new ArrayList<>();
		ServerProcess server = ServerProcess.start(lab.folder(), 0, ServerProcess.LEAN);
		int port = server.port();
		RemoteBackend bob = RemoteBackend.connect(server.url(), "bob", lab.token("bob"), dir.resolve("cache"), Duration.ofSeconds(5));
		List<ImageRecord> images = bob.images();
		long cls = bob.classes().get(0).id();
		try {
			for (int cycle = 0; cycle < cycles; cycle++) {
				AtomicReference<String> stopped = new AtomicReference<>();
				Thread writer = new Thread(() -> {
					while (true) {
						int n = counter.incrementAndGet();
						ImageRecord im = images.get(n % images.size());
						try {
							bob.apply("write " + n, List.of(new Edit.Create(im.id(), AnnotationData.human(Geometry.rect(n, 1, 2, 2, Plane.ALL), cls, "bob"))));
							acknowledged.add(n);
						} catch (LabelLoopException e) {
							uncertain.add(n);
							stopped.set(e.getMessage());
							return;
						}
					}
				}, "writer");
				writer.start();
				Thread.sleep(150 + random.nextInt(500));
				server.kill();
				writer.join(30000);
				assertTrue(stopped.get() != null, "the writer saw the outage");
				outageErrors.add(stopped.get());
				server = ServerProcess.start(lab.folder(), port, ServerProcess.LEAN);
				assertEquals(images.size(), bob.images().size(), "the same client works again after the restart");
			}
			// every acknowledged write exactly once; nothing that was never sent
			List<Integer> present = new ArrayList<>();
			for (ImageRecord im : images)
				for (Annotation a : bob.annotations(im.id())) present.add((int) a.data().geometry().x(0));
			Set<Integer> distinct = new HashSet<>(present);
			assertEquals(present.size(), distinct.size(), "no write is there twice");
			assertTrue(distinct.containsAll(acknowledged), "lost: " + acknowledged.stream().filter(n -> !distinct.contains(n)).toList());
			for (int n : distinct) assertTrue(acknowledged.contains(n) || uncertain.contains(n), "write " + n + " was never sent");
			assertTrue(acknowledged.size() > cycles, "writes acknowledged: " + acknowledged.size());
			for (String e : outageErrors)
				assertTrue(e.startsWith("Cannot reach the LabelLoop server at " + server.url().replaceAll("/$", "")) && e.contains("reload to see which"), e);
		} finally {
			bob.close();
			server.close();
		}
		try (ProjectStore store = SqlProjectStore.open(lab.folder())) {
			int count = store.allAnnotations().size();
			assertEquals(store.images().stream().mapToInt(im -> store.annotations(im.id()).size()).sum(), count);
			assertTrue(count >= acknowledged.size());
			for (Annotation a : store.allAnnotations()) assertEquals(1, store.history(a.id()).size(), "one revision per created annotation");
		}
		System.out.printf("server crash test: %d cycles, %d writes acknowledged, %d in flight at a kill%n", cycles, acknowledged.size(), uncertain.size());
	}
}
