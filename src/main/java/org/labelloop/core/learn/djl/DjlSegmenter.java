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
		long[] shape = out.shape();
		if (shape.length < 2)
			throw new LabelLoopException("The segmentation model " + model.settings().modelFile().getFileName() + " gives an output of shape "
					+ DjlEmbedder.dims(shape) + "; a map needs at least height × width.");
		int h = (int) shape[shape.length - 2], w = (int) shape[shape.length - 1], plane = w * h;
		int k = out.values().length / plane;
		float[] v = out.values();
		int[] small = new int[plane];
		for (int i = 0; i < plane; i++) {
			if (k == 1) {
				small[i] = v[i] > threshold ? 1 : 0;
			} else {
				int best = 0;
				for (int c = 1; c < k; c++) if (v[c * plane + i] > v[best * plane + i]) best = c;
				small[i] = v[best * plane + i] > threshold ? best : 0;
			}
		}
		int iw = image.width(), ih = image.height();
		if (iw == w && ih == h) return small;
		int[] full = new int[iw * ih];
		for (int y = 0; y < ih; y++) {
			int sy = Math.min(h - 1, (int) ((y + 0.5) * h / ih));
			for (int x = 0; x < iw; x++) full[y * iw + x] = small[sy * w + Math.min(w - 1, (int) ((x + 0.5) * w / iw))];
		}
		return full;
	}

	@Override
	public void close() {
		model.close();
	}
}
