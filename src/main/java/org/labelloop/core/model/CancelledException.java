package org.labelloop.core.model;

/** The user cancelled a long operation; whatever it had not finished was not written. */
public class CancelledException extends LabelLoopException {
	private static final long serialVersionUID = 1L;

	public CancelledException(String what) {
		super(what + " was cancelled.");
	}
}
