package org.labelloop.core.learn;


import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;

/**
 * The built-in embedder: hand-made image features that need no weights, computed in well under a millisecond for
 * small images. Deterministic: the same pixels always give the same vector, on any machine.
 *
 * <h2>Steps</h2>
 * <ol>
 * <li><b>Region.</b> A whole image is the region {@code rect(0, 0, width, height)}. Otherwise the pixels of the
 * region's bounding box (clipped to the image) are used, and of those only the ones whose centre lies inside the
 * region; the rest count as 0 after normalisation.</li>
 * <li><b>Normalisation.</b> Each channel is mapped to [0, 1] by the image's {@link IntensityRange}, chosen by its
 * modality: a fixed window in HU for a CT, one range over all of a volume's slices for other volumes. A 2D image
 * without one is mapped by the region's own robust range (the 0.5th and 99.5th percentile of the region's finite
 * pixels, clamped), so any bit depth and exposure gives comparable values. NaN and infinite pixels count as 0.
 * Channels are then averaged into one grey image: the features do not describe colour. (v1 normalised every region
 * by its own range, CT and volumes too.)</li>
 * <li><b>Grid.</b> The grey region is resampled by area averaging to a fixed {@value #GRID}×{@value #GRID} grid
 * (and halved twice: 14×14, 7×7), so images and regions of any size give comparable vectors.</li>
 * </ol>
 *
 * <h2>Vector ({@value #DIMENSION} values)</h2>
 * <ol>
 * <li>{@value #INTENSITY} intensity statistics of the region's normalised pixels at full resolution: mean, standard
 * deviation, 10/25/50/75/90th percentile, an 8-bin histogram (fractions), the standard deviation on the 28, 14 and 7
 * grids (contrast at three scales), and the intensity-weighted centroid (x, y), spread (x, y) and x–y correlation on
 * the grid;</li>
 * <li>{@value #RAW} raw pixels of the 14×14 grid (coarse appearance);</li>
 * <li>{@value #HOG} histograms of oriented gradients on the 28 grid: 7×7 cells of 4×4 pixels, 9 unsigned
 * orientation bins with linear interpolation, each cell normalised by the gradient energy of its 3×3 cell
 * neighbourhood, square-rooted; and the same on the 14 grid with 2×2 cells of 7×7 pixels;</li>
 * <li>{@value #LBP} uniform rotation-invariant local binary pattern histograms (8 neighbours, radius 1, 10 bins) for the
 * four quadrants of the 28 grid and for the whole 14 grid;</li>
 * <li>{@value #GLCM} Haralick features of the grey-level co-occurrence matrix (8 levels, distance 1, four directions,
 * symmetric): contrast, homogeneity, energy, entropy and correlation, on the 28 and 14 grids;</li>
 * <li>{@value #SHAPE} shape features of the region: log(1+area), log(1+perimeter), circularity 4π·area/perimeter²,
 * extent (area / bounding box), solidity (area / convex hull of the vertices), bounding box aspect (short / long side),
 * and elongation (square root of the ratio of the small to the large eigenvalue of the mask's second moments).
 * Area and perimeter are in image pixels, so for a whole image they describe its size.</li>
 * </ol>
 */
public final class FeatureEmbedder implements Embedder {

	/** Side of the fixed grid the region is resampled to. */
	public static final int GRID = 28;
	static final int INTENSITY = 23, RAW = 14 * 14, HOG = 7 * 7 * 9 + 2 * 2 * 9, LBP = 5 * 10, GLCM = 2 * 5, SHAPE = 7;
	public static final int DIMENSION = INTENSITY + RAW + HOG + LBP + GLCM + SHAPE;
	private static final int ORIENTATIONS = 9;

	@Override
	public String id() {
		return "features-v2";
	}

	@Override
	public int dimension() {
		return DIMENSION;
	}

	@Override
	public float[] embed(FloatImage image) {
		return embed(image, 0, 0, image.width(), image.height(), null,
				Geometry.rect(0, 0, image.width(), image.height(), null));
	}

