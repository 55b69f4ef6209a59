package org.labelloop.core.model;

/**
 * An item of a project that comments, predictions and embeddings refer to: an image, an annotation, or one slice of
 * a volume ({@link ImageRecord#slices()} &gt; 1).
 * <p>
 * A slice is addressed by its image and its 1-based ImageJ slice number z, packed into the one id the stores key
 * by ({@code imageId << 20 | z}, so z &lt; 1,048,576), which keeps the predictions and embeddings tables (and their
 * kind strings {@code image}, {@code annotation}) as they were: a slice is one more kind, {@code slice}.
 */
public record Target(String kind, long id) {
	public static final String IMAGE = "image", ANNOTATION = "annotation", SLICE = "slice";
	private static final int Z_BITS = 20;
	/** The highest slice number a slice target can address. */
	public static final int MAX_Z = (1 << Z_BITS) - 1;

	public Target {
		if (!IMAGE.equals(kind) && !ANNOTATION.equals(kind) && !SLICE.equals(kind))
			throw new IllegalArgumentException("An item is an image, a slice or an annotation, not '" + kind + "'");
		if (SLICE.equals(kind) && (id & MAX_Z) == 0) throw new IllegalArgumentException("A slice number is 1-based, not 0 (item " + id + ")");
	}

	public static Target image(long id) {
		return new Target(IMAGE, id);
	}

	public static Target annotation(long id) {
		return new Target(ANNOTATION, id);
	}

	/** Slice {@code z} (1-based, as ImageJ numbers slices) of volume {@code imageId}. */
	public static Target slice(long imageId, int z) {
		if (z < 1 || z > MAX_Z) throw new IllegalArgumentException("Slice numbers run from 1 to " + MAX_Z + ", not " + z);
		if (imageId < 0 || imageId >= (1L << (63 - Z_BITS))) throw new IllegalArgumentException("Image id out of range: " + imageId);
		return new Target(SLICE, imageId << Z_BITS | z);
	}

	public boolean isImage() {
		return IMAGE.equals(kind);
	}

	public boolean isSlice() {
		return SLICE.equals(kind);
	}

	/** The image an image or slice target belongs to. */
	public long imageId() {
		if (ANNOTATION.equals(kind)) throw new IllegalStateException("An annotation target names no image");
		return isSlice() ? id >>> Z_BITS : id;
	}

	/** The 1-based slice number of a slice target; 0 (all) for an image. */
	public int z() {
		return isSlice() ? (int) (id & MAX_Z) : 0;
	}
}
