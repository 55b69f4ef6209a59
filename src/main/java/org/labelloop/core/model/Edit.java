package org.labelloop.core.model;

/** A change to annotations, applied atomically with others in a {@link ChangeSet}. */
public sealed interface Edit {

	/** A new annotation on an image. */
	record Create(long imageId, AnnotationData data) implements Edit {
	}

	/** A new revision of an existing annotation, refused if its current revision is not {@code baseRevision}. */
	record Update(long annotationId, long baseRevision, AnnotationData data) implements Edit {
	}

	/** Deletes an annotation (its history stays), refused if its current revision is not {@code baseRevision}. */
	record Delete(long annotationId, long baseRevision) implements Edit {
	}
}
