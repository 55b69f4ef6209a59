package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.Metrics;
import org.labelloop.core.learn.Calibration;
import org.labelloop.core.al.Uncertainty;
import org.labelloop.core.learn.Familiarity;
import org.labelloop.core.learn.OutOfFold;
import org.labelloop.core.learn.TrainedClassifier;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.FloatImages;
import org.labelloop.imaging.Measure;
import org.labelloop.imaging.Images;

import ij.ImagePlus;

/**
 * Retrain: for each task with enough labels, embed its items (cached in the store by content), train a classifier,
 * compute k-fold out-of-fold probabilities of every labelled item and their metrics, predict every unlabelled item,
 * and write it all with {@link ProjectStore#finishModel}, whose last transaction makes the new version active. Until
 * then the previous version stays active; a cancel or an error abandons the run and writes none of its results.
 * <p>
 * Tasks: {@value #IMAGE} learns image-level labels (the latest accepted or corrected image-level label of each image)
 * and predicts every image without one; {@value #ROI} learns the classes of accepted or corrected area ROIs and
 * predicts every proposed ROI, which gets the predicted class, confidence and probabilities as a new revision with
 * origin {@code model:<version>} (still proposed, for a person to accept or correct). Human ROIs get only
 * out-of-fold predictions; their labels are never changed.
 * <p>
 * Near 500 lines on purpose: one Retrain run is one sequence (collect the labelled items, fold them by patient,
 * group or image, embed, out-of-fold predictions, calibration, the novelty threshold, the final fit, the predictions and the
 * proposal updates), and each step hands the next the same items in the same order; split across files, that order
 * becomes an implicit contract. The learning itself is in {@code core.learn} (classifiers, {@code OutOfFold},
 * {@code Calibration}, {@code Familiarity}); the segmentation task is {@link SegmentationTrainer}.
 */
public final class Trainer {

	/** Most folds used when the classes have enough labels. */
	public static final int MAX_FOLDS = 5;

	private final ProjectStore store;
	private final String user;
	private final Function<Long, Path> files;
	private final Embedder embedder;
	/** Brings the vector index up to date with a finished version's embeddings before it becomes active (the project's engine gives it). */
	private java.util.function.Consumer<ModelVersion> indexer = m -> { };

	/**
	 * @param files the checked local file of an image id (see {@link LocalBackend#imageFile})
	 */
	public Trainer(ProjectStore store, String user, Function<Long, Path> files) {
		this(store, user, files, new FeatureEmbedder());
	}

	public Trainer(ProjectStore store, String user, Function<Long, Path> files, Embedder embedder) {
		this.store = store;
		this.user = user;
		this.files = files;
		this.embedder = embedder;
	}

	/**
	 * What to do with a version's embeddings once its predictions are computed and before it becomes active: update
	 * the vector index of its embedder, so Similar Items finds the new items once the version is active.
	 */
	Trainer indexWith(java.util.function.Consumer<ModelVersion> indexer) {
		this.indexer = java.util.Objects.requireNonNull(indexer);
		return this;
	}

	/** An item to learn from or to predict: its target, what to embed, and (for labelled items) its class. */
	private record Item(Target target, long imageId, Geometry region, String stamp, Long classId, Annotation proposal) {
	}

	/**
	 * Trains every task of {@code options} that has enough labels.
	 *
	 * @throws LabelLoopException if no task could be trained, saying what labels are missing
	 * @throws CancelledException if cancelled; nothing of the run is kept
	 */
	public TrainReport retrain(TrainOptions options, Progress progress) {
		List<TrainReport.TaskResult> results = new ArrayList<>();
		List<Task> tasks = options.tasks();
		for (int i = 0; i < tasks.size(); i++) {
			Progress part = part(progress, (double) i / tasks.size(), (double) (i + 1) / tasks.size(), tasks.get(i) + " model");
			results.add(train(tasks.get(i), options, part));
		}
		if (results.stream().allMatch(r -> r.model() == null))
			throw new LabelLoopException("Nothing to train: " + String.join(" ", results.stream().map(r -> r.skipped()).toList()));
		progress.report(1, "Retrained");
		return new TrainReport(results);
	}

