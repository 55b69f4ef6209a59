package org.labelloop.core.map;

import java.util.Random;

import org.labelloop.core.model.Progress;
import org.labelloop.core.vector.Vectors;

/**
 * Principal component analysis in plain Java (Smile's PCA needs native BLAS; see the architecture guide §7).
 * <ul>
 * <li>{@link #project} for many rows: randomized subspace iteration (Halko, Martinsson and Tropp 2011) fitted on a
 * seeded sample of at most 5,000 rows, then every row projected: seconds for 70,000 × 784.</li>
 * <li>{@link #exact2d} for a handful of rows: the eigenvectors of the centred Gram matrix (classical scaling),
 * which is the same as PCA scores.</li>
 * </ul>
 */
public final class Pca {

	private static final int SAMPLE = 5000, OVERSAMPLE = 10, ITERATIONS = 2;

	private Pca() {
	}

	/**
	 * The rows centred and projected on their first {@code components} principal axes (rows are returned centred
	 * but unchanged if they have no more dimensions than that).
	 */
	public static float[][] project(float[][] rows, int components, long seed, Progress progress) {
		int n = rows.length;
		if (n == 0) return new float[0][];
		int d = rows[0].length;
		double[] mean = new double[d];
		for (float[] r : rows)
			for (int j = 0; j < d; j++) mean[j] += r[j];
		for (int j = 0; j < d; j++) mean[j] /= n;
		float[] meanF = new float[d];
		for (int j = 0; j < d; j++) meanF[j] = (float) mean[j];
		if (d <= components) {
			float[][] out = new float[n][d];
			for (int i = 0; i < n; i++)
				for (int j = 0; j < d; j++) out[i][j] = rows[i][j] - meanF[j];
			return out;
		}
		Random random = new Random(seed);
		int m = Math.min(n, SAMPLE);
		float[][] a = new float[m][];
		int[] pick = sample(n, m, random);
		for (int i = 0; i < m; i++) {
			float[] r = rows[pick[i]], c = new float[d];
			for (int j = 0; j < d; j++) c[j] = r[j] - meanF[j];
			a[i] = c;
		}
		int l = Math.min(d, Math.min(m, components + OVERSAMPLE));
		// q: l orthonormal vectors of length d, spanning (approximately) the top right singular vectors of a
		double[][] q = new double[l][d];
		for (double[] v : q)
			for (int j = 0; j < d; j++) v[j] = random.nextGaussian();
		orthonormalize(q);
		for (int it = 0; it < ITERATIONS; it++) {
			progress.checkCancelled("The principal component analysis");
			double[][] y = times(a, q); // m × l
			double[][] z = new double[l][d]; // a^T y
			for (int i = 0; i < m; i++) {
				float[] r = a[i];
				for (int k = 0; k < l; k++) {
					double w = y[i][k];
					double[] zk = z[k];
					for (int j = 0; j < d; j++) zk[j] += w * r[j];
				}
			}
			orthonormalize(z);
			q = z;
			progress.report(0.5 * (it + 1) / ITERATIONS, "Principal components");
		}
		// rotate q so that its vectors are the principal axes, ordered by variance
		double[][] b = times(a, q);
		double[][] c = new double[l][l];
		for (double[] row : b)
			for (int s = 0; s < l; s++)
				for (int t = s; t < l; t++) c[s][t] += row[s] * row[t];
		for (int s = 0; s < l; s++)
			for (int t = 0; t < s; t++) c[s][t] = c[t][s];
		double[][] vectors = new double[l][l];
		double[] values = jacobi(c, vectors);
		Integer[] order = order(values);
		int k = Math.min(components, l);
		float[][] axes = new float[k][d];
		for (int s = 0; s < k; s++) {
			int e = order[s];
			for (int j = 0; j < d; j++) {
				double v = 0;
				for (int t = 0; t < l; t++) v += q[t][j] * vectors[t][e];
				axes[s][j] = (float) v;
			}
		}
		float[][] out = new float[n][k];
		float[] centred = new float[d];
		for (int i = 0; i < n; i++) {
			if ((i & 4095) == 0) {
				progress.checkCancelled("The principal component analysis");
				progress.report(0.5 + 0.5 * i / n, "Principal components");
			}
			for (int j = 0; j < d; j++) centred[j] = rows[i][j] - meanF[j];
			for (int s = 0; s < k; s++) out[i][s] = Vectors.dot(centred, axes[s]);
		}
		return out;
	}

