package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

/** Plugins>LabelLoop>Add Images: adds an image file, or every image in a folder and its subfolders. */
public class AddImages extends LabelLoopCommand {

	@Override protected String title() { return "Add Images"; }

	@Override protected Class<?> needs() { return Backend.ImageImport.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.require(Backend.ImageImport.class);
		Dialog d = new Dialog(title()).addMessage("A file, or a folder (read with its subfolders)").addFile("Path", "");
		if (!d.show()) return;
		ImageJProgress progress = new ImageJProgress("Adding images");
		var report = backend.addImages(List.of(LabelLoopSession.path(d.required("path"))), progress);
		progress.done("Images: " + report.summary());
		info("images " + report.summary() + "; the project has " + backend.images().size() + " images");
		for (String p : report.problems()) ij.IJ.log("  " + p);
	}
}
