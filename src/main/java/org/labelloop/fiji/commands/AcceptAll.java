package org.labelloop.fiji.commands;

import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.RoiEdits;

/**
 * Plugins>LabelLoop>Accept All: every proposed annotation of the current image that has a class becomes accepted.
 * Proposals without a class stay proposed and are counted (an object accepted with no class teaches the model
 * nothing, so it is never accepted silently): give them a class with Set Class or a class hotkey.
 */
public class AcceptAll extends LabelLoopCommand {

	@Override protected String title() { return "Accept All"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		var imp = session.currentImage();
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Accept all on " + imp.getTitle(), edits.acceptAllEdits(null));
		int left = edits.leftUnclassified();
		String advice = "give them one (Set Class or a class hotkey), or reject them";
		if (written.isPresent())
			info("accepted " + written.get().edits() + " proposal(s)" + (left == 0 ? "" : "; " + left + " without a class left proposed: " + advice));
		else info(left == 0 ? "no proposals to accept on " + imp.getTitle()
				: "nothing accepted: the " + left + " proposal(s) on " + imp.getTitle() + " have no class yet; " + advice);
	}
}
