package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.labelloop.core.model.ModelVersion;

/** What a retrain did, task by task. */
public record TrainReport(List<TaskResult> tasks) {

	public TrainReport {
		tasks = List.copyOf(tasks);
	}

	/**
	 * One task's outcome: a new model version, or the reason it was not trained.
	 *
	 * @param model     the new (active) version, or {@code null} when skipped
	 * @param skipped   why the task was not trained (e.g. too few labels), or {@code null}
	 * @param labelled  labelled items (each has an out-of-fold prediction); segmented slices for the segmentation task
	 * @param predicted unlabelled items predicted (images, or proposed ROIs; images or volumes given mask proposals)
	 * @param problems  notes: items left out, e.g. an image that cannot be read
	 */
	public record TaskResult(Task task, ModelVersion model, String skipped, int labelled, int predicted, List<String> problems) {
		public TaskResult {
			problems = List.copyOf(problems);
		}
	}

	public Optional<ModelVersion> model(Task task) {
		return tasks.stream().filter(t -> t.task().equals(task) && t.model() != null).map(TaskResult::model).findFirst();
	}

	public List<ModelVersion> models() {
		return tasks.stream().filter(t -> t.model() != null).map(TaskResult::model).toList();
	}

	/** One line per task. */
	public String summary() {
		List<String> lines = new ArrayList<>();
		for (TaskResult t : tasks) {
			if (t.model() == null) lines.add(t.task() + ": not trained: " + t.skipped());
			else if (!t.task().classifiesItems()) {
				Map<String, Double> m = t.model().metrics();
				lines.add(String.format(Locale.ROOT, "%s: model %s on %d segmented slice(s), %d image(s) predicted; out-of-fold Dice %s, IoU %s",
						t.task(), t.model().name(), t.labelled(), t.predicted(), fmt(m.get("dice")), fmt(m.get("iou"))));
			} else {
				Map<String, Double> m = t.model().metrics();
				lines.add(String.format(Locale.ROOT, "%s: model %s on %d labels, %d predicted; out-of-fold accuracy %s, macro-F1 %s, mean AUC %s, ECE %s%s; %s",
						t.task(), t.model().name(), t.labelled(), t.predicted(), fmt(m.get("accuracy")), fmt(m.get("macro_f1")),
						fmt(m.get("mean_auc")), fmt(m.get("ece")), calibration(m), grouping(m)));
			}
		}
		return String.join("\n", lines);
	}

	/**
	 * A fixed-width table of the trained versions' out-of-fold metrics: accuracy, macro-F1, mean AUC and ECE for the item
	 * tasks, Dice and IoU for segmentation ({@code -} where a task has no such figure).
	 */
	public String metricsTable() {
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %-5s %7s %6s %9s %8s %8s %6s %6s %6s%n", "task", "model", "labels", "folds",
				"accuracy", "macro_f1", "mean_auc", "ece", "dice", "iou"));
		for (TaskResult t : tasks) {
			if (t.model() == null) continue;
			Map<String, Double> m = t.model().metrics();
			sb.append(String.format(Locale.ROOT, "%-6s %-5s %7d %6s %9s %8s %8s %6s %6s %6s%n", t.task(), t.model().name(), t.labelled(),
					m.get("folds") == null ? "-" : String.valueOf(m.get("folds").intValue()), fmt(m.get("accuracy")), fmt(m.get("macro_f1")),
					fmt(m.get("mean_auc")), fmt(m.get("ece")), fmt(m.get("dice")), fmt(m.get("iou"))));
		}
		return sb.toString();
	}

	/** How the confidences were calibrated: {@code " (uncalibrated 0.081, temperature 1.42)"}, or nothing for an older version. */
	public static String calibration(Map<String, Double> m) {
		Double t = m.get("temperature");
		return t == null ? "" : String.format(Locale.ROOT, " (uncalibrated %s, temperature %.2f)", fmt(m.get("ece_uncalibrated")), t);
	}

	/** How the folds were made: grouped by patient, by group or by image (none split across folds), or not grouped. */
	public static String grouping(Map<String, Double> m) {
		Double g = m.get("groups");
		Trainer.Grouping how = Trainer.Grouping.of(m.get("grouped"));
		if (g == null || how == Trainer.Grouping.NONE) return "folds not grouped";
		String unit = how.unit();
		return "folds grouped by " + unit + " (" + g.intValue() + " " + unit + "s, none split)";
	}

	static String fmt(Double d) {
		return d == null || d.isNaN() ? "-" : String.format(Locale.ROOT, "%.3f", d);
	}
}
