package org.labelloop.core.model;

/** A write was based on a revision that is no longer the current one; nothing was written. */
public class ConflictException extends LabelLoopException {
	private static final long serialVersionUID = 1L;
	private final long annotationId;
	private final long baseRevision;
	private final transient Annotation current;

	public ConflictException(long annotationId, long baseRevision, Annotation current) {
		super("Conflict: annotation " + annotationId + " was changed to revision "
				+ (current == null ? "(deleted)" : current.revision() + " by " + current.author())
				+ " after revision " + baseRevision + " that this change was based on. Nothing was written; reload and try again.");
		this.annotationId = annotationId;
		this.baseRevision = baseRevision;
		this.current = current;
	}

	public long annotationId() { return annotationId; }
	public long baseRevision() { return baseRevision; }
	/** The annotation as it is now, or {@code null} if it was deleted. */
	public Annotation current() { return current; }
}
