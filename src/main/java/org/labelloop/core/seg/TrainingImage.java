package org.labelloop.core.seg;

import java.util.List;

import org.labelloop.core.geom.Mask;

/**
 * An image with some of its voxels labelled: {@code labels[voxel]} is 0 where unlabelled, else {@code 1 + class
 * index}. Build one from masks on fully labelled slices ({@link #ofLabelledSlices}), from scribbles
 * ({@link #ofScribbles}), or from both on different slices ({@link #of}).
 */
public record TrainingImage(FloatVolume image, int[] labels) {

	public TrainingImage {
		if (image == null || labels == null || labels.length != image.voxels())
			throw new IllegalArgumentException("Labels must have one value per voxel of the image (" + (image == null ? "no image" : image.size()) + ")");
	}

	/**
	 * Slices that were labelled completely: on each of {@code slices}, the voxels of {@code perClass.get(c)} get class
	 * c (c ≥ 1), every other voxel of the slice class 0 (background). Masks on other slices are ignored; a later
	 * class wins where masks overlap.
	 */
	public static TrainingImage ofLabelledSlices(FloatVolume image, int[] slices, List<List<Mask>> perClass) {
		int[] labels = new int[image.voxels()];
		int plane = image.width() * image.height();
		for (int z : slices) {
			if (z < 0 || z >= image.depth()) throw new IllegalArgumentException("Slice " + z + " is outside the image (depth " + image.depth() + ")");
			java.util.Arrays.fill(labels, z * plane, (z + 1) * plane, 1);
		}
		for (int c = 1; c < perClass.size(); c++)
			for (Mask m : perClass.get(c)) paint(m, image, labels, c + 1, slices);
		return new TrainingImage(image, labels);
	}

	/**
	 * Slices labelled completely ({@code full}, as {@link #ofLabelledSlices}) and scribbled slices ({@code scribbled}):
	 * on those only the voxels of {@code perClass.get(c)} get class c, background strokes ({@code perClass.get(0)})
	 * included, and the rest stays unlabelled. A slice in both counts as scribbled.
	 */
	public static TrainingImage of(FloatVolume image, int[] full, int[] scribbled, List<List<Mask>> perClass) {
		int[] onlyFull = java.util.Arrays.stream(full).filter(z -> java.util.Arrays.stream(scribbled).noneMatch(s -> s == z)).toArray();
		TrainingImage t = ofLabelledSlices(image, onlyFull, perClass);
		if (scribbled.length == 0) return t;
		for (int z : scribbled)
			if (z < 0 || z >= image.depth()) throw new IllegalArgumentException("Slice " + z + " is outside the image (depth " + image.depth() + ")");
		for (int c = 0; c < perClass.size(); c++)
			for (Mask m : perClass.get(c)) paint(m, image, t.labels(), c + 1, scribbled);
		return t;
	}

	/** Scribbles: the voxels of {@code perClass.get(c)} get class c (background is a class like any other here). */
	public static TrainingImage ofScribbles(FloatVolume image, List<List<Mask>> perClass) {
		int[] labels = new int[image.voxels()];
		for (int c = 0; c < perClass.size(); c++)
			for (Mask m : perClass.get(c)) paint(m, image, labels, c + 1, null);
		return new TrainingImage(image, labels);
	}

	private static void paint(Mask m, FloatVolume image, int[] labels, int value, int[] onlySlices) {
		int w = image.width(), h = image.height();
		for (int z : m.slices()) {
			if (z < 0 || z >= image.depth()) continue;
			if (onlySlices != null && java.util.Arrays.stream(onlySlices).noneMatch(s -> s == z)) continue;
			int base = z * w * h;
			m.slice(z).forEachRow((y, xs, xe) -> {
				if (y < 0 || y >= h) return;
				for (int x = Math.max(0, xs); x < Math.min(w, xe); x++) labels[base + y * w + x] = value;
			});
		}
	}

	/** Labelled voxels per class ({@code [0]} = class 0). */
	public long[] counts(int classes) {
		long[] n = new long[classes];
		for (int l : labels) if (l > 0 && l <= classes) n[l - 1]++;
		return n;
	}
}
