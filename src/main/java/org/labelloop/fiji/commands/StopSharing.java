package org.labelloop.fiji.commands;

import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/** Plugins>LabelLoop>Stop Sharing: stops the server Share Project started; the project stays open here. */
public class StopSharing extends LabelLoopCommand {

	@Override protected String title() { return "Stop Sharing"; }

	@Override
	protected void run(LabelLoopSession session) {
		boolean was = session.sharing() != null;
		session.setSharing(null);
		info(was ? "stopped sharing the project" : "the project was not shared");
	}
}
