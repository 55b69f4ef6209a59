package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

import org.labelloop.backend.Format;

/** Plugins>LabelLoop>Import Labels: reads COCO JSON, ImageJ ROI sets, a CSV or a label map (NIfTI, TIFF; onto the image of the same name) into the project as one undoable step. */
public class ImportLabels extends LabelLoopCommand {

	@Override protected String title() { return "Import Labels"; }

	@Override protected Class<?> needs() { return Backend.LabelFiles.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.require(Backend.LabelFiles.class);
		Dialog d = new Dialog(title()).addChoice("Format", List.of("coco", "roi-zip", "csv", "nifti", "tiff-labels", "dicom-seg"), "coco").addFile("File", "");
		if (!d.show()) return;
		ImageJProgress progress = new ImageJProgress("Importing labels");
		var report = backend.importLabels(Format.parse(d.get("format")), LabelLoopSession.path(d.required("file")));
		progress.done("Labels: " + report.summary());
		info("labels " + report.summary());
		for (String p : report.problems()) ij.IJ.log("  " + p);
		session.refreshCurrent();
	}
}
