package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.stream.IntStream;

import smile.math.BFGS;
import smile.math.DifferentiableMultivariateFunction;

/**
 * Multinomial logistic regression fitted by Smile's own L-BFGS ({@link BFGS#minimize}, 5 corrections, the same as
 * {@code smile.classification.LogisticRegression.fit}) on an objective and gradient computed in single precision over
 * row blocks on all cores.
 * <p>
 * It is the same problem as Smile's: the negative log-likelihood summed over the items plus {@code penalty/2·|w|²}
 * (biases not penalised); the parameters are one weight row of {@code p + 1} values (bias last) for each class except
 * a reference class whose logit is 0 — class {@code k-1} for {@code k > 2} as in Smile's multinomial model, class 0
 * for {@code k = 2} as in its binomial model — started from 0. So with the same penalty, tolerance and iterations
 * the iterates and the fitted probabilities follow Smile's up to rounding.
 * <p>
 * What makes it faster than Smile's objective (double precision, one dot product at a time, each a chain of
 * dependent additions): the features are floats, the logits of four classes are computed in one pass over a row with
 * eight independent accumulators, and the gradient update is a float {@code a += s·x} loop the JIT vectorises. Sums
 * over items run per block of {@value #BLOCK} rows (in float within a block, in double across blocks, blocks always in
 * the same order), so the result does not depend on the number of threads.
 */
final class FloatLogistic implements DifferentiableMultivariateFunction {

	/** Rows per block: one task of the parallel loop and one float accumulation of the gradient. */
	static final int BLOCK = 256;

	/** L-BFGS corrections kept, as Smile's LogisticRegression. */
	static final int CORRECTIONS = 5;

	private final float[][] x;
	private final int[] y;
	private final int k, p, m, reference;
	private final double penalty;
	private final int blocks;
	/** Per block: the float gradient ({@code m·p} weights then {@code m} biases) of the last call to {@link #g}. */
	private final float[][] blockGradient;
	private final double[][] blockBias;
	private final double[] blockLoss;

	/**
	 * @param x standardised features, one row per item (not copied; must not change while in use)
	 * @param y class of each item in {@code [0, k)}
	 * @param k number of classes, at least 2
	 * @param penalty L2 penalty on the summed loss (Smile's {@code lambda}: per-item lambda times the items)
	 */
	FloatLogistic(float[][] x, int[] y, int k, double penalty) {
		if (k < 2) throw new IllegalArgumentException("Logistic regression needs 2 classes or more, not " + k);
		this.x = x;
		this.y = y;
		this.k = k;
		this.p = x[0].length;
		this.m = k - 1;
		this.reference = k == 2 ? 0 : k - 1;
		this.penalty = penalty;
		this.blocks = (x.length + BLOCK - 1) / BLOCK;
		this.blockGradient = new float[blocks][];
		this.blockBias = new double[blocks][];
		this.blockLoss = new double[blocks];
	}

	/** Number of parameters: {@code (k-1)·(p+1)}. */
	int parameters() {
		return m * (p + 1);
	}

	/**
	 * Fits the model: L-BFGS from 0 with gradient tolerance {@code tol} and at most {@code maxIter} iterations.
	 *
	 * @return {@code k-1} rows of {@code p+1} weights (bias last): the logit of the r-th non-reference class
	 */
	double[][] fit(double tol, int maxIter) {
		double[] w = new double[parameters()];
		BFGS.minimize(this, CORRECTIONS, w, tol, maxIter);
		double[][] rows = new double[m][];
		for (int r = 0; r < m; r++) rows[r] = Arrays.copyOfRange(w, r * (p + 1), (r + 1) * (p + 1));
		return rows;
	}

	/** The reference class (logit 0): {@code k-1}, or 0 for two classes. */
	int reference() {
		return reference;
	}

	@Override
	public double f(double[] w) {
		return evaluate(w, null);
	}

	@Override
	public double g(double[] w, double[] g) {
		return evaluate(w, g);
	}

	private double evaluate(double[] w, double[] g) {
		if (w.length != parameters()) throw new IllegalArgumentException(w.length + " parameters, expected " + parameters());
		float[][] wf = new float[m][p];
		double[] bias = new double[m];
		for (int r = 0; r < m; r++) {
			int base = r * (p + 1);
			for (int j = 0; j < p; j++) wf[r][j] = (float) w[base + j];
			bias[r] = w[base + p];
		}
		boolean gradient = g != null;
		IntStream.range(0, blocks).parallel().forEach(b -> block(b, wf, bias, gradient));
		double f = 0;
		for (int b = 0; b < blocks; b++) f += blockLoss[b];
		if (gradient) {
			Arrays.fill(g, 0);
			for (int b = 0; b < blocks; b++) {
				float[] gb = blockGradient[b];
				double[] bb = blockBias[b];
				for (int r = 0; r < m; r++) {
					int base = r * (p + 1), from = r * p;
					for (int j = 0; j < p; j++) g[base + j] += gb[from + j];
					g[base + p] += bb[r];
				}
			}
		}
		if (penalty > 0) {
			double norm = 0;
			for (int r = 0; r < m; r++) {
				int base = r * (p + 1);
				for (int j = 0; j < p; j++) {
					double v = w[base + j];
					norm += v * v;
					if (gradient) g[base + j] += penalty * v;
				}
			}
			f += 0.5 * penalty * norm;
		}
		return f;
	}

