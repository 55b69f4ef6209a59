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
 * dependent additions): the features are floats, and both products — the logits {@code X·Wᵀ} and the gradient
 * {@code Errᵀ·X} — are written as loops the JIT turns into vector instructions: the logits over a block's items from a
 * transposed copy of the block (four features per pass), the gradient over the features of four rows at a time. The
 * transposed copy makes the float data take 8 bytes per value, as Smile's double copy did. Sums
 * over items run per block of {@value #BLOCK} rows (in float within a block, in double across blocks, blocks always in
 * the same order), so the result does not depend on the number of threads.
 */
final class FloatLogistic implements DifferentiableMultivariateFunction {

	/** Rows per block: one task of the parallel loop and one float accumulation of the gradient. */
	static final int BLOCK = 256;

	/** L-BFGS corrections kept, as Smile's LogisticRegression. */
	static final int CORRECTIONS = 5;

	private final float[][] x;
	/** Per block, per feature j: the block's values of feature j (the block transposed), for the logits. */
	private final float[][][] columns;
	private final int[] y;
	private final int k, p, m, reference;
	private final double penalty;
	private final int blocks;
	/** Per block: the float gradient of the weights of each parameter row, of the last call to {@link #g}. */
	private final float[][][] blockGradient;
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
		this.blockGradient = new float[blocks][][];
		this.blockBias = new double[blocks][];
		this.blockLoss = new double[blocks];
		this.columns = new float[blocks][][];
		IntStream.range(0, blocks).parallel().forEach(b -> {
			int from = b * BLOCK, len = Math.min(x.length, from + BLOCK) - from;
			float[][] c = columns[b] = new float[p][len];
			for (int i = 0; i < len; i++) {
				float[] xi = x[from + i];
				for (int j = 0; j < p; j++) c[j][i] = xi[j];
			}
		});
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
				float[][] gb = blockGradient[b];
				double[] bb = blockBias[b];
				for (int r = 0; r < m; r++) {
					int base = r * (p + 1);
					float[] gr = gb[r];
					for (int j = 0; j < p; j++) g[base + j] += gr[j];
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
		int from = b * BLOCK, len = Math.min(x.length, from + BLOCK) - from;
		// logits of the block's rows, one array per parameter row
		float[][] z = new float[m][len];
		float[][] c = columns[b];
		int j = 0;
		for (; j + 4 <= p; j += 4) {
			float[] c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
			for (int r = 0; r < m; r++) {
				float[] wr = w[r];
				axpy4(wr[j], wr[j + 1], wr[j + 2], wr[j + 3], c0, c1, c2, c3, z[r]);
			}
		}
		for (; j < p; j++)
			for (int r = 0; r < m; r++) axpy(w[r][j], c[j], z[r]);

		// softmax over the m logits and the reference's 0, in double; err = d loss / d logit, overwriting z
		double[] e = new double[m];
		double[] bb = gradient ? new double[m] : null;
		double loss = 0;
		for (int i = 0; i < len; i++) {
			double max = 0;
			for (int r = 0; r < m; r++) {
				e[r] = z[r][i] + bias[r];
				if (e[r] > max) max = e[r];
			}
			int yi = y[from + i], yr = yi == reference ? -1 : row(yi);
			double own = yr < 0 ? 0 : e[yr]; // the logit of the item's class
			double sum = Math.exp(-max); // the reference class
			for (int r = 0; r < m; r++) sum += e[r] = Math.exp(e[r] - max);
			loss += Math.log(sum) + max - own; // -log p(y)
			if (gradient)
				for (int r = 0; r < m; r++) {
					double err = e[r] / sum - (r == yr ? 1 : 0);
					bb[r] += err;
					z[r][i] = (float) err;
				}
		}
		blockLoss[b] = loss;
		if (!gradient) return;

		// weight gradient: sum over rows of err · x, four rows per pass over a gradient row
		float[][] gb = blockGradient[b];
		if (gb == null) blockGradient[b] = gb = new float[m][p];
		else for (float[] gr : gb) Arrays.fill(gr, 0);
		int i = 0;
		for (; i + 4 <= len; i += 4) {
			float[] x0 = x[from + i], x1 = x[from + i + 1], x2 = x[from + i + 2], x3 = x[from + i + 3];
			for (int r = 0; r < m; r++) {
				float[] zr = z[r];
				axpy4(zr[i], zr[i + 1], zr[i + 2], zr[i + 3], x0, x1, x2, x3, gb[r]);
			}
		}
		for (; i < len; i++)
			for (int r = 0; r < m; r++) axpy(z[r][i], x[from + i], gb[r]);
		blockBias[b] = bb;
	}

	/** Parameter row of class c (c is not the reference). */
	private int row(int c) {
		return c < reference ? c : c - 1;
	}

	/*
	 * The two kernels. Both index every array from 0 with the same loop variable: C2 (Java 17) compiles such loops to
	 * vector instructions, while the same loop with an offset into one of the arrays, or a dot product (a reduction it
	 * must keep in order), runs at a fifth of the speed or less.
	 */

	/** {@code out[i] += s·a[i]}. */
	static void axpy(float s, float[] a, float[] out) {
		for (int i = 0; i < out.length; i++) out[i] += s * a[i];
	}

	/** {@code out[i] += s0·a0[i] + s1·a1[i] + s2·a2[i] + s3·a3[i]}: one load and store of out for four products. */
	static void axpy4(float s0, float s1, float s2, float s3, float[] a0, float[] a1, float[] a2, float[] a3, float[] out) {
		for (int i = 0; i < out.length; i++) out[i] += s0 * a0[i] + s1 * a1[i] + s2 * a2[i] + s3 * a3[i];
	}
}
