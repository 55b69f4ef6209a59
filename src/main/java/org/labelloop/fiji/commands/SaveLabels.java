package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

import java.util.Optional;

import ij.ImagePlus;

/**
 * Plugins>LabelLoop>Save Labels: writes what the user changed on the current image (reshaped annotations become
 * {@code corrected}; drawn ROIs given a class become {@code accepted} human annotations) as one undoable step.
 */
public class SaveLabels extends LabelLoopCommand {

	@Override protected String title() { return "Save Labels"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		ImagePlus imp = session.currentImage();
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Save " + imp.getTitle(), edits.saveEdits());
		info(written.isEmpty() ? "nothing to save on " + imp.getTitle() : "saved " + written.get().edits() + " change(s) on " + imp.getTitle());
	}

	/**
	 * Saves pending edits of the current image before moving to another one.
	 *
	 * @return the current image id, or {@code null} when no LabelLoop image is open
	 */
	static Long savePending(LabelLoopSession session) {
		Optional<Long> id = session.currentImageId();
		if (id.isEmpty()) return null;
		ImagePlus imp = session.currentImage();
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		edits.apply("Save " + imp.getTitle(), edits.saveEdits())
				.ifPresent(cs -> info("saved " + cs.edits() + " change(s) on " + imp.getTitle() + " before moving on"));
		return id.get();
	}
}
