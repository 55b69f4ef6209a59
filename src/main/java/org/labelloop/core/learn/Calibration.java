package org.labelloop.core.learn;

/**
 * Temperature scaling (Guo et al., 2017): one number T, fitted on out-of-fold probabilities, turns a model's
 * probabilities {@code p} into {@code softmax(log p / T)}. T above 1 softens an over-confident model, below 1 sharpens
 * an under-confident one; the predicted class never changes, so accuracy stays as it is and only the confidences move
 * towards "right 9 times in 10 at 0.9".
 * <p>
 * The labelled items' own calibrated probabilities are cross-fitted ({@link #outOfFold}): each fold is scaled by a T
 * fitted on the other folds, so the reported calibration error is measured on items the calibration did not see.
 * <p>
 * The fit uses Platt's (1999) targets rather than hard labels: the true class weighs {@code 1 - 1/(n + 2)} and the
 * others share {@code 1/(n + 2)}. With hard labels a few items all predicted right drive T to its floor and every
 * probability to 0 or 1 (fifteen coins, entropy 6e-10); fifteen right of fifteen says "right about 16 times in 17",
 * and the targets say just that. With thousands of items they are the hard labels.
 */
public final class Calibration {

	/** The range searched for T. */
	static final double MIN_T = 0.05, MAX_T = 20;
	private static final double FLOOR = 1e-12;

	private Calibration() {
	}

	/** The temperature that minimises the mean cross-entropy of labels {@code y}'s Platt targets under {@code p}; 1 if no items. */
	public static double fit(double[][] p, int[] y) {
		if (p.length == 0) return 1;
		// golden-section search on log T: the log-likelihood is smooth and, for softmax scaling, unimodal in 1/T
		double a = Math.log(MIN_T), b = Math.log(MAX_T), g = (Math.sqrt(5) - 1) / 2;
		double c = b - g * (b - a), d = a + g * (b - a), fc = nll(p, y, Math.exp(c)), fd = nll(p, y, Math.exp(d));
		for (int i = 0; i < 60; i++) {
			if (fc < fd) {
				b = d;
				d = c;
				fd = fc;
				c = b - g * (b - a);
				fc = nll(p, y, Math.exp(c));
			} else {
				a = c;
				c = d;
				fc = fd;
				d = a + g * (b - a);
				fd = nll(p, y, Math.exp(d));
			}
		}
		return Math.exp((a + b) / 2);
	}

	/** {@code p} scaled by temperature {@code t}: {@code softmax(log p / t)}; a class of probability 0 stays (near) 0. */
	public static double[] scale(double[] p, double t) {
		double[] out = new double[p.length];
		double max = Double.NEGATIVE_INFINITY;
		for (int j = 0; j < p.length; j++) {
			out[j] = Math.log(Math.max(p[j], FLOOR)) / t;
			max = Math.max(max, out[j]);
		}
		double sum = 0;
		for (int j = 0; j < p.length; j++) sum += out[j] = Math.exp(out[j] - max);
		for (int j = 0; j < p.length; j++) out[j] /= sum;
		return out;
	}

	public static double[][] scale(double[][] p, double t) {
		double[][] out = new double[p.length][];
		for (int i = 0; i < p.length; i++) out[i] = scale(p[i], t);
		return out;
	}

	/**
	 * Cross-fitted calibration of out-of-fold probabilities: the items of fold f are scaled by the temperature fitted
	 * on the items of the other folds.
	 *
	 * @param fold the fold of each item, as {@link OutOfFold#folds} or {@link OutOfFold#groupedFolds} gave it
	 */
	public static double[][] outOfFold(double[][] p, int[] y, int[] fold) {
		int folds = java.util.Arrays.stream(fold).max().orElse(-1) + 1;
		double[][] out = new double[p.length][];
		for (int f = 0; f < folds; f++) {
			final int held = f;
			int[] rest = java.util.stream.IntStream.range(0, p.length).filter(i -> fold[i] != held).toArray();
			double t = fit(java.util.Arrays.stream(rest).mapToObj(i -> p[i]).toArray(double[][]::new), java.util.Arrays.stream(rest).map(i -> y[i]).toArray());
			for (int i = 0; i < p.length; i++) if (fold[i] == f) out[i] = scale(p[i], t);
		}
		return out;
	}

	/** Mean cross-entropy of the Platt targets (see the class comment) under {@code p} scaled by {@code t}. */
	static double nll(double[][] p, int[] y, double t) {
		double eps = 1.0 / (p.length + 2), sum = 0;
		for (int i = 0; i < p.length; i++) {
			double[] q = scale(p[i], t);
			double other = q.length > 1 ? eps / (q.length - 1) : 0;
			for (int j = 0; j < q.length; j++) sum -= (j == y[i] ? 1 - eps : other) * Math.log(Math.max(q[j], FLOOR));
		}
		return sum / p.length;
	}
}
