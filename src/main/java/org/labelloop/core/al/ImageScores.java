package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image-level scores from object-level (ROI) uncertainties, so a project that labels objects still picks whole images
 * for Next Image. Each ROI's uncertainty is an {@link Uncertainty} of its class probabilities (larger = more
 * uncertain, for every measure); an image's score combines those of its ROIs:
 * <ul>
 * <li>{@link Aggregation#MAX}: the image is as uncertain as its most uncertain object. Finds single hard objects; not
 * biased by how many objects an image holds. The usual default (e.g. Brust, Käding &amp; Denzler, "Active Learning for
 * Deep Object Detection", VISAPP 2019, compare max, sum and mean).</li>
 * <li>{@link Aggregation#MEAN}: average uncertainty of the objects; favours images where the model is unsure about
 * everything, not crowded ones.</li>
 * <li>{@link Aggregation#SUM}: total uncertainty; favours images with many uncertain objects, the most
 * corrections per image opened, but is biased towards crowded images.</li>
 * </ul>
 * Images without ROIs have no score and do not appear.
 */
public final class ImageScores {

	/** How ROI uncertainties combine into one image score. */
	public enum Aggregation {
		MAX, MEAN, SUM;

		/** "max", "mean" or "sum", any case. */
		public static Aggregation parse(String s) {
			for (Aggregation a : values()) if (a.name().equalsIgnoreCase(s.strip())) return a;
			throw new IllegalArgumentException("Unknown aggregation '" + s + "'; known: max, mean, sum");
		}
	}

	private final long[] imageIds;
	private final double[] scores;
	private final int[] rois;
	private final Aggregation how;
	private final String measure;

	private ImageScores(long[] imageIds, double[] scores, int[] rois, Aggregation how, String measure) {
		this.imageIds = imageIds;
		this.scores = scores;
		this.rois = rois;
		this.how = how;
		this.measure = measure;
	}

	/**
	 * Scores images from the class probabilities of their ROIs.
	 *
	 * @param imageOfRoi the image id of each ROI
	 * @param roiProbabilities the class probabilities of each ROI
	 */
	public static ImageScores aggregate(long[] imageOfRoi, float[][] roiProbabilities, Uncertainty measure, Aggregation how) {
		if (imageOfRoi.length != roiProbabilities.length)
			throw new IllegalArgumentException(imageOfRoi.length + " image ids for " + roiProbabilities.length + " ROIs");
		double[] u = new double[imageOfRoi.length];
		for (int i = 0; i < u.length; i++) u[i] = measure.of(roiProbabilities[i]);
		return aggregate(imageOfRoi, u, how, measure.label());
	}

	/**
	 * Scores images from ROI uncertainties computed elsewhere (larger = more uncertain).
	 *
	 * @param measure the name of the uncertainty, for the reasons ("entropy")
	 */
	public static ImageScores aggregate(long[] imageOfRoi, double[] roiUncertainty, Aggregation how, String measure) {
		if (imageOfRoi.length != roiUncertainty.length)
			throw new IllegalArgumentException(imageOfRoi.length + " image ids for " + roiUncertainty.length + " ROI scores");
		Map<Long, double[]> acc = new LinkedHashMap<>(); // image → {max, sum, count}
		for (int i = 0; i < imageOfRoi.length; i++) {
			double u = roiUncertainty[i];
			if (Double.isNaN(u)) throw new IllegalArgumentException("ROI " + i + " has no uncertainty (NaN)");
			double[] a = acc.computeIfAbsent(imageOfRoi[i], id -> new double[] { Double.NEGATIVE_INFINITY, 0, 0 });
			a[0] = Math.max(a[0], u);
			a[1] += u;
			a[2]++;
		}
		long[] ids = new long[acc.size()];
		double[] s = new double[ids.length];
		int[] n = new int[ids.length];
		int j = 0;
		for (Map.Entry<Long, double[]> e : acc.entrySet()) {
			double[] a = e.getValue();
			ids[j] = e.getKey();
			n[j] = (int) a[2];
			s[j++] = switch (how) {
			case MAX -> a[0];
			case MEAN -> a[1] / a[2];
			case SUM -> a[1];
			};
		}
		return new ImageScores(ids, s, n, how, measure);
	}

	/** Image ids, in order of first appearance. */
	public long[] imageIds() {
		return imageIds.clone();
	}

	/** Scores, aligned with {@link #imageIds()}. */
	public double[] scores() {
		return scores.clone();
	}

	/** The score of one image, or NaN if it has no ROI. */
	public double score(long imageId) {
		for (int i = 0; i < imageIds.length; i++) if (imageIds[i] == imageId) return scores[i];
		return Double.NaN;
	}

	/** Number of ROIs of one image (0 if none). */
	public int roiCount(long imageId) {
		for (int i = 0; i < imageIds.length; i++) if (imageIds[i] == imageId) return rois[i];
		return 0;
	}

	/**
	 * The k highest-scoring images, best first, with reasons such as
	 * {@code max ROI entropy 1.92 over 7 ROIs — rank 1 of 312 images}.
	 *
	 * @param exclude images not to return (labelled, or leased to others)
	 */
	public List<Selection> top(int k, Set<Long> exclude) {
		if (k < 1) throw new IllegalArgumentException("Batch size must be at least 1, not " + k);
		TopK heap = new TopK(k);
		int total = 0;
		for (int i = 0; i < imageIds.length; i++) {
			if (exclude.contains(imageIds[i])) continue;
			total++;
			heap.offer(scores[i], i);
		}
		int[] pos = heap.drain();
		List<Selection> out = new ArrayList<>(pos.length);
		for (int r = 0; r < pos.length; r++) {
			int i = pos[r];
			String what = how.name().toLowerCase() + " ROI " + measure + " " + Text.num(scores[i]) + " over " + rois[i]
					+ (rois[i] == 1 ? " ROI" : " ROIs");
			out.add(new Selection(imageIds[i], scores[i], r + 1, Text.ranked(what, r + 1, total, "images")));
		}
		return out;
	}
}