	@Override
	public float[] embed(FloatImage image, Geometry region) {
		if (!region.kind().isArea())
			throw new IllegalArgumentException("Only area regions can be embedded, not a " + region.kind().key());
		Box b = region.bounds();
		int x0 = (int) Math.max(0, Math.floor(b.x())), y0 = (int) Math.max(0, Math.floor(b.y()));
		int x1 = (int) Math.min(image.width(), Math.ceil(b.x() + b.w())), y1 = (int) Math.min(image.height(), Math.ceil(b.y() + b.h()));
		if (x1 <= x0 || y1 <= y0) throw new IllegalArgumentException("The region " + region + " lies outside the " + image.width() + "x" + image.height() + " image");
		int w = x1 - x0, h = y1 - y0, inside = 0;
		boolean[] mask = new boolean[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (mask[y * w + x] = region.contains(x0 + x + 0.5, y0 + y + 0.5)) inside++;
		if (inside == 0) throw new IllegalArgumentException("The region " + region + " holds no pixel centre of the image");
		return embed(image, x0, y0, w, h, inside == mask.length ? null : mask, region);
	}

	/** @param mask which pixels of the w×h crop belong to the region; null for all */
	private static float[] embed(FloatImage im, int x0, int y0, int w, int h, boolean[] mask, Geometry region) {
		float[] grey = normalisedGrey(im, x0, y0, w, h, mask);
		float[] g28 = Grid.resample(grey, w, h, GRID, GRID);
		float[] g14 = Grid.halve(g28, GRID), g7 = Grid.halve(g14, GRID / 2);
		float[] out = new float[DIMENSION];
		int at = intensity(grey, mask, g28, g14, g7, out, 0);
		System.arraycopy(g14, 0, out, at, RAW);
		at += RAW;
		at = hog(g28, GRID, 4, out, at);
		at = hog(g14, GRID / 2, 7, out, at);
		for (int q = 0; q < 4; q++) at = lbp(g28, GRID, (q % 2) * GRID / 2, (q / 2) * GRID / 2, GRID / 2, out, at);
		at = lbp(g14, GRID / 2, 0, 0, GRID / 2, out, at);
		at = glcm(g28, GRID, out, at);
		at = glcm(g14, GRID / 2, out, at);
		at = Shape.features(region, mask, w, h, out, at);
		assert at == DIMENSION;
		return out;
	}

	/**
	 * The crop as one channel in [0, 1]: each channel by the image's {@link IntensityRange} (its modality's), or by the
	 * crop's own robust range when it has none; then averaged; 0 outside the mask.
	 */
	static float[] normalisedGrey(FloatImage im, int x0, int y0, int w, int h, boolean[] mask) {
		float[] grey = new float[w * h];
		float[] data = im.data();
		float scale = 1f / im.channels();
		for (int c = 0; c < im.channels(); c++) {
			int channel = c;
			IntensityRange.Values crop = sink -> {
				for (int y = 0; y < h; y++) {
					int row = (channel * im.height() + y0 + y) * im.width() + x0;
					for (int x = 0; x < w; x++)
						if (mask == null || mask[y * w + x]) sink.accept(data[row + x]);
				}
			};
			float[] range = im.range() != null ? new float[] { im.range().low()[c], im.range().high()[c] } : IntensityRange.robust(crop);
			if (range == null) continue; // constant or empty channel: contributes 0
			float lo = range[0], f = 1 / Math.max(range[1] - lo, Float.MIN_NORMAL);
			for (int y = 0; y < h; y++) {
				int row = (c * im.height() + y0 + y) * im.width() + x0;
				for (int x = 0; x < w; x++) {
					int i = y * w + x;
					float v = data[row + x];
					if (Float.isFinite(v) && (mask == null || mask[i])) grey[i] += scale * Math.min(1f, Math.max(0f, (v - lo) * f));
				}
			}
		}
		return grey;
	}

	private static int intensity(float[] grey, boolean[] mask, float[] g28, float[] g14, float[] g7, float[] out, int at) {
		int[] hist = new int[256];
		double sum = 0, sum2 = 0;
		int n = 0;
		for (int i = 0; i < grey.length; i++) {
			if (mask != null && !mask[i]) continue;
			float v = grey[i];
			hist[Math.min(255, (int) (v * 256))]++;
			sum += v;
			sum2 += v * v;
			n++;
		}
		double mean = sum / n;
		out[at++] = (float) mean;
		out[at++] = (float) Math.sqrt(Math.max(0, sum2 / n - mean * mean));
		for (double q : new double[] { 0.1, 0.25, 0.5, 0.75, 0.9 }) out[at++] = (IntensityRange.percentileBin(hist, n, q) + 0.5f) / 256;
		for (int b = 0; b < 8; b++) {
			int c = 0;
			for (int j = b * 32; j < (b + 1) * 32; j++) c += hist[j];
			out[at++] = (float) c / n;
		}
		out[at++] = std(g28);
		out[at++] = std(g14);
		out[at++] = std(g7);
		// intensity-weighted moments on the grid: where the mass is and how it spreads
		double m = 0, mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
		for (int y = 0; y < GRID; y++)
			for (int x = 0; x < GRID; x++) {
				double v = g28[y * GRID + x], px = (x + 0.5) / GRID, py = (y + 0.5) / GRID;
				m += v; mx += v * px; my += v * py; mxx += v * px * px; myy += v * py * py; mxy += v * px * py;
			}
		if (m > 0) {
			double cx = mx / m, cy = my / m, vx = Math.max(0, mxx / m - cx * cx), vy = Math.max(0, myy / m - cy * cy);
			double cov = mxy / m - cx * cy;
			out[at] = (float) cx;
			out[at + 1] = (float) cy;
			out[at + 2] = (float) Math.sqrt(vx);
			out[at + 3] = (float) Math.sqrt(vy);
			out[at + 4] = vx > 0 && vy > 0 ? (float) (cov / Math.sqrt(vx * vy)) : 0;
		}
		return at + 5;
	}

	private static float std(float[] a) {
		double s = 0, s2 = 0;
		for (float v : a) { s += v; s2 += v * v; }
		double mean = s / a.length;
		return (float) Math.sqrt(Math.max(0, s2 / a.length - mean * mean));
	}

	/**
	 * Histograms of oriented gradients of an n×n grid with cells of {@code cell}×{@code cell} pixels. Each cell's
	 * histogram is divided by the root gradient energy of its 3×3 cell neighbourhood, then square-rooted.
	 */
	static int hog(float[] g, int n, int cell, float[] out, int at) {
		int cells = n / cell;
		float[] hist = new float[cells * cells * ORIENTATIONS];
		for (int y = 0; y < cells * cell; y++)
			for (int x = 0; x < cells * cell; x++) {
				float gx = g[y * n + Math.min(n - 1, x + 1)] - g[y * n + Math.max(0, x - 1)];
				float gy = g[Math.min(n - 1, y + 1) * n + x] - g[Math.max(0, y - 1) * n + x];
				float mag = (float) Math.sqrt(gx * gx + gy * gy);
				if (mag == 0) continue;
				double pos = orientation(gx, gy) / Math.PI * ORIENTATIONS - 0.5;
				int b0 = (int) Math.floor(pos);
				float frac = (float) (pos - b0);
				int base = ((y / cell) * cells + x / cell) * ORIENTATIONS;
				hist[base + Math.floorMod(b0, ORIENTATIONS)] += mag * (1 - frac);
				hist[base + Math.floorMod(b0 + 1, ORIENTATIONS)] += mag * frac;
			}
		float[] energy = new float[cells * cells];
		for (int c = 0; c < energy.length; c++)
			for (int o = 0; o < ORIENTATIONS; o++) energy[c] += hist[c * ORIENTATIONS + o] * hist[c * ORIENTATIONS + o];
		for (int cy = 0; cy < cells; cy++)
			for (int cx = 0; cx < cells; cx++) {
				float e = 1e-4f;
				for (int dy = Math.max(0, cy - 1); dy <= Math.min(cells - 1, cy + 1); dy++)
					for (int dx = Math.max(0, cx - 1); dx <= Math.min(cells - 1, cx + 1); dx++) e += energy[dy * cells + dx];
				float norm = (float) (1 / Math.sqrt(e));
				int base = (cy * cells + cx) * ORIENTATIONS;
				for (int o = 0; o < ORIENTATIONS; o++) out[at++] = (float) Math.sqrt(hist[base + o] * norm);
			}
		return at;
	}

	/**
	 * Unsigned gradient orientation in [0, π), within 1e-5 rad of {@code atan2} (a minimax polynomial for atan on
	 * [0, 1], folded to the other octants) and several times faster; plain arithmetic, so identical on every JVM.
	 */
	static double orientation(double gx, double gy) {
		if (gy < 0 || gy == 0 && gx < 0) { gx = -gx; gy = -gy; } // the opposite direction has the same orientation
		double ax = Math.abs(gx), z = Math.min(ax, gy) / Math.max(ax, gy), z2 = z * z;
		double a = z * (0.9998660 + z2 * (-0.3302995 + z2 * (0.1801410 + z2 * (-0.0851330 + z2 * 0.0208351))));
		if (gy > ax) a = Math.PI / 2 - a;
		return gx < 0 ? Math.PI - a : a;
	}

	/** Bin of each 8-bit pattern in the uniform rotation-invariant code: the number of set bits, or 9 if not uniform. */
	private static final byte[] RIU2 = new byte[256];
	static {
		for (int p = 0; p < 256; p++) {
			int transitions = Integer.bitCount((p ^ ((p >>> 1) | ((p & 1) << 7))) & 0xff);
			RIU2[p] = (byte) (transitions <= 2 ? Integer.bitCount(p) : 9);
		}
	}
	private static final int[] DX = { -1, 0, 1, 1, 1, 0, -1, -1 }, DY = { -1, -1, -1, 0, 1, 1, 1, 0 };

	/** Uniform LBP histogram (10 bins, fractions) of the size×size window at (x0, y0) of an n×n grid, borders skipped. */
	static int lbp(float[] g, int n, int x0, int y0, int size, float[] out, int at) {
		int[] offset = new int[8];
		for (int k = 0; k < 8; k++) offset[k] = DY[k] * n + DX[k];
		int count = 0;
		for (int y = Math.max(1, y0); y < Math.min(n - 1, y0 + size); y++)
			for (int x = Math.max(1, x0); x < Math.min(n - 1, x0 + size); x++) {
				int i = y * n + x, p = 0;
				float c = g[i];
				for (int k = 0; k < 8; k++) p |= (g[i + offset[k]] >= c ? 1 : 0) << k;
				out[at + RIU2[p]]++;
				count++;
			}
		for (int b = 0; b < 10; b++) out[at + b] /= count;
		return at + 10;
	}

	private static final int[][] GLCM_OFFSETS = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { -1, 1 } };

