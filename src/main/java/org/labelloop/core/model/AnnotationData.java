package org.labelloop.core.model;

import java.util.Map;

import org.labelloop.core.geom.Geometry;

/**
 * What an annotation says, without its identity: the part that changes from revision to revision.
 *
 * @param geometry      the shape; {@code null} for an image-level label
 * @param classId       the class, or {@code null} when not yet classified
 * @param confidence    the model's confidence in {@code classId}, {@code null} for human labels
 * @param probabilities class id → probability, empty unless from a model
 */
public record AnnotationData(Geometry geometry, Long classId, Origin origin, Status status, Double confidence,
		Map<Long, Double> probabilities) {

	public AnnotationData {
		if (origin == null) throw new IllegalArgumentException("An annotation needs an origin");
		if (status == null) throw new IllegalArgumentException("An annotation needs a status");
		if (confidence != null && !(confidence >= 0 && confidence <= 1))
			throw new IllegalArgumentException("Confidence must lie in [0, 1], not " + confidence);
		probabilities = probabilities == null ? Map.of() : Map.copyOf(probabilities);
	}

	/** A human label with the given shape (or none, for the whole image) and class. */
	public static AnnotationData human(Geometry geometry, Long classId, String user) {
		return new AnnotationData(geometry, classId, Origin.human(user), Status.ACCEPTED, null, Map.of());
	}

	public boolean isImageLevel() {
		return geometry == null;
	}

	public AnnotationData withStatus(Status s) {
		return new AnnotationData(geometry, classId, origin, s, confidence, probabilities);
	}

	public AnnotationData withClass(Long c) {
		return new AnnotationData(geometry, c, origin, status, confidence, probabilities);
	}

	public AnnotationData withGeometry(Geometry g) {
		return new AnnotationData(g, classId, origin, status, confidence, probabilities);
	}

	public AnnotationData withOrigin(Origin o) {
		return new AnnotationData(geometry, classId, o, status, confidence, probabilities);
	}
}
