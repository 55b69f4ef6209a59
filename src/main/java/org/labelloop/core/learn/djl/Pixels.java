package org.labelloop.core.learn.djl;

import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.learn.FloatImage;

/** Crops, resizes and converts {@link FloatImage}s to the fixed input a deep model takes. */
final class Pixels {

	private Pixels() {
	}

	/**
	 * The pixels of the region's bounding box, clipped to the image; pixels whose centre lies outside the region are
	 * set to the mean of those inside (per channel), so the model sees the object and a neutral surround.
	 */
	static FloatImage crop(FloatImage im, Geometry region) {
		if (!region.kind().isArea())
			throw new IllegalArgumentException("Only area regions can be embedded, not a " + region.kind().key());
		Box b = region.bounds();
		int x0 = (int) Math.max(0, Math.floor(b.x())), y0 = (int) Math.max(0, Math.floor(b.y()));
		int x1 = (int) Math.min(im.width(), Math.ceil(b.x() + b.w())), y1 = (int) Math.min(im.height(), Math.ceil(b.y() + b.h()));
		if (x1 <= x0 || y1 <= y0)
			throw new IllegalArgumentException("The region " + region + " lies outside the " + im.width() + "x" + im.height() + " image");
		int w = x1 - x0, h = y1 - y0, c = im.channels();
		boolean[] in = new boolean[w * h];
		int inside = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				if (in[y * w + x] = region.contains(x0 + x + 0.5, y0 + y + 0.5)) inside++;
		if (inside == 0) throw new IllegalArgumentException("The region " + region + " holds no pixel centre of the image");
		float[] out = new float[w * h * c];
		for (int ch = 0; ch < c; ch++) {
			double sum = 0;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					float v = im.get(ch, x0 + x, y0 + y);
					out[(ch * h + y) * w + x] = v;
					if (in[y * w + x] && Float.isFinite(v)) sum += v;
				}
			float mean = (float) (sum / inside);
			for (int i = 0; i < w * h; i++)
				if (!in[i]) out[ch * w * h + i] = mean;
		}
		return new FloatImage(w, h, c, out);
	}

	/**
	 * The image as {@code channels} planes of {@code width×height} (bilinear, pixel centres aligned; area-averaged
	 * first when shrinking by more than 2), with grey replicated to 3 channels or 3+ channels averaged to grey.
	 * NaN and infinite pixels count as 0.
	 *
	 * @throws IllegalArgumentException when the channel counts cannot be matched (e.g. 2 channels for a 3-channel model)
	 */
	static float[] toInput(FloatImage im, int width, int height, int channels) {
		int n = width * height;
		float[] out = new float[channels * n];
		if (im.channels() == channels) {
			for (int c = 0; c < channels; c++) System.arraycopy(resize(plane(im, c), im.width(), im.height(), width, height), 0, out, c * n, n);
		} else if (channels == 1) {
			float[] grey = new float[im.width() * im.height()];
			for (int c = 0; c < im.channels(); c++) {
				float[] p = plane(im, c);
				for (int i = 0; i < grey.length; i++) grey[i] += p[i] / im.channels();
			}
			System.arraycopy(resize(grey, im.width(), im.height(), width, height), 0, out, 0, n);
		} else if (im.channels() == 1) {
			float[] r = resize(plane(im, 0), im.width(), im.height(), width, height);
			for (int c = 0; c < channels; c++) System.arraycopy(r, 0, out, c * n, n);
		} else {
			throw new IllegalArgumentException("The model takes " + channels + " channels; an image with " + im.channels()
					+ " channels cannot be converted (only grey to " + channels + " or many to grey)");
		}
		return out;
	}

	private static float[] plane(FloatImage im, int c) {
		int n = im.width() * im.height();
		float[] p = new float[n];
		float[] d = im.data();
		for (int i = 0; i < n; i++) {
			float v = d[c * n + i];
			p[i] = Float.isFinite(v) ? v : 0;
		}
		return p;
	}

	static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
		if (sw == dw && sh == dh) return src;
		while (sw >= 2 * dw && sh >= 2 * dh && sw % 2 == 0 && sh % 2 == 0) { // halve by 2×2 means (anti-aliasing)
			int w = sw / 2, h = sh / 2;
			float[] half = new float[w * h];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) {
					int i = 2 * y * sw + 2 * x;
					half[y * w + x] = (src[i] + src[i + 1] + src[i + sw] + src[i + sw + 1]) / 4;
				}
			src = half;
			sw = w;
			sh = h;
		}
		if (sw == dw && sh == dh) return src;
		float[] out = new float[dw * dh];
		double fx = (double) sw / dw, fy = (double) sh / dh;
		for (int y = 0; y < dh; y++) {
			double sy = Math.min(Math.max((y + 0.5) * fy - 0.5, 0), sh - 1);
			int y0 = (int) sy, y1 = Math.min(y0 + 1, sh - 1);
			double wy = sy - y0;
			for (int x = 0; x < dw; x++) {
				double sx = Math.min(Math.max((x + 0.5) * fx - 0.5, 0), sw - 1);
				int x0 = (int) sx, x1 = Math.min(x0 + 1, sw - 1);
				double wx = sx - x0;
				double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
				double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
				out[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
			}
		}
		return out;
	}
}