	/** Haralick contrast, homogeneity, energy, entropy and correlation of an n×n grid (8 levels, 4 directions). */
	static int glcm(float[] g, int n, float[] out, int at) {
		int levels = 8;
		int[] q = new int[g.length];
		for (int i = 0; i < g.length; i++) q[i] = Math.min(levels - 1, (int) (g[i] * levels));
		int[] counts = new int[levels * levels];
		int total = 0;
		for (int[] o : GLCM_OFFSETS) {
			int step = o[1] * n + o[0];
			for (int y = 0; y + o[1] < n; y++)
				for (int x = Math.max(0, -o[0]), i = y * n + x; x < n && x + o[0] < n; x++, i++) counts[q[i] * levels + q[i + step]]++;
			total += (n - o[1]) * (n - Math.abs(o[0]));
		}
		double[] p = new double[levels * levels];
		double mean = 0, contrast = 0, homogeneity = 0, energy = 0, entropy = 0;
		for (int i = 0; i < levels; i++)
			for (int j = 0; j < levels; j++) {
				double v = p[i * levels + j] = (counts[i * levels + j] + counts[j * levels + i]) / (2.0 * total); // symmetric
				mean += i * v;
				contrast += (i - j) * (i - j) * v;
				homogeneity += v / (1 + Math.abs(i - j));
				energy += v * v;
				if (v > 0) entropy -= v * Math.log(v);
			}
		double var = 0, cov = 0;
		for (int i = 0; i < levels; i++)
			for (int j = 0; j < levels; j++) {
				var += (i - mean) * (i - mean) * p[i * levels + j];
				cov += (i - mean) * (j - mean) * p[i * levels + j];
			}
		out[at++] = (float) (contrast / ((levels - 1) * (levels - 1)));
		out[at++] = (float) homogeneity;
		out[at++] = (float) energy;
		out[at++] = (float) (entropy / Math.log(levels * levels));
		out[at++] = var > 0 ? (float) (cov / var) : 0;
		return at;
	}
}
