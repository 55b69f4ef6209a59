package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import org.labelloop.backend.LocalBackend;

/** Plugins>LabelLoop>Open Project: opens a project folder (closing the project open before). */
public class OpenProject extends LabelLoopCommand {

	@Override protected String title() { return "Open Project"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addDirectory("Folder", "").addString("User", LabelLoopSession.defaultUser());
		if (!d.show()) return;
		var folder = LabelLoopSession.path(d.required("folder"));
		var backend = LocalBackend.open(folder, d.required("user"));
		session.open(backend);
		LabelLoopPanel.openAfterProject(session);
		info("opened project '" + backend.projectName() + "': " + backend.images().size() + " images, "
				+ backend.classes().size() + " classes");
	}
}