	/** Trains one task, or says why it cannot. */
	TrainReport.TaskResult train(Task task, TrainOptions options, Progress progress) {
		if (!task.classifiesItems()) return new SegmentationTrainer(store, user, files, options.seed()).train(progress);
		Map<Long, LabelClass> classes = new LinkedHashMap<>();
		for (LabelClass c : store.classes()) classes.put(c.id(), c);
		List<Item> labelled = new ArrayList<>(), unlabelled = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		Map<Long, ImageRecord> images = new LinkedHashMap<>();
		for (ImageRecord im : store.images()) images.put(im.id(), im);
		if (Task.IMAGE == task) collectImages(images, labelled, unlabelled);
		else collectRois(images, labelled, unlabelled);

		List<Item> everyLabel = labelled;
		labelled = withoutRareClasses(labelled, classes, Math.max(2, options.folds()), problems);
		// labels of classes left out are still embedded: similarity search and the map show every item
		java.util.Set<Item> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
		kept.addAll(labelled);
		List<Item> leftOut = everyLabel.stream().filter(it -> !kept.contains(it)).toList();
		String skip = enoughLabels(task, labelled, classes, options.folds());
		if (skip != null) return new TrainReport.TaskResult(task, null, skip, labelled.size(), 0, problems);

		List<Long> classIds = labelled.stream().map(Item::classId).distinct()
				.sorted(Comparator.comparingInt((Long id) -> classes.get(id).order()).thenComparing(id -> id)).toList();
		ModelVersion model = store.startModel(task, user, embedder.id(), options.classifier().id(), classIds, labelled.size());
		try {
			// embed: 0 .. 0.6
			List<Item> all = new ArrayList<>(labelled);
			all.addAll(unlabelled);
			all.addAll(leftOut);
			Map<Target, float[]> vectors = embed(all, images, problems, part(progress, 0, 0.6, "Embedding"));
			List<Item> trainItems = labelled.stream().filter(it -> vectors.containsKey(it.target())).toList();
			List<Item> predictItems = unlabelled.stream().filter(it -> vectors.containsKey(it.target())).toList();
			String still = enoughLabels(task, trainItems, classes, options.folds());
			if (still != null) throw new LabelLoopException(still + " (" + problems.size() + " item(s) could not be read: " + String.join("; ", problems) + ")");

			Map<Long, Integer> index = new HashMap<>();
			for (int c = 0; c < classIds.size(); c++) index.put(classIds.get(c), c);
			float[][] x = trainItems.stream().map(it -> vectors.get(it.target())).toArray(float[][]::new);
			int[] y = trainItems.stream().mapToInt(it -> index.get(it.classId())).toArray();
			int k = classIds.size();
			Folds grouping = folds(task, trainItems, y, options, problems);
			int[] fold = grouping.fold();
			int folds = Arrays.stream(fold).max().orElse(0) + 1;
			// out-of-fold: 0.6 .. 0.9
			double[][] raw = OutOfFold.oof(x, y, k, fold, options.classifier(), options.seed(), part(progress, 0.6, 0.9, "Out-of-fold"));
			// every probability stored (and so every confidence threshold) is temperature-scaled; the labelled items'
			// own are cross-fitted, so their calibration error is measured on items the calibration did not see
			double[][] oof = Calibration.outOfFold(raw, y, fold);
			double temperature = Calibration.fit(raw, y);
			Metrics m = Metrics.of(oof, y, k);
			// final model on every label: 0.9 .. 1
			progress.checkCancelled("Training");
			progress.report(0.9, "Training on all " + y.length + " labels");
			TrainedClassifier classifier = options.classifier().train(x, y, k, options.seed());
			progress.checkCancelled("Training");
			double[][] p = Calibration.scale(classifier.probabilitiesAll(predictItems.stream().map(it -> vectors.get(it.target())).toArray(float[][]::new)),
					temperature);

			List<Prediction> predictions = new ArrayList<>();
			for (int i = 0; i < trainItems.size(); i++)
				predictions.add(new Prediction(model.id(), trainItems.get(i).target(), probabilities(oof[i], classIds), true));
			List<Edit> edits = new ArrayList<>();
			for (int i = 0; i < predictItems.size(); i++) {
				Item it = predictItems.get(i);
				Map<Long, Double> probs = probabilities(p[i], classIds);
				Prediction pr = new Prediction(model.id(), it.target(), probs, false);
				predictions.add(pr);
				if (it.proposal() != null) {
					Optional<Edit> e = proposalUpdate(it.proposal(), pr, model.name());
					e.ifPresent(edits::add);
				}
			}
			progress.checkCancelled("Training");
			progress.report(0.98, "Saving model " + model.name());
			Map<String, Double> metrics = metrics(m, classIds, folds);
			put(metrics, "ece_uncalibrated", Metrics.of(raw, y, k).ece());
			metrics.put("temperature", temperature);
			novelty(x, oof, predictItems, p, vectors, metrics, problems);
			metrics.put("groups", (double) grouping.groups());
			metrics.put("grouped", (double) grouping.grouping().ordinal());
			indexer.accept(model);
			progress.checkCancelled("Training");
			ModelVersion done = store.finishModel(model.id(), metrics, predictions, user, edits);
			progress.report(1, "Model " + done.name() + " ready");
			return new TrainReport.TaskResult(task, done, null, trainItems.size(), predictItems.size(), problems);
		} catch (CancelledException e) {
			store.abandonModel(model.id(), ModelVersion.State.CANCELLED, "cancelled by " + user);
			throw e;
		} catch (RuntimeException | Error e) {
			try {
				store.abandonModel(model.id(), ModelVersion.State.FAILED, String.valueOf(e.getMessage()));
			} catch (RuntimeException again) {
				e.addSuppressed(again);
			}
			if (e instanceof IllegalArgumentException iae) throw new LabelLoopException("Training the " + task + " model failed: " + iae.getMessage(), iae);
			throw e;
		}
	}

