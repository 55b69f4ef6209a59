package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import org.labelloop.backend.LocalBackend;

/** Plugins>LabelLoop>New Project: creates a project in a folder and opens it. */
public class NewProject extends LabelLoopCommand {

	@Override protected String title() { return "New Project"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addDirectory("Folder", "").addString("Name", "")
				.addString("User", LabelLoopSession.defaultUser());
		if (!d.show()) return;
		var folder = LabelLoopSession.path(d.required("folder"));
		String name = d.get("name").isEmpty() ? String.valueOf(folder.getFileName()) : d.get("name");
		session.open(LocalBackend.create(folder, name, d.required("user")));
		info("created project '" + name + "' in " + folder);
	}
}
