package org.labelloop.core.seg;

import java.util.List;

/**
 * Per-class probabilities for every voxel of an image: {@code probabilities[class][voxel]} in the voxel order of
 * {@link FloatVolume}; at each voxel they sum to 1.
 */
public record ProbabilityMap(int width, int height, int depth, List<String> classes, float[][] probabilities) {

	public ProbabilityMap {
		classes = List.copyOf(classes);
		if (probabilities.length != classes.size())
			throw new IllegalArgumentException(classes.size() + " classes but " + probabilities.length + " probability channels");
		long n = (long) width * height * depth;
		for (float[] p : probabilities)
			if (p.length != n) throw new IllegalArgumentException("A probability channel must have " + n + " values (" + width + "x" + height + "x" + depth + "), got " + p.length);
	}

	public int voxels() {
		return width * height * depth;
	}

	/** The class with the highest probability at each voxel. */
	public int[] argmax() {
		int[] a = new int[voxels()];
		for (int i = 0; i < a.length; i++) {
			int best = 0;
			for (int c = 1; c < probabilities.length; c++) if (probabilities[c][i] > probabilities[best][i]) best = c;
			a[i] = best;
		}
		return a;
	}

	/** Shannon entropy (nats) of the class probabilities at each voxel of slice z, averaged over the slice. */
	public double meanEntropy(int z) {
		int plane = width * height;
		double s = 0;
		for (int i = z * plane; i < (z + 1) * plane; i++)
			for (float[] p : probabilities) if (p[i] > 0) s -= p[i] * Math.log(p[i]);
		return s / plane;
	}
}
