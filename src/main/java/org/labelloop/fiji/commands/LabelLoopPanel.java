package org.labelloop.fiji.commands;

import java.awt.EventQueue;

import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

/**
 * Plugins>LabelLoop>LabelLoop Panel: opens the panel of the labelling loop ({@link org.labelloop.fiji.ui.LabelLoopPanel}) (classes, Previous / Next, the image's
 * labels, Accept / Reject, the model and the project's progress). Open Project opens it too.
 */
public class LabelLoopPanel extends LabelLoopCommand {

	@Override protected String title() { return "LabelLoop Panel"; }

	@Override
	protected void run(LabelLoopSession session) {
		requireWindow("the commands it runs (Next Image, Accept All, Set Class, ...)");
		session.backend();
		EventQueue.invokeLater(() -> org.labelloop.fiji.ui.LabelLoopPanel.open(session));
	}

	/** Opens the panel after a project was opened, unless headless or in batch mode. */
	static void openAfterProject(LabelLoopSession session) {
		if (java.awt.GraphicsEnvironment.isHeadless() || ij.macro.Interpreter.isBatchMode() || ij.IJ.getInstance() == null) return;
		EventQueue.invokeLater(() -> org.labelloop.fiji.ui.LabelLoopPanel.open(session));
	}
}
