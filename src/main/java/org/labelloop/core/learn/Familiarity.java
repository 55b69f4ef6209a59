package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * How familiar an item is to the labelled set (issue 15's out-of-distribution warning): its distance to the k-th
 * nearest labelled embedding, each feature scaled to unit variance over the labelled items. The familiar range is
 * calibrated on the labelled items themselves: the threshold is a high quantile of their own leave-one-out scores
 * (each scored against the others), so about {@code 1 - quantile} of items like the labelled ones fall beyond it, and
 * an item further away than that is "unlike anything labelled".
 * <p>
 * Exact search, on all cores: about labelled × scored × dimension operations, fine for thousands of labels; a
 * project with far more goes through its vector index instead.
 */
public final class Familiarity {

	/**
	 * Fewest labelled items to judge familiarity from: with fewer, the 95% range is no more than the farthest label
	 * and the per-feature scales are noise (six garments called half the other garments unlike anything labelled).
	 */
	public static final int MIN_LABELS = 12;

	private final float[][] reference;
	private final float[] mean, scale;
	private final int k;
	private final double threshold;

	private Familiarity(float[][] reference, float[] mean, float[] scale, int k, double threshold) {
		this.reference = reference;
		this.mean = mean;
		this.scale = scale;
		this.k = k;
		this.threshold = threshold;
	}

	/**
	 * Fits on the labelled items' embeddings.
	 *
	 * @param k        the neighbour whose distance is the score (1: the nearest)
	 * @param quantile the share of the labelled items' own scores that lie within the familiar range, e.g. 0.95
	 */
	public static Familiarity fit(float[][] labelled, int k, double quantile) {
		if (k < 1) throw new IllegalArgumentException("k must be at least 1, not " + k);
		if (labelled.length < k + 1) throw new IllegalArgumentException("Familiarity needs more than " + k + " labelled items; there are " + labelled.length);
		if (!(quantile > 0 && quantile < 1)) throw new IllegalArgumentException("The quantile lies between 0 and 1, not " + quantile);
		int d = labelled[0].length;
		float[] mean = new float[d], scale = new float[d];
		for (int j = 0; j < d; j++) {
			double s = 0, s2 = 0;
			for (float[] x : labelled) {
				s += x[j];
				s2 += (double) x[j] * x[j];
			}
			double m = s / labelled.length, var = Math.max(0, s2 / labelled.length - m * m);
			mean[j] = (float) m;
			scale[j] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0; // a constant feature tells nothing
		}
		float[][] ref = Arrays.stream(labelled).map(x -> standardise(x, mean, scale)).toArray(float[][]::new);
		Familiarity f = new Familiarity(ref, mean, scale, k, Double.NaN);
		// leave-one-out: each labelled item's own k-th neighbour among the others (itself is at distance 0)
		double[] own = IntStream.range(0, ref.length).parallel().mapToDouble(i -> f.kth(ref[i], k + 1)).toArray();
		Arrays.sort(own);
		double t = own[Math.min(own.length - 1, (int) Math.ceil(quantile * own.length) - 1)];
		return new Familiarity(ref, mean, scale, k, t);
	}

	/** The score of an item: its distance to the k-th nearest labelled item; higher is less familiar. */
	public double score(float[] x) {
		return kth(standardise(x, mean, scale), k);
	}

	public double[] scores(float[][] x) {
		return IntStream.range(0, x.length).parallel().mapToDouble(i -> score(x[i])).toArray();
	}

	/** Beyond the familiar range: unlike anything labelled. */
	public boolean isNovel(float[] x) {
		return score(x) > threshold;
	}

	public double threshold() {
		return threshold;
	}

	private double kth(float[] z, int n) {
		// the n smallest squared distances, kept sorted
		double[] best = new double[n];
		Arrays.fill(best, Double.MAX_VALUE);
		for (float[] r : reference) {
			double s = 0;
			for (int j = 0; j < z.length && s < best[n - 1]; j++) {
				double d = z[j] - r[j];
				s += d * d;
			}
			if (s >= best[n - 1]) continue;
			int i = n - 1;
			while (i > 0 && best[i - 1] > s) {
				best[i] = best[i - 1];
				i--;
			}
			best[i] = s;
		}
		return Math.sqrt(best[n - 1]);
	}

	private static float[] standardise(float[] x, float[] mean, float[] scale) {
		if (x.length != mean.length) throw new IllegalArgumentException("An embedding of " + x.length + " values; the labelled ones have " + mean.length);
		float[] z = new float[x.length];
		for (int j = 0; j < x.length; j++) z[j] = (x[j] - mean[j]) * scale[j];
		return z;
	}
}
