package org.labelloop.core.al;

import java.util.SplittableRandom;

/** Distances and sampling helpers for the diversity strategies. */
final class Vectors {
	private Vectors() {
	}

	/** Squared Euclidean distance (four accumulators, so the JIT can overlap the adds). */
	static float dist2(float[] a, float[] b) {
		int n = a.length, i = 0;
		float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		for (; i + 3 < n; i += 4) {
			float d0 = a[i] - b[i], d1 = a[i + 1] - b[i + 1], d2 = a[i + 2] - b[i + 2], d3 = a[i + 3] - b[i + 3];
			s0 += d0 * d0;
			s1 += d1 * d1;
			s2 += d2 * d2;
			s3 += d3 * d3;
		}
		for (; i < n; i++) {
			float d = a[i] - b[i];
			s0 += d * d;
		}
		return (s0 + s1) + (s2 + s3);
	}

	/** Shuffles the first {@code m} places of {@code a} with a random sample of all of it, and returns them. */
	static int[] sample(int[] a, int m, SplittableRandom rnd) {
		if (m >= a.length) return a;
		for (int r = 0; r < m; r++) {
			int j = r + rnd.nextInt(a.length - r);
			int t = a[r];
			a[r] = a[j];
			a[j] = t;
		}
		return java.util.Arrays.copyOf(a, m);
	}
}
