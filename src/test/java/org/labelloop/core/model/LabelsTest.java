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

	private static Annotation mask(long id, long image, int z, Long cls, Status s) {
		org.labelloop.core.geom.Mask.Builder b = org.labelloop.core.geom.Mask.builder();
		b.addRun(z, 3, 2, 9);
		return new Annotation(id, image, 1, AnnotationData.ofMask(b.build(), cls, Origin.human("ann"), s, null), "ann", Instant.ofEpochSecond(id));
	}

	@Test
	void aSliceWithBackgroundStrokesIsScribbledNotSegmented() {
		long nucleus = 5, background = 6;
		assertEquals(Set.of(background), Labels.backgroundClasses(List.of(new LabelClass(nucleus, "nucleus", "#ff8800", null, 0),
				new LabelClass(background, " Background ", "#2f80ed", null, 1))), "the name decides, any case, spaces stripped");
		List<Annotation> all = List.of(mask(1, 10, 0, nucleus, Status.ACCEPTED), mask(2, 10, 2, nucleus, Status.ACCEPTED),
				mask(3, 10, 2, background, Status.CORRECTED), mask(4, 11, 0, background, Status.ACCEPTED),
				mask(5, 12, 4, nucleus, Status.PROPOSED), mask(6, 13, 1, background, Status.REJECTED));
		Set<Long> bg = Set.of(background);
		assertEquals(Map.of(10L, new java.util.TreeSet<>(List.of(0))), Labels.segmentedSlices(all, bg),
				"slice 2 of image 10 has strokes of background; image 11 only background strokes; proposed and rejected masks are no labels");
		assertEquals(Map.of(10L, new java.util.TreeSet<>(List.of(2)), 11L, new java.util.TreeSet<>(List.of(0))), Labels.scribbledSlices(all, bg));
		assertEquals(Map.of(10L, new java.util.TreeSet<>(List.of(0, 2)), 11L, new java.util.TreeSet<>(List.of(0))), Labels.maskedSlices(all, null));
		assertEquals(Map.of(10L, new java.util.TreeSet<>(List.of(0, 2)), 11L, new java.util.TreeSet<>(List.of(0))), Labels.segmentedSlices(all, Set.of()),
				"without a background class every masked slice is segmented completely");
	}
}
