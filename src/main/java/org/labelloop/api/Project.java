package org.labelloop.api;

import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.labelloop.backend.Backend;
import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.geom.Box;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;

/**
 * An open LabelLoop project, for scripts: items, labels (read and write), next items by active learning, queries
 * on the model's predictions, retrain. Wraps a {@link Backend}; every write is one undoable change set recorded
 * under the user, exactly as the menu commands write it. Close it when done (it holds the project's lock).
 */
public final class Project implements AutoCloseable {

	private final LabelLoopBackend backend;

	Project(LabelLoopBackend backend) {
		this.backend = backend;
	}

	/** The backend underneath, for what this facade does not cover (its API may change between releases). */
	public LabelLoopBackend backend() {
		return backend;
	}

	public String name() {
		return backend.projectName();
	}

	/** The user every change is recorded under. */
	public String user() {
		return backend.user();
	}

	// ---- items ------------------------------------------------------------------------------------------

	/** Every image, in project order. */
	public List<Item> items() {
		return backend.images().stream().map(Project::item).toList();
	}

	/**
	 * The image with this file name (or stored path).
	 *
	 * @throws LabelLoopException if there is none, or several share the name
	 */
	public Item item(String name) {
		List<ImageRecord> found = backend.images().stream().filter(i -> i.name().equals(name) || i.path().equals(name)).toList();
		if (found.isEmpty()) throw new LabelLoopException("No image named '" + name + "' in project '" + name() + "'.");
		if (found.size() > 1)
			throw new LabelLoopException(found.size() + " images are named '" + name + "': give the stored path instead, e.g. " + found.get(0).path());
		return item(found.get(0));
	}

	/** The images without an accepted or corrected image-level label. */
	public List<Item> unlabelled() {
		return backend.images().stream().filter(i -> label(i.id()).isEmpty()).map(Project::item).toList();
	}

	static Item item(ImageRecord r) {
		return new Item(r.id(), r.name(), r.path(), r.width(), r.height());
	}

	// ---- classes -----------------------------------------------------------------------------------------

	public List<String> classes() {
		return backend.classes().stream().map(LabelClass::name).toList();
	}

	/** Adds a class (colour from the palette) unless one of that name exists. */
	public void addClass(String name) {
		if (!classes().contains(name)) backend.addClass(name, null, null);
	}

	private long classId(String name) {
		return backend.classes().stream().filter(c -> c.name().equals(name)).mapToLong(LabelClass::id).findFirst()
				.orElseThrow(() -> new LabelLoopException("Unknown class '" + name + "'. Classes: " + String.join(", ", classes()) + "."));
	}

	private String className(Long id) {
		if (id == null) return null;
		return backend.classes().stream().filter(c -> c.id() == id).map(LabelClass::name).findFirst().orElse("#" + id);
	}

	// ---- labels ------------------------------------------------------------------------------------------

	/** Every label of an item (image-level and ROIs), rejected ones included, oldest first. */
	public List<Label> labels(Item item) {
		return backend.annotations(item.id()).stream().map(this::label).toList();
	}

	private Label label(Annotation a) {
		AnnotationData d = a.data();
		String roi = "";
		if (d.isMask()) {
			var m = d.mask();
			roi = String.format(Locale.ROOT, "mask %d,%d,%d %dx%dx%d", m.minX(), m.minY(), m.minZ(), m.width(), m.height(), m.depth());
		} else if (!d.isImageLevel()) {
			Box b = d.geometry().bounds();
			roi = String.format(Locale.ROOT, "%s %.0f,%.0f %.0fx%.0f", d.geometry().kind().key(), b.x(), b.y(), b.w(), b.h());
		}
		return new Label(a.id(), a.imageId(), className(d.classId()), d.status().name().toLowerCase(Locale.ROOT), d.origin().toString(), d.isImageLevel(),
				roi);
	}

	/** The class of the item's image-level label (accepted or corrected), if it has one. */
	public Optional<String> label(Item item) {
		return label(item.id()).map(a -> className(a.data().classId()));
	}

	private Optional<Annotation> label(long imageId) {
		return Labels.imageLabel(backend.annotations(imageId));
	}

	/**
	 * Labels the whole image with a class (replacing its previous image-level label, as Label Whole Image does).
	 *
	 * @throws LabelLoopException for an unknown class
	 */
	public void setLabel(Item item, String className) {
		long classId = classId(className);
		Optional<Annotation> existing = Labels.current(backend.annotations(item.id()));
		Edit edit;
		if (existing.isEmpty()) edit = new Edit.Create(item.id(), AnnotationData.human(null, classId, backend.user()));
		else {
			Annotation a = existing.get();
			Optional<AnnotationData> d = Labels.relabel(a.data(), classId, null);
			if (d.isEmpty()) return;
			edit = new Edit.Update(a.id(), a.revision(), d.get());
		}
		backend.apply("Script: label " + item.name() + " as " + className, List.of(edit));
	}

