package org.labelloop.fiji.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.labelloop.backend.ProjectProgress;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Task;

/**
 * What the LabelLoop panel shows, as plain values: built from the project's {@link ProjectProgress} (never counted
 * again here) and the image shown, with no Swing in it, so it is tested without a display. The panel
 * ({@link LabelLoopPanel}) only lays these strings and rows out.
 *
 * @param image      the shown image's name, or "" when none is shown
 * @param prediction the image model's prediction on it ({@code model v3: coat 0.82}), or ""
 * @param reason     why it was chosen (Next Image's reason), or ""
 * @param classes    the class palette: colour, hotkey, name, label count
 * @param labels     the shown image's labels and predictions (rejected ones are not drawn, so not listed)
 * @param progress   {@code 12 of 40 images labelled · 28 remaining · 5 proposals to review}
 * @param models     one line per task: the active model, its out-of-fold accuracy, labels since, retrain advice
 * @param comments   {@code 2 open comments for you (5 open in all)}
 * @param retrain    whether a task's model has enough new labels for a Retrain
 */
public record PanelModel(String image, String prediction, String reason, List<ClassRow> classes, List<LabelRow> labels, String progress,
		List<String> models, String comments, boolean retrain) {

	public PanelModel {
		classes = List.copyOf(classes);
		labels = List.copyOf(labels);
		models = List.copyOf(models);
	}

	/** A class of the palette; {@code current} marks the class a click set last. */
	public record ClassRow(String name, String color, String hotkey, long labels, boolean current) {
	}

	/**
	 * A label or prediction of the shown image.
	 *
	 * @param id         the annotation id (the ROI Manager entry carries it as {@code labelloop.id})
	 * @param kind       {@code image} (an image-level label), {@code mask}, or the shape ({@code polygon}, …)
	 * @param className  its class, or {@code —}
	 * @param status     proposed, accepted, corrected
	 * @param confidence the model's confidence as {@code 0.82}, or "" for a person's label
	 * @param origin     {@code model:v2}, {@code human:ann}, {@code weak:map lasso}
	 */
	public record LabelRow(long id, String kind, String className, String status, String confidence, String origin) {
	}

	/**
	 * The shown image as the panel needs it.
	 *
	 * @param classNames class id → name, for the rows
	 */
	public record Shown(String image, String prediction, String reason, List<Annotation> annotations, Map<Long, String> classNames) {
	}

	/** The panel with nothing shown (no project image open). */
	public static PanelModel of(ProjectProgress progress, String currentClass) {
		return of(progress, null, currentClass);
	}

	/**
	 * Turns the project's progress and the shown image into what the panel shows.
	 *
	 * @param progress     the project's progress, or null when the backend has none (a MONAI Label server)
	 * @param shown        the image shown, or null
	 * @param currentClass the class a palette click set last, or null
	 */
	public static PanelModel of(ProjectProgress progress, Shown shown, String currentClass) {
		List<ClassRow> classes = new ArrayList<>();
		List<String> models = new ArrayList<>();
		String line = "Progress is not available for this project.", comments = "";
		boolean retrain = false;
		if (progress != null) {
			for (ProjectProgress.ClassCount c : progress.classes())
				classes.add(new ClassRow(c.name(), c.color(), c.hotkey(), c.labels(), c.name().equals(currentClass)));
			int remaining = Math.max(0, progress.images() - progress.labelledImages());
			line = progress.labelledImages() + " of " + progress.images() + " images labelled \u00b7 " + remaining + " remaining \u00b7 "
					+ progress.proposed() + " proposal" + (progress.proposed() == 1 ? "" : "s") + " to review";
			for (Task task : Task.values()) {
				var m = progress.model(task);
				if (m.isEmpty()) {
					models.add(task.key() + " model: none yet (" + (task == Task.SEGMENTATION ? "paint masks" : "label some items") + ", then Retrain)");
					continue;
				}
				ProjectProgress.ModelState s = m.get();
				retrain |= s.retrainRecommended();
				String acc = s.dice() != null ? String.format(Locale.ROOT, "out-of-fold Dice %.2f", s.dice())
						: s.accuracy() == null ? "no out-of-fold " + (task == Task.SEGMENTATION ? "Dice" : "accuracy")
						: String.format(Locale.ROOT, "out-of-fold accuracy %.2f", s.accuracy());
				String advice = s.retrainRecommended() ? s.newLabels() + " new label" + (s.newLabels() == 1 ? "" : "s") + ": retrain recommended"
						: s.newLabels() + " new label" + (s.newLabels() == 1 ? "" : "s") + "; retrain recommended after " + ProjectProgress.RETRAIN_AFTER;
				models.add(task.key() + " model " + s.name() + ": " + acc + ", trained on " + s.trainSize() + " labels \u00b7 " + advice);
			}
			comments = progress.forMe() + " open comment" + (progress.forMe() == 1 ? "" : "s") + " for you (" + progress.openThreads() + " open in all)";
		}
		List<LabelRow> labels = new ArrayList<>();
		String image = "", prediction = "", reason = "";
		if (shown != null) {
			image = shown.image();
			prediction = shown.prediction() == null ? "" : shown.prediction();
			reason = shown.reason() == null ? "" : shown.reason();
			for (Annotation a : shown.annotations()) {
				if (a.data().status() == Status.REJECTED) continue;
				String kind = a.data().isImageLevel() ? "image" : a.data().isMask() ? "mask" : a.data().geometry().kind().key();
				Long c = a.data().classId();
				String name = c == null ? "\u2014" : shown.classNames().getOrDefault(c, "class " + c);
				Double conf = a.data().confidence();
				labels.add(new LabelRow(a.id(), kind, name, a.data().status().key(), conf == null ? "" : String.format(Locale.ROOT, "%.2f", conf),
						a.data().origin().toString()));
			}
		}
		return new PanelModel(image, prediction, reason, classes, labels, line, models, comments, retrain);
	}

	/** The row of an annotation, or -1. */
	public int rowOf(long annotationId) {
		for (int i = 0; i < labels.size(); i++)
			if (labels.get(i).id() == annotationId) return i;
		return -1;
	}
}
