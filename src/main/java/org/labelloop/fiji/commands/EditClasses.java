package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;
import java.util.stream.Collectors;

import org.labelloop.core.model.LabelClass;

/**
 * Plugins>LabelLoop>Edit Classes: {@code action=add class=… [color=#rrggbb] [hotkey=k]}, or
 * {@code action=rename class=… name=…}, {@code action=recolour class=… color=…}, {@code action=hotkey class=… hotkey=…}.
 */
public class EditClasses extends LabelLoopCommand {

	@Override protected String title() { return "Edit Classes"; }

	@Override
	protected void run(LabelLoopSession session) {
		List<LabelClass> classes = session.backend().classes();
		Dialog d = new Dialog(title())
				.addMessage("Classes: " + (classes.isEmpty() ? "none" : classes.stream().map(ClassEdits::describe).collect(Collectors.joining(", "))))
				.addChoice("Action", ClassEdits.ACTIONS, "add")
				.addString("Class", "").addString("Name", "").addString("Color", "").addString("Hotkey", "");
		if (!d.show()) return;
		info(ClassEdits.apply(session.backend(), d.get("action"), d.required("class"), d.get("name"), d.get("color"), d.get("hotkey")));
		session.refreshCurrent();
	}
}