	/** Accepts every proposed label of an item that has a class (as Accept All: one without a class stays proposed); returns how many. */
	public int acceptAll(Item item) {
		return acceptAll(item, null);
	}

	/**
	 * As Accept All with {@code class=}: proposals with a class are accepted, those without one get {@code className}
	 * ({@code null}: they stay proposed); returns how many were written.
	 *
	 * @throws LabelLoopException for an unknown class
	 */
	public int acceptAll(Item item, String className) {
		Long cls = className == null ? null : classId(className);
		List<Edit> edits = new java.util.ArrayList<>();
		for (Annotation a : backend.annotations(item.id())) {
			if (a.data().status() != Status.PROPOSED) continue;
			if (a.data().classId() != null) Labels.accept(a.data(), null).ifPresent(d -> edits.add(new Edit.Update(a.id(), a.revision(), d)));
			else if (cls != null) Labels.relabel(a.data(), cls, null).ifPresent(d -> edits.add(new Edit.Update(a.id(), a.revision(), d)));
		}
		if (!edits.isEmpty()) backend.apply("Script: accept all on " + item.name(), edits);
		return edits.size();
	}

	/** Undoes this user's last change set; false when there is nothing to undo. */
	public boolean undo() {
		return backend.undo().isPresent();
	}

	// ---- active learning and queries -----------------------------------------------------------------

	/**
	 * Up to {@code count} items chosen by an active-learning strategy ({@code entropy}, {@code margin},
	 * {@code hybrid}, {@code more-of-class}, … or {@code sequential}/{@code unlabelled}), leased to the user for 30
	 * minutes so that others get different ones.
	 *
	 * @throws IllegalArgumentException for an unknown strategy, naming the known ones
	 */
	public List<Item> next(String strategy, int count) {
		return next(strategy, count, null);
	}

	/** {@link #next(String, int)} for strategies that need a class ({@code more-of-class}). */
	public List<Item> next(String strategy, int count, String className) {
		if (strategy.equals("sequential") || strategy.equals("unlabelled")) {
			List<Item> items = new ArrayList<>();
			Long current = null;
			while (items.size() < count) {
				Optional<ImageRecord> n = backend.next(current, NextMode.valueOf(strategy.toUpperCase(Locale.ROOT)));
				if (n.isEmpty() || items.stream().anyMatch(i -> i.id() == n.get().id())) break;
				items.add(item(n.get()));
				current = n.get().id();
			}
			return items;
		}
		return backend.nextItems(strategy, count, NextOptions.DEFAULT.withClasses(className, null)).choices().stream().map(c -> item(c.image())).toList();
	}

	/** What the active image model predicts for an item, if a model exists. */
	public Optional<Prediction> prediction(Item item) {
		Optional<ModelVersion> model = backend.activeModel(Task.IMAGE);
		return backend.imagePrediction(item.id()).filter(p -> p.predictedClass() != null)
				.map(p -> new Prediction(item.id(), className(p.predictedClass()), p.confidence(), model.map(ModelVersion::name).orElse(""),
						model.map(m -> m.isNovel(p.target())).orElse(false)));
	}

	/**
	 * A query on the model's predictions: the unlabelled items the active image model puts in {@code className}
	 * with at least {@code minConfidence}, most confident first. Never an item the model finds unlike anything labelled
	 * ({@link Prediction#novel}): a confident class there is a guess, and a query's answers are meant to be labelled.
	 * Empty before any model.
	 */
	public List<Item> query(String className, double minConfidence) {
		classId(className);
		record Hit(Item item, double confidence) {
		}
		return unlabelled().stream().map(i -> prediction(i).filter(p -> !p.novel() && p.className().equals(className) && p.confidence() >= minConfidence)
				.map(p -> new Hit(i, p.confidence()))).flatMap(Optional::stream)
				.sorted(Comparator.comparingDouble(Hit::confidence).reversed()).map(Hit::item).toList();
	}

	// ---- models ------------------------------------------------------------------------------------------

	/**
	 * Retrains every task with enough labels ({@code logistic} or {@code forest}); returns the summary Retrain logs.
	 *
	 * @throws LabelLoopException when no task has enough labels, saying what is missing
	 */
	public String retrain(String classifier) {
		TrainReport r = backend.retrain(TrainOptions.defaults().withClassifier(TrainOptions.classifier(classifier)), Progress.NONE);
		return r.summary();
	}

	/** Every ready model version as {@code name → task}, oldest first. */
	public Map<String, String> models() {
		return backend.models().stream().filter(m -> m.state() == ModelVersion.State.READY)
				.collect(Collectors.toMap(ModelVersion::name, m -> m.task().key(), (a, b) -> a, java.util.LinkedHashMap::new));
	}

	/** Gives back the items leased by {@link #next} and closes the project (its lock too). */
	@Override
	public void close() {
		try {
			backend.releaseItems();
		} finally {
			backend.close();
		}
	}
}
