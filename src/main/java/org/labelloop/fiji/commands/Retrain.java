package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.ImageJProgress;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;

import org.labelloop.backend.Embedders;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;

import ij.IJ;

/**
 * Plugins>LabelLoop>Retrain: trains the image and ROI models on every label, predicts every unlabelled image and
 * proposed ROI, and shows the new predictions. Esc cancels; the previous models stay until the new ones are done.
 */
public class Retrain extends LabelLoopCommand {

	@Override protected String title() { return "Retrain"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Classifier", List.of("logistic", "forest"), "logistic")
				.addChoice("Task", List.of("all", "image", "roi", "seg", "both"), "all").addChoice("Embedder", Embedders.NAMES, Embedders.FEATURES);
		d.addMessage("Task all trains every model the labels allow; seg is the pixel classifier learnt from masks;\n"
				+ "both is image and roi (what it meant before there was a segmentation model).");
		if (!d.show()) return;
		List<Task> tasks = switch (d.get("task")) {
			case "all" -> List.of();
			case "both" -> List.of(Task.IMAGE, Task.ROI);
			default -> List.of(Task.parse(d.get("task")));
		};
		ImageJProgress progress = new ImageJProgress("Retraining");
		TrainReport r = session.backend().retrain(new TrainOptions(TrainOptions.classifier(d.get("classifier")), 0, 42, tasks, d.get("embedder")), progress);
		List<String> notes = r.tasks().stream().flatMap(t -> t.problems().stream().map(p -> t.task() + ": " + p)).toList();
		progress.done("Retrained: " + String.join(", ", r.models().stream().map(m -> m.task() + " " + m.name()).toList())
				+ (notes.isEmpty() ? "" : " (" + notes.size() + " note(s) in the log)"));
		// what was left out (a class with too few labels, an unreadable image) is said, never dropped silently
		IJ.log("LabelLoop: retrained\n" + r.summary() + "\n" + r.metricsTable() + notes.stream().map(n -> "note: " + n + "\n").reduce("", String::concat));
		session.refreshCurrent();
	}
}
