package org.labelloop.core.model;

/** Progress and cancel for long work, free of any UI. Implementations must be thread-safe. */
public interface Progress {

	Progress NONE = new Progress() {
		@Override public void report(double fraction, String message) { }
		@Override public boolean isCancelled() { return false; }
	};

	/** @param fraction in [0, 1] */
	void report(double fraction, String message);

	boolean isCancelled();

	/** Throws {@link CancelledException} if the user asked to stop. */
	default void checkCancelled(String what) {
		if (isCancelled()) throw new CancelledException(what);
	}
}
