package org.labelloop.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

/** Each rule of a label's life on its own. */
class LabelsTest {

	private static final Geometry BOX = Geometry.rect(10, 10, 20, 20, Plane.ALL);

	private static Annotation ann(long id, long image, Geometry g, Long cls, Status s, Origin o, long second) {
		return new Annotation(id, image, 1, new AnnotationData(g, cls, o, s, null, Map.of()), "ann", Instant.ofEpochSecond(second));
	}

	private static Annotation imageLevel(long id, long image, Long cls, Status s, long second) {
		return ann(id, image, null, cls, s, Origin.human("ann"), second);
	}

	@Test
	void decidedMeansAcceptedOrCorrectedAndReviewedAddsRejected() {
		assertTrue(Status.ACCEPTED.isDecided());
		assertTrue(Status.CORRECTED.isDecided());
		assertFalse(Status.PROPOSED.isDecided());
		assertFalse(Status.REJECTED.isDecided());
		assertTrue(Status.REJECTED.isReviewed());
		assertFalse(Status.PROPOSED.isReviewed());
	}

	@Test
	void aLabelIsDecidedAndHasAClass() {
		assertTrue(Labels.isLabel(imageLevel(1, 1, 5L, Status.CORRECTED, 0)));
		assertFalse(Labels.isLabel(imageLevel(1, 1, null, Status.ACCEPTED, 0)), "accepted without a class teaches nothing");
		assertFalse(Labels.isLabel(imageLevel(1, 1, 5L, Status.PROPOSED, 0)));
		assertFalse(Labels.isLabel(ann(1, 1, null, 5L, Status.PROPOSED, Origin.weak("q"), 0)), "a weak label is not a label until accepted");
	}

	@Test
	void anImagesLabelIsItsNewestDecidedImageLevelLabelByRevisionTime() {
		Annotation older = imageLevel(7, 1, 5L, Status.ACCEPTED, 100);
		Annotation newerEdit = imageLevel(3, 1, 6L, Status.CORRECTED, 200); // a lower id, revised later
		Annotation proposed = imageLevel(9, 1, 4L, Status.PROPOSED, 300);
		Annotation roi = ann(10, 1, BOX, 8L, Status.ACCEPTED, Origin.human("ann"), 400);
		assertEquals(newerEdit, Labels.imageLabel(List.of(older, newerEdit, proposed, roi)).orElseThrow());
		Map<Long, Annotation> all = Labels.imageLabels(List.of(older, newerEdit, proposed, roi, imageLevel(11, 2, 5L, Status.REJECTED, 0)));
		assertEquals(Map.of(1L, newerEdit), all, "image 2's only label is rejected: it has none");
		assertEquals(Set.of(1L), Labels.labelledImages(List.of(proposed, roi, imageLevel(11, 2, 5L, Status.REJECTED, 0))));
	}

	@Test
	void editsGoToTheNewestImageLevelAnnotationThatIsNotRejected() {
		Annotation rejected = imageLevel(5, 1, 5L, Status.REJECTED, 500);
		Annotation proposed = imageLevel(4, 1, 6L, Status.PROPOSED, 100);
		assertEquals(proposed, Labels.current(List.of(rejected, proposed)).orElseThrow());
		assertTrue(Labels.current(List.of(rejected)).isEmpty());
	}

	@Test
	void relabellingAcceptsTheSameCorrectsAChangeAndWritesNothingWhenAcceptedAsItIs() {
		AnnotationData proposal = new AnnotationData(BOX, 5L, Origin.model("v1"), Status.PROPOSED, 0.7, Map.of(5L, 0.7));
		assertEquals(Status.ACCEPTED, Labels.relabel(proposal, 5, null).orElseThrow().status());
		assertEquals(Status.CORRECTED, Labels.relabel(proposal, 6, null).orElseThrow().status());
		assertEquals(6L, Labels.relabel(proposal, 6, null).orElseThrow().classId());
		Geometry moved = Geometry.rect(11, 10, 20, 20, Plane.ALL);
		AnnotationData reshaped = Labels.relabel(proposal, 5, moved).orElseThrow();
		assertEquals(Status.CORRECTED, reshaped.status());
		assertTrue(Geometry.sameShape(moved, reshaped.geometry()));
		assertTrue(Labels.relabel(proposal.withStatus(Status.ACCEPTED), 5, BOX).isEmpty(), "nothing changes");
		AnnotationData unclassified = proposal.withClass(null);
		assertEquals(Status.ACCEPTED, Labels.relabel(unclassified, 6, BOX).orElseThrow().status(), "classifying a proposal as it is accepts it");
	}

	@Test
	void acceptingAndRejecting() {
		AnnotationData proposal = new AnnotationData(BOX, 5L, Origin.model("v1"), Status.PROPOSED, 0.7, Map.of());
		assertEquals(Status.ACCEPTED, Labels.accept(proposal, BOX).orElseThrow().status());
		assertEquals(Status.CORRECTED, Labels.accept(proposal, Geometry.rect(0, 0, 5, 5, Plane.ALL)).orElseThrow().status());
		assertTrue(Labels.accept(proposal.withStatus(Status.ACCEPTED), null).isEmpty());
		assertEquals(Status.REJECTED, Labels.reject(proposal).orElseThrow().status());
		assertTrue(Labels.reject(proposal.withStatus(Status.REJECTED)).isEmpty());
	}

	@Test
	void aWeakLabelNeverReplacesWhatAPersonDecided() {
		assertTrue(Labels.weakMayReplace(imageLevel(1, 1, 5L, Status.PROPOSED, 0)));
		assertTrue(Labels.weakMayReplace(imageLevel(1, 1, 5L, Status.REJECTED, 0)));
		assertFalse(Labels.weakMayReplace(imageLevel(1, 1, 5L, Status.ACCEPTED, 0)));
		assertFalse(Labels.weakMayReplace(imageLevel(1, 1, 5L, Status.CORRECTED, 0)));
	}
}
