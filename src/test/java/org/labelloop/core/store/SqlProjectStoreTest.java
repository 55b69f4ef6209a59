package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Split;
import org.labelloop.core.model.Status;

class SqlProjectStoreTest extends StoreTest {

	@TempDir
	Path dir;
	Path project;

	@BeforeEach
	void setUp() {
		project = dir.resolve("proj");
	}

	static ImageRecord image(String path) {
		return new ImageRecord(0, path, "ab".repeat(32), 1234, 64, 48, 1, 1, 1, 8, Split.UNASSIGNED, "alice", Instant.now());
	}

	static LabelClass cls(String name) {
		return new LabelClass(0, name, "#ff0000", "", 0);
	}

	static AnnotationData box(double x, Long cls) {
		return AnnotationData.human(Geometry.rect(x, 2, 10, 12, new Plane(1, 3, 1)), cls, "alice");
	}

	/**
	 * Reads have connections of their own: one goes on while a transaction holds the writer (on SQLite, it waited for it
	 * before), and each read is a snapshot that ends with it, so the next read sees what another connection committed
	 * meanwhile.
	 */
	@Test
	void readsDoNotWaitBehindTheWriterAndEachSeesTheNewestCommit() throws Exception {
		try (SqlProjectStore s = create(project, "Demo")) {
			s.addImage(image("a.png"));
			java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1), release = new java.util.concurrent.CountDownLatch(1);
			java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(2);
			try {
				java.util.concurrent.Future<Object> writer = ex.submit(() -> s.tx("hold the writer", () -> {
					held.countDown();
					try {
						release.await();
					} catch (InterruptedException e) {
						Thread.currentThread().interrupt();
					}
					return null;
				}));
				assertTrue(held.await(30, java.util.concurrent.TimeUnit.SECONDS));
				java.util.concurrent.Future<List<ImageRecord>> read = ex.submit(s::images);
				List<ImageRecord> seen;
				try {
					seen = read.get(30, java.util.concurrent.TimeUnit.SECONDS);
				} finally {
					release.countDown();
				}
				assertEquals(List.of("a.png"), seen.stream().map(ImageRecord::path).toList());
				writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
			} finally {
				ex.shutdownNow();
			}
			if (!onPostgres()) for (String name : List.of("Renamed", "Renamed again")) { // another process's SQLite connection
				try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + project.resolve(SqlProjectStore.DB_FILE));
						Statement st = other.createStatement()) {
					st.executeUpdate("UPDATE settings SET value='" + name + "' WHERE key='project.name'");
				}
				assertEquals(name, s.name());
			}
		}
	}

	@Test
	void createReopenKeepsEverything() {
		long imageId, annId, cellId;
		try (SqlProjectStore s = create(project, "Demo")) {
			imageId = s.addImage(image("images/a.png")).id();
			cellId = s.addClass(cls("cell"), "alice").id();
			s.apply("alice", "label", List.of(new Edit.Create(imageId, box(1, cellId))));
			annId = s.annotations(imageId).get(0).id();
			AnnotationData model = new AnnotationData(Geometry.polygon(new double[] { 0, 5.5, 3 }, new double[] { 0, 0, 4.25 }, Plane.ALL),
					cellId, Origin.model("v1"), Status.PROPOSED, 0.82, Map.of(cellId, 0.82));
			s.apply("bob", "predict", List.of(new Edit.Create(imageId, model)));
		}
		try (SqlProjectStore s = SqlProjectStore.open(project)) {
			assertEquals("Demo", s.name());
			assertEquals(List.of("images/a.png"), s.images().stream().map(ImageRecord::path).toList());
			List<Annotation> anns = s.annotations(imageId);
			assertEquals(2, anns.size());
			Annotation a = s.annotation(annId).orElseThrow();
			assertEquals(box(1, cellId), a.data());
			assertEquals(1, a.revision());
			Annotation m = anns.get(1);
			assertEquals(Origin.model("v1"), m.data().origin());
			assertEquals(0.82, m.data().confidence());
			assertEquals(Map.of(cellId, 0.82), m.data().probabilities());
			assertEquals(new double[] { 0, 5.5, 3 }.length, m.data().geometry().size());
			assertEquals(4.25, m.data().geometry().y(2));
			assertEquals("bob", m.author());
		}
	}

	@Test
	void updatesAppendRevisionsAndStaleWritesAreRefused() {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			long c = s.addClass(cls("cell"), "alice").id();
			s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, c))));
			long id = s.annotations(img).get(0).id();
			s.apply("alice", "move", List.of(new Edit.Update(id, 1, box(5, c).withStatus(Status.CORRECTED))));
			ConflictException e = assertThrows(ConflictException.class,
					() -> s.apply("bob", "stale move", List.of(new Edit.Update(id, 1, box(9, c)))));
			assertEquals(2, e.current().revision());
			assertTrue(e.getMessage().contains("revision 2 by alice"), e.getMessage());
			// nothing of the refused change is visible
			assertEquals(box(5, c).withStatus(Status.CORRECTED), s.annotation(id).orElseThrow().data());
			List<AnnotationRevision> h = s.history(id);
			assertEquals(List.of(1L, 2L), h.stream().map(AnnotationRevision::revision).toList());
			assertEquals(box(1, c), h.get(0).data());
		}
	}

	@Test
	void aChangeSetIsAllOrNothing() {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, null))));
			long id = s.annotations(img).get(0).id();
			int before = s.changeSets(100).size();
			assertThrows(ConflictException.class, () -> s.apply("alice", "mixed", List.of(
					new Edit.Create(img, box(20, null)), new Edit.Update(id, 7, box(3, null)))));
			assertEquals(1, s.annotations(img).size());
			assertEquals(before, s.changeSets(100).size());
			assertThrows(LabelLoopException.class, () -> s.apply("alice", "bad class", List.of(new Edit.Create(img, box(1, 99L)))));
			assertThrows(LabelLoopException.class, () -> s.apply("alice", "bad image", List.of(new Edit.Create(42, box(1, null)))));
			assertEquals(1, s.annotations(img).size());
		}
	}

	@Test
	void undoRedoRestoreEarlierStatesAsNewRevisions() {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, null)), new Edit.Create(img, box(2, null))));
			List<Annotation> anns = s.annotations(img);
			long a = anns.get(0).id(), b = anns.get(1).id();
			s.apply("alice", "accept", List.of(new Edit.Update(a, 1, box(1, null).withStatus(Status.CORRECTED)), new Edit.Delete(b, 1)));
			assertEquals(1, s.annotations(img).size());

			ChangeSet u = s.undo("alice").orElseThrow();
			assertEquals("Undo accept", u.description());
			assertEquals(2, s.annotations(img).size());
			assertEquals(Status.ACCEPTED, s.annotation(a).orElseThrow().data().status());
			assertEquals(3, s.annotation(a).orElseThrow().revision());

			s.undo("alice").orElseThrow(); // undoes "draw"
			assertTrue(s.annotations(img).isEmpty());
			assertTrue(s.undo("alice").isEmpty());

			s.redo("alice").orElseThrow(); // redraw
			assertEquals(2, s.annotations(img).size());
			s.redo("alice").orElseThrow(); // re-accept
			assertEquals(1, s.annotations(img).size());
			assertEquals(Status.CORRECTED, s.annotation(a).orElseThrow().data().status());
			assertTrue(s.redo("alice").isEmpty());
			// nothing was ever erased: 1 draw, 2 accept, 3 undo, 4 undo draw, 5 redo draw, 6 redo accept
			assertEquals(6, s.history(a).size());
		}
	}

	@Test
	void theKeptAnnotationListFollowsEveryKindOfWrite() {
		// allAnnotations() keeps its list and reads only what later change sets wrote: after each random step it must
		// equal what the database says, read per image on another path (and on a store opened afresh at the end)
		java.util.Random rnd = new java.util.Random(7);
		List<Annotation> kept;
		try (SqlProjectStore s = create(project, "p")) {
			long cell = s.addClass(cls("cell"), "alice").id();
			List<Long> images = new ArrayList<>();
			for (int i = 0; i < 4; i++) images.add(s.addImage(image("i" + i + ".png")).id());
			int creates = 0, updates = 0, deletes = 0, undos = 0, redos = 0;
			for (int step = 0; step < 300; step++) {
				List<Annotation> now = s.allAnnotations();
				String user = rnd.nextBoolean() ? "alice" : "bob";
				int what = rnd.nextInt(10);
				if (what < 4 || now.isEmpty()) {
					List<Edit> edits = new ArrayList<>();
					for (int n = 1 + rnd.nextInt(3); n > 0; n--) edits.add(new Edit.Create(images.get(rnd.nextInt(images.size())),
							box(rnd.nextInt(50), cell).withStatus(Status.values()[rnd.nextInt(Status.values().length)])));
					s.apply(user, "draw", edits);
					creates++;
				} else if (what < 6) {
					Annotation a = now.get(rnd.nextInt(now.size()));
					s.apply(user, "review", List.of(new Edit.Update(a.id(), a.revision(), a.data().withStatus(Status.values()[rnd.nextInt(Status.values().length)]))));
					updates++;
				} else if (what < 8) {
					Annotation a = now.get(rnd.nextInt(now.size()));
					s.apply(user, "delete", List.of(new Edit.Delete(a.id(), a.revision())));
					deletes++;
				} else {
					try {
						if (s.undo(user).isPresent()) undos++;
						if (what == 9) { // undone and redone in one step: two change sets since the list was kept
							if (s.redo(user).isPresent()) redos++;
						}
					} catch (ConflictException e) {
						// someone else changed it since: refused, and nothing written
					}
				}
				List<Annotation> fromDatabase = new ArrayList<>();
				for (long img : images) fromDatabase.addAll(s.annotations(img));
				fromDatabase.sort(java.util.Comparator.comparingLong(Annotation::id));
				assertEquals(fromDatabase, s.allAnnotations(), "after step " + step);
				assertEquals(Labels.labelledImages(fromDatabase), s.labelledImages(), "labelled images after step " + step);
			}
			assertTrue(creates > 20 && updates > 20 && deletes > 20 && undos > 5 && redos > 5,
					"every kind of write was tried: " + creates + " " + updates + " " + deletes + " " + undos + " " + redos);
			kept = s.allAnnotations();
		}
		if (!onPostgres()) try (SqlProjectStore again = SqlProjectStore.open(project)) {
			assertEquals(kept, again.allAnnotations(), "a fresh read says the same");
		}
	}

	@Test
	void undoIsPerUserAndRefusesToOverwriteSomeoneElsesLaterChange() {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, null))));
			long a = s.annotations(img).get(0).id();
			s.apply("bob", "move", List.of(new Edit.Update(a, 1, box(8, null))));
			assertThrows(ConflictException.class, () -> s.undo("alice"));
			assertEquals(box(8, null), s.annotation(a).orElseThrow().data());
			s.undo("bob").orElseThrow();
			assertEquals(box(1, null), s.annotation(a).orElseThrow().data());
		}
	}

	@Test
	void aNewEditEndsTheRedoChain() {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			s.apply("alice", "one", List.of(new Edit.Create(img, box(1, null))));
			s.undo("alice").orElseThrow();
			s.apply("alice", "two", List.of(new Edit.Create(img, box(2, null))));
			assertTrue(s.redo("alice").isEmpty());
		}
	}

	@Test
	void notAProjectMissingFolderAndAFileInTheWay() throws Exception {
		assumeSqlite();
		Files.createDirectories(dir.resolve("plain"));
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(dir.resolve("plain")));
		assertTrue(e.getMessage().contains("is not a LabelLoop project"), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(dir.resolve("nowhere")));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
		Files.writeString(dir.resolve("file"), "x");
		e = assertThrows(LabelLoopException.class, () -> create(dir.resolve("file"), "x"));
		assertTrue(e.getMessage().contains("is a file"), e.getMessage());
		create(project, "p").close();
		e = assertThrows(LabelLoopException.class, () -> create(project, "p"));
		assertTrue(e.getMessage().contains("already a LabelLoop project"), e.getMessage());
	}

	@Test
	void aDamagedDatabaseIsReportedAndLeftAlone() throws Exception {
		assumeSqlite();
		Files.createDirectories(project);
		byte[] junk = "this is not a database, just text that happens to be here".repeat(100).getBytes();
		Files.write(project.resolve(SqlProjectStore.DB_FILE), junk);
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(project));
		assertTrue(e.getMessage().contains("damaged"), e.getMessage());
		assertTrue(java.util.Arrays.equals(junk, Files.readAllBytes(project.resolve(SqlProjectStore.DB_FILE))));
	}

	@Test
	void aProjectFromANewerLabelLoopIsRefused() throws Exception {
		assumeSqlite();
		create(project, "p").close();
		try (Connection c = PostgresCluster.raw(project);
				Statement st = c.createStatement()) {
			st.execute("PRAGMA user_version = 999");
		}
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(project));
		assertTrue(e.getMessage().contains("newer LabelLoop"), e.getMessage());
	}

	@Test
	void aSecondOpenOfTheSameProjectIsRefusedUntilTheFirstCloses() {
		assumeSqlite();
		SqlProjectStore first = create(project, "p");
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SqlProjectStore.open(project));
		assertTrue(e.getMessage().contains("already open in another LabelLoop"), e.getMessage());
		assertTrue(e.getMessage().contains("pid "), e.getMessage());
		first.close();
		SqlProjectStore.open(project).close();
	}

	@Test
	void aFullDiskLosesNothingAlreadySaved() {
		assumeSqlite();
		long img;
		try (SqlProjectStore s = create(project, "p")) {
			img = s.addImage(image("a.png")).id();
			s.apply("alice", "one", List.of(new Edit.Create(img, box(1, null))));
		}
		try (SqlProjectStore s = SqlProjectStore.open(project, cfg -> cfg.setMaxPageCount(currentPages()))) {
			List<Edit> many = new ArrayList<>();
			for (int i = 0; i < 2000; i++) many.add(new Edit.Create(img, box(i, null)));
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> s.apply("alice", "big import", many));
			assertTrue(e.getMessage().startsWith("The disk is full"), e.getMessage());
			assertEquals(1, s.annotations(img).size());
		}
		try (SqlProjectStore s = SqlProjectStore.open(project)) {
			assertEquals(1, s.annotations(img).size());
		}
	}

	private int currentPages() {
		try (Connection c = PostgresCluster.raw(project);
				Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA page_count")) {
			return rs.getInt(1) + 2;
		} catch (Exception e) {
			throw new AssertionError(e);
		}
	}

	@Test
	void aReadOnlyProjectSaysSoAndKeepsItsData() {
		assumeSqlite();
		long img;
		try (SqlProjectStore s = create(project, "p")) {
			img = s.addImage(image("a.png")).id();
		}
		try (SqlProjectStore s = SqlProjectStore.open(project, cfg -> cfg.setReadOnly(true))) {
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, null)))));
			assertTrue(e.getMessage().startsWith("The project is read-only"), e.getMessage());
			assertEquals(1, s.images().size());
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "Mitosis, late", "\"quoted\"", "naïve T-cell", "a;b", "'; DROP TABLE classes; --", "核", "tab\tbad" })
	void classNamesWithOddCharacters(String name) {
		try (SqlProjectStore s = create(project, "p")) {
			if (name.contains("\t")) {
				assertThrows(IllegalArgumentException.class, () -> s.addClass(cls(name), "alice"));
				return;
			}
			LabelClass c = s.addClass(cls(name), "alice");
			assertEquals(name, s.classByName(name).orElseThrow().name());
			assertEquals(c, s.classes().get(0));
			LabelLoopException dup = assertThrows(LabelLoopException.class, () -> s.addClass(cls(" " + name + " "), "alice"));
			assertTrue(dup.getMessage().contains("already exists"));
		}
	}

	@Test
	void renamingAClassKeepsItsAnnotationsAndItsHistory() throws Exception {
		try (SqlProjectStore s = create(project, "p")) {
			long img = s.addImage(image("a.png")).id();
			LabelClass c = s.addClass(new LabelClass(0, "nucleus", "#00ff00", "1", 0), "alice");
			s.apply("alice", "draw", List.of(new Edit.Create(img, box(1, c.id()))));
			s.updateClass(c.with("nuclei", "#0000ff", "2"), "alice");
			assertEquals("nuclei", s.classes().get(0).name());
			assertEquals(c.id(), s.annotations(img).get(0).data().classId());
			assertThrows(LabelLoopException.class, () -> s.addClass(new LabelClass(0, "other", "#000000", "2", 0), "alice"));
		}
		try (Connection c = PostgresCluster.raw(project);
				Statement st = c.createStatement(); var rs = st.executeQuery("SELECT name FROM class_revisions ORDER BY id")) {
			List<String> names = new ArrayList<>();
			while (rs.next()) names.add(rs.getString(1));
			assertEquals(List.of("nucleus", "nuclei"), names);
		}
	}

	@Test
	void duplicateImagePathsAreRefused() {
		try (SqlProjectStore s = create(project, "p")) {
			s.addImage(image("a.png"));
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> s.addImage(image("a.png")));
			assertTrue(e.getMessage().contains("already in the project"));
			assertEquals(1, s.images().size());
			assertEquals("a.png", s.imageByPath("a.png").orElseThrow().name());
			assertFalse(s.imageByPath("b.png").isPresent());
		}
	}
}
