package org.labelloop.backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Task;
import org.labelloop.core.store.ProjectStore;

/**
 * Where a project stands, in one answer (the LabelLoop panel and the server's dashboard show it): images labelled,
 * proposals waiting for review, labels per class, open threads, and per task the active model with the labels
 * written since it was trained.
 *
 * @param images         images in the project
 * @param labelledImages images with at least one annotation a person decided on ({@link Labels#labelledImages})
 * @param proposed       annotations still proposed (waiting for a person)
 * @param openThreads    open comment threads and flags
 * @param forMe          of those, the ones on an annotation the user wrote last or started by the user
 * @param classes        every class with its label count ({@link Labels#isLabel})
 * @param models         the active model of each task that has one
 */
public record ProjectProgress(int images, int labelledImages, int proposed, int openThreads, int forMe, List<ClassCount> classes,
		List<ModelState> models) {

	/** New labels after which the panel recommends a Retrain. */
	public static final int RETRAIN_AFTER = 10;

	public ProjectProgress {
		classes = List.copyOf(classes);
		models = List.copyOf(models);
	}

	/** A class and how many labels it has. */
	public record ClassCount(long id, String name, String color, String hotkey, long labels) {
	}

	/**
	 * The active model of a task.
	 *
	 * @param accuracy  out-of-fold accuracy, or null (a segmentation model has none)
	 * @param newLabels labels of the task written after the model was trained
	 * @param dice      out-of-fold mean Dice of a segmentation model, or null
	 */
	public record ModelState(Task task, String name, int trainSize, Double accuracy, int newLabels, Double dice) {
		public ModelState(Task task, String name, int trainSize, Double accuracy, int newLabels) {
			this(task, name, trainSize, accuracy, newLabels, null);
		}

		/** Whether enough new labels came in to make a Retrain worth it. */
		public boolean retrainRecommended() {
			return newLabels >= RETRAIN_AFTER;
		}
	}

	/** The active model of a task, if any. */
	public Optional<ModelState> model(Task task) {
		return models.stream().filter(m -> m.task() == task).findFirst();
	}

	/** Counts it all from the store, for {@code user}. */
	static ProjectProgress of(ProjectStore store, String user) {
		List<Annotation> all = store.allAnnotations();
		Map<Long, Long> byClass = new HashMap<>();
		Map<Long, Annotation> byId = new HashMap<>();
		int proposed = 0;
		for (Annotation a : all) {
			byId.put(a.id(), a);
			if (Labels.isLabel(a)) byClass.merge(a.data().classId(), 1L, Long::sum);
			else if (a.data().status() == org.labelloop.core.model.Status.PROPOSED) proposed++;
		}
		List<ClassCount> classes = new ArrayList<>();
		for (LabelClass c : store.classes()) classes.add(new ClassCount(c.id(), c.name(), c.color(), c.hotkey(), byClass.getOrDefault(c.id(), 0L)));
		List<ModelState> models = new ArrayList<>();
		for (Task task : Task.values()) {
			Optional<ModelVersion> m = store.models().stream().filter(v -> v.active() && v.task() == task).findFirst();
			if (m.isEmpty()) continue;
			int fresh = 0;
			for (Annotation a : all)
				if (Labels.isLabelFor(task, a) && a.time().isAfter(m.get().created())) fresh++;
			models.add(new ModelState(task, m.get().name(), m.get().trainSize(), m.get().metrics().get("accuracy"), fresh, m.get().metrics().get("dice")));
		}
		List<Comment> open = store.threads(true);
		int forMe = 0;
		for (Comment t : open) {
			Annotation on = t.target().isImage() ? null : byId.get(t.target().id());
			if (t.author().equals(user) || on != null && on.author().equals(user)) forMe++;
		}
		return new ProjectProgress(store.images().size(), store.labelledImages().size(), proposed, open.size(), forMe, classes, models);
	}
}
