package org.labelloop.fiji;

import java.awt.GraphicsEnvironment;

import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.LabelLoopException;

import ij.IJ;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;

/**
 * Base of the LabelLoop menu commands: runs {@link #run(LabelLoopSession)} and turns user errors
 * ({@link LabelLoopException}, and the {@link IllegalArgumentException}s the model throws for invalid values) into
 * a clear message without a stack trace. In a macro the message aborts the macro, naming the line, as ImageJ's own
 * commands do. Programming errors are left to ImageJ, which shows them with their stack trace.
 */
public abstract class LabelLoopCommand implements PlugIn {

	/** The menu label, also the title of dialogs and messages. */
	protected abstract String title();

	/** Does the command's work. */
	protected abstract void run(LabelLoopSession session);

	/**
	 * The backend facet the command needs ({@code Backend.Similarity.class}, ...), or {@code null}. When the open
	 * project lacks it the command says so before any dialog ("needs a LabelLoop project: MONAI Label has no ...").
	 */
	protected Class<?> needs() {
		return null;
	}

	/**
	 * The oldest ImageJ LabelLoop is tested on: Debian's {@code imagej} package ({@code DebianImageJIT}); Fiji ships a
	 * newer one (pom-scijava's, which the build compiles against).
	 */
	public static final String MIN_IMAGEJ = "1.53t";

	/**
	 * Why LabelLoop cannot run on ImageJ {@code version} ({@code IJ.getVersion()}, e.g. {@code 1.54p}), or null when it
	 * can. ImageJ 1 versions compare as text: {@code 1.53t} &lt; {@code 1.54a} &lt; {@code 1.54p}.
	 */
	public static String tooOld(String version) {
		String v = version == null ? "" : version.strip();
		if (v.compareTo(MIN_IMAGEJ) >= 0) return null;
		return "LabelLoop needs ImageJ " + MIN_IMAGEJ + " or later; this is ImageJ " + (v.isEmpty() ? "(unknown)" : v)
				+ ". Update it with Help > Update ImageJ..., or use Fiji.";
	}

	@Override
	public final void run(String arg) {
		LabelLoopSession session = LabelLoopSession.get();
		try {
			String old = tooOld(IJ.getVersion());
			if (old != null) throw new LabelLoopException(old);
			Class<?> facet = needs();
			if (facet != null && session.isOpen() && session.backend().facet(facet).isEmpty())
				throw new LabelLoopException(session.backend().missing(facet));
			run(session);
			// the windows and the shown image follow what the command changed, with one call
			if (session.isOpen()) session.view().refresh();
		} catch (CancelledException e) {
			IJ.showStatus(e.getMessage());
			IJ.log("LabelLoop: " + e.getMessage());
		} catch (LabelLoopException | IllegalArgumentException e) {
			error(title(), e.getMessage());
		}
	}

	/**
	 * Shows a user-facing error and stops the macro that ran the command, if any. With the ImageJ window this is
	 * ImageJ's error dialog (a "Macro Error" naming the line in a macro); headless or in {@code -batch} mode, where
	 * that dialog cannot be shown, the message goes to the log (stdout) and the macro is aborted.
	 */
	public static void error(String title, String message) {
		IJ.showProgress(1.0);
		IJ.showStatus("");
		if (GraphicsEnvironment.isHeadless() || IJ.getInstance() == null) {
			IJ.log("LabelLoop error (" + title + "): " + message);
			if (Interpreter.getInstance() != null) Interpreter.abort();
		} else {
			IJ.error("LabelLoop", message);
		}
	}

	/**
	 * For a command that is a window to work in (an interactive view, a map to draw on): in a headless run it stops
	 * at once with a message saying so and naming what to use instead, rather than hanging on a dialog or failing
	 * deep inside AWT. Call it first in {@link #run(LabelLoopSession)}.
	 *
	 * @param instead what a headless run or a macro uses instead, e.g. {@code "Next Image with strategy=more-of-class"}
	 * @throws LabelLoopException when there is no display
	 */
	protected final void requireWindow(String instead) {
		if (GraphicsEnvironment.isHeadless())
			throw new LabelLoopException(title() + " needs a window; in a headless run use " + instead + ".");
	}

	/** Reports what a command did: status bar always, the log when a macro or headless run would otherwise lose it. */
	public static void info(String message) {
		IJ.showStatus(message);
		IJ.log("LabelLoop: " + message);
	}
}
