package org.labelloop.core.seg;

import org.labelloop.core.learn.FloatImage;

/**
 * One grey channel of a 2D image (depth 1) or a 3D volume, as floats. {@code data[(z * height + y) * width + x]}.
 * The array is not copied; callers must not change it after handing it over.
 */
public record FloatVolume(int width, int height, int depth, float[] data) {

	public FloatVolume {
		if (width <= 0 || height <= 0 || depth <= 0)
			throw new IllegalArgumentException("Volume size must be positive, got " + width + "x" + height + "x" + depth);
		if (data == null || data.length != (long) width * height * depth)
			throw new IllegalArgumentException("Volume " + width + "x" + height + "x" + depth + " needs " + (long) width * height * depth
					+ " values, got " + (data == null ? "none" : data.length));
	}

	/** Channel 0 of a 2D image, as a volume of depth 1. */
	public static FloatVolume of(FloatImage image) {
		int n = image.width() * image.height();
		float[] d = image.channels() == 1 ? image.data() : java.util.Arrays.copyOf(image.data(), n);
		return new FloatVolume(image.width(), image.height(), 1, d);
	}

	public boolean is3d() {
		return depth > 1;
	}

	public int voxels() {
		return width * height * depth;
	}

	public float get(int x, int y, int z) {
		return data[(z * height + y) * width + x];
	}

	/** Slice z as a copy. */
	public float[] slice(int z) {
		int n = width * height;
		return java.util.Arrays.copyOfRange(data, z * n, (z + 1) * n);
	}

	public String size() {
		return width + "x" + height + "x" + depth;
	}
}
