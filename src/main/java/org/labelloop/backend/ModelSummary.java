package org.labelloop.backend;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.labelloop.core.model.ModelVersion;

/** Model versions as text, the same in the command line, the Fiji log and dialogs. */
public final class ModelSummary {

	private ModelSummary() {
	}

	/** One line per version: name, task, state, active mark, labels, out-of-fold metrics, classifier. */
	public static String table(List<ModelVersion> models) {
		if (models.isEmpty()) return "No model versions yet: run 'labelloop train' or Plugins>LabelLoop>Retrain.\n";
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-5s %-5s %-9s %-6s %6s %8s %8s %8s %6s %6s  %s%n", "model", "task", "state",
				"active", "labels", "accuracy", "macro_f1", "mean_auc", "ece", "dice", "classifier"));
		for (ModelVersion m : models) {
			Map<String, Double> x = m.metrics();
			sb.append(String.format(Locale.ROOT, "%-5s %-5s %-9s %-6s %6d %8s %8s %8s %6s %6s  %s%n", m.name(), m.task(), m.state().key(), m.active() ? "*" : "",
					m.trainSize(), f(x.get("accuracy")), f(x.get("macro_f1")), f(x.get("mean_auc")), f(x.get("ece")), f(x.get("dice")), m.classifier()));
		}
		return sb.toString();
	}

	/**
	 * {@code v3 image, 40 labels, accuracy 0.900, macro-F1 0.889, mean AUC 0.980, ECE 0.070 (active)}; a segmentation
	 * version: {@code v4 seg, 3 segmented slices, Dice 0.912, IoU 0.850}.
	 */
	public static String line(ModelVersion m) {
		Map<String, Double> x = m.metrics();
		if (!m.task().classifiesItems())
			return m.name() + " " + m.task() + ", " + m.trainSize() + " segmented slices, " + (m.state() != ModelVersion.State.READY ? m.state().key()
					: "Dice " + f(x.get("dice")) + ", IoU " + f(x.get("iou"))) + (m.active() ? " (active)" : "");
		return m.name() + " " + m.task() + ", " + m.trainSize() + " labels, " + (m.state() != ModelVersion.State.READY ? m.state().key()
				: "accuracy " + f(x.get("accuracy")) + ", macro-F1 " + f(x.get("macro_f1")) + ", mean AUC " + f(x.get("mean_auc")) + ", ECE " + f(x.get("ece")))
				+ (m.active() ? " (active)" : "");
	}

	static String f(Double d) {
		return d == null || d.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", d);
	}
}
