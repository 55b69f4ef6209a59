package org.labelloop.bench;

import java.util.SplittableRandom;

/**
 * Principal components of standardised vectors, found by subspace (block power) iteration on the covariance matrix,
 * pure Java (Smile's PCA needs native BLAS). Used by {@code bench al} to shrink the built-in 763 features to a few
 * dozen, so thousands of retrainings fit in minutes on two cores.
 */
public final class Pca {
	private final float[] mean, scale;
	private final double[][] components; // [k][d], orthonormal
	private final double[] variance;

	private Pca(float[] mean, float[] scale, double[][] components, double[] variance) {
		this.mean = mean;
		this.scale = scale;
		this.components = components;
		this.variance = variance;
	}

	/**
	 * Fits k components on (a sample of) {@code x}: features are standardised (mean 0, sd 1; constant ones left at 0),
	 * then the top-k eigenvectors of their covariance are found by 60 rounds of subspace iteration with
	 * re-orthonormalisation (Golub &amp; Van Loan, "Matrix Computations", §8.2.4).
	 */
	public static Pca fit(float[][] x, int k, long seed) {
		int n = x.length, d = x[0].length;
		if (k > d) throw new IllegalArgumentException("Cannot keep " + k + " components of " + d + " dimensions");
		float[] mean = new float[d], scale = new float[d];
		double[] s = new double[d], s2 = new double[d];
		for (float[] r : x) for (int j = 0; j < d; j++) {
			s[j] += r[j];
			s2[j] += (double) r[j] * r[j];
		}
		for (int j = 0; j < d; j++) {
			mean[j] = (float) (s[j] / n);
			double var = s2[j] / n - (s[j] / n) * (s[j] / n);
			scale[j] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0f;
		}
		double[][] cov = new double[d][d];
		double[] z = new double[d];
		for (float[] r : x) {
			for (int j = 0; j < d; j++) z[j] = (r[j] - mean[j]) * scale[j];
			for (int a = 0; a < d; a++) {
				double za = z[a];
				if (za == 0) continue;
				double[] row = cov[a];
				for (int b = a; b < d; b++) row[b] += za * z[b];
			}
		}
		for (int a = 0; a < d; a++) for (int b = a; b < d; b++) cov[b][a] = cov[a][b] /= n;
		SplittableRandom rnd = new SplittableRandom(seed);
		double[][] q = new double[k][d];
		for (double[] v : q) for (int j = 0; j < d; j++) v[j] = rnd.nextDouble() - 0.5;
		orthonormalise(q);
		double[][] w = new double[k][d];
		for (int it = 0; it < 60; it++) {
			for (int c = 0; c < k; c++) multiply(cov, q[c], w[c]);
			double[][] t = q;
			q = w;
			w = t;
			orthonormalise(q);
		}
		double[] variance = new double[k];
		for (int c = 0; c < k; c++) {
			multiply(cov, q[c], w[c]);
			double v = 0;
			for (int j = 0; j < d; j++) v += q[c][j] * w[c][j];
			variance[c] = v;
		}
		return new Pca(mean, scale, q, variance);
	}

	private static void multiply(double[][] m, double[] v, double[] out) {
		for (int a = 0; a < m.length; a++) {
			double acc = 0;
			double[] row = m[a];
			for (int b = 0; b < v.length; b++) acc += row[b] * v[b];
			out[a] = acc;
		}
	}

	/** Modified Gram–Schmidt on the rows. */
	private static void orthonormalise(double[][] q) {
		for (int c = 0; c < q.length; c++) {
			for (int p = 0; p < c; p++) {
				double dot = 0;
				for (int j = 0; j < q[c].length; j++) dot += q[c][j] * q[p][j];
				for (int j = 0; j < q[c].length; j++) q[c][j] -= dot * q[p][j];
			}
			double norm = 0;
			for (double v : q[c]) norm += v * v;
			norm = Math.sqrt(norm);
			for (int j = 0; j < q[c].length; j++) q[c][j] = norm > 0 ? q[c][j] / norm : 0;
		}
	}

	/** Number of components. */
	public int components() {
		return components.length;
	}

	/** Variance of the standardised data along each component, largest first. */
	public double[] variance() {
		return variance.clone();
	}

	/** Coordinates of one vector on the components. */
	public float[] project(float[] x) {
		int d = mean.length;
		double[] z = new double[d];
		for (int j = 0; j < d; j++) z[j] = (x[j] - mean[j]) * scale[j];
		float[] out = new float[components.length];
		for (int c = 0; c < components.length; c++) {
			double acc = 0;
			double[] v = components[c];
			for (int j = 0; j < d; j++) acc += v[j] * z[j];
			out[c] = (float) acc;
		}
		return out;
	}

	/** Coordinates of many vectors, in parallel. */
	public float[][] projectAll(float[][] x) {
		float[][] out = new float[x.length][];
		java.util.stream.IntStream.range(0, x.length).parallel().forEach(i -> out[i] = project(x[i]));
		return out;
	}
}
