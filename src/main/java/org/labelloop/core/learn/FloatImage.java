package org.labelloop.core.learn;

/**
 * The pixels core code sees: one 2D plane with one or more channels, as floats, whatever the source bit depth.
 * {@code data} is planar: channel {@code c} occupies {@code data[c*width*height .. (c+1)*width*height)}, row by row.
 * The array is not copied; callers must not change it after handing it over.
 *
 * @param range how the values map onto [0, 1] for the built-in embedder, chosen by modality ({@link IntensityRange});
 *        null: each region by its own robust range
 */
public record FloatImage(int width, int height, int channels, float[] data, IntensityRange range) {

	/** An image whose regions are each normalised by their own robust range. */
	public FloatImage(int width, int height, int channels, float[] data) {
		this(width, height, channels, data, null);
	}

	public FloatImage {
		if (range != null && range.channels() != channels)
			throw new IllegalArgumentException("The intensity range has " + range.channels() + " channel(s), the image " + channels);
		if (width <= 0 || height <= 0 || channels <= 0)
			throw new IllegalArgumentException("Image size must be positive, got " + width + "x" + height + "x" + channels);
		if (data == null || data.length != (long) width * height * channels)
			throw new IllegalArgumentException("Image " + width + "x" + height + "x" + channels + " needs "
					+ (long) width * height * channels + " values, got " + (data == null ? "none" : data.length));
	}

	/** A single-channel image. */
	public static FloatImage gray(int width, int height, float[] data) {
		return new FloatImage(width, height, 1, data);
	}

	/** A single-channel image from unsigned bytes (0..255), e.g. one image of an IDX file. */
	public static FloatImage ofUnsignedBytes(int width, int height, byte[] pixels, int offset) {
		float[] d = new float[width * height];
		for (int i = 0; i < d.length; i++) d[i] = pixels[offset + i] & 0xff;
		return gray(width, height, d);
	}

	/** Value of channel {@code c} at (x, y). */
	public float get(int c, int x, int y) {
		return data[(c * height + y) * width + x];
	}

	@Override
	public String toString() {
		return "FloatImage[" + width + "x" + height + "x" + channels + "]";
	}
}
