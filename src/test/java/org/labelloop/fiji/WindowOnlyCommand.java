package org.labelloop.fiji;

/**
 * A command that is a window to work in, as an interactive view is: headless it must stop with
 * {@link LabelLoopCommand#requireWindow}'s message. Lives in the tests because no menu command of LabelLoop needs a
 * window today; views added later use the same call.
 */
public class WindowOnlyCommand extends LabelLoopCommand {

	@Override protected String title() { return "Window Only"; }

	@Override
	protected void run(LabelLoopSession session) {
		requireWindow("Next Image with strategy=more-of-class");
		ij.IJ.log("window shown");
	}
}
