package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

/** Plugins>LabelLoop>Accept Selected: the selected annotations (ROI Manager or image selection) become accepted. */
public class AcceptSelected extends LabelLoopCommand {

	@Override protected String title() { return "Accept Selected"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		RoiEdits edits = new RoiEdits(session.backend(), session.currentImage());
		var written = edits.apply("Accept selected", edits.acceptSelectedEdits());
		info(written.isEmpty() ? "already accepted" : "accepted " + written.get().edits() + " annotation(s)");
	}
}
