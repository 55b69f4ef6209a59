package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.UnavailableException;

/** What only a store on PostgreSQL does: several stores (as several server processes) on one database, moving, bad addresses. */
class PostgresOnlyTest {
	@TempDir
	Path dir;

	@Test
	void twoStoresOnOneDatabaseNeverLeaseOneImageTwiceNorLoseAWrite() throws Exception {
		Database db = PostgresCluster.get().newDatabase();
		List<Long> images = new ArrayList<>();
		long cls;
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p", db)) {
			for (int i = 0; i < 20; i++) images.add(s.addImage(SqlProjectStoreTest.image("i" + i + ".png")).id());
			cls = s.addClass(new LabelClass(0, "cell", "#ff0000", "", 0), "a").id();
		}
		// two servers of one project: two stores, two pools, one database
		try (SqlProjectStore one = SqlProjectStore.open(dir.resolve("p"), db); SqlProjectStore two = SqlProjectStore.open(dir.resolve("p"), db)) {
			Map<Long, String> holder = new ConcurrentHashMap<>();
			AtomicInteger doubles = new AtomicInteger(), acknowledged = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(8);
			List<Future<?>> jobs = new ArrayList<>();
			for (int u = 0; u < 8; u++) {
				String user = "u" + u;
				SqlProjectStore s = u % 2 == 0 ? one : two;
				jobs.add(pool.submit(() -> {
					for (long im : images)
						if (s.tryLease(im, user, Duration.ofMinutes(5), null, null) && holder.putIfAbsent(im, user) != null) doubles.incrementAndGet();
					for (int k = 0; k < 5; k++) {
						s.apply(user, "draw", List.of(new Edit.Create(images.get(k), SqlProjectStoreTest.box(k, cls))));
						acknowledged.incrementAndGet();
					}
					return null;
				}));
			}
			for (Future<?> f : jobs) f.get();
			pool.shutdown();
			assertEquals(0, doubles.get(), "no image leased to two labellers");
			assertEquals(20, holder.size(), "every image leased once");
			assertEquals(40, acknowledged.get());
			assertEquals(40, one.allAnnotations().size(), "every acknowledged write is there, seen from either store");
			assertEquals(40, two.allAnnotations().size());
		}
	}

	/** A client polling "changes since N" through one server sees every change set written through either. */
	@Test
	void aReaderOfChangesSinceNeverStepsPastAChangeSetThatCommitsLate() throws Exception {
		Database db = PostgresCluster.get().newDatabase();
		try (SqlProjectStore one = SqlProjectStore.create(dir.resolve("p"), "p", db); SqlProjectStore two = SqlProjectStore.open(dir.resolve("p"), db)) {
			long im = one.addImage(SqlProjectStoreTest.image("a.png")).id();
			ExecutorService pool = Executors.newFixedThreadPool(6);
			List<Future<?>> writers = new ArrayList<>();
			for (int w = 0; w < 6; w++) {
				SqlProjectStore s = w % 2 == 0 ? one : two;
				String user = "w" + w;
				writers.add(pool.submit(() -> {
					for (int k = 0; k < 40; k++) s.apply(user, "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(k, null))));
					return null;
				}));
			}
			java.util.Set<Long> seen = new java.util.HashSet<>();
			long cursor = 0;
			while (writers.stream().anyMatch(f -> !f.isDone()) || seen.size() < 240) {
				for (var r : one.revisionsSince(cursor, 1000)) {
					seen.add(r.annotationId());
					cursor = Math.max(cursor, r.changeSetId());
				}
				if (writers.stream().allMatch(Future::isDone) && one.revisionsSince(cursor, 1).isEmpty()) break;
			}
			for (Future<?> f : writers) f.get();
			pool.shutdown();
			assertEquals(240, seen.size(), "every change set was seen by the reader that moved its cursor as it read");
		}
	}

	/** The image list and annotations one store keeps between reads follow what another store (another server) writes. */
	@Test
	void theKeptImagesAndAnnotationsFollowTheOtherStoresWrites() {
		Database db = PostgresCluster.get().newDatabase();
		try (SqlProjectStore one = SqlProjectStore.create(dir.resolve("p"), "p", db); SqlProjectStore two = SqlProjectStore.open(dir.resolve("p"), db)) {
			long a = one.addImage(SqlProjectStoreTest.image("a.png")).id();
			assertEquals(1, one.images().size());
			assertEquals(one.images(), one.images(), "kept");
			two.addImage(SqlProjectStoreTest.image("b.png"));
			assertEquals(2, one.images().size(), "an image added through the other store");
			two.relinkImage(a, "moved/a.png", "cd".repeat(32), "ann");
			assertEquals("moved/a.png", one.image(a).orElseThrow().path());
			assertEquals("moved/a.png", one.images().get(0).path(), "a relink through the other store");
			assertTrue(one.imageMetadata().isEmpty());
			two.setImageMetadata(Map.of(a, Map.of("modality", "CT")));
			assertEquals(Map.of("modality", "CT"), one.imageMetadata().get(a), "metadata set through the other store");

			assertTrue(one.allAnnotations().isEmpty());
			two.apply("ann", "draw", List.of(new Edit.Create(a, SqlProjectStoreTest.box(1, null))));
			assertEquals(1, one.allAnnotations().size(), "a label drawn through the other store");
			assertEquals(one.allAnnotations(), one.allAnnotations(), "kept");
			two.undo("ann");
			assertTrue(one.allAnnotations().isEmpty(), "and undone there");
		}
	}

	@Test
	void aStaleWriteFromTheOtherStoreIsAConflict() {
		Database db = PostgresCluster.get().newDatabase();
		try (SqlProjectStore one = SqlProjectStore.create(dir.resolve("p"), "p", db); SqlProjectStore two = SqlProjectStore.open(dir.resolve("p"), db)) {
			long im = one.addImage(SqlProjectStoreTest.image("a.png")).id();
			one.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(1, null))));
			Annotation seen = two.annotations(im).get(0);
			one.apply("a", "move", List.of(new Edit.Update(seen.id(), seen.revision(), SqlProjectStoreTest.box(2, null))));
			assertThrows(ConflictException.class, () -> two.apply("b", "move", List.of(new Edit.Update(seen.id(), seen.revision(), SqlProjectStoreTest.box(3, null)))));
			assertEquals(2, one.annotation(seen.id()).orElseThrow().revision());
		}
	}

	@Test
	void movingToPostgresAndBackKeepsEveryRow() throws Exception {
		Path p = dir.resolve("p");
		long im;
		try (SqlProjectStore s = SqlProjectStore.create(p, "moving")) {
			im = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(1, null))));
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(5, null))));
			s.undo("a");
			s.putEmbeddings("e", Map.of(new org.labelloop.core.model.Target("image", im), new float[] { 1.5f, -2 }), Map.of(new org.labelloop.core.model.Target("image", im), "s"));
		}
		Map<String, String> before;
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			before = StoreMigration.digests(s);
		}
		Map<String, Long> there = StoreMigration.toPostgres(p, PostgresCluster.get().newDatabase());
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertEquals(before, StoreMigration.digests(s), "every row of every table, value for value");
		}
		assertTrue(Files.exists(p.resolve("labelloop.db.moved")), "the SQLite file is kept, moved aside");
		assertEquals(2L, there.get("annotations"));
		assertEquals(3L, there.get("changesets"), "two edits and the undo");
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertTrue(s.database().isPresent());
			assertEquals("moving", s.name());
			assertEquals(1, s.annotations(im).size(), "the undone box stays undone");
			assertTrue(s.redo("a").isPresent(), "the undo history came along");
			assertEquals(2, s.annotations(im).size());
			long next = s.addImage(SqlProjectStoreTest.image("b.png")).id();
			assertEquals(im + 1, next, "new ids go on after the copied ones");
		}
		Map<String, Long> back = StoreMigration.toSqlite(p);
		assertEquals(there.get("annotation_revisions") + 1, back.get("annotation_revisions"), "the redo's revisions came back too");
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertFalse(s.database().isPresent());
			assertEquals(List.of("a.png", "b.png"), s.images().stream().map(i -> i.path()).toList());
			assertEquals(2, s.annotations(im).size());
			assertEquals(1.5f, s.embedding("e", new org.labelloop.core.model.Target("image", im), "s").orElseThrow()[0]);
		}
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> StoreMigration.toSqlite(p));
		assertTrue(e.getMessage().contains("already in its folder"), e.getMessage());
		StoreMigration.toPostgres(p, PostgresCluster.get().newDatabase());
		try (var copies = Files.list(p)) {
			assertEquals(2, copies.filter(f -> f.getFileName().toString().startsWith("labelloop.db.moved")).count(), "the first move's copy is kept beside the second's");
		}
	}

	/** A move that fails halfway (here the database refuses the revisions table's rows) writes nothing, and can be run again. */
	@Test
	void aMoveThatFailsHalfwayLeavesTheProjectWhereItWasAndCanBeRunAgain() throws Exception {
		Path p = dir.resolve("p");
		try (SqlProjectStore s = SqlProjectStore.create(p, "half")) {
			long im = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(1, null))));
		}
		Database db = PostgresCluster.get().newDatabase();
		SqlProjectStore.empty(dir, db).close(); // the schema, as a first attempt leaves it
		try (Connection c = PostgresCluster.get().connect(db.name()); Statement st = c.createStatement()) {
			st.execute("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$ LANGUAGE plpgsql");
			st.execute("CREATE TRIGGER refuse BEFORE INSERT ON annotation_revisions FOR EACH ROW EXECUTE FUNCTION refuse()");
		}
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> StoreMigration.toPostgres(p, db));
		assertTrue(e.getMessage().contains("disk trouble"), e.getMessage());
		assertTrue(Files.exists(p.resolve(SqlProjectStore.DB_FILE)) && !Files.exists(p.resolve(Database.POINTER)), "the folder still opens its SQLite file");
		try (Connection c = PostgresCluster.get().connect(db.name()); Statement st = c.createStatement();
				var rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM images) + (SELECT COUNT(*) FROM settings) + (SELECT COUNT(*) FROM changesets)")) {
			rs.next();
			assertEquals(0, rs.getLong(1), "nothing of the move was written");
			st.execute("DROP TRIGGER refuse ON annotation_revisions");
		}
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertEquals(1, s.allAnnotations().size());
		}
		assertEquals(1L, StoreMigration.toPostgres(p, db).get("annotations"), "the second attempt moves it");
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertTrue(s.database().isPresent());
			assertEquals("half", s.name());
		}
	}

	@Test
	void aDatabaseThatHoldsAProjectIsNotOverwritten() {
		Database db = PostgresCluster.get().newDatabase();
		SqlProjectStore.create(dir.resolve("first"), "first", db).close();
		SqlProjectStore.create(dir.resolve("second"), "second").close();
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> StoreMigration.toPostgres(dir.resolve("second"), db));
		assertTrue(e.getMessage().contains("already holds a LabelLoop project"), e.getMessage());
		assertTrue(Files.exists(dir.resolve("second/labelloop.db")), "the source is left as it was");
		try (SqlProjectStore s = SqlProjectStore.open(dir.resolve("first"))) {
			assertEquals("first", s.name());
		}
	}

	@Test
	void aSchemaFromANewerLabelLoopIsRefused() throws Exception {
		Database db = PostgresCluster.get().newDatabase();
		SqlProjectStore.create(dir.resolve("p"), "p", db).close();
		try (Connection c = PostgresCluster.raw(dir.resolve("p")); Statement st = c.createStatement()) {
			st.execute("INSERT INTO labelloop_schema(version) VALUES (999)");
		}
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(dir.resolve("p")));
		assertTrue(e.getMessage().contains("newer LabelLoop") && e.getMessage().contains("999"), e.getMessage());
	}

	@Test
	void badAddressesPasswordsAndDatabasesGetClearMessages() throws Exception {
		org.labelloop.bench.LocalPostgres pg = PostgresCluster.get();
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> Database.parse("postgresql://me:secret@localhost/db"));
		assertTrue(e.getMessage().contains("password in it") && !e.getMessage().contains("secret"), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> Database.parse("mysql://localhost/db"));
		assertTrue(e.getMessage().contains("neither"), e.getMessage());
		assertEquals(new Database("h", 5433, "lab", "ann"), Database.parse("jdbc:postgresql://ann@h:5433/lab"));

		e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.create(dir.resolve("x"), "x", new Database("127.0.0.1", pg.port(), "nosuchdb", PostgresCluster.USER)));
		assertTrue(e.getMessage().contains("nosuchdb") && e.getMessage().contains("createdb"), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.create(dir.resolve("y"), "y", new Database("127.0.0.1", pg.port(), "postgres", "intruder")));
		assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
		int closed;
		try (var s = new java.net.ServerSocket(0)) {
			closed = s.getLocalPort();
		}
		int port = closed;
		e = assertThrows(UnavailableException.class, () -> SqlProjectStore.create(dir.resolve("z"), "z", new Database("127.0.0.1", port, "lab", "u")));
		assertTrue(e.getMessage().contains("cannot be reached") && e.getMessage().contains("Nothing of it was written"), e.getMessage());
		assertFalse(Files.exists(dir.resolve("z/" + Database.POINTER)), "no pointer to a database that was never reached");

		Path pw = dir.resolve("pw");
		Files.writeString(pw, "s3cret\n");
		Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
		e = assertThrows(LabelLoopException.class, () -> Database.password(Map.of(Database.PASSWORD_FILE, pw.toString())));
		assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
		Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
		assertEquals("s3cret", Database.password(Map.of(Database.PASSWORD_FILE, pw.toString(), Database.PASSWORD, "other")), "the file wins");
		assertEquals("env", Database.password(Map.of(Database.PASSWORD, "env")));
	}

	@Test
	void whileTheDatabaseIsDownWritesFailRetryablyAndNothingAcknowledgedIsLost() throws Exception {
		org.labelloop.bench.LocalPostgres pg = PostgresCluster.get();
		Database db = pg.newDatabase();
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p", db)) {
			long im = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(1, null))));
			pg.stopServer();
			try {
				UnavailableException e = assertThrows(UnavailableException.class,
						() -> s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(2, null)))));
				assertTrue(e.getMessage().contains("try again"), e.getMessage());
			} finally {
				pg.startServer();
			}
			// the same store finds the database again by itself; a client retries as 503's Retry-After tells it to (the
			// pool's own attempts back off while the database is down, up to 5 s apart)
			long until = System.nanoTime() + 20_000_000_000L;
			while (true) {
				try {
					s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(3, null))));
					break;
				} catch (UnavailableException again) {
					if (System.nanoTime() > until) throw again;
					Thread.sleep(2000);
				}
			}
			assertEquals(2, s.annotations(im).size(), "the acknowledged write and the one after the restart; not the refused one");
		}
	}

	/**
	 * The database crashes (immediate stop, no checkpoint) and comes back while four writers write as fast as they can:
	 * every write either is acknowledged, fails as retryable ({@link UnavailableException}), or is reported "in doubt";
	 * after the restart every acknowledged write is there, no refused one is, and nothing is written twice.
	 */
	@Test
	void aDatabaseCrashDuringWritesLosesNothingAcknowledged() throws Exception {
		org.labelloop.bench.LocalPostgres pg = PostgresCluster.get();
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p", pg.newDatabase())) {
			long im = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			java.util.Set<Integer> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet(), refused = java.util.concurrent.ConcurrentHashMap.newKeySet(),
					inDoubt = java.util.concurrent.ConcurrentHashMap.newKeySet();
			List<Throwable> unexpected = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
			java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
			java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
			List<Thread> writers = new java.util.ArrayList<>();
			for (int t = 0; t < 4; t++) writers.add(new Thread(() -> {
				while (!stop.get()) {
					int n = next.incrementAndGet();
					try {
						s.apply("w", "draw " + n, List.of(new Edit.Create(im, SqlProjectStoreTest.box(n, null))));
						acknowledged.add(n);
					} catch (UnavailableException e) {
						(e.getMessage().contains("may have been saved or not") ? inDoubt : refused).add(n);
						if (!e.getMessage().contains("may have been saved or not") && !e.getMessage().contains("try again")) unexpected.add(e);
						try {
							Thread.sleep(50);
						} catch (InterruptedException x) {
							return;
						}
					} catch (Throwable e) {
						unexpected.add(e);
					}
				}
			}, "writer-" + t));
			writers.forEach(Thread::start);
			Thread.sleep(1000);
			int before = acknowledged.size();
			pg.stopServer();
			Thread.sleep(5000); // longer than the pool waits for a connection (3 s): writes are refused meanwhile
			pg.startServer();
			long until = System.nanoTime() + 30_000_000_000L;
			int atRestart = acknowledged.size();
			while (acknowledged.size() < atRestart + 20 && System.nanoTime() < until) Thread.sleep(100);
			stop.set(true);
			for (Thread t : writers) t.join(30_000);

			assertEquals(List.of(), unexpected, "every failure is a clear, retryable one");
			assertTrue(before > 0 && !refused.isEmpty(), "writes went on before the crash and failed while it lasted: " + before + " acknowledged before, " + refused.size() + " refused, "
					+ inDoubt.size() + " in doubt, " + acknowledged.size() + " acknowledged in all");
			assertTrue(acknowledged.size() >= atRestart + 20, "writes are acknowledged again once the database is back");
			List<Integer> stored = s.annotations(im).stream().map(a -> (int) a.data().geometry().x()[0]).sorted().toList();
			assertEquals(stored.size(), new java.util.HashSet<>(stored).size(), "nothing written twice");
			assertTrue(stored.containsAll(acknowledged), "every acknowledged write survived the crash");
			assertTrue(stored.stream().noneMatch(refused::contains), "no refused write was saved");
			assertTrue(stored.stream().allMatch(n -> acknowledged.contains(n) || inDoubt.contains(n)), "nothing else was saved");
		}
	}

	/** A refused write (a stale revision) hands its connection back: more refusals than the pool holds, then a write that works. */
	@Test
	void refusedWritesGiveTheirConnectionsBack() throws Exception {
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p", PostgresCluster.get().newDatabase())) {
			long im = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(1, null))));
			var a = s.annotations(im).get(0);
			s.apply("a", "move", List.of(new Edit.Update(a.id(), a.revision(), SqlProjectStoreTest.box(2, null))));
			for (int i = 0; i < 20; i++)
				assertThrows(org.labelloop.core.model.ConflictException.class,
						() -> s.apply("b", "stale", List.of(new Edit.Update(a.id(), a.revision(), SqlProjectStoreTest.box(3, null)))));
			s.apply("a", "draw", List.of(new Edit.Create(im, SqlProjectStoreTest.box(4, null))));
			assertEquals(2, s.annotations(im).size());
		}
	}
}
