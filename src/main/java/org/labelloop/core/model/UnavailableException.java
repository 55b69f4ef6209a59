package org.labelloop.core.model;

/**
 * The project's store cannot be reached for now (its database is down, restarting or out of connections). Nothing of
 * the request was written; the same request may be sent again later. The lab server answers 503 with it.
 */
public class UnavailableException extends LabelLoopException {
	private static final long serialVersionUID = 1L;

	public UnavailableException(String message, Throwable cause) {
		super(message, cause);
	}
}