	/** Loss (and gradient) of one block of rows into the block's slots. */
	private void block(int b, float[][] w, double[] bias, boolean gradient) {
		int from = b * BLOCK, to = Math.min(x.length, from + BLOCK);
		float[] gb = null;
		double[] bb = null;
		if (gradient) {
			gb = blockGradient[b];
			if (gb == null) blockGradient[b] = gb = new float[m * p];
			else Arrays.fill(gb, 0);
			bb = blockBias[b];
			if (bb == null) blockBias[b] = bb = new double[m];
			else Arrays.fill(bb, 0);
		}
		double[] logit = new double[m];
		float[] acc = new float[m];
		double loss = 0;
		for (int i = from; i < to; i++) {
			float[] xi = x[i];
			logits(xi, w, acc);
			// softmax over the m logits and the reference's 0, in double
			double max = 0;
			for (int r = 0; r < m; r++) {
				logit[r] = acc[r] + bias[r];
				if (logit[r] > max) max = logit[r];
			}
			double sum = Math.exp(-max); // the reference class
			for (int r = 0; r < m; r++) sum += logit[r] = Math.exp(logit[r] - max);
			int yr = y[i] == reference ? -1 : row(y[i]);
			double own = yr < 0 ? 0 : acc[yr] + bias[yr]; // the raw logit of the item's class
			loss += Math.log(sum) + max - own; // -log p(y)
			if (gradient) {
				for (int r = 0; r < m; r++) {
					double err = logit[r] / sum - (r == yr ? 1 : 0); // d loss / d logit r
					bb[r] += err;
					axpy((float) err, xi, gb, r * p);
				}
			}
		}
		blockLoss[b] = loss;
	}

	/** Parameter row of class c (c is not the reference). */
	private int row(int c) {
		return c < reference ? c : c - 1;
	}

	/** {@code out[r] = w[r]·x} for every row r, four rows per pass over x with two accumulators each. */
	static void logits(float[] x, float[][] w, float[] out) {
		int m = w.length, p = x.length, r = 0;
		for (; r + 4 <= m; r += 4) {
			float[] w0 = w[r], w1 = w[r + 1], w2 = w[r + 2], w3 = w[r + 3];
			float a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
			int j = 0;
			for (; j + 2 <= p; j += 2) {
				float x0 = x[j], x1 = x[j + 1];
				a0 += w0[j] * x0;
				a1 += w1[j] * x0;
				a2 += w2[j] * x0;
				a3 += w3[j] * x0;
				b0 += w0[j + 1] * x1;
				b1 += w1[j + 1] * x1;
				b2 += w2[j + 1] * x1;
				b3 += w3[j + 1] * x1;
			}
			for (; j < p; j++) {
				float x0 = x[j];
				a0 += w0[j] * x0;
				a1 += w1[j] * x0;
				a2 += w2[j] * x0;
				a3 += w3[j] * x0;
			}
			out[r] = a0 + b0;
			out[r + 1] = a1 + b1;
			out[r + 2] = a2 + b2;
			out[r + 3] = a3 + b3;
		}
		for (; r < m; r++) out[r] = dot(x, w[r]);
	}

	/** Dot product with eight accumulators. */
	static float dot(float[] a, float[] b) {
		float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
		int n = a.length, j = 0;
		for (; j + 8 <= n; j += 8) {
			s0 += a[j] * b[j];
			s1 += a[j + 1] * b[j + 1];
			s2 += a[j + 2] * b[j + 2];
			s3 += a[j + 3] * b[j + 3];
			s4 += a[j + 4] * b[j + 4];
			s5 += a[j + 5] * b[j + 5];
			s6 += a[j + 6] * b[j + 6];
			s7 += a[j + 7] * b[j + 7];
		}
		for (; j < n; j++) s0 += a[j] * b[j];
		return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
	}

	/** {@code g[off + j] += s·x[j]}: the loop C2 compiles to vector instructions. */
	private static void axpy(float s, float[] x, float[] g, int off) {
		for (int j = 0; j < x.length; j++) g[off + j] += s * x[j];
	}
}
