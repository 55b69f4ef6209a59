package org.labelloop.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a model predicts: a class per image, a class per ROI (object), or a class per pixel (segmentation). Each task
 * has its own model versions; the item tasks ({@link #classifiesItems()}) also have a vector index and a map. Its
 * {@link #key()} ({@code image}, {@code roi}, {@code seg}) is how macros, the command line, the wire and the store
 * name it.
 */
public enum Task {
	/** Image-level classes. */
	IMAGE("image"),
	/** Classes of ROIs and objects. */
	ROI("roi"),
	/**
	 * Pixel classes: a pixel classifier learnt from mask labels, proposing masks (see
	 * {@link Labels#isLabelFor(Task, Annotation)}).
	 */
	SEGMENTATION("seg");

	private final String key;

	Task(String key) {
		this.key = key;
	}

	public String key() {
		return key;
	}

	/**
	 * Whether its models classify items (images, slices, ROIs) from their embeddings, so a version has embeddings,
	 * predictions per item, a vector index and a 2D map; a segmentation model classifies pixels instead.
	 */
	public boolean classifiesItems() {
		return this != SEGMENTATION;
	}

	@Override
	public String toString() {
		return key();
	}

	/**
	 * {@code image}, {@code roi} or {@code seg} (also {@code segmentation}; any case); anything else is an error naming
	 * them.
	 */
	public static Task parse(String s) {
		if (s != null) {
			String t = s.strip();
			for (Task task : values())
				if (task.key().equalsIgnoreCase(t) || task.name().equalsIgnoreCase(t)) return task;
		}
		throw new IllegalArgumentException("Unknown task '" + s + "' (expected "
				+ Arrays.stream(values()).map(Task::key).collect(Collectors.joining(", ")) + ").");
	}
}
