package org.labelloop.fiji.commands;

import org.labelloop.backend.Backend;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;
import java.util.Locale;

import org.labelloop.core.model.ImageRecord;
import org.labelloop.imaging.ClassicalProposer;

import ij.process.AutoThresholder;

/** Plugins>LabelLoop>Propose Objects: finds objects by threshold and watershed and adds them as proposals to review. */
public class ProposeObjects extends LabelLoopCommand {

	@Override protected String title() { return "Propose Objects"; }

	@Override protected Class<?> needs() { return Backend.Proposing.class; }

	@Override
	protected void run(LabelLoopSession session) {
		var b = session.require(Backend.Proposing.class);
		Dialog d = new Dialog(title()).addChoice("Method", List.of(AutoThresholder.getMethods()), "Otsu").addNumber("Channel", 1).addNumber("Sigma", 1)
				.addChoice("Objects", List.of("auto", "bright", "dark"), "auto").addYesNo("Watershed", true).addNumber("Min_area", 20)
				.addNumber("Max_area", Double.POSITIVE_INFINITY).addNumber("Circularity", 0).addYesNo("Exclude_edges", false)
				.addChoice("Images", List.of("current", "all"), "current").addYesNo("Replace", false);
		if (!d.show()) return;
		var s = new ClassicalProposer.Settings(d.get("method"), (int) d.number("channel"), d.number("sigma"),
				ClassicalProposer.Objects.valueOf(d.get("objects").toUpperCase(Locale.ROOT)), d.yes("watershed"), d.number("min_area"),
				d.number("max_area"), d.number("circularity"), d.yes("exclude_edges"));
		List<Long> ids = d.get("images").equals("all") ? b.images().stream().map(ImageRecord::id).toList()
				: List.of(LabelLoopSession.imageId(session.currentImage()));
		ImageJProgress progress = new ImageJProgress("Proposing objects");
		var report = b.proposeObjects(ids, s, d.yes("replace"), progress);
		progress.done("Proposed " + report.objects() + " objects");
		info(report.summary());
		report.problems().forEach(p -> ij.IJ.log("  " + p));
		session.refreshCurrent();
	}
}