	/** How the folds of a version were grouped, as the {@code grouped} metric stores it. */
	public enum Grouping {
		NONE, IMAGE, PATIENT, GROUP;

		public static Grouping of(Double metric) {
			return metric == null ? NONE : values()[Math.max(0, Math.min(values().length - 1, metric.intValue()))];
		}

		/** What one group is, in words: {@code patient}, {@code group}, {@code image}. */
		public String unit() {
			return this == PATIENT ? "patient" : this == GROUP ? "group" : "image";
		}
	}

	/** The folds of the labelled items and the grouping they follow. */
	record Folds(int[] fold, Grouping grouping, int groups) {
	}

	/**
	 * The fold of each labelled item. An item's group is its patient when DICOM import kept one, else its {@code group}
	 * metadata (a CSV import's {@code group} column) (no fold validates a patient's image with a model that trained on
	 * the same patient's other images: the classic leak of medical-image validation), else for ROIs their image (neighbouring cells share staining, focus and scanner), else the item
	 * itself. With fewer groups than folds the folds drop to the number of groups; with one group the folds must split
	 * it, and a problem line says that the out-of-fold accuracy is optimistic.
	 */
	Folds folds(Task task, List<Item> items, int[] y, TrainOptions options, List<String> problems) {
		int folds = options.folds() > 0 ? options.folds() : folds(y, Arrays.stream(y).max().orElse(0) + 1);
		Map<Long, Map<String, String>> meta = store.imageMetadata();
		Map<String, Long> ids = new HashMap<>();
		boolean byPatient = false, byGroup = false;
		long[] groups = new long[items.size()];
		for (int i = 0; i < groups.length; i++) {
			Item it = items.get(i);
			Map<String, String> m = meta.getOrDefault(it.imageId(), Map.of());
			String patient = m.get("patient"), group = m.get("group");
			boolean isPatient = patient != null && !patient.isBlank(), isGroup = !isPatient && group != null && !group.isBlank();
			byPatient |= isPatient;
			byGroup |= isGroup;
			String key = isPatient ? "patient:" + patient.strip() : isGroup ? "group:" + group.strip() : Task.ROI == task ? "image:" + it.imageId() : "item:" + i;
			groups[i] = ids.computeIfAbsent(key, k -> (long) ids.size());
		}
		int n = ids.size();
		Grouping g = n == items.size() ? Grouping.NONE : byPatient ? Grouping.PATIENT : byGroup ? Grouping.GROUP : Grouping.IMAGE;
		if (g == Grouping.NONE) return new Folds(OutOfFold.folds(y, folds, options.seed()), g, n);
		if (n < 2) {
			problems.add("all " + items.size() + " labelled items belong to one " + (byPatient ? "patient" : byGroup ? "group" : "image")
					+ ", so the folds split it and the out-of-fold accuracy is optimistic: label items of a second one");
			return new Folds(OutOfFold.folds(y, folds, options.seed()), Grouping.NONE, n);
		}
		return new Folds(OutOfFold.groupedFolds(y, groups, Math.min(folds, n), options.seed()), g, n);
	}

