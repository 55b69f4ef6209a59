package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.backend.TrainerTest.cls;
import static org.labelloop.backend.TrainerTest.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;

/** The review queue on a real small project (TrainerTest's), agreement with hand-computed kappa, flags. */
class ReviewTest {

	@TempDir
	Path dir;

	static final String WRONG = "0023_ankle_boot.png";

	/** TrainerTest's image labels plus an ankle boot labelled 'scan'; the image model retrained. */
	static LocalBackend injected(Path folder) {
		LocalBackend b = TrainerTest.project(folder);
		Map<String, String> labels = new HashMap<>(TrainerTest.IMAGE_LABELS);
		labels.put(WRONG, "scan");
		TrainerTest.labelImages(b, labels);
		b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
		return b;
	}

	static Annotation imageLabel(LocalBackend b, String name) {
		return b.annotations(image(b, name).id()).stream().filter(a -> a.data().isImageLevel()).findFirst().orElseThrow();
	}

	@Test
	void injectedWrongLabelIsFoundFirstAndDecisionsAreRevisionsNotAskedAgain() {
		try (LocalBackend b = injected(dir.resolve("p"))) {
			List<Review.Issue> issues = b.labelIssues(Task.IMAGE);
			assertFalse(issues.isEmpty());
			Annotation wrong = imageLabel(b, WRONG);
			// the injected label is among the first two; the other is the one bag of 'other', which the small model
			// (trained on 21 labels) mistakes for a scan — a real doubt, with equally low self-confidence
			Review.Issue top = issues.stream().limit(2).filter(i -> i.annotation() == wrong.id()).findFirst()
					.orElseThrow(() -> new AssertionError("issues: " + issues));
			assertEquals(Target.image(wrong.imageId()), top.target());
			assertEquals(cls(b, "scan"), top.givenClass());
			assertEquals(cls(b, "footwear"), top.modelClass());
			assertTrue(top.confidence() > 0.5 && top.quality() < 0.5, top.toString());
			for (int i = 1; i < issues.size(); i++) assertTrue(issues.get(i - 1).quality() <= issues.get(i).quality());

			// quality view: the wrong label sits in the scan → footwear cell
			Review.Quality q = b.labelQuality(Task.IMAGE);
			int total = 0;
			for (int[] row : q.matrix()) for (int v : row) total += v;
			assertEquals(TrainerTest.IMAGE_LABELS.size() + 1, total);
			assertTrue(q.confused().stream().anyMatch(c -> c.given() == cls(b, "scan") && c.predicted() == cls(b, "footwear")
					&& c.items().contains(Target.image(wrong.imageId()))), q.confused().toString());

			// a reviewer keeps another flagged label (if any) and corrects the wrong one
			b.store().setRole("alice", Role.REVIEWER, "alice");
			Annotation fixed = b.decide(top.annotation(), top.revision(), Review.Decision.CHANGE, cls(b, "footwear"), "it is a boot");
			assertEquals(Status.CORRECTED, fixed.data().status());
			assertEquals(cls(b, "footwear"), fixed.data().classId());
			assertEquals(top.revision() + 1, fixed.revision());
			assertTrue(b.store().changeSets(1).get(0).description().startsWith("Review (reviewer): change label to footwear"));
			List<Comment> thread = b.comments(Target.image(wrong.imageId()));
			assertEquals(Comment.Kind.REVIEW, thread.get(0).kind());
			assertFalse(thread.get(0).open(), "a decision's comment is a record, not an open question");
			assertFalse(b.labelIssues(Task.IMAGE).stream().anyMatch(i -> i.annotation() == wrong.id()));
			// a stale decision is a conflict
			assertThrows(ConflictException.class, () -> b.decide(top.annotation(), top.revision(), Review.Decision.KEEP, null, null));
			// undo brings the wrong label back (a change since the decision): asked again
			b.undo();
			assertTrue(b.labelIssues(Task.IMAGE).stream().anyMatch(i -> i.annotation() == wrong.id()));

			// keep: the label stays, never asked again, until the item changes
			Review.Issue again = b.labelIssues(Task.IMAGE).stream().filter(i -> i.annotation() == wrong.id()).findFirst().orElseThrow();
			Annotation kept = b.decide(again.annotation(), again.revision(), Review.Decision.KEEP, null, null);
			assertEquals(cls(b, "scan"), kept.data().classId());
			assertFalse(b.labelIssues(Task.IMAGE).stream().anyMatch(i -> i.annotation() == wrong.id()));
			b.apply("touch", List.of(new Edit.Update(kept.id(), kept.revision(), kept.data().withStatus(Status.CORRECTED))));
			assertTrue(b.labelIssues(Task.IMAGE).stream().anyMatch(i -> i.annotation() == wrong.id()));
		}
	}

