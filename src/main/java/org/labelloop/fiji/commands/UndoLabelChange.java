package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/** Plugins>LabelLoop>Undo Label Change: reverts the user's latest LabelLoop change (by new revisions: nothing is erased). */
public class UndoLabelChange extends LabelLoopCommand {

	@Override protected String title() { return "Undo Label Change"; }

	@Override protected Class<?> needs() { return Backend.History.class; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		var undone = session.require(Backend.History.class).undo();
		session.refreshCurrent();
		info(undone.isEmpty() ? "nothing to undo" : undone.get().description());
	}
}