	/**
	 * Two principal component scores per row for a few rows (cost grows with the cube of the row count): the first two
	 * eigenvectors of the centred Gram matrix scaled by the square roots of their eigenvalues.
	 */
	public static float[][] exact2d(float[][] rows) {
		int n = rows.length;
		float[][] out = new float[n][2];
		if (n < 2) return out;
		int d = rows[0].length;
		double[] mean = new double[d];
		for (float[] r : rows)
			for (int j = 0; j < d; j++) mean[j] += r[j] / (double) n;
		double[][] g = new double[n][n];
		for (int s = 0; s < n; s++)
			for (int t = s; t < n; t++) {
				double v = 0;
				for (int j = 0; j < d; j++) v += (rows[s][j] - mean[j]) * (rows[t][j] - mean[j]);
				g[s][t] = v;
				g[t][s] = v;
			}
		double[][] vectors = new double[n][n];
		double[] values = jacobi(g, vectors);
		Integer[] order = order(values);
		for (int c = 0; c < 2 && c < n; c++) {
			int e = order[c];
			double scale = Math.sqrt(Math.max(0, values[e]));
			// a fixed sign, so that the same rows give the same picture
			double sign = 0;
			for (int i = 0; i < n && sign == 0; i++) sign = Math.signum(vectors[i][e]);
			if (sign == 0) sign = 1;
			for (int i = 0; i < n; i++) out[i][c] = (float) (sign * vectors[i][e] * scale);
		}
		return out;
	}

	private static int[] sample(int n, int m, Random random) {
		int[] idx = new int[n];
		for (int i = 0; i < n; i++) idx[i] = i;
		for (int i = 0; i < m; i++) {
			int j = i + random.nextInt(n - i);
			int t = idx[i];
			idx[i] = idx[j];
			idx[j] = t;
		}
		int[] out = new int[m];
		System.arraycopy(idx, 0, out, 0, m);
		java.util.Arrays.sort(out);
		return out;
	}

	private static double[][] times(float[][] a, double[][] q) {
		int l = q.length, d = q[0].length;
		float[][] qf = new float[l][d];
		for (int k = 0; k < l; k++)
			for (int j = 0; j < d; j++) qf[k][j] = (float) q[k][j];
		double[][] y = new double[a.length][l];
		for (int i = 0; i < a.length; i++)
			for (int k = 0; k < l; k++) y[i][k] = Vectors.dot(a[i], qf[k]);
		return y;
	}

	/** Modified Gram-Schmidt; a vector that collapses is replaced by zeros. */
	private static void orthonormalize(double[][] v) {
		for (int k = 0; k < v.length; k++) {
			for (int p = 0; p < k; p++) {
				double s = 0;
				for (int j = 0; j < v[k].length; j++) s += v[k][j] * v[p][j];
				for (int j = 0; j < v[k].length; j++) v[k][j] -= s * v[p][j];
			}
			double norm = 0;
			for (double x : v[k]) norm += x * x;
			norm = Math.sqrt(norm);
			for (int j = 0; j < v[k].length; j++) v[k][j] = norm > 1e-12 ? v[k][j] / norm : 0;
		}
	}

	/** Eigen-decomposition of a symmetric matrix (cyclic Jacobi); columns of {@code vectors} are the eigenvectors. */
	static double[] jacobi(double[][] matrix, double[][] vectors) {
		int n = matrix.length;
		double[][] a = new double[n][];
		for (int i = 0; i < n; i++) a[i] = matrix[i].clone();
		for (int i = 0; i < n; i++) {
			java.util.Arrays.fill(vectors[i], 0);
			vectors[i][i] = 1;
		}
		for (int sweep = 0; sweep < 100; sweep++) {
			double off = 0, total = 0;
			for (int p = 0; p < n; p++)
				for (int q = 0; q < n; q++) {
					total += a[p][q] * a[p][q];
					if (p != q) off += a[p][q] * a[p][q];
				}
			if (off <= 1e-22 * Math.max(total, 1e-300)) break;
			for (int p = 0; p < n - 1; p++)
				for (int q = p + 1; q < n; q++) {
					if (Math.abs(a[p][q]) < 1e-300) continue;
					double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
					double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
					if (theta == 0) t = 1;
					double c = 1 / Math.sqrt(t * t + 1), s = t * c;
					for (int k = 0; k < n; k++) {
						double akp = a[k][p], akq = a[k][q];
						a[k][p] = c * akp - s * akq;
						a[k][q] = s * akp + c * akq;
					}
					for (int k = 0; k < n; k++) {
						double apk = a[p][k], aqk = a[q][k];
						a[p][k] = c * apk - s * aqk;
						a[q][k] = s * apk + c * aqk;
					}
					for (int k = 0; k < n; k++) {
						double vkp = vectors[k][p], vkq = vectors[k][q];
						vectors[k][p] = c * vkp - s * vkq;
						vectors[k][q] = s * vkp + c * vkq;
					}
				}
		}
		double[] values = new double[n];
		for (int i = 0; i < n; i++) values[i] = a[i][i];
		return values;
	}

	private static Integer[] order(double[] values) {
		Integer[] o = new Integer[values.length];
		for (int i = 0; i < o.length; i++) o[i] = i;
		java.util.Arrays.sort(o, (x, y) -> Double.compare(values[y], values[x]));
		return o;
	}
}
