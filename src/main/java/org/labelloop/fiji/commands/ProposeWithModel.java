package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.labelloop.backend.ModelProposal;
import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.core.model.ImageRecord;

/**
 * Plugins>LabelLoop>Propose with Model: runs the user's segmentation model (ONNX or TorchScript, offline) and adds
 * the objects of its label map as proposals to review, of origin {@code model:<model>}: polygons traced per slice, or
 * ({@code objects=masks}) masks, one per connected object, 3D across a volume's slices.
 */
public class ProposeWithModel extends LabelLoopCommand {

	@Override protected String title() { return "Propose with Model"; }

	@Override protected Class<?> needs() { return Backend.OwnModels.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var b = session.require(Backend.OwnModels.class);
		Dialog d = new Dialog(title()).addFile("Model", "").addNumber("Width", 256).addNumber("Height", 256).addNumber("Channels", 1)
				.addString("Mean", "0").addString("Std", "1").addString("Output", "0").addNumber("Threshold", 0.5).addNumber("Min_area", 20)
				.addString("Classes", "").addChoice("Objects", List.of("polygons", "masks"), "polygons").addChoice("Scale", List.of("resize", "tiles"), "resize")
				.addChoice("Images", List.of("current", "all"), "current").addYesNo("Replace", false);
		if (!d.show()) return;
		String out = d.get("output").strip();
		var model = new DjlEmbedder.Settings(Path.of(d.get("model")), (int) d.number("width"), (int) d.number("height"), (int) d.number("channels"),
				d.numbers("mean"), d.numbers("std"), out.matches("\\d+") ? Integer.parseInt(out) : 0,
				out.matches("\\d+") ? null : out);
		List<String> classes = Arrays.stream(d.get("classes").split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
		List<Long> ids = d.get("images").equals("all") ? b.images().stream().map(ImageRecord::id).toList()
				: List.of(LabelLoopSession.imageId(session.currentImage()));
		ImageJProgress progress = new ImageJProgress("Proposing objects");
		var report = b.proposeWithModel(ids, new ModelProposal(model, (float) d.number("threshold"), d.number("min_area"), classes, d.get("objects").equals("masks"),
				d.get("scale").equals("tiles")),
				d.yes("replace"), progress);
		progress.done("Proposed " + report.objects() + " objects");
		info(report.summary());
		report.problems().forEach(p -> ij.IJ.log("  " + p));
		session.refreshCurrent();
	}
}
