package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Task;

/**
 * The review queue of masks (Review Label Issues, {@code task=seg}) on coins.png's three rows of coins with their
 * threshold truth ({@link SegmentationRetrainTest#coinProject}): on one row a coin's mask is moved half a coin aside
 * and a disc is painted on the background; out-of-fold, the model disagrees with exactly those two.
 */
public class MaskReviewTest {

	@TempDir
	Path dir;

	/** The three rows of coins painted (one coin moved aside, one disc on the background) and a segmentation model trained. */
	public record Project(LocalBackend backend, long coin, long disc, long shifted, Mask omitted) {
	}

	public static Project project(Path dir) throws Exception {
		return project(dir, false);
	}

	/** @param omit leave one coin of the middle row unpainted (its slice is still fully segmented) */
	static Project project(Path dir, boolean omit) throws Exception {
		SegmentationRetrainTest fixture = new SegmentationRetrainTest();
		fixture.dir = dir;
		SegmentationRetrainTest.Coins p = fixture.coinProject("review");
		LocalBackend b = p.backend();
		LabelLoopException none = assertThrows(LabelLoopException.class, () -> b.labelIssues(Task.SEGMENTATION));
		assertTrue(none.getMessage().contains("No segmentation model yet"), none.getMessage());
		SegmentationRetrainTest.paint(b, p.bands().get(0).id(), p.truth().get(0), p.coin());
		SegmentationRetrainTest.paint(b, p.bands().get(2).id(), p.truth().get(2), p.coin());
		List<Mask> row = new ArrayList<>(p.truth().get(1));
		Mask moved = row.get(2);
		row.set(2, SegmentationRetrainTest.shifted(moved, moved.width() / 2, 0));
		long imageId = p.bands().get(1).id();
		// a disc on the background: the point of the row farthest from every coin
		int[] far = farthest(p.truth().get(1), p.bands().get(1).width(), p.bands().get(1).height());
		row.add(Mask.disc(far[0], far[1], 7, 0));
		Mask omitted = omit ? row.remove(4) : null;
		SegmentationRetrainTest.paint(b, imageId, row, p.coin());
		long disc = idOf(b, imageId, row.get(row.size() - 1)), shifted = idOf(b, imageId, row.get(2));
		b.retrain(SegmentationRetrainTest.SEG, Progress.NONE);
		return new Project(b, p.coin(), disc, shifted, omitted);
	}

	@Test
	void theMasksTheModelDisagreesWithAreQueuedLeastAgreementFirst() throws Exception {
		Project p = project(dir);
		try (LocalBackend b = p.backend()) {
			long disc = p.disc(), shifted = p.shifted();
			ModelVersion v = b.activeModel(Task.SEGMENTATION).orElseThrow();
			List<SegmentationTrainer.MaskIou> agreement = SegmentationTrainer.maskAgreements(v);
			assertEquals(19, agreement.size(), "every labelled mask scored out-of-fold: 6 + 7 + 6");
			List<Review.Issue> issues = b.labelIssues(Task.SEGMENTATION);
			assertEquals(List.of(disc, shifted), issues.stream().map(Review.Issue::annotation).toList(), agreement.toString());
			Review.Issue spurious = issues.get(0), outline = issues.get(1);
			assertEquals(Review.Kind.SPURIOUS, spurious.kind());
			assertTrue(spurious.quality() < Review.MASK_SPURIOUS, "no coin under the disc: IoU " + spurious.quality());
			assertEquals(null, spurious.modelClass());
			assertEquals(Review.Kind.BOUNDARY, outline.kind());
			assertTrue(outline.quality() >= Review.MASK_SPURIOUS && outline.quality() < Review.MASK_AGREEMENT, "half a coin aside: IoU " + outline.quality());
			assertEquals(1 - outline.quality(), outline.confidence(), 1e-12);
			assertEquals(p.coin(), (long) outline.givenClass());
			assertEquals(Task.SEGMENTATION, outline.task());
			assertTrue(agreement.stream().filter(a -> a.annotation() != disc && a.annotation() != shifted).allMatch(a -> a.iou() > 0.7),
					"the true masks agree: " + agreement);

			// a decision takes it off the queue; a mask changed since the Retrain is not judged on its old outline
			b.decide(outline.annotation(), outline.revision(), Review.Decision.KEEP, null, "the label is right");
			assertEquals(List.of(disc), b.labelIssues(Task.SEGMENTATION).stream().map(Review.Issue::annotation).toList());
			Annotation d = b.annotation(disc).orElseThrow();
			b.apply("redraw", List.of(new Edit.Update(d.id(), d.revision(), d.data().withStatus(Status.CORRECTED))));
			assertFalse(b.labelIssues(Task.SEGMENTATION).stream().anyMatch(i -> i.annotation() == disc), "changed since: wait for the next Retrain");
		}
	}

