package org.labelloop.fiji;

import java.util.List;

import org.labelloop.backend.Format;

/** Plugins>LabelLoop>Import Labels: reads COCO JSON, ImageJ ROI sets, a CSV or a label map (NIfTI, TIFF; onto the image of the same name) into the project as one undoable step. */
public class ImportLabels extends LabelLoopCommand {

	@Override protected String title() { return "Import Labels"; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.backend();
		Dialog d = new Dialog(title()).addChoice("Format", List.of("coco", "roi-zip", "csv", "nifti", "tiff-labels"), "coco").addFile("File", "");
		if (!d.show()) return;
		ImageJProgress progress = new ImageJProgress("Importing labels");
		var report = backend.importLabels(Format.parse(d.get("format")), LabelLoopSession.path(d.required("file")));
		progress.done("Labels: " + report.summary());
		info("labels " + report.summary());
		for (String p : report.problems()) ij.IJ.log("  " + p);
		session.refreshCurrent();
	}
}
