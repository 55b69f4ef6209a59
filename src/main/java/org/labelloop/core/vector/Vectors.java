package org.labelloop.core.vector;

import java.util.List;

/** Vector arithmetic shared by the indexes and the benchmark: cosine similarity and the recommend formulas. */
public final class Vectors {

	private Vectors() {
	}

	/** A unit-length copy. */
	public static float[] normalized(float[] v) {
		double n = 0;
		for (float x : v) n += (double) x * x;
		n = Math.sqrt(n);
		float[] r = new float[v.length];
		if (n == 0) return r;
		for (int i = 0; i < v.length; i++) r[i] = (float) (v[i] / n);
		return r;
	}

	public static float dot(float[] a, float[] b) {
		float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		int i = 0, n = a.length;
		for (; i + 3 < n; i += 4) {
			s0 += a[i] * b[i];
			s1 += a[i + 1] * b[i + 1];
			s2 += a[i + 2] * b[i + 2];
			s3 += a[i + 3] * b[i + 3];
		}
		for (; i < n; i++) s0 += a[i] * b[i];
		return s0 + s1 + s2 + s3;
	}

	/** Cosine similarity in [-1, 1] (0 if either vector is all zeros). */
	public static float cosine(float[] a, float[] b) {
		double d = 0, na = 0, nb = 0;
		for (int i = 0; i < a.length; i++) {
			d += (double) a[i] * b[i];
			na += (double) a[i] * a[i];
			nb += (double) b[i] * b[i];
		}
		return na == 0 || nb == 0 ? 0 : (float) (d / Math.sqrt(na * nb));
	}

	/**
	 * Query vector of {@link RecommendStrategy#AVERAGE_VECTOR}: {@code avg(pos) + (avg(pos) - avg(neg))}, or
	 * {@code avg(pos)} without negatives, over unit-length copies of the examples.
	 */
	public static float[] averageVectorQuery(List<float[]> positives, List<float[]> negatives) {
		if (positives.isEmpty()) throw new IllegalArgumentException("The average_vector strategy needs at least one positive example");
		float[] p = mean(positives);
		if (negatives.isEmpty()) return p;
		float[] n = mean(negatives);
		float[] q = new float[p.length];
		for (int i = 0; i < q.length; i++) q[i] = p[i] + p[i] - n[i];
		boolean zero = true;
		for (float x : q) if (x != 0) { zero = false; break; }
		return zero ? p : q;
	}

	private static float[] mean(List<float[]> vs) {
		float[] m = new float[vs.get(0).length];
		for (float[] v : vs) {
			float[] u = normalized(v);
			for (int i = 0; i < m.length; i++) m[i] += u[i];
		}
		for (int i = 0; i < m.length; i++) m[i] /= vs.size();
		return m;
	}

	/** Qdrant's sigmoid {@code (x / (1 + |x|) + 1) / 2}, monotonic, into (0, 1). */
	public static float scaledSigmoid(float x) {
		return 0.5f * (x / (1 + Math.abs(x)) + 1);
	}

	/**
	 * The {@link RecommendStrategy#BEST_SCORE} of a candidate, given unit-length candidate and examples.
	 */
	public static float bestScore(float[] unitCandidate, List<float[]> unitPositives, List<float[]> unitNegatives) {
		float p = Float.NEGATIVE_INFINITY, n = Float.NEGATIVE_INFINITY;
		for (float[] v : unitPositives) p = Math.max(p, dot(unitCandidate, v));
		for (float[] v : unitNegatives) n = Math.max(n, dot(unitCandidate, v));
		return p > n ? scaledSigmoid(p) : -scaledSigmoid(n);
	}
}
