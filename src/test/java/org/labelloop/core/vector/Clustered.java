package org.labelloop.core.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded clustered vectors for tests: {@code clusters} Gaussian blobs, class = cluster mod 10. */
final class Clustered {
	final float[][] centres;
	final Random random;
	final int dim;
	final double spread;

	Clustered(int clusters, int dim, double spread, long seed) {
		this.random = new Random(seed);
		this.dim = dim;
		this.spread = spread;
		centres = new float[clusters][dim];
		for (float[] c : centres)
			for (int i = 0; i < dim; i++) c[i] = (float) random.nextGaussian();
	}

	float[] sample(int cluster) {
		float[] v = new float[dim];
		for (int i = 0; i < dim; i++) v[i] = centres[cluster][i] + (float) (spread * random.nextGaussian());
		return v;
	}

	List<VectorItem> items(int n) {
		List<VectorItem> out = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			int c = i % centres.length;
			out.add(new VectorItem("item:" + i, sample(c), Map.of("class", "c" + (c % 10), "status", i % 3 == 0 ? "accepted" : "proposed")));
		}
		return out;
	}
}
