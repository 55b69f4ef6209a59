package org.labelloop.fiji;

import org.labelloop.core.model.Task;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;

/**
 * Questions a macro can ask the open project with ImageJ's {@code call("org.labelloop.fiji.MacroFunctions.…", …)}
 * (static methods taking and returning strings), for the decisions a macro makes between commands: whether a model
 * exists before asking for its learning curve, how many images are left. Each returns {@code ""} when no project is
 * open, instead of failing, so a macro can test for it.
 */
public final class MacroFunctions {

	/** The learning curve's series (metric key, label, colour): the Learning Curve plot and its macro function's table. */
	public static final String[][] LEARNING_CURVE = { { "accuracy", "accuracy", "#1f77b4" }, { "macro_f1", "macro-F1", "#2ca02c" },
			{ "mean_auc", "mean AUC", "#9467bd" }, { "ece", "ECE", "#d62728" } };

	private MacroFunctions() {
	}

	/** The name of the active ready model of a task ({@code image} or {@code roi}), e.g. {@code v3}; "" if none. */
	public static String activeModel(String task) {
		LabelLoopSession s = LabelLoopSession.get();
		if (!s.isOpen()) return "";
		return s.backend().activeModel(Task.parse(task)).filter(m -> m.state() == ModelVersion.State.READY).map(ModelVersion::name).orElse("");
	}

	/**
	 * The learning curve of a task as CSV: one row per ready model version in training order, with the number of
	 * labels it learned from and its out-of-fold metrics (empty cells for metrics a version lacks); "" if no project
	 * is open. A macro saves it with {@code File.saveString}.
	 */
	public static String learningCurveCsv(String taskKey) {
		Task task = Task.parse(taskKey);
		LabelLoopSession s = LabelLoopSession.get();
		if (!s.isOpen()) return "";
		StringBuilder csv = new StringBuilder("version,labels");
		for (String[] m : LEARNING_CURVE) csv.append(',').append(m[0]);
		csv.append('\n');
		for (ModelVersion m : s.backend().models()) {
			if (m.task() != task || m.state() != ModelVersion.State.READY) continue;
			csv.append(m.name()).append(',').append(m.trainSize());
			for (String[] k : LEARNING_CURVE) {
				Double v = m.metrics().get(k[0]);
				csv.append(',').append(v == null ? "" : String.format(java.util.Locale.ROOT, "%.4f", v));
			}
			csv.append('\n');
		}
		return csv.toString();
	}

	/**
	 * Checks a macro's {@code key=value} arguments against the keys it knows ({@code known}, separated by spaces): ""
	 * when all are known, else the message Dialog gives for a misspelt option, e.g. {@code LabelLoop_Bulk_Label:
	 * unknown option 'clas' (did you mean 'class'?). Valid options: project, class, min, max, user.} A macro exits with
	 * it, instead of silently using a default for the misspelt argument.
	 */
	public static String checkArguments(String macro, String arguments, String known) {
		Dialog d = new Dialog(macro);
		for (String k : known.trim().split("\\s+")) if (!k.isEmpty()) d.addString(k, "");
		try {
			d.checkKeys(arguments == null ? "" : arguments);
			return "";
		} catch (LabelLoopException e) {
			return e.getMessage();
		}
	}

	/** How many images the project holds, as text; "" if no project is open. */
	public static String imageCount() {
		LabelLoopSession s = LabelLoopSession.get();
		return s.isOpen() ? String.valueOf(s.backend().images().size()) : "";
	}

	/**
	 * The image model's prediction on the current LabelLoop image, {@code model v3: coat 0.82} ({@code coat 0.42?}
	 * when unsure); "" when no project or image is open or the image has no prediction. (The window title is the file
	 * name only.)
	 */
	public static String prediction() {
		LabelLoopSession s = LabelLoopSession.get();
		if (!s.isOpen()) return "";
		try {
			return AnnotationView.prediction(s.currentImage());
		} catch (LabelLoopException none) {
			return "";
		}
	}
}
