package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/** Plugins>LabelLoop>Redo Label Change: re-applies the change the user's latest undo reverted. */
public class RedoLabelChange extends LabelLoopCommand {

	@Override protected String title() { return "Redo Label Change"; }

	@Override protected Class<?> needs() { return Backend.History.class; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		var redone = session.require(Backend.History.class).redo();
		session.refreshCurrent();
		info(redone.isEmpty() ? "nothing to redo" : redone.get().description());
	}
}
