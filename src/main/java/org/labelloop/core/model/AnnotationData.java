package org.labelloop.core.model;

import java.util.Map;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Mask;

/**
 * What an annotation says, without its identity: the part that changes from revision to revision.
 *
 * @param geometry      the shape; {@code null} for an image-level label or a mask
 * @param classId       the class, or {@code null} when not yet classified
 * @param confidence    the model's confidence in {@code classId}, {@code null} for human labels
 * @param probabilities class id → probability, empty unless from a model
 * @param mask          the object's voxels on one slice or across slices, {@code null} unless the annotation is a
 *                      mask (then {@code geometry} is {@code null}): a shape or a mask, never both
 */
public record AnnotationData(Geometry geometry, Long classId, Origin origin, Status status, Double confidence,
		Map<Long, Double> probabilities, Mask mask) {

	public AnnotationData {
		if (origin == null) throw new IllegalArgumentException("An annotation needs an origin");
		if (geometry != null && mask != null) throw new IllegalArgumentException("An annotation has a shape or a mask, not both");
		if (status == null) throw new IllegalArgumentException("An annotation needs a status");
		if (confidence != null && !(confidence >= 0 && confidence <= 1))
			throw new IllegalArgumentException("Confidence must lie in [0, 1], not " + confidence);
		probabilities = probabilities == null ? Map.of() : Map.copyOf(probabilities);
	}

	/** Without a mask: a shape, or nothing for an image-level label. */
	public AnnotationData(Geometry geometry, Long classId, Origin origin, Status status, Double confidence, Map<Long, Double> probabilities) {
		this(geometry, classId, origin, status, confidence, probabilities, null);
	}

	/** A mask annotation. */
	public static AnnotationData ofMask(Mask mask, Long classId, Origin origin, Status status, Double confidence) {
		if (mask == null) throw new IllegalArgumentException("A mask annotation needs a mask");
		return new AnnotationData(null, classId, origin, status, confidence, Map.of(), mask);
	}

	/** A human label with the given shape (or none, for the whole image) and class. */
	public static AnnotationData human(Geometry geometry, Long classId, String user) {
		return new AnnotationData(geometry, classId, Origin.human(user), Status.ACCEPTED, null, Map.of());
	}

	/** Neither a shape nor a mask: a label of the whole image. */
	public boolean isImageLevel() {
		return geometry == null && mask == null;
	}

	public boolean isMask() {
		return mask != null;
	}

	public AnnotationData withStatus(Status s) {
		return new AnnotationData(geometry, classId, origin, s, confidence, probabilities, mask);
	}

	public AnnotationData withClass(Long c) {
		return new AnnotationData(geometry, c, origin, status, confidence, probabilities, mask);
	}

	/** The same with a shape instead of whatever it had. */
	public AnnotationData withGeometry(Geometry g) {
		return new AnnotationData(g, classId, origin, status, confidence, probabilities, null);
	}

	/** The same with a mask instead of whatever it had (a brush stroke: the new mask). */
	public AnnotationData withMask(Mask m) {
		return new AnnotationData(null, classId, origin, status, confidence, probabilities, m);
	}

	/** The same label with a model's class, origin, status, confidence and probabilities; shape or mask kept. */
	public AnnotationData withPrediction(Long c, Origin o, Status s, Double conf, Map<Long, Double> p) {
		return new AnnotationData(geometry, c, o, s, conf, p, mask);
	}

	public AnnotationData withOrigin(Origin o) {
		return new AnnotationData(geometry, classId, o, status, confidence, probabilities, mask);
	}
}
