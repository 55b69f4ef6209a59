package org.labelloop.core.model;

import java.time.Instant;

/**
 * An image of the project. {@code path} is relative to the project folder when the file lies inside it,
 * absolute otherwise, always with forward slashes.
 */
public record ImageRecord(long id, String path, String sha256, long bytes, int width, int height, int channels,
		int slices, int frames, int bitDepth, Split split, String addedBy, Instant addedAt) {

	/** The file name without folders. */
	public String name() {
		int slash = path.lastIndexOf('/');
		return slash < 0 ? path : path.substring(slash + 1);
	}

	public ImageRecord withId(long newId) {
		return new ImageRecord(newId, path, sha256, bytes, width, height, channels, slices, frames, bitDepth, split, addedBy, addedAt);
	}
}
