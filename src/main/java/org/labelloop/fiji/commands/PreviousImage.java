package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/** Plugins>LabelLoop>Previous Image: saves pending edits, then shows the image before the current one. */
public class PreviousImage extends LabelLoopCommand {

	@Override protected String title() { return "Previous Image"; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.backend();
		if (!new Dialog(title()).show()) return;
		Long current = SaveLabels.savePending(session);
		var previous = backend.previous(current);
		if (previous.isEmpty()) info("no image before this one");
		else {
			session.show(previous.get());
			session.setChosen(previous.get().id(), "previous in project order");
		}
	}
}