	/**
	 * Marks the predicted items unlike anything labelled ({@link ModelVersion#isNovel}): {@link Familiarity} fitted on
	 * the labelled embeddings and the entropy of their out-of-fold probabilities, k = 5 (fewer with under 20 labels),
	 * its threshold holding 95% of the labelled items' own scores; each predicted item is scored from its embedding and
	 * the entropy of its prediction. Under {@link Familiarity#MIN_LABELS} labels it waits, and says so.
	 * Exact search: beyond {@value #NOVELTY_PAIRS} item pairs it is skipped, and said so.
	 */
	private static void novelty(float[][] labelled, double[][] oof, List<Item> predicted, double[][] p, Map<Target, float[]> vectors,
			Map<String, Double> metrics, List<String> problems) {
		if (predicted.isEmpty()) return;
		if (labelled.length < Familiarity.MIN_LABELS) {
			problems.add("no familiarity check yet: " + labelled.length + " labels, needs " + Familiarity.MIN_LABELS + " to tell items unlike anything labelled");
			return;
		}
		if ((double) labelled.length * (labelled.length + predicted.size()) > NOVELTY_PAIRS) {
			problems.add("no familiarity check: " + labelled.length + " labels x " + predicted.size() + " predicted items is too many for exact search");
			return;
		}
		double[] own = Arrays.stream(oof).mapToDouble(Uncertainty.ENTROPY::of).toArray();
		Familiarity f = Familiarity.fit(labelled, own, Math.min(5, labelled.length / 4), 0.95); // at least 3: MIN_LABELS is 12
		metrics.put("familiarity_threshold", f.threshold());
		float[][] x = predicted.stream().map(it -> vectors.get(it.target())).toArray(float[][]::new);
		double[] scores = f.scores(x, Arrays.stream(p).mapToDouble(Uncertainty.ENTROPY::of).toArray()); // on every core
		for (int i = 0; i < predicted.size(); i++)
			if (scores[i] > f.threshold()) metrics.put(ModelVersion.novelKey(predicted.get(i).target()), scores[i]);
	}

	/** Most labelled × (labelled + predicted) pairs the familiarity check compares. */
	static final double NOVELTY_PAIRS = 4e8;

	/** {@code min(5, smallest class count)}. */
	static int folds(int[] y, int k) {
		int[] count = new int[k];
		for (int c : y) count[c]++;
		int smallest = Arrays.stream(count).filter(n -> n > 0).min().orElse(0);
		return Math.min(MAX_FOLDS, smallest);
	}

	/**
	 * Leaves out the classes with fewer than {@code need} labels, provided two classes or more keep enough: a user who
	 * has labelled a handful of items gets a model for the classes that can be validated, and is told which wait.
	 */
	static List<Item> withoutRareClasses(List<Item> labelled, Map<Long, LabelClass> classes, int need, List<String> problems) {
		Map<Long, Integer> perClass = new TreeMap<>();
		for (Item it : labelled) perClass.merge(it.classId(), 1, Integer::sum);
		List<Long> enough = perClass.entrySet().stream().filter(e -> e.getValue() >= need).map(Map.Entry::getKey).toList();
		if (enough.size() < 2 || enough.size() == perClass.size()) return labelled;
		perClass.forEach((c, n) -> {
			if (n < need) problems.add("class '" + name(classes, c) + "' left out: " + n + " label(s), needs " + need + " for out-of-fold validation");
		});
		return labelled.stream().filter(it -> enough.contains(it.classId())).toList();
	}

