package org.labelloop.fiji;

import org.labelloop.core.model.Progress;

import ij.IJ;

/**
 * {@link Progress} shown in ImageJ's progress bar and status line; cancelled when the user presses Esc
 * ({@link IJ#escapePressed()}). The work runs on the calling thread, so in a macro the next line sees its result.
 */
public final class ImageJProgress implements Progress {

	private final String what;

	/** Starts a new progress for {@code what} (shown in the status line), clearing an earlier Esc. */
	public ImageJProgress(String what) {
		this.what = what;
		IJ.resetEscape();
		IJ.showStatus(what + "… (Esc to cancel)");
	}

	@Override
	public void report(double fraction, String message) {
		IJ.showProgress(Math.max(0, Math.min(1, fraction)));
		IJ.showStatus(what + ": " + (message == null ? "" : message));
	}

	@Override
	public boolean isCancelled() {
		return IJ.escapePressed();
	}

	/** Clears the progress bar. */
	public void done(String message) {
		IJ.showProgress(1.0);
		IJ.showStatus(message);
	}
}
