package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.MacroFunctions;

import java.awt.Color;
import java.util.List;

import org.labelloop.backend.ModelSummary;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;

import ij.IJ;
import ij.gui.Plot;

/**
 * Plugins>LabelLoop>Learning Curve: a plot of out-of-fold accuracy, macro-F1, mean AUC and calibration error
 * against the number of labels, one point per ready model version of a task.
 */
public class LearningCurve extends LabelLoopCommand {

	@Override protected String title() { return "Learning Curve"; }

	@Override
	protected void run(LabelLoopSession session) {
		Dialog d = new Dialog(title()).addChoice("Task", List.of("image", "roi"), "image");
		if (!d.show()) return;
		List<ModelVersion> ready = session.backend().models().stream()
				.filter(m -> m.task() == Task.parse(d.get("task")) && m.state() == ModelVersion.State.READY).toList();
		if (ready.isEmpty()) throw new LabelLoopException("No " + d.get("task") + " model yet: label some items, then run Retrain.");
		plot(Task.parse(d.get("task")), ready).show();
		ready.forEach(m -> IJ.log("  " + ModelSummary.line(m)));
	}

	/** The plot of the versions (in training order), x = labels. */
	static Plot plot(Task task, List<ModelVersion> ready) {
		Plot plot = new Plot("LabelLoop learning curve (" + task + ")", "labels", "out-of-fold metric");
		double maxX = ready.stream().mapToInt(ModelVersion::trainSize).max().orElse(1);
		plot.setLimits(0, maxX * 1.1 + 1, 0, 1.05);
		StringBuilder legend = new StringBuilder();
		for (String[] s : MacroFunctions.LEARNING_CURVE) {
			List<ModelVersion> with = ready.stream().filter(m -> m.metrics().containsKey(s[0])).toList();
			if (with.isEmpty()) continue;
			plot.setColor(Color.decode(s[2]));
			plot.setLineWidth(2);
			plot.add("connected circle", with.stream().mapToDouble(ModelVersion::trainSize).toArray(),
					with.stream().mapToDouble(m -> m.metrics().get(s[0])).toArray());
			legend.append(legend.length() == 0 ? "" : "\n").append(s[1]);
		}
		plot.setColor(Color.black);
		plot.setLegend(legend.toString(), Plot.AUTO_POSITION);
		return plot;
	}
}