	@Test
	void noModelTooFewLabelsAndBadInputGiveMessages() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			LabelLoopException none = assertThrows(LabelLoopException.class, () -> b.labelIssues(Task.IMAGE));
			assertTrue(none.getMessage().contains("No image model yet"), none.getMessage());
			assertTrue(none.getMessage().contains("Retrain"), none.getMessage());
			assertTrue(assertThrows(LabelLoopException.class, () -> b.labelIssues(Task.ROI)).getMessage().contains("No ROI model yet"));
			assertTrue(assertThrows(LabelLoopException.class, () -> b.labelQuality(Task.ROI)).getMessage().contains("No ROI model yet"));
			assertTrue(assertThrows(IllegalArgumentException.class, () -> Task.parse("cells")).getMessage().contains("Unknown task"));
			TrainerTest.labelImages(b, Map.of("0000_ankle_boot.png", "footwear", "0008_sandal.png", "footwear", "0001_pullover.png", "top",
					"0016_pullover.png", "top"));
			b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			// two per class is enough to train and to look for issues
			b.labelIssues(Task.IMAGE);
			Annotation boot = imageLabel(b, "0000_ankle_boot.png");
			assertThrows(LabelLoopException.class, () -> b.decide(boot.id(), boot.revision(), Review.Decision.CHANGE, null, null));
			assertThrows(LabelLoopException.class, () -> b.decide(boot.id(), boot.revision(), Review.Decision.CHANGE, boot.data().classId(), null));
			assertThrows(LabelLoopException.class, () -> b.decide(boot.id(), boot.revision(), Review.Decision.CHANGE, 9999L, null));
			// a label deleted since: no decision, no comment
			b.apply("delete", List.of(new Edit.Delete(boot.id(), boot.revision())));
			assertTrue(assertThrows(LabelLoopException.class, () -> b.decide(boot.id(), boot.revision(), Review.Decision.KEEP, null, null))
					.getMessage().contains("not in the project"));
			LabelLoopException deleted = assertThrows(LabelLoopException.class,
					() -> b.addComment(Target.annotation(boot.id()), null, Comment.Kind.QUESTION_LABEL, "boot?"));
			assertTrue(deleted.getMessage().contains("deleted since"), deleted.getMessage());
		}
	}

	@Test
	void twoUsersResolvingTheSameFlagConflict() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			b.store().setRole("rita", Role.RESEARCHER, "alice");
			long img = image(b, "0000_ankle_boot.png").id();
			Comment flag = b.store().addComment("rita", Target.image(img), null, Comment.Kind.QUESTION_LABEL, "Is this a boot?");
			assertTrue(flag.isFlag() && flag.open());
			Comment done = b.store().setResolved(flag.id(), flag.revision(), true, "alice");
			assertFalse(done.open());
			LabelLoopException c = assertThrows(LabelLoopException.class, () -> b.store().setResolved(flag.id(), flag.revision(), true, "bob"));
			assertTrue(c.getMessage().contains("Conflict"), c.getMessage());
			assertEquals("alice", b.threads(false).stream().filter(t -> t.id() == flag.id()).findFirst().orElseThrow().resolvedBy());
		}
	}

	@Test
	void kappaPerPairOfUsersAndPerClassWithDisagreements() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			long fw = cls(b, "footwear"), top = cls(b, "top");
			List<String> fashion = b.images().stream().map(i -> i.name()).filter(n -> n.matches("00\\d\\d_.*")).sorted().limit(10).toList();
			long[] bob = { fw, fw, fw, fw, fw, top, top, top, top, top }, carol = { fw, fw, fw, fw, top, top, top, top, fw, fw };
			List<Edit> edits = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				long id = image(b, fashion.get(i)).id();
				edits.add(new Edit.Create(id, AnnotationData.human(null, bob[i], "bob")));
				edits.add(new Edit.Create(id, AnnotationData.human(null, carol[i], "carol")));
			}
			// one object both drew (IoU 0.82): bob says footwear, carol top; and an object only carol drew
			long coins = image(b, "coins.png").id();
			edits.add(new Edit.Create(coins, AnnotationData.human(Geometry.rect(0, 0, 10, 10, Plane.ALL), fw, "bob")));
			edits.add(new Edit.Create(coins, AnnotationData.human(Geometry.rect(1, 0, 10, 10, Plane.ALL), top, "carol")));
			edits.add(new Edit.Create(coins, AnnotationData.human(Geometry.rect(100, 100, 10, 10, Plane.ALL), top, "carol")));
			// alice labels one image alone: no pair
			edits.add(new Edit.Create(image(b, "CT_small.dcm").id(), AnnotationData.human(null, cls(b, "scan"), "alice")));
			b.apply("labels", edits);

			Review.Agreement ag = b.agreement();
			assertEquals(1, ag.pairs().size(), ag.pairs().toString());
			Review.PairAgreement p = ag.pairs().get(0);
			assertEquals("bob", p.userA());
			assertEquals("carol", p.userB());
			assertEquals(11, p.items());
			assertEquals(7.0 / 11, p.observed(), 1e-12);
			// bob 6×fw 5×top, carol 6×fw 5×top: p_e = 36/121 + 25/121 = 61/121; κ = (77 − 61)/(121 − 61) = 16/60
			assertEquals(16.0 / 60, p.kappa(), 1e-12);
			assertEquals(16.0 / 60, p.kappaPerClass().get(fw), 1e-12);
			assertEquals(16.0 / 60, p.kappaPerClass().get(top), 1e-12);
			assertEquals(4, ag.disagreements().size());
			assertTrue(ag.disagreements().stream().anyMatch(d -> d.imageId() == coins && d.classA() == fw && d.classB() == top));
		}
	}

	@Test
	void missingAndSpuriousObjectsJoinTheRoiQueueAndKeepingAMissingOneAcceptsIt() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			TrainerTest.labelImages(b, TrainerTest.IMAGE_LABELS);
			List<Long> open = TrainerTest.labelCoins(b);
			long coins = image(b, "coins.png").id(), coin = cls(b, "coin");
			// a coin drawn where there is none: the top-left corner is plain background (and no proposal lies there)
			b.apply("draw", List.of(new Edit.Create(coins, AnnotationData.human(Geometry.rect(30, 2, 14, 14, null), coin, "alice"))));
			long drawn = b.annotations(coins).stream().filter(a -> a.data().origin().isHuman() && a.data().classId() == coin).findFirst().orElseThrow().id();
			b.retrain(TrainOptions.defaults().withTasks(List.of(Task.ROI)), Progress.NONE);

			List<Review.Issue> issues = b.labelIssues(Task.ROI);
			Review.Issue spurious = issues.stream().filter(i -> i.kind() == Review.Kind.SPURIOUS).findFirst()
					.orElseThrow(() -> new AssertionError("no spurious label in " + issues));
			assertEquals(drawn, spurious.annotation());
			assertEquals(coin, spurious.givenClass());
			assertEquals(null, spurious.modelClass());
			assertEquals(1, issues.stream().filter(i -> i.kind() == Review.Kind.SPURIOUS).count(), "background boxes are never spurious");
			List<Review.Issue> missing = issues.stream().filter(i -> i.kind() == Review.Kind.MISSING).toList();
			assertFalse(missing.isEmpty(), "unreviewed coins the model is sure of: " + issues);
			for (Review.Issue m : missing) {
				assertTrue(open.contains(m.annotation()), "only proposals nobody reviewed are missing: " + m);
				assertEquals(coin, m.modelClass());
				assertTrue(m.confidence() >= Review.MISSING_CONFIDENCE && m.givenClass() == null, m.toString());
			}
			// accepting a missing object is a normal revision, and it leaves the queue
			Review.Issue first = missing.get(0);
			Annotation kept = b.decide(first.annotation(), first.revision(), Review.Decision.KEEP, null, "yes, a coin");
			assertEquals(Status.ACCEPTED, kept.data().status());
			assertEquals(coin, kept.data().classId());
			assertTrue(b.labelIssues(Task.ROI).stream().noneMatch(i -> i.annotation() == first.annotation()));
			// rejecting the spurious label: decided, not asked again
			b.decide(spurious.annotation(), spurious.revision(), Review.Decision.REJECT, null, null);
			assertTrue(b.labelIssues(Task.ROI).stream().noneMatch(i -> i.kind() == Review.Kind.SPURIOUS));
		}
	}
}
