package org.labelloop.core.model;

import java.time.Instant;

/** The current state of an annotation: its latest revision. */
public record Annotation(long id, long imageId, long revision, AnnotationData data, String author, Instant time) {
}
