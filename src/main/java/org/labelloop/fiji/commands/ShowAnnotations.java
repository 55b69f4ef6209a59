package org.labelloop.fiji.commands;

import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import ij.IJ;

/** Plugins>LabelLoop>Show Annotations: reloads the current image's annotations into the overlay and ROI Manager. */
public class ShowAnnotations extends LabelLoopCommand {

	@Override protected String title() { return "Show Annotations"; }

	@Override
	protected void run(LabelLoopSession session) {
		if (!new Dialog(title()).show()) return;
		var imp = session.currentImage();
		AnnotationView.refresh(imp, session.backend());
		IJ.showStatus("LabelLoop: annotations of " + imp.getTitle() + " reloaded");
	}
}
