package org.labelloop.core.model;

import java.util.Locale;

/**
 * What a model predicts: a class per image, or a class per ROI (object). Each task has its own model versions,
 * vector index and map. Its {@link #key()} ({@code image}, {@code roi}) is how macros, the command line, the wire
 * and the store name it.
 */
public enum Task {
	/** Image-level classes. */
	IMAGE,
	/** Classes of ROIs and objects. */
	ROI;

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return key();
	}

	/** {@code image} or {@code roi} (any case); anything else is an error naming both. */
	public static Task parse(String s) {
		if (s != null)
			for (Task t : values())
				if (t.key().equalsIgnoreCase(s.strip())) return t;
		throw new IllegalArgumentException("Unknown task '" + s + "' (expected image or roi).");
	}
}