	/** {@code null} if the labels suffice, else a message saying what is needed. */
	static String enoughLabels(Task task, List<Item> labelled, Map<Long, LabelClass> classes, int folds) {
		String what = Task.IMAGE == task ? "image labels" : "labelled ROIs";
		String model = Task.IMAGE == task ? "The image model" : "The ROI model";
		if (labelled.isEmpty())
			return model + " needs labels: there are no " + what + " yet (accepted or corrected ones, of at least 2 classes, at least 2 per class).";
		Map<Long, Integer> perClass = new TreeMap<>();
		for (Item it : labelled) perClass.merge(it.classId(), 1, Integer::sum);
		if (perClass.size() < 2)
			return model + " needs two classes: all " + labelled.size() + " " + what + " are '" + name(classes, perClass.keySet().iterator().next())
					+ "'. Label some items of another class.";
		int need = Math.max(2, folds);
		List<String> few = new ArrayList<>();
		perClass.forEach((c, n) -> {
			if (n < need) few.add(name(classes, c) + " " + n);
		});
		if (!few.isEmpty())
			return model + " needs at least " + need + " " + what + " per class for out-of-fold validation; too few: " + String.join(", ", few) + ".";
		return null;
	}

	private static String name(Map<Long, LabelClass> classes, long id) {
		LabelClass c = classes.get(id);
		return c == null ? "class " + id : c.name();
	}

	private void collectImages(Map<Long, ImageRecord> images, List<Item> labelled, List<Item> unlabelled) {
		Map<Long, Annotation> latest = Labels.imageLabels(store.allAnnotations());
		for (ImageRecord im : images.values()) {
			Annotation label = latest.get(im.id());
			Item it = new Item(Target.image(im.id()), im.id(), null, imageStamp(im), label == null ? null : label.data().classId(), null);
			(label == null ? unlabelled : labelled).add(it);
			// an unlabelled volume's slices are predicted one by one, for Next Image to pick a slice
			if (label == null && im.slices() > 1)
				for (int z = 1; z <= Math.min(im.slices(), Target.MAX_Z); z++)
					unlabelled.add(new Item(Target.slice(im.id(), z), im.id(), null, sliceStamp(im.sha256(), z), null, null));
		}
	}

	/**
	 * The cache stamp of an image's embedding: its SHA-256; a volume's is marked as the mean of its slices, so a
	 * vector cached before volumes were pooled (slice 1 only) is not taken for it.
	 */
	public static String imageStamp(ImageRecord im) {
		return im.slices() > 1 ? im.sha256() + "#mean" : im.sha256();
	}

	/** The cache stamp of one slice's embedding: the volume's content and the slice. */
	public static String sliceStamp(String sha256, int z) {
		return sha256 + "#z" + z;
	}

	private void collectRois(Map<Long, ImageRecord> images, List<Item> labelled, List<Item> unlabelled) {
		for (Annotation a : store.allAnnotations()) {
			Geometry g = a.data().geometry();
			ImageRecord im = images.get(a.imageId());
			if (g == null || !g.kind().isArea() || im == null) continue;
			String stamp = a.id() + "@" + a.revision() + "/" + im.sha256();
			if (Labels.isLabelFor(Task.ROI, a)) labelled.add(new Item(Target.annotation(a.id()), a.imageId(), g, stamp, a.data().classId(), null));
			else if (a.data().status() == Status.PROPOSED) unlabelled.add(new Item(Target.annotation(a.id()), a.imageId(), g, stamp, null, a));
		}
	}

	/**
	 * The cache name under which a ROI's or a 2D image's measurements ({@code {area, mean}}, {@link Measure}) are kept
	 * beside the embeddings: taken while the image is open for embedding, read into the vector index's payload.
	 */
	static final String MEASUREMENTS = "measure/area,mean";

	/** The cache stamp of a measurement: the image's content and the shape (null: the whole image). */
	static String measureStamp(ImageRecord im, Geometry shape) {
		return shape == null ? im.sha256() : im.sha256() + "/" + Integer.toHexString(shape.hashCode()) + "x" + shape.size();
	}

