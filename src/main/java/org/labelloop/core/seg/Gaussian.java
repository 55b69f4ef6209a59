package org.labelloop.core.seg;

import java.util.stream.IntStream;

/**
 * Separable Gaussian smoothing of a {@link FloatVolume} layout (x fastest), borders replicated. Kernel radius
 * {@code ceil(3 sigma)}. Each pass runs in parallel over slices (x, y) or rows (z) on the common fork-join pool; the
 * inner loops run over contiguous x so the JIT vectorises them.
 */
final class Gaussian {
	private Gaussian() {
	}

	static float[] kernel(double sigma) {
		int r = Math.max(1, (int) Math.ceil(3 * sigma));
		float[] k = new float[r + 1];
		double sum = 0;
		for (int i = 0; i <= r; i++) {
			k[i] = (float) Math.exp(-i * i / (2 * sigma * sigma));
			sum += i == 0 ? k[i] : 2 * k[i];
		}
		for (int i = 0; i <= r; i++) k[i] /= sum;
		return k;
	}

	/** A new array: {@code in} smoothed with sigma along x and y, and along z too when {@code d > 1}. */
	static float[] smooth(float[] in, int w, int h, int d, double sigma) {
		if (sigma <= 0) return in.clone();
		float[] k = kernel(sigma);
		float[] a = new float[in.length], b = new float[in.length];
		IntStream.range(0, d).parallel().forEach(z -> {
			passX(in, a, w, h, z, k);
			passY(a, b, w, h, z, k);
		});
		if (d == 1) return b;
		passZ(b, a, w, h, d, k);
		return a;
	}

	private static void passX(float[] in, float[] out, int w, int h, int z, float[] k) {
		int r = k.length - 1;
		float[] pad = new float[w + 2 * r];
		for (int y = 0; y < h; y++) {
			int row = (z * h + y) * w;
			System.arraycopy(in, row, pad, r, w);
			float first = in[row], last = in[row + w - 1];
			for (int i = 0; i < r; i++) {
				pad[i] = first;
				pad[r + w + i] = last;
			}
			float k0 = k[0];
			for (int x = 0; x < w; x++) out[row + x] = k0 * pad[r + x];
			for (int j = 1; j <= r; j++) {
				float kj = k[j];
				int lo = r - j, hi = r + j;
				for (int x = 0; x < w; x++) out[row + x] += kj * (pad[lo + x] + pad[hi + x]);
			}
		}
	}

	private static void passY(float[] in, float[] out, int w, int h, int z, float[] k) {
		int r = k.length - 1, base = z * h * w;
		for (int y = 0; y < h; y++) {
			int o = base + y * w;
			float k0 = k[0];
			for (int x = 0; x < w; x++) out[o + x] = k0 * in[o + x];
			for (int j = 1; j <= r; j++) {
				float kj = k[j];
				int lo = base + Math.max(0, y - j) * w, hi = base + Math.min(h - 1, y + j) * w;
				for (int x = 0; x < w; x++) out[o + x] += kj * (in[lo + x] + in[hi + x]);
			}
		}
	}

	private static void passZ(float[] in, float[] out, int w, int h, int d, float[] k) {
		int r = k.length - 1, plane = w * h;
		IntStream.range(0, d * h).parallel().forEach(zy -> {
			int z = zy / h, y = zy % h, o = z * plane + y * w;
			float k0 = k[0];
			for (int x = 0; x < w; x++) out[o + x] = k0 * in[o + x];
			for (int j = 1; j <= r; j++) {
				float kj = k[j];
				int lo = Math.max(0, z - j) * plane + y * w, hi = Math.min(d - 1, z + j) * plane + y * w;
				for (int x = 0; x < w; x++) out[o + x] += kj * (in[lo + x] + in[hi + x]);
			}
		});
	}
}
