package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;

/** Where a brush stroke goes and what it writes. */
class MaskStrokesTest {

	private static Annotation mask(long id, Mask m, long cls, Status s, Origin o, long second) {
		return new Annotation(id, 7, 3, new AnnotationData(null, cls, o, s, null, Map.of(), m), "ann", Instant.ofEpochSecond(second));
	}

	@Test
	void aStrokeStartsAHumanMaskAndAddsToTheClasssNewestOne() {
		Mask disc = Mask.disc(10, 10, 3, 2);
		Edit first = MaskStrokes.stroke(7, List.of(), 5, disc, false, "ann").orElseThrow();
		Edit.Create c = assertInstanceOf(Edit.Create.class, first);
		assertEquals(7, c.imageId());
		assertEquals(disc, c.data().mask());
		assertEquals(Status.ACCEPTED, c.data().status());
		assertEquals("human:ann", c.data().origin().toString());

		Annotation old = mask(1, Mask.disc(0, 0, 2, 2), 5, Status.ACCEPTED, Origin.human("ann"), 10);
		Annotation newer = mask(2, Mask.disc(40, 40, 2, 2), 5, Status.ACCEPTED, Origin.human("ann"), 20);
		Annotation other = mask(3, Mask.disc(10, 10, 2, 2), 6, Status.ACCEPTED, Origin.human("ann"), 30);
		Annotation rejected = mask(4, Mask.disc(10, 10, 2, 2), 5, Status.REJECTED, Origin.human("ann"), 40);
		Edit.Update u = assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, List.of(old, newer, other, rejected), 5, disc, false, "ann").orElseThrow());
		assertEquals(2, u.annotationId());
		assertEquals(3, u.baseRevision(), "a stale stroke is refused like any write");
		assertEquals(newer.data().mask().union(disc), u.data().mask());
		assertEquals(Status.ACCEPTED, u.data().status(), "painting on one's own label keeps it accepted");
	}

	@Test
	void paintingOnAProposalCorrectsItAndPaintingOverItselfWritesNothing() {
		Mask m = Mask.disc(20, 20, 5, 0);
		Annotation proposed = mask(1, m, 5, Status.PROPOSED, Origin.weak("otsu-3d"), 1);
		Edit.Update u = assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, List.of(proposed), 5, Mask.disc(26, 20, 2, 0), false, "ann").orElseThrow());
		assertEquals(Status.CORRECTED, u.data().status());
		assertTrue(MaskStrokes.stroke(7, List.of(proposed), 5, Mask.disc(20, 20, 2, 0), false, "ann").isEmpty(), "inside already: no revision");
	}

	@Test
	void aStrokeBesideTheModelsObjectsGoesToThePersonsMaskNotToTheNewestProposal() {
		Annotation objectA = mask(1, Mask.disc(20, 20, 5, 0), 5, Status.PROPOSED, Origin.model("v1"), 1);
		Annotation objectB = mask(2, Mask.disc(60, 20, 5, 0), 5, Status.PROPOSED, Origin.model("v1"), 2);
		// nothing of the person's yet: a stroke away from both objects starts the person's mask
		Edit.Create c = assertInstanceOf(Edit.Create.class, MaskStrokes.stroke(7, List.of(objectA, objectB), 5, Mask.disc(40, 50, 3, 0), false, "ann").orElseThrow());
		assertEquals("human:ann", c.data().origin().toString());
		Annotation mine = mask(3, Mask.disc(40, 50, 3, 0), 5, Status.ACCEPTED, Origin.human("ann"), 3);
		List<Annotation> all = List.of(objectA, objectB, mine);
		assertEquals(3, assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, all, 5, Mask.disc(80, 80, 3, 0), false, "ann").orElseThrow()).annotationId(),
				"away from the objects: the person's own mask grows");
		Edit.Update onA = assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, all, 5, Mask.disc(26, 20, 2, 0), false, "ann").orElseThrow());
		assertEquals(1, onA.annotationId(), "touching object A (the older proposal) corrects A");
		assertEquals(Status.CORRECTED, onA.data().status());
		assertEquals(2, assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, all, 5, Mask.disc(60, 20, 2, 0), true, "ann").orElseThrow()).annotationId(),
				"erasing inside object B takes from B");
	}

	@Test
	void aClickInsideAProposedObjectAcceptsItAndAClickReachingPastItCorrectsIt() {
		Annotation object = mask(1, Mask.disc(20, 20, 5, 0), 5, Status.PROPOSED, Origin.model("v1"), 1);
		Edit.Update inside = assertInstanceOf(Edit.Update.class, MaskStrokes.click(7, List.of(object), 5, Mask.disc(20, 20, 3, 0), "ann").orElseThrow());
		assertEquals(Status.ACCEPTED, inside.data().status(), "the click's object lies in the proposal: accepted as it is");
		assertEquals(object.data().mask(), inside.data().mask());
		Edit.Update past = assertInstanceOf(Edit.Update.class, MaskStrokes.click(7, List.of(object), 5, Mask.disc(24, 20, 4, 0), "ann").orElseThrow());
		assertEquals(Status.CORRECTED, past.data().status(), "the click's object reaches past the proposal: corrected");
		assertTrue(past.data().mask().contains(28, 20, 0));
		Annotation accepted = mask(1, Mask.disc(20, 20, 5, 0), 5, Status.ACCEPTED, Origin.model("v1"), 2);
		assertTrue(MaskStrokes.click(7, List.of(accepted), 5, Mask.disc(20, 20, 3, 0), "ann").isEmpty(), "already decided and holding it: no revision");
		Edit.Create fresh = assertInstanceOf(Edit.Create.class, MaskStrokes.click(7, List.of(object), 5, Mask.disc(60, 60, 3, 0), "ann").orElseThrow());
		assertEquals("human:ann", fresh.data().origin().toString(), "away from every object: the person's new mask");
	}

	@Test
	void erasingTakesVoxelsAwayAndDeletesAnEmptyMask() {
		Mask m = Mask.disc(20, 20, 3, 1);
		Annotation a = mask(1, m, 5, Status.ACCEPTED, Origin.human("ann"), 1);
		Edit.Update part = assertInstanceOf(Edit.Update.class, MaskStrokes.stroke(7, List.of(a), 5, Mask.disc(22, 20, 1, 1), true, "ann").orElseThrow());
		assertEquals(m.subtract(Mask.disc(22, 20, 1, 1)), part.data().mask());
		assertInstanceOf(Edit.Delete.class, MaskStrokes.stroke(7, List.of(a), 5, Mask.disc(20, 20, 10, 1), true, "ann").orElseThrow());
		assertTrue(MaskStrokes.stroke(7, List.of(), 5, Mask.disc(20, 20, 10, 1), true, "ann").isEmpty(), "nothing to erase");
		assertTrue(MaskStrokes.stroke(7, List.of(a), 5, Mask.disc(80, 80, 2, 1), true, "ann").isEmpty(), "erasing elsewhere changes nothing");
	}

	@Test
	void aStrokeAlongAPathCoversEveryPointWithoutGaps() {
		Mask s = MaskStrokes.along(List.of(new int[] { 0, 10 }, new int[] { 40, 10 }), 2, 3);
		for (int x = 0; x <= 40; x++) assertTrue(s.contains(x, 10, 3), "x " + x);
		assertEquals(3, s.minZ());
		assertEquals(3, s.maxZ());
		assertTrue(s.contains(0, 12, 3) && !s.contains(0, 13, 3));
	}
}
