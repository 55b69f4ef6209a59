package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;

/** Plugins>LabelLoop>Label Whole Image: sets the image-level label (one per image: a new class replaces the old). */
public class LabelWholeImage extends LabelLoopCommand {

	@Override protected String title() { return "Label Whole Image"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		if (names.isEmpty()) throw new LabelLoopException("The project has no classes yet: add some with Edit Classes.");
		Dialog d = new Dialog(title()).addChoice("Class", names, names.get(0));
		if (!d.show()) return;
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Label " + imp.getTitle() + " as " + d.get("class"), edits.wholeImageEdits(d.get("class")));
		info(written.isEmpty() ? imp.getTitle() + " is already labelled " + d.get("class") : imp.getTitle() + " labelled " + d.get("class"));
	}
}
