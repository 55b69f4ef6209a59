package org.labelloop.core.seg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.labelloop.core.model.Progress;

/**
 * Per-pixel features at several scales, in 2D (depth 1) or 3D, after Labkit and Trainable Weka Segmentation: the raw
 * value, then for each sigma the Gaussian-smoothed value, gradient magnitude, difference of Gaussians (this sigma's
 * smoothing minus the previous one's, the raw image before the first), the Hessian's eigenvalues and the structure
 * tensor's eigenvalues (both in descending order; 2 in 2D, 3 in 3D). Derivatives are central differences of the
 * smoothed image; the structure tensor's products of first derivatives are integrated with a Gaussian of the same sigma.
 * Voxels are assumed isotropic.
 */
public final class Features {

	/** Which features, at which scales. */
	public record Options(double[] sigmas, boolean hessian, boolean structureTensor) implements Serializable {
		public Options {
			if (sigmas == null || sigmas.length == 0) throw new IllegalArgumentException("Need at least one sigma");
			sigmas = sigmas.clone();
			for (int i = 0; i < sigmas.length; i++)
				if (!(sigmas[i] > 0) || (i > 0 && sigmas[i] <= sigmas[i - 1]))
					throw new IllegalArgumentException("Sigmas must be positive and increasing, got " + Arrays.toString(sigmas));
		}

		/** Sigmas 1, 2, 4, 8 with every feature. */
		public static Options standard() {
			return new Options(new double[] { 1, 2, 4, 8 }, true, true);
		}

		@Override public double[] sigmas() { return sigmas.clone(); }

		/** How many features a 2D (or 3D) image gets. */
		public int count(boolean is3d) {
			int e = is3d ? 3 : 2;
			return 1 + sigmas.length * (3 + (hessian ? e : 0) + (structureTensor ? e : 0));
		}

		@Override public boolean equals(Object o) {
			return o instanceof Options x && Arrays.equals(sigmas, x.sigmas) && hessian == x.hessian && structureTensor == x.structureTensor;
		}

		@Override public int hashCode() {
			return Arrays.hashCode(sigmas) * 31 + (hessian ? 2 : 0) + (structureTensor ? 1 : 0);
		}
	}

	/** The features of one image: {@code channels[f][voxel]}, in the voxel order of {@link FloatVolume}. */
	public record Stack(int width, int height, int depth, List<String> names, float[][] channels) {
		public int count() {
			return channels.length;
		}
	}

	private Features() {
	}

	/** Computes the features of {@code image}; 3D features when its depth is more than 1. */
	public static Stack compute(FloatVolume image, Options o, Progress progress) {
		int w = image.width(), h = image.height(), d = image.depth();
		boolean is3d = image.is3d();
		List<String> names = new ArrayList<>();
		List<float[]> ch = new ArrayList<>();
		names.add("raw");
		ch.add(image.data());
		float[] previous = image.data();
		double[] sigmas = o.sigmas();
		for (int s = 0; s < sigmas.length; s++) {
			progress.checkCancelled("features");
			progress.report((double) s / sigmas.length, "features at sigma " + sigmas[s]);
			double sigma = sigmas[s];
			String at = "@" + sigma;
			float[] g = Gaussian.smooth(image.data(), w, h, d, sigma);
			names.add("gauss" + at);
			ch.add(g);
			float[][] grad = gradient(g, w, h, d);
			float[] mag = new float[g.length];
			for (int i = 0; i < g.length; i++) {
				double m = grad[0][i] * grad[0][i] + grad[1][i] * grad[1][i] + (is3d ? grad[2][i] * grad[2][i] : 0);
				mag[i] = (float) Math.sqrt(m);
			}
			names.add("gradient" + at);
			ch.add(mag);
			float[] dog = new float[g.length];
			for (int i = 0; i < g.length; i++) dog[i] = previous[i] - g[i];
			names.add("dog" + at);
			ch.add(dog);
			previous = g;
			if (o.hessian()) {
				float[][] ev = hessianEigen(g, w, h, d);
				for (int e = 0; e < ev.length; e++) {
					names.add("hessian" + (e + 1) + at);
					ch.add(ev[e]);
				}
			}
			if (o.structureTensor()) {
				float[][] ev = structureEigen(grad, w, h, d, sigma);
				for (int e = 0; e < ev.length; e++) {
					names.add("structure" + (e + 1) + at);
					ch.add(ev[e]);
				}
			}
		}
		progress.report(1, "features done");
		return new Stack(w, h, d, List.copyOf(names), ch.toArray(new float[0][]));
	}

	/** Central differences, borders replicated; the third is {@code null} in 2D. */
	static float[][] gradient(float[] g, int w, int h, int d) {
		float[] gx = new float[g.length], gy = new float[g.length], gz = d > 1 ? new float[g.length] : null;
		int plane = w * h;
		IntStream.range(0, d).parallel().forEach(z -> {
			int zm = Math.max(0, z - 1) * plane, zp = Math.min(d - 1, z + 1) * plane;
			float fz = (zp - zm) == 2 * plane ? 0.5f : 1f;
			for (int y = 0; y < h; y++) {
				int ym = Math.max(0, y - 1) * w, yp = Math.min(h - 1, y + 1) * w;
				float fy = (yp - ym) == 2 * w ? 0.5f : 1f;
				int row = z * plane + y * w;
				for (int x = 0; x < w; x++) {
					int xm = Math.max(0, x - 1), xp = Math.min(w - 1, x + 1), i = row + x;
					gx[i] = (g[row + xp] - g[row + xm]) * ((xp - xm) == 2 ? 0.5f : 1f);
					gy[i] = (g[z * plane + yp + x] - g[z * plane + ym + x]) * fy;
					if (gz != null) gz[i] = (g[zp + y * w + x] - g[zm + y * w + x]) * fz;
				}
			}
		});
		return new float[][] { gx, gy, gz };
	}