	/**
	 * A coin left unpainted on a fully segmented row: the held-out prediction finds it where no mask lies, Retrain
	 * proposes it as a mask, and the queue asks "missing?" about it; keeping it makes it a label.
	 */
	@Test
	void aCoinNobodyPaintedOnASegmentedRowIsQueuedAsMissing() throws Exception {
		Project p = project(dir, true);
		try (LocalBackend b = p.backend()) {
			List<Review.Issue> issues = b.labelIssues(Task.SEGMENTATION);
			List<Review.Issue> missing = issues.stream().filter(i -> i.kind() == Review.Kind.MISSING).toList();
			assertEquals(1, missing.size(), issues.toString());
			Review.Issue m = missing.get(0);
			Annotation proposal = b.annotation(m.annotation()).orElseThrow();
			assertTrue(proposal.data().mask().iou(p.omitted()) > 0.7, "the proposal is the omitted coin: IoU " + proposal.data().mask().iou(p.omitted()));
			assertEquals(Status.PROPOSED, proposal.data().status());
			assertEquals(p.coin(), (long) m.modelClass());
			assertEquals(null, m.givenClass());
			assertTrue(m.confidence() >= Review.MISSING_CONFIDENCE, "a confident object: " + m.confidence());
			assertEquals(java.util.Set.of(p.disc(), p.shifted(), m.annotation()), issues.stream().map(Review.Issue::annotation).collect(java.util.stream.Collectors.toSet()));
			for (int i = 1; i < issues.size(); i++) assertTrue(issues.get(i - 1).quality() <= issues.get(i).quality(), "least likely right first: " + issues);

			// keep: the proposal becomes a label (and leaves the queue); the next Retrain does not propose it again
			b.decide(m.annotation(), m.revision(), Review.Decision.KEEP, null, null);
			assertEquals(Status.ACCEPTED, b.annotation(m.annotation()).orElseThrow().data().status());
			b.retrain(SegmentationRetrainTest.SEG, Progress.NONE);
			assertTrue(b.labelIssues(Task.SEGMENTATION).stream().noneMatch(i -> i.kind() == Review.Kind.MISSING), "nothing missing now");
		}
	}

	static long idOf(LocalBackend b, long imageId, Mask m) {
		return b.annotations(imageId).stream().filter(a -> java.util.Arrays.equals(a.data().mask().encode(), m.encode())).findFirst().orElseThrow().id();
	}

	/** The pixel of a w×h image farthest (in chessboard distance) from every mask, at least 10 pixels from the border. */
	static int[] farthest(List<Mask> masks, int w, int h) {
		int[] best = null;
		int bestDistance = -1;
		for (int y = 10; y < h - 10; y++)
			for (int x = 10; x < w - 10; x++) {
				int d = Integer.MAX_VALUE;
				for (Mask m : masks) {
					int dx = Math.max(0, Math.max(m.minX() - x, x - m.maxX())), dy = Math.max(0, Math.max(m.minY() - y, y - m.maxY()));
					d = Math.min(d, Math.max(dx, dy));
				}
				if (d > bestDistance) {
					bestDistance = d;
					best = new int[] { x, y };
				}
			}
		return best;
	}
}
