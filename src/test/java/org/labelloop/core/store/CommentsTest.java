package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Comment.Kind;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Role;

class CommentsTest extends StoreTest {

	@TempDir
	Path dir;

	@Test
	void aFlagIsRaisedAnsweredAndResolvedOnce() throws Exception {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long img = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("ann", "draw", List.of(new Edit.Create(img, SqlProjectStoreTest.box(1, null))));
			long ann = s.annotations(img).get(0).id();
			s.setRole("rita", Role.RESEARCHER, "admin");
			s.setRole("rev", Role.REVIEWER, "admin");

			Comment flag = s.addComment("rita", Target.annotation(ann), null, Kind.QUESTION_LABEL, "Is this really a cell? Looks like debris.");
			assertTrue(flag.isFlag() && flag.open());
			Comment reply = s.addComment("ann", Target.annotation(ann), flag.id(), Kind.NOTE, "You're right, fixing it.");
			Comment nested = s.addComment("rita", Target.annotation(ann), reply.id(), Kind.NOTE, "Thanks!");
			assertEquals(flag.id(), nested.parentId(), "replies to replies join the thread");
			assertEquals(List.of(flag.id(), reply.id(), nested.id()), s.comments(Target.annotation(ann)).stream().map(Comment::id).toList());
			assertEquals(1, s.threads(true).size());

			Comment seen = s.threads(true).get(0);
			assertEquals(3, seen.revision(), "each reply bumps the thread's revision");
			Comment resolved = s.setResolved(flag.id(), seen.revision(), true, "ann");
			assertFalse(resolved.open());
			assertEquals("ann", resolved.resolvedBy());
			// a second person resolving from the same view gets a conflict, not a silent overwrite
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> s.setResolved(flag.id(), seen.revision(), true, "rev"));
			assertTrue(e.getMessage().contains("resolved by ann"), e.getMessage());
			assertTrue(s.threads(true).isEmpty());
			assertEquals(1, s.threads(false).size());

			s.apply("rev", "review", List.of(new Edit.Update(ann, 1, SqlProjectStoreTest.box(2, null))));
			assertEquals(Role.REVIEWER, s.role("rev"));
			assertEquals(Role.LABELLER, s.role("nobody"));
			assertEquals(java.util.Map.of("rita", Role.RESEARCHER, "rev", Role.REVIEWER), s.roles());
			s.setRole("rita", Role.ADMIN, "admin");
			assertEquals(Role.ADMIN, s.roles().get("rita"), "setting a role again replaces it");
		}
		try (var c = PostgresCluster.raw(dir.resolve("p"));
				var rs = c.createStatement().executeQuery("SELECT role FROM changesets ORDER BY id")) {
			List<String> roles = new java.util.ArrayList<>();
			while (rs.next()) roles.add(rs.getString(1));
			assertEquals(List.of("labeller", "reviewer"), roles, "the role is recorded with each change");
		}
	}

	@Test
	void commentsOnMissingOrDeletedItemsAreRefusedButOldOnesStay() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long img = s.addImage(SqlProjectStoreTest.image("a.png")).id();
			s.apply("ann", "draw", List.of(new Edit.Create(img, SqlProjectStoreTest.box(1, null))));
			long ann = s.annotations(img).get(0).id();
			s.addComment("ann", Target.annotation(ann), null, Kind.NOTE, "first");
			s.apply("ann", "delete", List.of(new Edit.Delete(ann, 1)));
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> s.addComment("ann", Target.annotation(ann), null, Kind.NOTE, "second"));
			assertTrue(e.getMessage().contains("was deleted since"), e.getMessage());
			assertEquals(1, s.comments(Target.annotation(ann)).size());
			assertThrows(LabelLoopException.class, () -> s.addComment("ann", Target.image(99), null, Kind.NOTE, "x"));
			assertThrows(LabelLoopException.class, () -> s.addComment("ann", Target.image(img), null, Kind.NOTE, "  "));
			assertThrows(LabelLoopException.class, () -> s.addComment("ann", Target.image(img), 12345L, Kind.NOTE, "reply to nothing"));
			assertThrows(IllegalArgumentException.class, () -> new Target("folder", 1));
		}
	}
}
