package org.labelloop.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run: what was trained on what, and how well it did out-of-fold.
 *
 * @param name       {@code v1}, {@code v2}, … — the {@code <version>} of origins {@code model:<version>}
 * @param task       what it predicts: {@code image} (image-level classes), {@code roi} (classes of ROIs) or {@code seg}
 *                   (pixel classes; its classes are those after the background)
 * @param embedder   embedder id with its settings
 * @param classifier classifier id with its settings
 * @param classIds   the classes it predicts, in the order of its probability vectors
 * @param trainSize  labelled items it was trained on
 * @param metrics    out-of-fold metrics by name: accuracy, macro_f1, mean_auc, ece, auc:<class id>; for a
 *                   segmentation model dice, iou, dice:image:<id>, dice:slice:<id>:<z>; for an image or ROI
 *                   model ece_uncalibrated, temperature, groups, grouped, familiarity_threshold and
 *                   {@code novel:<kind>:<id>} (the familiarity score of each predicted item beyond the threshold)
 */
public record ModelVersion(long id, String name, Task task, Instant created, String user, String embedder, String classifier,
		List<Long> classIds, int trainSize, Map<String, Double> metrics, State state, boolean active) {

	public enum State {
		TRAINING, READY, CANCELLED, FAILED;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static State parse(String s) {
			return valueOf(s.toUpperCase(Locale.ROOT));
		}
	}

	/** Metric key prefix of a predicted item beyond the familiar range of the labelled ones ({@link #isNovel}). */
	public static final String NOVEL = "novel:";

	public ModelVersion {
		classIds = List.copyOf(classIds);
		metrics = Map.copyOf(metrics);
	}

	/** The metric key that marks {@code t} as unlike anything this version was trained on. */
	public static String novelKey(Target t) {
		return NOVEL + t.kind() + ":" + t.id();
	}

	/**
	 * Whether this version found {@code t} unlike anything labelled: its embedding lies further from the labelled
	 * ones than all but a few labelled items lie from each other, so its predicted class is a guess, not a finding.
	 */
	public boolean isNovel(Target t) {
		return metrics.containsKey(novelKey(t));
	}
}
