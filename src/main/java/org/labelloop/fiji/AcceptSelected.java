package org.labelloop.fiji;

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
