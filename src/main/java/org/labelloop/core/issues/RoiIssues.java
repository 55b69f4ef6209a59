package org.labelloop.core.issues;

import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.geom.Geometry;

/**
 * Object-level label issues on one image, by matching the labelled ROIs with the model's proposals by IoU:
 * <ul>
 * <li><b>missing</b>: a proposal the model is confident about (≥ {@code minConfidence}) that overlaps no label
 * (best IoU &lt; {@code matchIoU}) — an object the labeller probably forgot;</li>
 * <li><b>spurious</b>: a label under which the model proposes no object (best IoU with any proposal &lt;
 * {@code matchIoU}) — an object that is probably not there.</li>
 * </ul>
 * Each side is ranked: missing by proposal confidence, spurious by how little it overlaps anything.
 */
public final class RoiIssues {

	public enum Kind { MISSING, SPURIOUS }

	/**
	 * @param kind  missing (index into proposals) or spurious (index into labels)
	 * @param score confidence of the missing proposal, or 1 − best IoU of the spurious label; higher = more likely
	 */
	public record RoiIssue(Kind kind, int index, double score) {
	}

	private RoiIssues() {
	}

	/** Proposals with confidence ≥ {@code minConfidence} whose best IoU with any label is below {@code matchIoU}, most confident first. */
	public static List<RoiIssue> missing(List<Geometry> labels, List<Geometry> proposals, double[] proposalConfidence, double matchIoU,
			double minConfidence) {
		if (proposals.size() != proposalConfidence.length)
			throw new IllegalArgumentException(proposals.size() + " proposals but " + proposalConfidence.length + " confidences");
		List<RoiIssue> out = new ArrayList<>();
		for (int j = 0; j < proposals.size(); j++)
			if (proposalConfidence[j] >= minConfidence && bestIoU(proposals.get(j), labels) < matchIoU)
				out.add(new RoiIssue(Kind.MISSING, j, proposalConfidence[j]));
		out.sort((a, b) -> Double.compare(b.score(), a.score()));
		return out;
	}

	/** Labels whose best IoU with any proposal is below {@code matchIoU}, those overlapping least first. */
	public static List<RoiIssue> spurious(List<Geometry> labels, List<Geometry> proposals, double matchIoU) {
		List<RoiIssue> out = new ArrayList<>();
		for (int i = 0; i < labels.size(); i++) {
			double best = bestIoU(labels.get(i), proposals);
			if (best < matchIoU) out.add(new RoiIssue(Kind.SPURIOUS, i, 1 - best));
		}
		out.sort((a, b) -> Double.compare(b.score(), a.score()));
		return out;
	}

	private static double bestIoU(Geometry g, List<Geometry> others) {
		double best = 0;
		for (Geometry o : others)
			if (g.bounds().intersects(o.bounds())) best = Math.max(best, g.iou(o));
		return best;
	}
}
