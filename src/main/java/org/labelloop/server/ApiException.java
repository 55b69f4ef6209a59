package org.labelloop.server;

import org.labelloop.core.model.LabelLoopException;

/** An error with the HTTP status the server answers with; the message is meant for the user. */
public class ApiException extends LabelLoopException {
	private static final long serialVersionUID = 1L;
	private final int status;

	public ApiException(int status, String message) {
		super(message);
		this.status = status;
	}

	public int status() {
		return status;
	}

	public static ApiException badRequest(String message) {
		return new ApiException(400, message);
	}

	public static ApiException notFound(String message) {
		return new ApiException(404, message);
	}

	public static ApiException forbidden(String message) {
		return new ApiException(403, message);
	}
}
