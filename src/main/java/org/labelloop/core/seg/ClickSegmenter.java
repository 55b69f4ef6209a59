package org.labelloop.core.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

import org.labelloop.core.geom.Mask;

/**
 * Click-to-segment on one slice: positive clicks pick an object, negative (shift) clicks take parts away.
 * <ol>
 * <li><b>Foreground.</b> With a {@link ProbabilityMap}: the voxels of the slice where the class's probability is at
 * least {@link Options#threshold}. Without a model: seeded region growing on the slice smoothed with a Gaussian of
 * {@link Options#sigma}, one region per positive click: the pixels on the click's side of a threshold that comes from
 * the click's neighbourhood (Otsu's threshold of the smoothed values in a square of {@link Options#window} pixels
 * around it), so the tolerance follows the local contrast rather than one global value. The region stays inside the
 * square; when it reaches the square's edge the object is larger than the neighbourhood, and the square doubles
 * (up to twice the image) until it does not.</li>
 * <li><b>Object.</b> The face-connected parts of the foreground that hold a positive click. When negative clicks fall
 * into them, a marker watershed on the distance transform of the foreground (positive and negative clicks as
 * markers, each flooding the voxels nearest to it in flooding order) splits them; what the negative markers reach is
 * removed. A negative click outside the foreground changes nothing.</li>
 * </ol>
 * All clicks lie on one slice. A positive click outside the foreground gives nothing from that click; when no
 * positive click lands on foreground the result is {@link Mask#EMPTY} with a message saying why. Plain Java, no
 * ImageJ.
 */
public final class ClickSegmenter {

	/** A click at pixel (x, y) of slice z (0-based); {@code positive = false} for a negative (shift) click. */
	public record Click(int x, int y, int z, boolean positive) {
		public static Click positive(int x, int y, int z) {
			return new Click(x, y, z, true);
		}

		public static Click negative(int x, int y, int z) {
			return new Click(x, y, z, false);
		}
	}

	/**
	 * @param threshold with a model, a voxel is foreground when the class's probability is at least this
	 * @param sigma     without a model, the Gaussian smoothing before region growing (0: none)
	 * @param window    without a model, the side of the first square around a click whose values set its threshold
	 * @param minVoxels objects smaller than this (after negative clicks) are dropped
	 */
	public record Options(double threshold, double sigma, int window, int minVoxels) {
		public Options {
			if (!(threshold > 0 && threshold <= 1) || !(sigma >= 0) || window < 3 || minVoxels < 1)
				throw new IllegalArgumentException("Need 0 < threshold <= 1, sigma >= 0, window >= 3, minVoxels >= 1");
		}

		/** Threshold 0.5; sigma 1.5, a first window of 129 pixels; objects of 1 voxel or more. */
		public static Options standard() {
			return new Options(0.5, 1.5, 129, 1);
		}

		public Options withWindow(int w) { return new Options(threshold, sigma, w, minVoxels); }
		public Options withSigma(double s) { return new Options(threshold, s, window, minVoxels); }
	}

	/** The object's mask (empty when nothing was found) and a sentence for the user. */
	public record Result(Mask mask, String message) {
		public boolean isEmpty() {
			return mask.isEmpty();
		}
	}

	private ClickSegmenter() {
	}

	/**
	 * Segments the object of class {@code classIndex} of {@code map} under the clicks.
	 *
	 * @throws IllegalArgumentException when a click lies outside the map, the clicks are on different slices, there
	 *         is no positive click, or the class index is not one of the map's
	 */
	public static Result withModel(ProbabilityMap map, int classIndex, List<Click> clicks, Options o) {
		Objects.requireNonNull(map, "no probability map");
		if (classIndex < 0 || classIndex >= map.classes().size())
			throw new IllegalArgumentException("Class index " + classIndex + " is not one of the model's classes " + map.classes());
		int z = check(clicks, map.width(), map.height(), map.depth());
		int w = map.width(), h = map.height(), plane = w * h;
		float[] p = map.probabilities()[classIndex];
		boolean[] fg = new boolean[plane];
		for (int i = 0; i < plane; i++) fg[i] = p[z * plane + i] >= o.threshold();
		String what = "where the model gives " + map.classes().get(classIndex) + " a probability of at least " + o.threshold();
		return finish(fg, w, h, z, clicks, o, what);
	}

