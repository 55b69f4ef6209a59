package org.labelloop.core.model;

/** An item of a project that comments, predictions and embeddings refer to: an image or an annotation. */
public record Target(String kind, long id) {
	public static final String IMAGE = "image", ANNOTATION = "annotation";

	public Target {
		if (!IMAGE.equals(kind) && !ANNOTATION.equals(kind))
			throw new IllegalArgumentException("An item is an image or an annotation, not '" + kind + "'");
	}

	public static Target image(long id) {
		return new Target(IMAGE, id);
	}

	public static Target annotation(long id) {
		return new Target(ANNOTATION, id);
	}

	public boolean isImage() {
		return IMAGE.equals(kind);
	}
}
