package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

/** Plugins>LabelLoop>Reject Selected: the selected annotations become rejected (kept for learning, no longer drawn). */
public class RejectSelected extends LabelLoopCommand {

	@Override protected String title() { return "Reject Selected"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		RoiEdits edits = new RoiEdits(session.backend(), session.currentImage());
		var written = edits.apply("Reject selected", edits.rejectSelectedEdits());
		info(written.isEmpty() ? "already rejected" : "rejected " + written.get().edits() + " annotation(s)");
	}
}
