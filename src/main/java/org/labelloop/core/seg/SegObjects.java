package org.labelloop.core.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

import org.labelloop.core.geom.Mask;

/**
 * Objects from a probability map: per class other than the background (class 0), threshold the class's probability,
 * split touching objects with a marker watershed on the Euclidean distance transform (markers = its local maxima
 * within {@link Options#seedRadius}, at least {@link Options#minSeedDistance} inside), drop objects smaller than
 * {@link Options#minVoxels}. Face connectivity (4 in 2D, 6 in 3D). Each object is a {@link Mask} with a confidence.
 */
public final class SegObjects {

	/**
	 * @param threshold       a voxel belongs to class c when its probability is at least this (0.5: the majority)
	 * @param minVoxels       smaller objects are dropped
	 * @param split           whether to split touching objects by watershed
	 * @param seedRadius      two distance-transform maxima closer than this are one marker (pixels)
	 * @param minSeedDistance a marker lies at least this far inside its object (pixels)
	 */
	public record Options(double threshold, int minVoxels, boolean split, int seedRadius, double minSeedDistance) {
		public Options {
			if (!(threshold > 0 && threshold <= 1) || minVoxels < 1 || seedRadius < 1 || minSeedDistance < 0)
				throw new IllegalArgumentException("Need 0 < threshold <= 1, minVoxels >= 1, seedRadius >= 1, minSeedDistance >= 0");
		}

		/** Threshold 0.5, objects of 20 voxels or more, split with seed radius 5 and markers 2 px inside. */
		public static Options standard() {
			return new Options(0.5, 20, true, 5, 2);
		}

		public Options withMinVoxels(int n) { return new Options(threshold, n, split, seedRadius, minSeedDistance); }
		public Options withSplit(boolean s) { return new Options(threshold, minVoxels, s, seedRadius, minSeedDistance); }
		public Options withSeedRadius(int r) { return new Options(threshold, minVoxels, split, r, minSeedDistance); }
	}

	private SegObjects() {
	}

	/**
	 * Objects of every class but class 0 (the background); an empty list when no voxel reaches the threshold.
	 *
	 * @throws IllegalArgumentException when the map has only one class (nothing to tell objects from)
	 */
	public static List<SegObject> from(ProbabilityMap map, Options o) {
		Objects.requireNonNull(map, "no probability map");
		if (map.classes().size() < 2)
			throw new IllegalArgumentException("The probability map has one class only (" + map.classes() + "): objects need a background class and at least one object class");
		int w = map.width(), h = map.height(), d = map.depth();
		List<SegObject> out = new ArrayList<>();
		for (int c = 1; c < map.classes().size(); c++) {
			float[] p = map.probabilities()[c];
			boolean[] fg = new boolean[p.length];
			for (int i = 0; i < p.length; i++) fg[i] = p[i] >= o.threshold();
			collect(o.split() ? watershed(fg, w, h, d, o) : components(fg, w, h, d), p, w, h, d, c, map.classes().get(c), o.minVoxels(), out);
		}
		return out;
	}

	/**
	 * Objects of a label map (what a segmentation network gives): each connected object (face connectivity, across
	 * slices when {@code d > 1}) of each label 1..k of at least {@code minVoxels} voxels, confidence 1, not split.
	 *
	 * @param labels label per voxel, row-major, slice after slice; 0 background
	 * @param names  the name of label c is {@code names.get(c - 1)}, or "label c" past the list's end
	 */
	public static List<SegObject> fromLabels(int[] labels, int w, int h, int d, int minVoxels, List<String> names) {
		if (labels.length != (long) w * h * d) throw new IllegalArgumentException("A " + w + "x" + h + "x" + d + " label map needs " + (long) w * h * d + " labels, got " + labels.length);
		int k = 0;
		for (int l : labels) {
			if (l < 0) throw new IllegalArgumentException("Labels are 0 (background) or more, got " + l);
			k = Math.max(k, l);
		}
		List<SegObject> out = new ArrayList<>();
		boolean[] fg = new boolean[labels.length];
		for (int c = 1; c <= k; c++) {
			boolean any = false;
			for (int i = 0; i < labels.length; i++) any |= fg[i] = labels[i] == c;
			if (any) collect(components(fg, w, h, d), null, w, h, d, c, c <= names.size() ? names.get(c - 1) : "label " + c, minVoxels, out);
		}
		return out;
	}

