package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.bench.ServerProcess;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.cli.Main;
import org.labelloop.backend.Changes;
import org.labelloop.backend.ItemFilter;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.Similar;
import org.labelloop.backend.TrainOptions;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Task;
import org.labelloop.backend.NextOptions;
import org.labelloop.core.store.Database;
import org.labelloop.core.store.PostgresCluster;

import picocli.CommandLine;

/** Lab servers on a project whose store is on PostgreSQL: moved there by the command, two server processes at once, the database down. */
class PostgresServerTest {
	@TempDir
	Path dir;

	@Test
	void twoServerProcessesOnOneDatabaseShareLeasesAndSay503WhileItIsDown() throws Exception {
		org.labelloop.bench.LocalPostgres pg = PostgresCluster.get();
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		Database db = pg.newDatabase();
		StringWriter out = new StringWriter();
		int rc = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("migrate", "-p", lab.folder().toString(), "--to", db.toString());
		assertEquals(0, rc, out.toString());
		assertTrue(out.toString().contains("images") && out.toString().matches("(?s).*images\\s+11\\b.*"), out.toString());
		assertTrue(Files.exists(lab.folder().resolve(Database.POINTER)));

		// two server processes: one here, named the database explicitly (serve --db); one in a JVM of its own, finding it
		// through the folder's pointer
		try (LabServer one = LabServer.start(lab.folder(), db, LabServer.Config.loopback(0)); ServerProcess two = ServerProcess.start(lab.folder(), 0, ServerProcess.LEAN)) {
			List<RemoteBackend> clients = new ArrayList<>();
			for (String u : List.of("alice", "bob", "rita", "sam"))
				clients.add(RemoteBackend.connect(clients.size() % 2 == 0 ? one.url() : two.url(), u, lab.token(u), dir.resolve("cache-" + u), Duration.ofSeconds(10)));
			try {
				// each labeller asks their own server for images to label: nobody is handed an image another holds
				Set<Long> handedOut = new HashSet<>();
				for (RemoteBackend c : clients)
					for (NextChoice n : c.nextItems("random", 2, NextOptions.DEFAULT).choices())
						assertTrue(handedOut.add(n.image().id()), c.user() + " was handed image " + n.image().id() + ", already leased to another");
				assertEquals(8, handedOut.size());

				// sam retrains through the second server; alice's Similar Items on the first answer from that version,
				// each server searching its own copy of the index (Lucene lets one process write a folder)
				RemoteBackend sam = clients.get(3), alice = clients.get(0), bob = clients.get(1);
				long top = sam.classes().stream().filter(c -> c.name().equals("top")).findFirst().orElseThrow().id();
				long foot = sam.classes().stream().filter(c -> c.name().equals("footwear")).findFirst().orElseThrow().id();
				long since = alice.changes(Changes.LATEST).latest();
				sam.apply("label", LabFixture.FASHION.stream().map(n -> (Edit) new Edit.Create(sam.images().stream().filter(i -> i.name().equals(n)).findFirst().orElseThrow().id(),
						AnnotationData.human(null, n.contains("ankle") || n.contains("sandal") || n.contains("sneaker") ? foot : top, "sam"))).toList());
				// live updates: what sam wrote through the second server reaches alice's polling of the first, in order
				Changes seen = alice.changes(since);
				assertEquals(LabFixture.FASHION.size(), seen.revisions().size(), "every label sam wrote through the other server");
				assertTrue(seen.revisions().stream().allMatch(r -> "sam".equals(r.author()) && r.changeSetId() > since));
				assertEquals(seen.latest(), bob.changes(Changes.LATEST).latest(), "both servers stand at the same change set");

				// a stale write is refused across servers: alice (first) and bob (second) edit one label from the same revision
				AnnotationRevision first = seen.revisions().get(0);
				Annotation a = bob.annotation(first.annotationId()).orElseThrow();
				alice.apply("reclassify", List.of(new Edit.Update(a.id(), a.revision(), a.data().withClass(foot))));
				ConflictException c = assertThrows(ConflictException.class,
						() -> bob.apply("stale", List.of(new Edit.Update(a.id(), a.revision(), a.data().withClass(top)))));
				assertEquals("alice", c.current().author());
				assertEquals(foot, c.current().data().classId());
				alice.apply("back", List.of(new Edit.Update(a.id(), a.revision() + 1, a.data())));

				ModelVersion v = sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE).model(Task.IMAGE).orElseThrow();
				String boot = Similar.item("image", alice.images().stream().filter(i -> i.name().equals("0000_ankle_boot.png")).findFirst().orElseThrow().id());
				Similar.Query q = Similar.Query.nearest(boot, 3, ItemFilter.ALL);
				Similar.Result onOne = alice.similar(q), onTwo = sam.similar(q);
				assertEquals(v.name(), onOne.modelVersion());
				assertEquals(onTwo.items().stream().map(Similar.Item::item).toList(), onOne.items().stream().map(Similar.Item::item).toList());
				assertEquals(3, onOne.items().size());

				HttpClient http = HttpClient.newHttpClient();
				pg.stopServer();
				try {
					HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(two.url() + "/api/project")).header("Authorization", "Bearer " + lab.token("bob")).build(),
							HttpResponse.BodyHandlers.ofString());
					assertEquals(503, r.statusCode(), r.body());
					assertTrue(r.body().contains("cannot be reached"), r.body());
					assertEquals("2", r.headers().firstValue("Retry-After").orElse(""));
				} finally {
					pg.startServer();
				}
				long until = System.nanoTime() + 20_000_000_000L; // a client retries after Retry-After while the pool reconnects
				while (true) {
					HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(two.url() + "/api/project")).header("Authorization", "Bearer " + lab.token("bob")).build(),
							HttpResponse.BodyHandlers.ofString());
					if (r.statusCode() == 200 || System.nanoTime() > until) {
						assertEquals(200, r.statusCode(), r.body());
						break;
					}
					Thread.sleep(2000);
				}
				assertEquals(11, clients.get(1).images().size(), "the server works again once the database is back");
			} finally {
				clients.forEach(RemoteBackend::close);
			}
		}
	}
}
