package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

import org.labelloop.backend.Format;

/** Plugins>LabelLoop>Export Labels: writes the project's labels as COCO JSON, ImageJ ROI sets or a CSV. */
public class ExportLabels extends LabelLoopCommand {

	@Override protected String title() { return "Export Labels"; }

	@Override protected Class<?> needs() { return Backend.LabelFiles.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.require(Backend.LabelFiles.class);
		Dialog d = new Dialog(title()).addChoice("Format", List.of("coco", "roi-zip", "csv", "nifti", "tiff-labels"), "coco")
				.addMessage("roi-zip writes one .zip per image into a folder; nifti and tiff-labels one label map per image\n(a folder, or one file when one image has masks)").addFile("File", "");
		if (!d.show()) return;
		ImageJProgress progress = new ImageJProgress("Exporting labels");
		var report = backend.export(Format.parse(d.get("format")), LabelLoopSession.path(d.required("file")));
		progress.done("Exported " + report.annotations() + " labels");
		info("exported " + report.annotations() + " labels of " + report.images() + " images to " + report.target());
	}
}
