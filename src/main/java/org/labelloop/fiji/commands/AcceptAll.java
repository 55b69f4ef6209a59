package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

/** Plugins>LabelLoop>Accept All: every proposed annotation of the current image becomes accepted. */
public class AcceptAll extends LabelLoopCommand {

	@Override protected String title() { return "Accept All"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		var imp = session.currentImage();
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Accept all on " + imp.getTitle(), edits.acceptAllEdits());
		info(written.isEmpty() ? "no proposals to accept on " + imp.getTitle() : "accepted " + written.get().edits() + " proposal(s)");
	}
}
