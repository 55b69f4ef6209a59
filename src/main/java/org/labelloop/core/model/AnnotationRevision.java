package org.labelloop.core.model;

import java.time.Instant;

/** One entry of an annotation's append-only history. {@code data} is {@code null} when this revision deleted it. */
public record AnnotationRevision(long annotationId, long imageId, long revision, long changeSetId, AnnotationData data,
		String author, Instant time) {

	public boolean deleted() {
		return data == null;
	}
}