	/** Whether an item is measured: ROIs, and 2D images (not volumes or their slices). */
	private static boolean measured(Item it, ImageRecord im) {
		return !it.target().isSlice() && (it.region() != null || im.slices() <= 1);
	}

	/** Whether the item is one that is measured and its cached measurement (in {@code measured}) is missing or stale. */
	private static boolean needsMeasuring(Item it, ImageRecord im, Map<Target, ProjectStore.Cached> measured) {
		return measured(it, im) && ProjectStore.Cached.current(measured, it.target(), measureStamp(im, it.region())).isEmpty();
	}

	/**
	 * Vectors of the items, from the cache or computed (each image opened once), and their measurements where missing;
	 * unreadable items are left out.
	 */
	private Map<Target, float[]> embed(List<Item> items, Map<Long, ImageRecord> images, List<String> problems, Progress progress) {
		Map<Target, float[]> out = new HashMap<>();
		Map<Long, List<Item>> todo = new LinkedHashMap<>();
		Map<Target, float[]> cachedTodo = new HashMap<>();
		Map<Target, ProjectStore.Cached> vectors = store.embeddings(embedder.id()), measured = store.embeddings(MEASUREMENTS);
		for (Item it : items) {
			Optional<float[]> cached = ProjectStore.Cached.current(vectors, it.target(), it.stamp()).filter(v -> v.length == embedder.dimension());
			boolean measure = needsMeasuring(it, images.get(it.imageId()), measured);
			if (cached.isPresent() && !measure) out.put(it.target(), cached.get());
			else {
				cached.ifPresent(v -> cachedTodo.put(it.target(), v));
				todo.computeIfAbsent(it.imageId(), id -> new ArrayList<>()).add(it);
			}
		}
		int total = todo.values().stream().mapToInt(List::size).sum(), done = 0;
		Map<Target, float[]> fresh = new HashMap<>(), measurements = new HashMap<>();
		Map<Target, String> stamps = new HashMap<>(), measureStamps = new HashMap<>();
		for (Map.Entry<Long, List<Item>> e : todo.entrySet()) {
			progress.checkCancelled("Embedding");
			ImageRecord im = images.get(e.getKey());
			String name = im.name();
			progress.report(total == 0 ? 1 : (double) done / total, "Embedding " + name);
			ImagePlus imp;
			try {
				imp = Images.open(files.apply(e.getKey()));
			} catch (LabelLoopException ex) {
				problems.add(name + ": " + ex.getMessage());
				done += e.getValue().size();
				continue;
			}
			FloatImages.Planes read = FloatImages.of(imp);
			Map<Plane, FloatImage> planes = new HashMap<>();
			for (Item it : e.getValue()) {
				progress.checkCancelled("Embedding");
				try {
					float[] v = cachedTodo.get(it.target());
					if (v != null) out.put(it.target(), v);
					else {
						if (it.target().isSlice()) v = sliceVector(read, it.target().z(), im, fresh, stamps);
						else if (it.region() == null && imp.getNSlices() > 1) v = volumeVector(read, imp.getNSlices(), im, fresh, stamps);
						else if (it.region() == null) v = embedder.embed(planes.computeIfAbsent(Plane.ALL, read::plane));
						else {
							Plane pl = it.region().plane();
							v = embedder.embed(planes.computeIfAbsent(pl, read::plane), it.region());
						}
						fresh.put(it.target(), v);
						stamps.put(it.target(), it.stamp());
					}
					if (measured(it, im)) {
						measurements.put(it.target(), Measure.of(imp, it.region()));
						measureStamps.put(it.target(), measureStamp(im, it.region()));
					}
				} catch (IllegalArgumentException ex) {
					problems.add(name + (it.region() == null ? "" : " ROI " + it.target().id()) + ": " + ex.getMessage());
				}
				done++;
			}
		}
		// a cache, keyed by content: kept even if this run is cancelled later, so the next run is quicker
		if (!fresh.isEmpty()) store.putEmbeddings(embedder.id(), fresh, stamps);
		if (!measurements.isEmpty()) store.putEmbeddings(MEASUREMENTS, measurements, measureStamps);
		out.putAll(fresh);
		progress.report(1, "Embedded " + out.size() + " item(s)");
		return out;
	}

