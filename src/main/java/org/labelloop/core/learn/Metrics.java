package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How good class probabilities are against true labels; a model version stores these, measured out-of-fold.
 *
 * @param n number of items
 * @param accuracy fraction of items whose most probable class (the first, on ties) is their label
 * @param macroF1 mean F1 over the classes that occur as label or prediction
 * @param auc one-vs-rest ROC AUC per class (tied scores count one half); {@code NaN} for a class without positive or
 *        without negative items
 * @param ece expected calibration error: items binned by their highest probability into {@value #ECE_BINS}
 *        equal-width bins {@code ((b-1)/15, b/15]}; the item-weighted mean of |accuracy − mean confidence| per bin
 * @param confusion {@code confusion[label][predicted]} counts
 */
public record Metrics(int n, double accuracy, double macroF1, double[] auc, double ece, int[][] confusion) {

	public static final int ECE_BINS = 15;

	/**
	 * Measures probabilities against labels.
	 *
	 * @param probabilities one vector of k class probabilities per item
	 * @param y the label (class index) of each item
	 * @param k the number of classes
	 */
	public static Metrics of(double[][] probabilities, int[] y, int k) {
		if (probabilities.length != y.length) throw new IllegalArgumentException(probabilities.length + " probability vectors but " + y.length + " labels");
		if (y.length == 0) throw new IllegalArgumentException("No items to measure");
		int n = y.length;
		int[][] confusion = new int[k][k];
		int correct = 0;
		for (int i = 0; i < n; i++) {
			if (probabilities[i].length != k) throw new IllegalArgumentException("Item " + i + " has " + probabilities[i].length + " probabilities, not " + k);
			if (y[i] < 0 || y[i] >= k) throw new IllegalArgumentException("Label " + y[i] + " of item " + i + " is not a class index in [0, " + k + ")");
			int p = argmax(probabilities[i]);
			confusion[y[i]][p]++;
			if (p == y[i]) correct++;
		}
		double[] auc = IntStream.range(0, k).mapToDouble(c -> auc(probabilities, y, c)).toArray();
		return new Metrics(n, (double) correct / n, macroF1(confusion), auc, ece(probabilities, y), confusion);
	}

	/** Mean of the per-class AUCs that are defined; {@code NaN} if none is. */
	public double meanAuc() {
		return Arrays.stream(auc).filter(Double::isFinite).average().orElse(Double.NaN);
	}

	@Override public double[] auc() { return auc.clone(); }

	@Override
	public int[][] confusion() {
		return Arrays.stream(confusion).map(int[]::clone).toArray(int[][]::new);
	}

	static int argmax(double[] p) {
		int best = 0;
		for (int c = 1; c < p.length; c++)
			if (p[c] > p[best]) best = c;
		return best;
	}

	private static double macroF1(int[][] confusion) {
		int k = confusion.length;
		double sum = 0;
		int counted = 0;
		for (int c = 0; c < k; c++) {
			int tp = confusion[c][c], actual = 0, predicted = 0;
			for (int j = 0; j < k; j++) {
				actual += confusion[c][j];
				predicted += confusion[j][c];
			}
			if (actual + predicted == 0) continue;
			sum += 2.0 * tp / (actual + predicted);
			counted++;
		}
		return sum / counted;
	}

	/** The ROC AUC of a score for telling the {@code positive} items from the others (ties count one half). */
	public static double auroc(double[] score, boolean[] positive) {
		double[][] p = new double[score.length][];
		int[] y = new int[score.length];
		for (int i = 0; i < score.length; i++) {
			p[i] = new double[] { -score[i], score[i] };
			y[i] = positive[i] ? 1 : 0;
		}
		return auc(p, y, 1);
	}

	/** Rank-based (Mann–Whitney) one-vs-rest AUC of class c, average ranks for ties. */
	static double auc(double[][] p, int[] y, int c) {
		Integer[] order = new Integer[y.length];
		for (int i = 0; i < order.length; i++) order[i] = i;
		Arrays.sort(order, Comparator.comparingDouble(i -> p[i][c]));
		long positives = Arrays.stream(y).filter(l -> l == c).count(), negatives = y.length - positives;
		if (positives == 0 || negatives == 0) return Double.NaN;
		double rankSum = 0;
		for (int start = 0; start < order.length;) {
			int end = start;
			while (end + 1 < order.length && p[order[end + 1]][c] == p[order[start]][c]) end++;
			double rank = (start + end) / 2.0 + 1; // 1-based average rank of the tie group
			for (int i = start; i <= end; i++)
				if (y[order[i]] == c) rankSum += rank;
			start = end + 1;
		}
		return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
	}

	static double ece(double[][] p, int[] y) {
		return reliability(p, y).ece();
	}

	/** The reliability diagram of {@code p} against labels {@code y}, in the {@value #ECE_BINS} bins of the ECE. */
	public static Reliability reliability(double[][] p, int[] y) {
		double[] confidence = new double[ECE_BINS];
		int[] count = new int[ECE_BINS], correct = new int[ECE_BINS];
		for (int i = 0; i < y.length; i++) {
			int pred = argmax(p[i]);
			double conf = p[i][pred];
			int b = Math.min(ECE_BINS - 1, Math.max(0, (int) Math.ceil(conf * ECE_BINS) - 1));
			count[b]++;
			confidence[b] += conf;
			if (pred == y[i]) correct[b]++;
		}
		double[] meanConfidence = new double[ECE_BINS], accuracy = new double[ECE_BINS];
		for (int b = 0; b < ECE_BINS; b++) {
			meanConfidence[b] = count[b] == 0 ? Double.NaN : confidence[b] / count[b];
			accuracy[b] = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
		}
		return new Reliability(count, meanConfidence, accuracy);
	}

	/**
	 * The ECE that sampling noise alone gives these probabilities: the mean ECE of {@code p} against labels drawn from
	 * {@code p} itself ("consistency resampling", Bröcker and Smith 2007), so of a model calibrated exactly. A measured
	 * ECE near it is as low as so few items can show; binned ECE is biased upwards at small n.
	 *
	 * @param resamples how many label draws to average
	 */
	public static double eceNoiseFloor(double[][] p, int resamples, long seed) {
		if (resamples < 1) throw new IllegalArgumentException("At least one resample, not " + resamples);
		java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
		int[] y = new int[p.length];
		double sum = 0;
		for (int s = 0; s < resamples; s++) {
			for (int i = 0; i < p.length; i++) {
				double u = r.nextDouble(), acc = 0, total = 0;
				for (double v : p[i]) total += v;
				int c = p[i].length - 1;
				for (int j = 0; j < p[i].length; j++) {
					acc += p[i][j] / total;
					if (u < acc) {
						c = j;
						break;
					}
				}
				y[i] = c;
			}
			sum += ece(p, y);
		}
		return sum / resamples;
	}

	/**
	 * A reliability diagram: items binned by their highest probability into equal-width bins {@code ((b-1)/B, b/B]};
	 * per bin the item count, the mean confidence and the accuracy (NaN for an empty bin). A calibrated model's bins
	 * lie on the diagonal.
	 */
	public record Reliability(int[] count, double[] meanConfidence, double[] accuracy) {
		/** The item-weighted mean of |accuracy − mean confidence| over the bins. */
		public double ece() {
			int n = java.util.Arrays.stream(count).sum();
			double ece = 0;
			for (int b = 0; b < count.length; b++)
				if (count[b] > 0) ece += count[b] * Math.abs(accuracy[b] - meanConfidence[b]) / n;
			return n == 0 ? Double.NaN : ece;
		}
	}
}
