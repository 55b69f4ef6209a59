package org.labelloop.core.model;

/** An error whose message is meant for the user: it says what went wrong, with what, and what to do. */
public class LabelLoopException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public LabelLoopException(String message) {
		super(message);
	}

	public LabelLoopException(String message, Throwable cause) {
		super(message, cause);
	}
}
