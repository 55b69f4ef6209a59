package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;

/** Mask annotations in the SQLite store: revisions, undo, conflicts, comments, and the schema 5 → 6 migration. */
class MaskStoreTest extends StoreTest {

	@TempDir
	Path dir;

	static Mask ball() {
		Mask.Builder b = Mask.builder();
		for (int z = 0; z < 5; z++)
			for (int y = 0; y < 20; y++)
				for (int x = 0; x < 20; x++)
					if ((x - 10) * (x - 10) + (y - 10) * (y - 10) + 4 * (z - 2) * (z - 2) <= 36) b.addRun(z, y, x, x + 1);
		return b.build();
	}

	@Test
	void aMaskAnnotationKeepsItsVoxelsThroughStrokesUndoConflictsAndComments() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long im = s.addImage(SqlProjectStoreTest.image("vol.tif")).id();
			long cls = s.addClass(SqlProjectStoreTest.cls("tumour"), "ann").id();
			Mask m = ball();
			s.apply("ann", "paint", List.of(new Edit.Create(im, AnnotationData.ofMask(m, cls, Origin.human("ann"), Status.ACCEPTED, null))));
			Annotation a = s.annotations(im).get(0);
			assertEquals(m, a.data().mask());
			assertNull(a.data().geometry());
			assertTrue(a.data().isMask() && !a.data().isImageLevel());
			assertEquals(m.voxelCount(), a.data().mask().voxelCount());

			// a brush stroke is one revision
			Mask stroked = m.union(Mask.disc(18, 10, 3, 2));
			s.apply("ann", "stroke", List.of(new Edit.Update(a.id(), 1, a.data().withMask(stroked).withStatus(Status.CORRECTED))));
			Annotation b = s.annotation(a.id()).orElseThrow();
			assertEquals(2, b.revision());
			assertEquals(stroked, b.data().mask());
			assertTrue(b.data().mask().contains(20, 10, 2));

			// a stale write (based on revision 1) is refused and changes nothing
			assertThrows(ConflictException.class, () -> s.apply("bob", "erase", List.of(new Edit.Update(a.id(), 1, a.data().withMask(m.subtract(Mask.disc(10, 10, 3, 2)))))));
			assertEquals(stroked, s.annotation(a.id()).orElseThrow().data().mask());

			// undo takes back the stroke only
			s.undo("ann");
			Annotation c = s.annotation(a.id()).orElseThrow();
			assertEquals(m, c.data().mask());
			assertEquals(3, c.revision());
			List<AnnotationRevision> h = s.history(a.id());
			assertEquals(List.of(m, stroked, m), h.stream().map(r -> r.data().mask()).toList());

			Comment note = s.addComment("rita", Target.annotation(a.id()), null, Comment.Kind.QUESTION_LABEL, "Is the rim tumour?");
			assertEquals(List.of(note), s.comments(Target.annotation(a.id())));