	/** One slice's vector (all channels, the current frame), from this run's fresh vectors or the cache, else computed. */
	private float[] sliceVector(FloatImages.Planes read, int z, ImageRecord im, Map<Target, float[]> fresh, Map<Target, String> stamps) {
		Target t = Target.slice(im.id(), z);
		float[] v = fresh.get(t);
		if (v != null) return v;
		String stamp = sliceStamp(im.sha256(), z);
		Optional<float[]> cached = store.embedding(embedder.id(), t, stamp);
		v = cached.isPresent() && cached.get().length == embedder.dimension() ? cached.get() : embedder.embed(read.plane(new Plane(0, z, 0)));
		fresh.put(t, v);
		stamps.put(t, stamp);
		return v;
	}

	/** A volume's vector: the mean of its slices' vectors (each slice's kept too), so every slice counts, not slice 1. */
	private float[] volumeVector(FloatImages.Planes read, int slices, ImageRecord im, Map<Target, float[]> fresh, Map<Target, String> stamps) {
		int n = Math.min(slices, Target.MAX_Z);
		float[] mean = null;
		for (int z = 1; z <= n; z++) {
			float[] v = sliceVector(read, z, im, fresh, stamps);
			if (mean == null) mean = new float[v.length];
			for (int i = 0; i < v.length; i++) mean[i] += v[i] / n;
		}
		return mean;
	}

	private static Map<Long, Double> probabilities(double[] p, List<Long> classIds) {
		Map<Long, Double> m = new LinkedHashMap<>();
		for (int c = 0; c < classIds.size(); c++) m.put(classIds.get(c), clamp(p[c]));
		return m;
	}

	private static double clamp(double v) {
		return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
	}

	/** The proposal with the model's class, confidence and probabilities; still proposed. */
	private Optional<Edit> proposalUpdate(Annotation a, Prediction p, String modelName) {
		// the user may have reviewed it while the model trained: then the person's word stands
		Optional<Annotation> now = store.annotation(a.id());
		if (now.isEmpty() || now.get().revision() != a.revision() || now.get().data().status() != Status.PROPOSED) return Optional.empty();
		AnnotationData d = a.data();
		// a weak label a person gave in bulk (Similar Items, Embedding Map) waits for their review: the model does not
		// overwrite its class (its prediction is still stored and shown)
		if (d.origin().kind() == Origin.Kind.WEAK && d.classId() != null) return Optional.empty();
		Long cls = p.predictedClass();
		AnnotationData nd = d.withPrediction(cls, Origin.model(modelName), Status.PROPOSED, clamp(p.confidence()), p.probabilities());
		return Optional.of(new Edit.Update(a.id(), a.revision(), nd));
	}

	private static Map<String, Double> metrics(Metrics m, List<Long> classIds, int folds) {
		Map<String, Double> out = new LinkedHashMap<>();
		put(out, "accuracy", m.accuracy());
		put(out, "macro_f1", m.macroF1());
		put(out, "mean_auc", m.meanAuc());
		put(out, "ece", m.ece());
		double[] auc = m.auc();
		for (int c = 0; c < classIds.size(); c++) put(out, "auc:" + classIds.get(c), auc[c]);
		out.put("folds", (double) folds);
		out.put("n", (double) m.n());
		return out;
	}

	/** Undefined values (an AUC of a class without negatives) are left out rather than stored as NaN. */
	private static void put(Map<String, Double> m, String k, double v) {
		if (Double.isFinite(v)) m.put(k, v);
	}

	/** A sub-range [from, to] of a progress, prefixing its messages. */
	static Progress part(Progress p, double from, double to, String what) {
		return new Progress() {
			@Override
			public void report(double fraction, String message) {
				p.report(from + (to - from) * Math.max(0, Math.min(1, fraction)), what + ": " + message);
			}

			@Override
			public boolean isCancelled() {
				return p.isCancelled();
			}
		};
	}
}
