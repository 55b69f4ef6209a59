package org.labelloop.fiji;

import org.labelloop.core.model.LabelClass;

import ij.ImagePlus;

/**
 * Plugins>LabelLoop>Set Class: gives the selected annotations a class; a selection drawn by the user becomes a new
 * annotation. Class hotkeys run the same code ({@link #apply}).
 */
public class SetClass extends LabelLoopCommand {

	@Override protected String title() { return "Set Class"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		if (names.isEmpty()) throw new org.labelloop.core.model.LabelLoopException("The project has no classes yet: add some with Edit Classes.");
		Dialog d = new Dialog(title()).addChoice("Class", names, names.get(0));
		if (!d.show()) return;
		apply(session, imp, d.get("class"));
	}

	/** Sets the class of the selection on {@code imp} and refreshes the view. */
	static void apply(LabelLoopSession session, ImagePlus imp, String className) {
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Set class " + className, edits.setClassEdits(className));
		info(written.isEmpty() ? "class already " + className : "class " + className + " set on " + written.get().edits() + " annotation(s)");
	}
}
