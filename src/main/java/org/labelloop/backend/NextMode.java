package org.labelloop.backend;

/** How Next Image picks an image when no model ranks them yet. */
public enum NextMode {
	/** The next image in project order (wrapping around). */
	SEQUENTIAL,
	/** The next unlabelled image in project order. */
	UNLABELLED,
	/** A random unlabelled image (any image when all are labelled). */
	RANDOM
}
