package org.labelloop.core.learn.djl;

import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;

/**
 * The first half of a deep-model ROI proposer: runs the user's segmentation model (ONNX or TorchScript, offline,
 * set up exactly like a {@link DjlEmbedder}) and turns its output into a label map of the image's own size, which
 * the imaging layer traces into polygons ({@code org.labelloop.imaging.LabelMaps.toGeometries}).
 * <p>
 * The chosen output's last two dimensions are the map's height and width; the dimensions before them (after a
 * batch of 1) are the classes K:
 * <ul>
 * <li>K = 1: a probability (or score) map; label 1 where the value is above the threshold, else 0;</li>
 * <li>K &gt; 1: one score map per class, class 0 being background; each pixel gets the class of the highest score,
 * or 0 when that score is not above the threshold (use a threshold below any score, e.g.
 * {@code Float.NEGATIVE_INFINITY}, for plain arg-max of logits).</li>
 * </ul>
 * The map is resized to the image by nearest neighbour (pixel centres).
 */
public final class DjlSegmenter implements AutoCloseable {

	private final DjlEmbedder model;
	private final float threshold;

	private DjlSegmenter(DjlEmbedder model, float threshold) {
		this.model = model;
		this.threshold = threshold;
	}

	/**
	 * Opens the model (same checks and messages as {@link DjlEmbedder#open}).
	 *
	 * @param threshold a pixel is foreground when its (best) score is above this
	 */
	public static DjlSegmenter open(DjlEmbedder.Settings settings, float threshold) {
		if (Float.isNaN(threshold)) throw new IllegalArgumentException("The threshold must be a number");
		return new DjlSegmenter(DjlEmbedder.open(settings), threshold);
	}

	/** An id for the proposals' origin: the model's id and the threshold. */
	public String id() {
		return "seg-" + model.id() + "-t" + threshold;
	}

	/** Labels (0 background, 1..K-1 classes) of each pixel of the image, row by row, image width × height. */
	public int[] labelMap(FloatImage image) {
		DjlEmbedder.Output out = model.raw(image);
		long[] shape = mapShape(out);
		int h = (int) shape[shape.length - 2], w = (int) shape[shape.length - 1], plane = w * h;
		int k = out.values().length / plane;
		float[] v = out.values();
		int[] small = new int[plane];
		for (int i = 0; i < plane; i++) small[i] = label(v, k, plane, i);
		int iw = image.width(), ih = image.height();
		if (iw == w && ih == h) return small;
		int[] full = new int[iw * ih];
		for (int y = 0; y < ih; y++) {
			int sy = Math.min(h - 1, (int) ((y + 0.5) * h / ih));
			for (int x = 0; x < iw; x++) full[y * iw + x] = small[sy * w + Math.min(w - 1, (int) ((x + 0.5) * w / iw))];
		}
		return full;
	}

	/** The output's shape, checked to end in height × width. */
	private long[] mapShape(DjlEmbedder.Output out) {
		long[] shape = out.shape();
		if (shape.length < 2)
			throw new LabelLoopException("The segmentation model " + model.settings().modelFile().getFileName() + " gives an output of shape "
					+ DjlEmbedder.dims(shape) + "; a map needs at least height × width.");
		return shape;
	}

	/** The label of pixel i of K score maps of {@code plane} pixels each (see the class comment). */
	private int label(float[] v, int k, int plane, int i) {
		if (k == 1) return v[i] > threshold ? 1 : 0;
		int best = 0;
		for (int c = 1; c < k; c++) if (v[c * plane + i] > v[best * plane + i]) best = c;
		return v[best * plane + i] > threshold ? best : 0;
	}

	/**
	 * Labels at the image's own resolution: the model's input window slides over the image (tiles overlapping by
	 * {@code overlap} of the window; the last tile of a row or column ends at the image's edge; an image smaller than
	 * the window is padded with its edge pixels), and each pixel's scores are the mean of its tiles' scores weighted by
	 * how far the pixel lies inside each tile (a ramp falling to the tile's edges), so no seam shows where tiles meet.
	 * What a model trained on crops of full-resolution images needs; {@link #labelMap} resizes the whole image instead.
	 *
	 * @param overlap the fraction of the window two neighbouring tiles share, from 0 to 0.9
	 */
	public int[] labelMapTiled(FloatImage image, double overlap) {
		if (!(overlap >= 0 && overlap <= 0.9)) throw new IllegalArgumentException("The tile overlap must be from 0 to 0.9, got " + overlap);
		int tw = model.settings().width(), th = model.settings().height(), iw = image.width(), ih = image.height(), n = iw * ih;
		int[] xs = starts(iw, tw, overlap), ys = starts(ih, th, overlap);
		float[][] sum = null;
		float[] weights = new float[n];
		int k = 0;
		for (int y0 : ys)
			for (int x0 : xs) {
				DjlEmbedder.Output out = model.raw(tile(image, x0, y0, tw, th));
				long[] shape = mapShape(out);
				int oh = (int) shape[shape.length - 2], ow = (int) shape[shape.length - 1], plane = ow * oh;
				if (sum == null) {
					k = out.values().length / plane;
					sum = new float[k][n];
				}
				float[] v = out.values();
				for (int ty = 0; ty < th && y0 + ty < ih; ty++) {
					int sy = Math.min(oh - 1, (int) ((ty + 0.5) * oh / th));
					float wy = ramp(ty, th);
					for (int tx = 0; tx < tw && x0 + tx < iw; tx++) {
						int sx = Math.min(ow - 1, (int) ((tx + 0.5) * ow / tw)), p = (y0 + ty) * iw + x0 + tx;
						float wgt = wy * ramp(tx, tw);
						for (int c = 0; c < k; c++) sum[c][p] += wgt * v[c * plane + sy * ow + sx];
						weights[p] += wgt;
					}
				}
			}
		float[] scores = new float[k * n];
		for (int c = 0; c < k; c++)
			for (int p = 0; p < n; p++) scores[c * n + p] = sum[c][p] / weights[p];
		int[] labels = new int[n];
		for (int p = 0; p < n; p++) labels[p] = label(scores, k, n, p);
		return labels;
	}

	/** Where tiles of size t start along a side of size s, overlapping by the fraction given; the last ends at s. */
	static int[] starts(int s, int t, double overlap) {
		if (s <= t) return new int[] { 0 };
		int step = Math.max(1, (int) Math.round(t * (1 - overlap)));
		int count = (int) Math.ceil((double) (s - t) / step) + 1;
		int[] out = new int[count];
		for (int i = 0; i < count; i++) out[i] = Math.min(i * step, s - t);
		return out;
	}

	/** A tile's weight at position i of t: 1 in the middle, falling linearly to 1/(t/4) at the edges (never 0). */
	private static float ramp(int i, int t) {
		float edge = Math.max(1, t / 4f);
		return Math.min(1, (Math.min(i, t - 1 - i) + 1) / edge);
	}

	/** The window of the image at (x0, y0), pixels past the image's edge repeating the edge. */
	private static FloatImage tile(FloatImage image, int x0, int y0, int tw, int th) {
		int iw = image.width(), ih = image.height(), c = image.channels();
		float[] d = image.data(), out = new float[c * tw * th];
		for (int ch = 0; ch < c; ch++)
			for (int y = 0; y < th; y++) {
				int sy = Math.min(ih - 1, y0 + y);
				for (int x = 0; x < tw; x++) out[ch * tw * th + y * tw + x] = d[ch * iw * ih + sy * iw + Math.min(iw - 1, x0 + x)];
			}
		return new FloatImage(tw, th, c, out);
	}

	@Override
	public void close() {
		model.close();
	}
}
