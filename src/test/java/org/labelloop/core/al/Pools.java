package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic pools for the tests. */
final class Pools {
	private Pools() {
	}

	static List<String> classes(int c) {
		List<String> out = new ArrayList<>();
		for (int j = 0; j < c; j++) out.add("c" + j);
		return out;
	}

	/** Softmax of Gaussian logits with a random temperature: from nearly flat to nearly certain. */
	static float[][] probabilities(int n, int c, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[][] p = new float[n][c];
		for (int i = 0; i < n; i++) {
			double scale = 0.3 + 5 * r.nextDouble(), sum = 0;
			double[] z = new double[c];
			for (int j = 0; j < c; j++) sum += z[j] = Math.exp(scale * gauss(r));
			for (int j = 0; j < c; j++) p[i][j] = (float) (z[j] / sum);
		}
		return p;
	}

	static double gauss(SplittableRandom r) {
		return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
	}

	static long[] ids(int n, long first) {
		long[] ids = new long[n];
		for (int i = 0; i < n; i++) ids[i] = first + i;
		return ids;
	}

	static float[][] gaussian(int n, int d, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[][] e = new float[n][d];
		for (float[] row : e) for (int j = 0; j < d; j++) row[j] = (float) gauss(r);
		return e;
	}
}