	static float[][] hessianEigen(float[] g, int w, int h, int d) {
		boolean is3d = d > 1;
		float[][] ev = new float[is3d ? 3 : 2][g.length];
		int plane = w * h;
		IntStream.range(0, d).parallel().forEach(z -> {
			double[] m = new double[6], out = new double[3];
			int z0 = z * plane, zm = Math.max(0, z - 1) * plane, zp = Math.min(d - 1, z + 1) * plane;
			for (int y = 0; y < h; y++) {
				int ym = Math.max(0, y - 1) * w, yc = y * w, yp = Math.min(h - 1, y + 1) * w;
				for (int x = 0; x < w; x++) {
					int xm = Math.max(0, x - 1), xp = Math.min(w - 1, x + 1), i = z0 + yc + x;
					double c = g[i];
					double dxx = g[z0 + yc + xp] - 2 * c + g[z0 + yc + xm];
					double dyy = g[z0 + yp + x] - 2 * c + g[z0 + ym + x];
					double dxy = (g[z0 + yp + xp] - g[z0 + yp + xm] - g[z0 + ym + xp] + g[z0 + ym + xm]) / ((xp - xm) * (double) ((yp - ym) / w) + 1e-30);
					if (!is3d) {
						eigen2(dxx, dxy, dyy, out);
						ev[0][i] = (float) out[0];
						ev[1][i] = (float) out[1];
						continue;
					}
					double dzz = g[zp + yc + x] - 2 * c + g[zm + yc + x];
					double zs = (zp - zm) / (double) plane;
					double dxz = (g[zp + yc + xp] - g[zp + yc + xm] - g[zm + yc + xp] + g[zm + yc + xm]) / ((xp - xm) * zs + 1e-30);
					double dyz = (g[zp + yp + x] - g[zp + ym + x] - g[zm + yp + x] + g[zm + ym + x]) / (((yp - ym) / w) * zs + 1e-30);
					m[0] = dxx; m[1] = dyy; m[2] = dzz; m[3] = dxy; m[4] = dxz; m[5] = dyz;
					eigen3(m, out);
					ev[0][i] = (float) out[0];
					ev[1][i] = (float) out[1];
					ev[2][i] = (float) out[2];
				}
			}
		});
		return ev;
	}

	static float[][] structureEigen(float[][] grad, int w, int h, int d, double rho) {
		boolean is3d = d > 1;
		float[] gx = grad[0], gy = grad[1], gz = grad[2];
		int n = gx.length;
		float[][] prod = new float[is3d ? 6 : 3][n];
		for (int i = 0; i < n; i++) {
			prod[0][i] = gx[i] * gx[i];
			prod[1][i] = gy[i] * gy[i];
			if (is3d) {
				prod[2][i] = gz[i] * gz[i];
				prod[3][i] = gx[i] * gy[i];
				prod[4][i] = gx[i] * gz[i];
				prod[5][i] = gy[i] * gz[i];
			} else prod[2][i] = gx[i] * gy[i];
		}
		for (int p = 0; p < prod.length; p++) prod[p] = Gaussian.smooth(prod[p], w, h, d, rho);
		float[][] ev = new float[is3d ? 3 : 2][n];
		IntStream.range(0, d).parallel().forEach(z -> {
			double[] m = new double[6], out = new double[3];
			for (int i = z * w * h, end = (z + 1) * w * h; i < end; i++) {
				if (is3d) {
					for (int p = 0; p < 6; p++) m[p] = prod[p][i];
					eigen3(m, out);
					ev[2][i] = (float) out[2];
				} else eigen2(prod[0][i], prod[2][i], prod[1][i], out);
				ev[0][i] = (float) out[0];
				ev[1][i] = (float) out[1];
			}
		});
		return ev;
	}

	/** Eigenvalues of [[a, b], [b, c]], descending. */
	static void eigen2(double a, double b, double c, double[] out) {
		double mean = (a + c) / 2, r = Math.sqrt((a - c) * (a - c) / 4 + b * b);
		out[0] = mean + r;
		out[1] = mean - r;
	}

	/**
	 * Eigenvalues, descending, of the symmetric 3×3 matrix {@code m = (xx, yy, zz, xy, xz, yz)} (closed form,
	 * trigonometric).
	 */
	static void eigen3(double[] m, double[] out) {
		double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5];
		double p1 = d * d + e * e + f * f;
		if (p1 <= 1e-30 * (a * a + b * b + c * c) || p1 == 0) {
			out[0] = a; out[1] = b; out[2] = c;
			sort3(out);
			return;
		}
		double q = (a + b + c) / 3;
		double p2 = (a - q) * (a - q) + (b - q) * (b - q) + (c - q) * (c - q) + 2 * p1;
		double p = Math.sqrt(p2 / 6);
		double ba = (a - q) / p, bb = (b - q) / p, bc = (c - q) / p, bd = d / p, be = e / p, bf = f / p;
		double det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
		double r = Math.max(-1, Math.min(1, det / 2));
		double phi = Math.acos(r) / 3;
		out[0] = q + 2 * p * Math.cos(phi);
		out[2] = q + 2 * p * Math.cos(phi + 2 * Math.PI / 3);
		out[1] = 3 * q - out[0] - out[2];
	}

	private static void sort3(double[] v) {
		Arrays.sort(v, 0, 3);
		double t = v[0];
		v[0] = v[2];
		v[2] = t;
	}
}
