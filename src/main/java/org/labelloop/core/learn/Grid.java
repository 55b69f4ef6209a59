package org.labelloop.core.learn;

/** Resampling of one-channel row-major float planes onto fixed grids, for {@link FeatureEmbedder}. */
final class Grid {

	private Grid() {
	}

	/**
	 * Resamples by area averaging: each output pixel is the mean of the source area it covers (fractional pixels
	 * weighted by their overlap). Shrinking by an integer factor averages blocks; enlarging repeats pixels, so an image
	 * enlarged by pixel repetition and resampled back gives the original exactly.
	 */
	static float[] resample(float[] src, int sw, int sh, int dw, int dh) {
		if (sw == dw && sh == dh) return src.clone();
		Axis ax = Axis.of(sw, dw), ay = Axis.of(sh, dh);
		float[] rows = new float[dw * sh];
		for (int y = 0; y < sh; y++)
			for (int x = 0; x < dw; x++) rows[y * dw + x] = ax.apply(src, y * sw, 1, x);
		float[] out = new float[dw * dh];
		for (int y = 0; y < dh; y++)
			for (int x = 0; x < dw; x++) out[y * dw + x] = ay.apply(rows, x, dw, y);
		return out;
	}

	/** Halves an n×n grid (n even) by averaging 2×2 blocks. */
	static float[] halve(float[] g, int n) {
		int m = n / 2;
		float[] out = new float[m * m];
		for (int y = 0; y < m; y++)
			for (int x = 0; x < m; x++) {
				int i = 2 * y * n + 2 * x;
				out[y * m + x] = (g[i] + g[i + 1] + g[i + n] + g[i + n + 1]) / 4;
			}
		return out;
	}

	/** Area-averaging weights along one axis: output i takes source pixels from[i] .. from[i]+w[i].length-1. */
	private record Axis(int[] from, float[][] w) {
		static Axis of(int source, int target) {
			double scale = (double) source / target;
			int[] from = new int[target];
			float[][] w = new float[target][];
			for (int i = 0; i < target; i++) {
				double a = i * scale, b = Math.min(source, (i + 1) * scale);
				int j0 = (int) Math.floor(a), j1 = Math.min(source, (int) Math.ceil(b));
				from[i] = j0;
				w[i] = new float[Math.max(1, j1 - j0)];
				for (int j = j0; j < j0 + w[i].length; j++) w[i][j - j0] = (float) ((Math.min(b, j + 1) - Math.max(a, j)) / (b - a));
			}
			return new Axis(from, w);
		}

		/** Weighted sum for output i of the line starting at {@code offset} with {@code stride} between pixels. */
		float apply(float[] src, int offset, int stride, int i) {
			float[] wi = w[i];
			float s = 0;
			for (int k = 0; k < wi.length; k++) s += wi[k] * src[offset + (from[i] + k) * stride];
			return s;
		}
	}
}
