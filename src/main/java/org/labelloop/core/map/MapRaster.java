package org.labelloop.core.map;

import java.util.BitSet;

/**
 * Draws the points of a 2D layout into a plain ARGB pixel array, with primitive loops and no allocation, so the
 * Embedding Map window redraws 100,000 points on every wheel or drag event in a few milliseconds (see {@code bench
 * vector}'s render timing). The window wraps the array in an image; this class needs no AWT.
 * <p>
 * The view maps data coordinates to pixels as {@code px = (x - left) * scale}, {@code py = (top - y) * scale} (y up).
 * Each point is a square of {@code 2 * radius + 1} pixels; selected points are drawn last, larger, with a dark rim.
 */
public final class MapRaster {

	private MapRaster() {
	}

	/** The view of a raster: data coordinates of its top-left corner and pixels per data unit. */
	public record View(double left, double top, double scale) {
		public double toPixelX(double x) {
			return (x - left) * scale;
		}

		public double toPixelY(double y) {
			return (top - y) * scale;
		}

		public double toDataX(double px) {
			return left + px / scale;
		}

		public double toDataY(double py) {
			return top - py / scale;
		}

		/** Zoomed by {@code factor} around pixel (px, py), which stays on the same data point. */
		public View zoom(double factor, double px, double py) {
			double dx = toDataX(px), dy = toDataY(py), s = scale * factor;
			return new View(dx - px / s, dy + py / s, s);
		}

		public View pan(double dpx, double dpy) {
			return new View(left - dpx / scale, top + dpy / scale, scale);
		}

		/** A view showing every point with a margin of 5%. */
		public static View fit(float[] x, float[] y, int width, int height) {
			double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
			for (int i = 0; i < x.length; i++) {
				minX = Math.min(minX, x[i]);
				maxX = Math.max(maxX, x[i]);
				minY = Math.min(minY, y[i]);
				maxY = Math.max(maxY, y[i]);
			}
			if (x.length == 0) {
				minX = minY = -1;
				maxX = maxY = 1;
			}
			double w = Math.max(maxX - minX, 1e-6), h = Math.max(maxY - minY, 1e-6);
			double scale = Math.min(width / (w * 1.1), height / (h * 1.1));
			double cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
			return new View(cx - width / 2.0 / scale, cy + height / 2.0 / scale, scale);
		}
	}

	/**
	 * Fills {@code pixels} (row-major, {@code width × height}) with {@code background} and draws every point.
	 *
	 * @param colours  ARGB colour of each point
	 * @param selected points drawn highlighted (may be null)
	 */
	public static void render(float[] x, float[] y, int[] colours, BitSet selected, int[] pixels, int width, int height, View view, int radius,
			int background) {
		java.util.Arrays.fill(pixels, 0, width * height, background);
		double left = view.left(), top = view.top(), scale = view.scale();
		for (int i = 0; i < x.length; i++) {
			if (selected != null && selected.get(i)) continue;
			square(pixels, width, height, (int) Math.round((x[i] - left) * scale), (int) Math.round((top - y[i]) * scale), radius, colours[i]);
		}
		if (selected == null) return;
		for (int i = selected.nextSetBit(0); i >= 0 && i < x.length; i = selected.nextSetBit(i + 1)) {
			int px = (int) Math.round((x[i] - left) * scale), py = (int) Math.round((top - y[i]) * scale);
			square(pixels, width, height, px, py, radius + 2, 0xff000000);
			square(pixels, width, height, px, py, radius + 1, colours[i]);
		}
	}

	private static void square(int[] pixels, int width, int height, int cx, int cy, int r, int colour) {
		int x0 = Math.max(0, cx - r), x1 = Math.min(width - 1, cx + r), y0 = Math.max(0, cy - r), y1 = Math.min(height - 1, cy + r);
		for (int yy = y0; yy <= y1; yy++) {
			int row = yy * width;
			for (int xx = x0; xx <= x1; xx++) pixels[row + xx] = colour;
		}
	}
}