	/**
	 * Segments by seeded region growing on the image's own intensities (no model).
	 *
	 * @throws IllegalArgumentException as {@link #withModel}
	 */
	public static Result fromIntensity(FloatVolume image, List<Click> clicks, Options o) {
		Objects.requireNonNull(image, "no image");
		int z = check(clicks, image.width(), image.height(), image.depth());
		int w = image.width(), h = image.height();
		float[] s = o.sigma() > 0 ? Gaussian.smooth(image.slice(z), w, h, 1, o.sigma()) : image.slice(z);
		boolean[] fg = new boolean[w * h];
		for (Click c : clicks) {
			if (!c.positive()) continue;
			int seed = c.y() * w + c.x();
			if (fg[seed]) continue; // already grown from an earlier click
			boolean[] region = null;
			for (int side = o.window();; side *= 2) {
				double t = localOtsu(s, w, h, c.x(), c.y(), side);
				region = new boolean[w * h];
				boolean leaked = grow(s, w, h, seed, t, s[seed] > t, region, c.x(), c.y(), side / 2);
				if (!leaked || side >= 2 * Math.max(w, h)) break;
			}
			for (int i = 0; i < fg.length; i++) fg[i] |= region[i];
		}
		return finish(fg, w, h, z, clicks, o, "around the click in the image's own intensities");
	}

	/** Validates the clicks; returns their slice. */
	static int check(List<Click> clicks, int w, int h, int d) {
		if (clicks == null || clicks.isEmpty()) throw new IllegalArgumentException("No click: click on the object to segment");
		int z = clicks.get(0).z();
		boolean anyPositive = false;
		for (Click c : clicks) {
			if (c.x() < 0 || c.y() < 0 || c.z() < 0 || c.x() >= w || c.y() >= h || c.z() >= d)
				throw new IllegalArgumentException("The click at (" + c.x() + ", " + c.y() + ") on slice " + (c.z() + 1) + " is outside the image, which is "
						+ w + "x" + h + " pixels" + (d > 1 ? " with " + d + " slices" : "") + " (x 0.." + (w - 1) + ", y 0.." + (h - 1) + ")");
			if (c.z() != z)
				throw new IllegalArgumentException("All clicks of one object must be on the same slice; got slices " + (z + 1) + " and " + (c.z() + 1));
			anyPositive |= c.positive();
		}
		if (!anyPositive) throw new IllegalArgumentException("Only negative clicks: click on the object (without shift) first");
		return z;
	}

