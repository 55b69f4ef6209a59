package org.labelloop.backend;

import java.util.List;

import org.labelloop.core.learn.djl.DjlEmbedder;

/**
 * How to propose objects with the user's own segmentation model (ONNX or TorchScript, run offline by DJL; see
 * {@link org.labelloop.core.learn.djl.DjlSegmenter} for how its output becomes a label map).
 *
 * @param model     the model file and its input: size, channels, normalisation, the output to use
 * @param threshold a pixel is foreground when its (best) score is above this; {@code -Infinity} for plain arg-max
 * @param minArea   smallest object kept, in pixels
 * @param classes   the project class of each foreground label: label k (1-based) gets {@code classes.get(k - 1)};
 *                  an empty list (or a label past its end) leaves the proposal without a class
 * @param masks     whether objects become masks (one per connected object of a label; on a volume across its slices,
 *                  a 3D object; {@code minArea} then counts voxels) instead of polygons traced per slice
 * @param tiles     whether the model's input window slides over each slice at full resolution, in overlapping tiles
 *                  ({@link org.labelloop.core.learn.djl.DjlSegmenter#labelMapTiled}), instead of the slice being resized to it
 */
public record ModelProposal(DjlEmbedder.Settings model, float threshold, double minArea, List<String> classes, boolean masks, boolean tiles) {
	/** How much neighbouring tiles overlap, as a fraction of the window. */
	public static final double TILE_OVERLAP = 0.25;

	public ModelProposal {
		if (model == null) throw new IllegalArgumentException("No segmentation model given");
		if (Float.isNaN(threshold)) throw new IllegalArgumentException("The threshold must be a number");
		if (!(minArea >= 0)) throw new IllegalArgumentException("The minimum area must be 0 or more, got " + minArea);
		classes = classes == null ? List.of() : List.copyOf(classes);
	}

	/** Polygons, as before masks were offered. */
	public ModelProposal(DjlEmbedder.Settings model, float threshold, double minArea, List<String> classes) {
		this(model, threshold, minArea, classes, false, false);
	}
}
