package org.labelloop.fiji;

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