			s.apply("ann", "delete", List.of(new Edit.Delete(a.id(), 3)));
			assertTrue(s.annotations(im).isEmpty());
			assertNull(s.history(a.id()).get(3).data());
		}
		// and everything is still there after reopening
		try (SqlProjectStore s = SqlProjectStore.open(dir.resolve("p"))) {
			assertEquals(ball(), s.history(1).get(0).data().mask());
		}
	}

	@Test
	void oneSlicesAnnotationsLeaveOutMasksOnOtherSlices() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long im = s.addImage(SqlProjectStoreTest.image("vol.tif")).id();
			Mask low = Mask.disc(5, 5, 2, 1).union(Mask.disc(5, 5, 2, 3)), high = Mask.disc(9, 9, 2, 7);
			s.apply("ann", "paint", List.of(new Edit.Create(im, AnnotationData.ofMask(low, null, Origin.human("ann"), Status.ACCEPTED, null)),
					new Edit.Create(im, AnnotationData.ofMask(high, null, Origin.human("ann"), Status.ACCEPTED, null)),
					new Edit.Create(im, SqlProjectStoreTest.box(1, null)), new Edit.Create(im, AnnotationData.human(null, null, "ann"))));
			assertEquals(List.of(1L, 3L, 4L), s.annotationsOnSlice(im, 2).stream().map(Annotation::id).toList()); // inside low's range
			assertEquals(List.of(2L, 3L, 4L), s.annotationsOnSlice(im, 7).stream().map(Annotation::id).toList());
			assertEquals(List.of(3L, 4L), s.annotationsOnSlice(im, 5).stream().map(Annotation::id).toList());
			// a stroke that moves a mask's slices moves it between slices
			Annotation a = s.annotation(2).orElseThrow();
			s.apply("ann", "stroke", List.of(new Edit.Update(2, a.revision(), a.data().withMask(high.union(Mask.disc(9, 9, 2, 5))))));
			assertEquals(List.of(2L, 3L, 4L), s.annotationsOnSlice(im, 5).stream().map(Annotation::id).toList());
			// the interface's default gives the same
			ProjectStore plain = s;
			assertEquals(s.annotationsOnSlice(im, 3), s.annotations(im).stream().filter(x -> !x.data().isMask()
					|| (x.data().mask().minZ() <= 3 && x.data().mask().maxZ() >= 3)).toList());
			assertEquals(4, plain.annotations(im).size());
		}
	}

	@Test
	void aShapeAndAMaskTogetherAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> new AnnotationData(org.labelloop.core.geom.Geometry.point(1, 1, null), null,
				Origin.human("a"), Status.ACCEPTED, null, null, ball()));
	}

	@Test
	void aDamagedMaskBlobIsAClearErrorNamingTheAnnotation() throws Exception {
		Path p = dir.resolve("p");
		try (SqlProjectStore s = create(p, "p")) {
			long im = s.addImage(SqlProjectStoreTest.image("vol.tif")).id();
			s.apply("ann", "paint", List.of(new Edit.Create(im, AnnotationData.ofMask(ball(), null, Origin.human("ann"), Status.ACCEPTED, null))));
		}
		try (Connection c = PostgresCluster.raw(p); var st = c.prepareStatement("UPDATE annotations SET mask = ?")) {
			st.setBytes(1, new byte[] { 1, 2 });
			st.executeUpdate();
		}
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> s.annotations(1));
			assertTrue(e.getMessage().contains("mask of annotation 1") && e.getMessage().contains("corrupt"), e.getMessage());
		}
	}

	@Test
	void aSchema5ProjectMigratesToMasksKeepingItsLabels() throws Exception {
		assumeSqlite();
		Path p = dir.resolve("old");
		java.nio.file.Files.createDirectories(p);
		try (Connection c = PostgresCluster.raw(p); Statement st = c.createStatement()) {
			for (int v = 0; v < 5; v++)
				for (String sql : Migrations.STEPS[v]) st.execute(sql);
			st.execute("PRAGMA user_version = 5");
			st.execute("INSERT INTO settings VALUES ('project.name', 'old')");
			st.execute("INSERT INTO images(path, sha256, bytes, width, height, channels, slices, frames, bit_depth, split, added_by, added_at)"
					+ " VALUES ('a.png', '" + "ab".repeat(32) + "', 1, 64, 48, 1, 1, 1, 8, 'unassigned', 'ann', '2026-01-01T00:00:00Z')");
			st.execute("INSERT INTO changesets(user, time, description, kind, edits) VALUES ('ann', '2026-01-01T00:00:00Z', 'old', 'edit', 1)");
			String geom = "{\"kind\":\"rect\",\"x\":[1,5],\"y\":[2,6],\"c\":0,\"z\":0,\"t\":0}";
			st.execute("INSERT INTO annotations(image_id, revision, deleted, origin, status, probabilities, geometry, author, time)"
					+ " VALUES (1, 1, 0, 'human:ann', 'accepted', '{}', '" + geom + "', 'ann', '2026-01-01T00:00:00Z')");
			st.execute("INSERT INTO annotation_revisions(annotation_id, image_id, revision, changeset_id, deleted, origin, status, probabilities, geometry, author, time)"
					+ " VALUES (1, 1, 1, 1, 0, 'human:ann', 'accepted', '{}', '" + geom + "', 'ann', '2026-01-01T00:00:00Z')");
		}
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			Annotation old = s.annotations(1).get(0);
			assertEquals(16, old.data().geometry().area(), 1e-9);
			assertNull(old.data().mask());
			s.apply("ann", "paint", List.of(new Edit.Create(1, AnnotationData.ofMask(ball(), null, Origin.human("ann"), Status.ACCEPTED, null))));
			assertEquals(ball(), s.annotations(1).get(1).data().mask());
			assertEquals(1, s.history(old.id()).size());
		}
		try (Connection c = PostgresCluster.raw(p); Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("PRAGMA user_version")) {
			rs.next();
			assertEquals(Migrations.latest(), rs.getInt(1), "every step after 5 ran, not only the masks one");
		}
		try (Connection c = PostgresCluster.raw(p); Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'image_metadata'")) {
			rs.next();
			assertEquals(1, rs.getInt(1), "the step after the masks (image metadata) ran too");
		}
	}
}