	/** The objects of components {@code labels} (1..n) as masks of class c; confidence the mean of p (1 without p). */
	private static void collect(int[] labels, float[] p, int w, int h, int d, int c, String name, int minVoxels, List<SegObject> out) {
		int n = 0;
		for (int l : labels) n = Math.max(n, l);
		long[] size = new long[n + 1];
		double[] sum = new double[n + 1];
		for (int i = 0; i < labels.length; i++) {
			size[labels[i]]++;
			sum[labels[i]] += p == null ? 1 : p[i];
		}
		Mask.Builder[] builders = new Mask.Builder[n + 1];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++) {
				int row = (z * h + y) * w;
				for (int x = 0; x < w; x++) {
					int l = labels[row + x];
					if (l == 0 || size[l] < minVoxels) continue;
					int xs = x;
					while (x + 1 < w && labels[row + x + 1] == l) x++;
					(builders[l] == null ? builders[l] = Mask.builder() : builders[l]).addRun(z, y, xs, x + 1);
				}
			}
		for (int l = 1; l <= n; l++)
			if (builders[l] != null) out.add(new SegObject(builders[l].build(), c, name, sum[l] / size[l], size[l]));
	}

	/**
	 * As {@link #from(ProbabilityMap, Options)}, checking that the map was predicted for an image of this size.
	 *
	 * @throws IllegalArgumentException naming both sizes when they differ
	 */
	public static List<SegObject> from(ProbabilityMap map, int width, int height, int depth, Options o) {
		Objects.requireNonNull(map, "no probability map");
		if (map.width() != width || map.height() != height || map.depth() != depth)
			throw new IllegalArgumentException("The probability map is " + map.width() + "x" + map.height() + "x" + map.depth()
					+ " but the image is " + width + "x" + height + "x" + depth + ": predict on this image first");
		return from(map, o);
	}

	/** Connected components (face connectivity), labels 1..n, 0 = background. */
	static int[] components(boolean[] fg, int w, int h, int d) {
		int[] labels = new int[fg.length];
		int[] stack = new int[Math.max(16, fg.length)];
		int next = 0;
		for (int s = 0; s < fg.length; s++) {
			if (!fg[s] || labels[s] != 0) continue;
			labels[s] = ++next;
			int top = 0;
			stack[top++] = s;
			while (top > 0) {
				int i = stack[--top];
				int x = i % w, y = (i / w) % h, z = i / (w * h);
				for (int k = 0; k < 6; k++) {
					int j = neighbour(i, x, y, z, k, w, h, d);
					if (j >= 0 && fg[j] && labels[j] == 0) {
						labels[j] = next;
						stack[top++] = j;
					}
				}
			}
		}
		return labels;
	}

	private static int neighbour(int i, int x, int y, int z, int k, int w, int h, int d) {
		switch (k) {
			case 0: return x > 0 ? i - 1 : -1;
			case 1: return x < w - 1 ? i + 1 : -1;
			case 2: return y > 0 ? i - w : -1;
			case 3: return y < h - 1 ? i + w : -1;
			case 4: return z > 0 ? i - w * h : -1;
			default: return z < d - 1 ? i + w * h : -1;
		}
	}

	/** Marker watershed of -EDT inside {@code fg}; voxels no marker reaches get components of their own. */
	static int[] watershed(boolean[] fg, int w, int h, int d, Options o) {
		float[] dist = distance(fg, w, h, d);
		float[] max = maxFilter(dist, w, h, d, o.seedRadius());
		boolean[] peak = new boolean[fg.length];
		float minD = (float) Math.max(o.minSeedDistance(), 1e-6);
		for (int i = 0; i < fg.length; i++) peak[i] = fg[i] && dist[i] >= minD && dist[i] >= max[i];
		int[] labels = components(peak, w, h, d);
		PriorityQueue<long[]> q = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
		long order = 0;
		for (int i = 0; i < fg.length; i++) if (labels[i] != 0) q.add(new long[] { key(-dist[i], order++), i });
		while (!q.isEmpty()) {
			int i = (int) q.poll()[1];
			int x = i % w, y = (i / w) % h, z = i / (w * h);
			for (int k = 0; k < 6; k++) {
				int j = neighbour(i, x, y, z, k, w, h, d);
				if (j >= 0 && fg[j] && labels[j] == 0) {
					labels[j] = labels[i];
					q.add(new long[] { key(-dist[j], order++), j });
				}
			}
		}
		boolean[] rest = new boolean[fg.length];
		boolean any = false;
		for (int i = 0; i < fg.length; i++) if (fg[i] && labels[i] == 0) any = rest[i] = true;
		if (any) {
			int n = 0;
			for (int l : labels) n = Math.max(n, l);
			int[] more = components(rest, w, h, d);
			for (int i = 0; i < fg.length; i++) if (more[i] != 0) labels[i] = n + more[i];
		}
		return labels;
	}

	/** Orders by value, then first in first out (a stable flood). */
	private static long key(float value, long order) {
		int bits = Float.floatToIntBits(value);
		bits ^= (bits >> 31) & 0x7fffffff; // monotone signed int for floats
		return ((long) bits << 32) + order; // order < 2^31 for images below 2^31 voxels
	}

	/** Euclidean distance of each foreground voxel to the nearest background voxel (Felzenszwalb–Huttenlocher), 0 outside. */
	static float[] distance(boolean[] fg, int w, int h, int d) {
		int n = fg.length;
		double inf = 1e12; // larger than any squared distance, small enough that adding q² stays exact
		double[] f = new double[n];
		for (int i = 0; i < n; i++) f[i] = fg[i] ? inf : 0;
		int[] dims = { w, h, d }, strides = { 1, w, w * h };
		for (int axis = 0; axis < (d > 1 ? 3 : 2); axis++) {
			int len = dims[axis], stride = strides[axis];
			double[] line = new double[len], res = new double[len];
			int[] v = new int[len];
			double[] zz = new double[len + 1];
			for (int s = 0; s < n; s++) {
				if ((s / stride) % len != 0) continue; // s starts a line along axis
				for (int k = 0; k < len; k++) line[k] = f[s + k * stride];
				edt1(line, len, res, v, zz);
				for (int k = 0; k < len; k++) f[s + k * stride] = res[k];
			}
		}
		float[] out = new float[n];
		for (int i = 0; i < n; i++) out[i] = (float) Math.sqrt(f[i]);
		return out;
	}

	private static void edt1(double[] f, int n, double[] dOut, int[] v, double[] z) {
		int k = 0;
		v[0] = 0;
		z[0] = Double.NEGATIVE_INFINITY;
		z[1] = Double.POSITIVE_INFINITY;
		for (int q = 1; q < n; q++) {
			double s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
			while (s <= z[k]) {
				k--;
				s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
			}
			k++;
			v[k] = q;
			z[k] = s;
			z[k + 1] = Double.POSITIVE_INFINITY;
		}
		k = 0;
		for (int q = 0; q < n; q++) {
			while (z[k + 1] < q) k++;
			double dq = q - v[k];
			dOut[q] = dq * dq + f[v[k]];
		}
	}

	/** Separable max filter over a (2r+1) box (a cube in 3D). */
	static float[] maxFilter(float[] in, int w, int h, int d, int r) {
		float[] a = in.clone(), b = new float[in.length];
		int[] dims = { w, h, d }, strides = { 1, w, w * h };
		for (int axis = 0; axis < (d > 1 ? 3 : 2); axis++) {
			int len = dims[axis], stride = strides[axis];
			for (int s = 0; s < in.length; s++) {
				int pos = (s / stride) % len;
				float m = a[s];
				for (int k = Math.max(0, pos - r); k <= Math.min(len - 1, pos + r); k++) m = Math.max(m, a[s + (k - pos) * stride]);
				b[s] = m;
			}
			float[] t = a;
			a = b;
			b = t;
		}
		return a;
	}
}
