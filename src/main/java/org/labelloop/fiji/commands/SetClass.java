package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

import org.labelloop.core.model.LabelClass;

/**
 * Plugins>LabelLoop>Set Class: gives the selected annotations a class; a selection drawn by the user becomes a new
 * annotation. Class hotkeys run the same code ({@link RoiEdits#setClass}).
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
		RoiEdits.setClass(session, imp, d.get("class"));
	}
}
