package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.labelloop.core.vector.Columns;

/**
 * How familiar an item is to the labelled set (issue 15's out-of-distribution warning), from up to two signs, each
 * measured against what the labelled items give themselves:
 * <ul>
 * <li><b>distance</b>: to the k-th nearest labelled embedding, each feature scaled to unit variance over the labelled
 * items; the labelled items' own are leave-one-out (each against the others);</li>
 * <li><b>the model's uncertainty</b> (optional, e.g. the entropy of its class probabilities): the labelled items' own
 * are their <em>out-of-fold</em> uncertainties, so an item the model is as unsure of as it is of labelled items it
 * never trained on looks familiar, and one it is far more unsure of does not.</li>
 * </ul>
 * Each sign becomes its rank among the labelled items' own values (0..1; beyond the largest it goes on growing, by
 * the distance past it in units of the labelled spread, so far items stay ordered), and the score is the mean rank.
 * The familiar range is a high quantile of the labelled items' own scores: about {@code 1 - quantile} of items like
 * the labelled ones fall beyond it, and an item beyond it is "unlike anything labelled".
 * <p>
 * Why two signs: with hand-made features (features-v1), an unseen class that resembles a seen one (shirts beside
 * T-shirts, pullovers beside coats) lies among the labelled embeddings, but the model hesitates over it. On
 * Fashion-MNIST with two classes never labelled, distance alone gave a mean AUROC of 0.81 over four held-out pairs,
 * both signs 0.85 (tuned on a fifth pair; docs/benchmarks.md, bench trust).
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

	/** The standardised labelled embeddings in blocks of {@value #BLOCK}, transposed, and their squared lengths. */
	private final Columns[] reference;
	private final double[] norms;
	private final float[] mean, scale;
	private final int k;
	/** The labelled items' own distances and (or null) uncertainties, sorted: the scales the ranks are read on. */
	private final double[] ownDistance, ownUncertainty;
	private final double threshold;

	/**
	 * Labelled items per block of the reference: 128 × 763 floats (390 kB) stay in a core's cache while a part of the
	 * scored items is compared with them.
	 */
	static final int BLOCK = 128;
	/** Scored items per part (the unit of work on the common pool). */
	private static final int PART = 256;

	private Familiarity(Columns[] reference, double[] norms, float[] mean, float[] scale, int k, double[] ownDistance, double[] ownUncertainty,
			double threshold) {
		this.reference = reference;
		this.norms = norms;
		this.mean = mean;
		this.scale = scale;
		this.k = k;
		this.ownDistance = ownDistance;
		this.ownUncertainty = ownUncertainty;
		this.threshold = threshold;
	}

	/** Fits on the labelled items' embeddings alone (distance only); see {@link #fit(float[][], double[], int, double)}. */
	public static Familiarity fit(float[][] labelled, int k, double quantile) {
		return fit(labelled, null, k, quantile);
	}

	/**
	 * Fits on the labelled items' embeddings and, optionally, the model's out-of-fold uncertainty of each.
	 *
	 * @param uncertainty the model's uncertainty of each labelled item from a model that did not train on it (its
	 *                    out-of-fold probabilities), higher is less sure; null for distance alone
	 * @param k           the neighbour whose distance counts (1: the nearest)
	 * @param quantile    the share of the labelled items' own scores that lie within the familiar range, e.g. 0.95
	 */
	public static Familiarity fit(float[][] labelled, double[] uncertainty, int k, double quantile) {
		if (k < 1) throw new IllegalArgumentException("k must be at least 1, not " + k);
		if (labelled.length < k + 1) throw new IllegalArgumentException("Familiarity needs more than " + k + " labelled items; there are " + labelled.length);
		if (!(quantile > 0 && quantile < 1)) throw new IllegalArgumentException("The quantile lies between 0 and 1, not " + quantile);
		if (uncertainty != null && uncertainty.length != labelled.length)
			throw new IllegalArgumentException(uncertainty.length + " uncertainties for " + labelled.length + " labelled items");
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
		Columns[] blocks = new Columns[(ref.length + BLOCK - 1) / BLOCK];
		for (int b = 0; b < blocks.length; b++) blocks[b] = Columns.of(ref, b * BLOCK, Math.min(ref.length, b * BLOCK + BLOCK));
		double[] norms = Arrays.stream(ref).mapToDouble(Familiarity::squaredLength).toArray();
		Familiarity f = new Familiarity(blocks, norms, mean, scale, k, null, null, Double.NaN);
		// leave-one-out: each labelled item's own k-th neighbour among the others (itself is at distance 0)
		double[] own = f.kth(ref, false, k + 1);
		double[] ownD = own.clone(), ownU = uncertainty == null ? null : uncertainty.clone();
		Arrays.sort(ownD);
		if (ownU != null) Arrays.sort(ownU);
		Familiarity ranked = new Familiarity(blocks, norms, mean, scale, k, ownD, ownU, Double.NaN);
		double[] scores = IntStream.range(0, own.length).mapToDouble(i -> ranked.combine(own[i], uncertainty == null ? Double.NaN : uncertainty[i])).toArray();
		Arrays.sort(scores);
		double t = scores[Math.min(scores.length - 1, (int) Math.ceil(quantile * scores.length) - 1)];
		return new Familiarity(blocks, norms, mean, scale, k, ownD, ownU, t);
	}

	/** Whether the score takes the model's uncertainty too: then {@link #score(float[], double)} is the one to call. */
	public boolean usesUncertainty() {
		return ownUncertainty != null;
	}

	/** The score of an item from its embedding alone: higher is less familiar; refused when fitted with uncertainties. */
	public double score(float[] x) {
		return scores(new float[][] { x })[0];
	}

	/** The score of an item from its embedding and the model's uncertainty of it (ignored when fitted on distance alone). */
	public double score(float[] x, double uncertainty) {
		return scores(new float[][] { x }, new double[] { uncertainty })[0];
	}

	/** {@link #score(float[])} of every item, on every core. */
	public double[] scores(float[][] x) {
		if (usesUncertainty()) throw new IllegalStateException("This familiarity was fitted with the model's uncertainty: score(x, uncertainty)");
		double[] d = distances(x);
		for (int i = 0; i < d.length; i++) d[i] = combine(d[i], Double.NaN);
		return d;
	}

	/** {@link #score(float[], double)} of every item, on every core. */
	public double[] scores(float[][] x, double[] uncertainty) {
		if (uncertainty.length != x.length) throw new IllegalArgumentException(uncertainty.length + " uncertainties for " + x.length + " items");
		double[] d = distances(x);
		for (int i = 0; i < d.length; i++) d[i] = combine(d[i], usesUncertainty() ? uncertainty[i] : Double.NaN);
		return d;
	}

	/** The distance of each item to its k-th nearest labelled item, features scaled as fitted. */
	private double[] distances(float[][] x) {
		return kth(x, true, k);
	}

	/** Beyond the familiar range: unlike anything labelled. */
	public boolean isNovel(float[] x) {
		return score(x) > threshold;
	}

	/** The score beyond which an item is unlike anything labelled (the quantile of the labelled items' own scores). */
	public double threshold() {
		return threshold;
	}

	private double combine(double distance, double uncertainty) {
		double r = rank(ownDistance, distance);
		return Double.isNaN(uncertainty) ? r : (r + rank(ownUncertainty, uncertainty)) / 2;
	}

	/**
	 * The share of the sorted reference at or below v; past the largest, 1 plus how far past it in units of the
	 * reference's upper half (largest − median), so that items beyond every labelled one keep their order.
	 */
	static double rank(double[] sorted, double v) {
		int n = sorted.length;
		double max = sorted[n - 1];
		if (v > max) {
			double spread = max - sorted[n / 2];
			return 1 + (v - max) / (spread > 0 ? spread : Math.max(Math.abs(max), 1e-12));
		}
		int lo = 0, hi = n; // first index with sorted[i] > v
		while (lo < hi) {
			int m = (lo + hi) >>> 1;
			if (sorted[m] <= v) lo = m + 1;
			else hi = m;
		}
		return (double) lo / n;
	}

	/**
	 * The distance of each item to its n-th nearest reference item: squared distances as {@code |z|² + |r|² − 2 z·r},
	 * the dot products a block of the reference at a time ({@link Columns}), for parts of the items on every core.
	 * (Rounding leaves an item's distance to itself a little off 0; it is clamped there.)
	 *
	 * @param standardise whether the items are raw embeddings, standardised here a part at a time (a copy of 100,000
	 *                    items would take 300 MB), or standardised already
	 */
	private double[] kth(float[][] items, boolean standardise, int n) {
		double[] out = new double[items.length];
		IntStream.range(0, (items.length + PART - 1) / PART).parallel().forEach(part -> {
			int from = part * PART, to = Math.min(items.length, from + PART);
			float[][] z = new float[to - from][];
			double[][] best = new double[to - from][n]; // the n smallest squared distances of each item, kept sorted
			double[] zz = new double[to - from];
			for (int i = 0; i < z.length; i++) {
				z[i] = standardise ? standardise(items[from + i], mean, scale) : items[from + i];
				Arrays.fill(best[i], Double.MAX_VALUE);
				zz[i] = squaredLength(z[i]);
			}
			float[] dots = new float[BLOCK];
			for (int b = 0; b < reference.length; b++) {
				Columns block = reference[b];
				int base = b * BLOCK, size = block.size();
				for (int i = 0; i < z.length; i++) {
					block.dots(z[i], dots);
					double[] kept = best[i];
					double worst = kept[n - 1], zi = zz[i];
					for (int r = 0; r < size; r++) {
						double s = Math.max(0, zi + norms[base + r] - 2.0 * dots[r]);
						if (s >= worst) continue;
						int j = n - 1;
						while (j > 0 && kept[j - 1] > s) {
							kept[j] = kept[j - 1];
							j--;
						}
						kept[j] = s;
						worst = kept[n - 1];
					}
				}
			}
			for (int i = 0; i < z.length; i++) out[from + i] = Math.sqrt(best[i][n - 1]);
		});
		return out;
	}

	private static double squaredLength(float[] v) {
		double s = 0;
		for (float x : v) s += (double) x * x;
		return s;
	}

	private static float[] standardise(float[] x, float[] mean, float[] scale) {
		if (x.length != mean.length) throw new IllegalArgumentException("An embedding of " + x.length + " values; the labelled ones have " + mean.length);
		float[] z = new float[x.length];
		for (int j = 0; j < x.length; j++) z[j] = (x[j] - mean[j]) * scale[j];
		return z;
	}
}