	private static Result finish(boolean[] fg, int w, int h, int z, List<Click> clicks, Options o, String where) {
		int[] label = new int[fg.length]; // 0 unset, 1 object, 2 removed
		List<Integer> seeds = new ArrayList<>();
		boolean anyOnObject = false;
		for (Click c : clicks) {
			int i = c.y() * w + c.x();
			if (!fg[i]) continue;
			label[i] = c.positive() ? 1 : 2; // a later click on the same pixel wins
			anyOnObject |= c.positive();
			seeds.add(i);
		}
		if (!anyOnObject)
			return new Result(Mask.EMPTY, "Nothing to segment at the click: it is on the background (no object " + where + ")");
		// marker flood on -EDT inside the foreground: deeper voxels first, first come first served between markers
		float[] dist = SegObjects.distance(fg, w, h, 1);
		PriorityQueue<long[]> q = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
		long order = 0;
		for (int i : seeds) if (label[i] != 0) q.add(new long[] { key(-dist[i], order++), i });
		while (!q.isEmpty()) {
			int i = (int) q.poll()[1];
			int x = i % w, y = i / w;
			int[] nb = { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 };
			for (int j : nb)
				if (j >= 0 && fg[j] && label[j] == 0) {
					label[j] = label[i];
					q.add(new long[] { key(-dist[j], order++), j });
				}
		}
		Mask.Builder b = Mask.builder();
		long n = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				if (label[y * w + x] != 1) continue;
				int xs = x;
				while (x + 1 < w && label[y * w + x + 1] == 1) x++;
				b.addRun(z, y, xs, x + 1);
				n += x + 1 - xs;
			}
		if (n < o.minVoxels())
			return new Result(Mask.EMPTY, "The object at the click has " + n + " pixels, fewer than the " + o.minVoxels() + " asked for");
		Mask m = b.build();
		return new Result(m, "Segmented " + n + " pixels on slice " + (z + 1) + " " + where);
	}

	/** Orders by value, then first in first out. */
	private static long key(float value, long order) {
		int bits = Float.floatToIntBits(value);
		bits ^= (bits >> 31) & 0x7fffffff;
		return ((long) bits << 32) + order;
	}

	/** Otsu's threshold of the values in the square of side {@code window} centred on (cx, cy), clipped to the image. */
	static double localOtsu(float[] s, int w, int h, int cx, int cy, int window) {
		int r = window / 2;
		int x0 = Math.max(0, cx - r), x1 = Math.min(w - 1, cx + r), y0 = Math.max(0, cy - r), y1 = Math.min(h - 1, cy + r);
		float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
		for (int y = y0; y <= y1; y++)
			for (int x = x0; x <= x1; x++) {
				float v = s[y * w + x];
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
		if (!(hi > lo)) return hi; // flat neighbourhood: only equal values grow
		int bins = 256;
		long[] hist = new long[bins];
		double scale = (bins - 1) / (double) (hi - lo);
		for (int y = y0; y <= y1; y++)
			for (int x = x0; x <= x1; x++) hist[(int) ((s[y * w + x] - lo) * scale)]++;
		long total = 0;
		double sumAll = 0;
		for (int i = 0; i < bins; i++) {
			total += hist[i];
			sumAll += (double) i * hist[i];
		}
		long n0 = 0;
		double sum0 = 0, best = -1;
		int bestT = 0;
		for (int t = 0; t < bins - 1; t++) {
			n0 += hist[t];
			sum0 += (double) t * hist[t];
			long n1 = total - n0;
			if (n0 == 0 || n1 == 0) continue;
			double m0 = sum0 / n0, m1 = (sumAll - sum0) / n1, between = (double) n0 * n1 * (m0 - m1) * (m0 - m1);
			if (between > best) {
				best = between;
				bestT = t;
			}
		}
		return lo + (bestT + 1) / scale; // class 0 is bins 0..bestT
	}

	/**
	 * Grows the face-connected region of pixels on the seed's side of {@code t} from {@code seed} into {@code fg},
	 * inside the square of half-side {@code r} around (cx, cy); returns whether it reached the square's edge inside
	 * the image (the object may be larger than the square, whose threshold then says little).
	 */
	private static boolean grow(float[] s, int w, int h, int seed, double t, boolean above, boolean[] fg, int cx, int cy, int r) {
		int x0 = Math.max(0, cx - r), x1 = Math.min(w - 1, cx + r), y0 = Math.max(0, cy - r), y1 = Math.min(h - 1, cy + r);
		boolean leaked = false;
		int[] stack = new int[s.length];
		int top = 0;
		fg[seed] = true;
		stack[top++] = seed;
		while (top > 0) {
			int i = stack[--top];
			int x = i % w, y = i / w;
			if ((x == x0 && x0 > 0) || (x == x1 && x1 < w - 1) || (y == y0 && y0 > 0) || (y == y1 && y1 < h - 1)) leaked = true;
			int[] nb = { x > x0 ? i - 1 : -1, x < x1 ? i + 1 : -1, y > y0 ? i - w : -1, y < y1 ? i + w : -1 };
			for (int j : nb)
				if (j >= 0 && !fg[j] && (above ? s[j] > t : s[j] <= t)) {
					fg[j] = true;
					stack[top++] = j;
				}
		}
		return leaked;
	}
}
