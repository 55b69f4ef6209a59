package org.labelloop.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.Task;
import org.labelloop.core.seg.FloatVolume;
import org.labelloop.core.seg.MaskAgreement;
import org.labelloop.core.seg.PixelClassifier;
import org.labelloop.core.seg.ProbabilityMap;
import org.labelloop.core.seg.SegObject;
import org.labelloop.core.seg.SegObjects;
import org.labelloop.core.seg.TrainingImage;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.FloatVolumes;
import org.labelloop.imaging.Images;

/**
 * Retrain's {@link Task#SEGMENTATION} task: a {@link PixelClassifier} learnt from the project's mask labels.
 * <ul>
 * <li><b>Training data</b>: the segmented slices ({@link Labels#segmentedSlices}) of each image; the voxels of a mask
 * label are its class, the rest of a segmented slice is background ({@link TrainingImage#ofLabelledSlices}). On a
 * scribbled slice ({@link Labels#scribbledSlices}: one with strokes of a class named background) only the painted
 * voxels are labels ({@link TrainingImage#of}), and the slice is still predicted. Class 0 of the model is the
 * background (and every background class's strokes); classes 1.. are the model version's
 * {@link ModelVersion#classIds()}.</li>
 * <li><b>2D or 3D</b>: when every segmented image is a volume of at most {@link #MAX_3D_VOXELS} voxels the classifier
 * uses 3D features and predicts whole volumes; otherwise it is 2D and a volume's slices are images of their own.</li>
 * <li><b>Out-of-fold Dice and IoU</b>: k-fold ({@code k ≤ 5}) over the segmented images, a volume's slices kept together
 * in one fold; with one segmented image only, over its segmented slices (neighbouring slices of a volume are alike, so
 * that Dice is optimistic). Each held-out slice's Dice (and IoU) is the mean over the object classes present in its
 * labels or its prediction (arg-max); slices with neither are left out. The metrics: {@code dice}, {@code iou} (means),
 * {@code folds}, {@code n} (slices scored), {@code dice:image:<id>} for a 2D image and {@code dice:slice:<id>:<z>}
 * (z 1-based) for a volume's slice; and for each labelled mask on a fully segmented slice, how well the held-out
 * prediction agrees with it, {@code mask_iou:<annotation>:<revision>} ({@link MaskAgreement}): what the review queue
 * lists masks the model disagrees with by.</li>
 * <li><b>Artifact</b>: the serialised model is kept in the project folder ({@link #modelFile}), one file per version,
 * so a rollback to an older version ({@link ProjectStore#activate}) uses that version's classifier.</li>
 * <li><b>Proposals</b>: every grey image and volume slice nobody segmented is predicted; {@link SegObjects} turn the
 * probabilities into objects, written as {@code proposed} mask annotations with origin {@code model:<version>} and the
 * object's confidence, at most {@link #MAX_OBJECTS_PER_IMAGE} per image (the most confident). They replace the proposed
 * masks earlier models wrote on those images; masks of people and of other proposers are never touched.</li>
 * </ul>
 * Near 500 lines on purpose, for the same reason as {@link Trainer}: the listed steps are one run over the same
 * painted units (a plane or a volume, with its background), and they are easiest to check read in order. The pixel
 * features, the classifier and the object extraction are in {@code core.seg}.
 */
public final class SegmentationTrainer {

	/** Most folds. */
	public static final int MAX_FOLDS = 5;
	/** Most objects proposed on one image (or volume), the most confident first. */
	public static final int MAX_OBJECTS_PER_IMAGE = 100;
	/** Largest volume classified with 3D features (their stack takes ~150 bytes a voxel). */
	public static final long MAX_3D_VOXELS = 4_000_000;
	/** The name of the model's class 0. */
	public static final String BACKGROUND = "background";
	/**
	 * Metric key prefix of the uncertainty of a predicted, unsegmented image ({@code uncertainty:image:<id>}) or volume
	 * slice ({@code uncertainty:slice:<id>:<z>}, z 1-based): its mean pixel entropy ({@link ProbabilityMap#meanEntropy}),
	 * what Next Image ranks by under a segmentation model and what {@code bench seg} measures active learning with.
	 */
	public static final String UNCERTAINTY = "uncertainty:";

	/** Metric key prefix of a labelled mask's out-of-fold agreement ({@code mask_iou:<annotation id>:<revision>}). */
	public static final String MASK_IOU = "mask_iou:";

	/** A labelled mask's out-of-fold IoU with the prediction, and the revision of the mask it was measured on. */
	public record MaskIou(long annotation, long revision, double iou) {
	}

	/** The out-of-fold agreement of each labelled mask a segmentation version measured, lowest first. */
	public static List<MaskIou> maskAgreements(ModelVersion v) {
		List<MaskIou> out = new ArrayList<>();
		for (Map.Entry<String, Double> e : v.metrics().entrySet()) {
			if (!e.getKey().startsWith(MASK_IOU)) continue;
			String[] f = e.getKey().substring(MASK_IOU.length()).split(":");
			try {
				if (f.length == 2) out.add(new MaskIou(Long.parseLong(f[0]), Long.parseLong(f[1]), e.getValue()));
			} catch (NumberFormatException ignored) {
				// a key this version of LabelLoop does not write
			}
		}
		out.sort(Comparator.comparingDouble(MaskIou::iou).thenComparingLong(MaskIou::annotation));
		return out;
	}

	/** The uncertainty of each image and slice a segmentation version predicted (none for other versions). */
	public static Map<Target, Double> uncertainties(ModelVersion v) {
		Map<Target, Double> out = new HashMap<>();
		for (Map.Entry<String, Double> e : v.metrics().entrySet()) {
			if (!e.getKey().startsWith(UNCERTAINTY)) continue;
			String[] f = e.getKey().substring(UNCERTAINTY.length()).split(":");
			try {
				if (f.length == 2 && f[0].equals("image")) out.put(Target.image(Long.parseLong(f[1])), e.getValue());
				else if (f.length == 3 && f[0].equals("slice")) out.put(Target.slice(Long.parseLong(f[1]), Integer.parseInt(f[2])), e.getValue());
			} catch (IllegalArgumentException ignored) {
				// a key this version of LabelLoop does not write
			}
		}
		return out;
	}

	private final ProjectStore store;
	private final String user;
	private final Function<Long, Path> files;
	private final PixelClassifier.Options options;
	private final SegObjects.Options objects;

	SegmentationTrainer(ProjectStore store, String user, Function<Long, Path> files, long seed) {
		this.store = store;
		this.user = user;
		this.files = files;
		PixelClassifier.Options s = PixelClassifier.Options.standard();
		this.options = new PixelClassifier.Options(s.features(), s.trees(), s.maxDepth(), s.maxPerClass(), seed);
		this.objects = SegObjects.Options.standard();
	}

	/** Where the classifier of segmentation version {@code name} is kept. */
	public static Path modelFile(ProjectStore store, String name) {
		return store.folder().resolve("models").resolve("seg").resolve(name + ".pixel-classifier");
	}

	/**
	 * The pixel classifier of a segmentation model version, read from its {@link #modelFile}.
	 *
	 * @throws LabelLoopException when the version is not a segmentation model or its file is missing or unreadable
	 */
	public static PixelClassifier.Model load(ProjectStore store, ModelVersion v) {
		if (v.task() != Task.SEGMENTATION) throw new LabelLoopException("Model " + v.name() + " is a " + v.task() + " model, not a segmentation model.");
		Path f = modelFile(store, v.name());
		try {
			return PixelClassifier.Model.fromBytes(Files.readAllBytes(f));
		} catch (IOException | IllegalArgumentException e) {
			throw new LabelLoopException("Cannot read segmentation model " + v.name() + " from " + f + ": " + e.getMessage(), e);
		}
	}

	/**
	 * One segmented image, or (2D model) one segmented slice of a volume, ready to train on.
	 *
	 * @param z         the volume slice it is (0-based), or -1 when it is the whole image
	 * @param slices    its labelled slices (0-based, in {@code image}): segmented completely or scribbled
	 * @param scribbled those of its slices that are scribbled (only their painted voxels are labels)
	 * @param perClass  masks per model class, index 0 the background strokes
	 */
	private record Unit(long imageId, int z, FloatVolume image, int[] slices, int[] scribbled, List<List<Mask>> perClass, List<Labelled> objects) {
		TrainingImage training(int[] only) {
			int[] scribbledToo = java.util.Arrays.stream(only).filter(s -> java.util.Arrays.stream(scribbled).anyMatch(x -> x == s)).toArray();
			return TrainingImage.of(image, only, scribbledToo, perClass);
		}

		/** The metric key of its slice s. */
		String key(int s, boolean volume) {
			return volume ? "dice:slice:" + imageId + ":" + ((z >= 0 ? z : s) + 1) : "dice:image:" + imageId;
		}
	}

	TrainReport.TaskResult train(Progress progress) {
		List<String> problems = new ArrayList<>();
		Map<Long, LabelClass> classes = new LinkedHashMap<>();
		for (LabelClass c : store.classes()) classes.put(c.id(), c);
		Map<Long, ImageRecord> images = new LinkedHashMap<>();
		for (ImageRecord im : store.images()) images.put(im.id(), im);
		List<Annotation> all = store.allAnnotations();
		// labelled slices: segmented completely, or scribbled (with background strokes: only painted pixels count)
		java.util.Set<Long> background = Labels.backgroundClasses(classes.values());
		Map<Long, SortedSet<Integer>> segmented = Labels.maskedSlices(all, null), scribbled = Labels.scribbledSlices(all, background);
		segmented.keySet().retainAll(images.keySet());
		if (segmented.isEmpty())
			return skip("The segmentation model needs mask labels: there are no accepted or corrected masks yet. Paint the objects of a class on a"
					+ " slice (the rest of that slice is its background).", 0, problems);
		List<Long> classIds = all.stream().filter(a -> Labels.isLabelFor(Task.SEGMENTATION, a) && segmented.containsKey(a.imageId()))
				.map(a -> a.data().classId()).filter(id -> !background.contains(id)).distinct()
				.sorted(Comparator.comparingInt((Long id) -> classes.containsKey(id) ? classes.get(id).order() : Integer.MAX_VALUE).thenComparing(id -> id))
				.toList();
		Map<Long, Integer> index = new HashMap<>();
		for (int c = 0; c < classIds.size(); c++) index.put(classIds.get(c), c + 1);
		for (Long id : background) index.put(id, 0);
		List<String> names = new ArrayList<>(List.of(BACKGROUND));
		for (Long id : classIds) names.add(classes.containsKey(id) ? classes.get(id).name() : "class " + id);

		// read the segmented images: 0 .. 0.1
		Map<Long, FloatVolume> volumes = new LinkedHashMap<>();
		for (long id : segmented.keySet()) {
			progress.checkCancelled("Reading");
			FloatVolume v = read(images.get(id), problems);
			if (v != null) volumes.put(id, v);
		}
		if (volumes.isEmpty())
			return skip("The segmentation model could not read any segmented image (" + String.join("; ", problems) + ").", 0, problems);
		boolean is3d = volumes.values().stream().allMatch(v -> v.is3d() && v.voxels() <= MAX_3D_VOXELS);
		List<Unit> units = units(volumes, segmented, scribbled, all, index, names.size(), is3d);
		int labelledSlices = units.stream().mapToInt(u -> u.slices().length).sum();
		String why = enoughClasses(units, names);
		if (why != null) return skip(why, labelledSlices, problems);

		String featureId = "pixel-features(sigmas=" + join(options.features().sigmas()) + (is3d ? ",3d" : ",2d") + ")";
		String classifierId = String.format(Locale.ROOT, "pixel-forest(trees=%d,depth=%d,per-class=%d)", options.trees(), options.maxDepth(),
				options.maxPerClass());
		ModelVersion model = store.startModel(Task.SEGMENTATION, user, featureId, classifierId, classIds, labelledSlices);
		Path file = modelFile(store, model.name());
		try {
			List<Missing> missing = new ArrayList<>();
			Map<String, Double> metrics = outOfFold(units, names, is3d, problems, missing, Trainer.part(progress, 0.1, 0.6, "Out-of-fold"));
			progress.checkCancelled("Training");
			progress.report(0.6, "Training on " + labelledSlices + " segmented slice(s)");
			PixelClassifier.Model m = PixelClassifier.train(units.stream().map(u -> u.training(u.slices())).toList(), names, options, Progress.NONE);
			Files.createDirectories(file.getParent());
			Files.write(file, m.toBytes());
			List<Edit> edits = new ArrayList<>();
			Map<Long, SortedSet<Integer>> segmentedNow = Labels.segmentedSlices(all, background);
			java.util.Set<Long> replaced = new java.util.HashSet<>();
			proposeMissing(missing, model.name(), classIds, segmentedNow, all, edits, replaced);
			int predicted = propose(m, model.name(), classIds, images, volumes, segmentedNow, edits, replaced, metrics, problems,
					Trainer.part(progress, 0.7, 0.97, "Proposing"));
			progress.checkCancelled("Training");
			progress.report(0.98, "Saving model " + model.name());
			ModelVersion done = store.finishModel(model.id(), metrics, List.of(), user, edits);
			progress.report(1, "Model " + done.name() + " ready");
			return new TrainReport.TaskResult(Task.SEGMENTATION, done, null, labelledSlices, predicted, problems);
		} catch (CancelledException e) {
			deleteQuietly(file);
			store.abandonModel(model.id(), ModelVersion.State.CANCELLED, "cancelled by " + user);
			throw e;
		} catch (IOException e) {
			deleteQuietly(file);
			store.abandonModel(model.id(), ModelVersion.State.FAILED, String.valueOf(e.getMessage()));
			throw new LabelLoopException("Cannot save the segmentation model to " + file + ": " + e.getMessage(), e);
		} catch (RuntimeException | Error e) {
			deleteQuietly(file);
			try {
				store.abandonModel(model.id(), ModelVersion.State.FAILED, String.valueOf(e.getMessage()));
			} catch (RuntimeException again) {
				e.addSuppressed(again);
			}
			if (e instanceof IllegalArgumentException iae) throw new LabelLoopException("Training the segmentation model failed: " + iae.getMessage(), iae);
			throw e;
		}
	}

	private static TrainReport.TaskResult skip(String why, int labelled, List<String> problems) {
		return new TrainReport.TaskResult(Task.SEGMENTATION, null, why, labelled, 0, problems);
	}

	/** The image as grey voxels, or {@code null} with a problem noted. */
	private FloatVolume read(ImageRecord im, List<String> problems) {
		try {
			return FloatVolumes.from(Images.open(files.apply(im.id())));
		} catch (LabelLoopException | IllegalArgumentException e) {
			problems.add(im.name() + ": " + e.getMessage());
			return null;
		}
	}

	private static List<Unit> units(Map<Long, FloatVolume> volumes, Map<Long, SortedSet<Integer>> segmented,
			Map<Long, SortedSet<Integer>> scribbled, List<Annotation> all, Map<Long, Integer> index, int k, boolean is3d) {
		Map<Long, List<List<Mask>>> masks = new HashMap<>();
		Map<Long, List<Labelled>> objects = new HashMap<>();
		for (Annotation a : all) {
			if (!Labels.isLabelFor(Task.SEGMENTATION, a) || !volumes.containsKey(a.imageId())) continue;
			int cls = index.get(a.data().classId());
			if (cls > 0) objects.computeIfAbsent(a.imageId(), id -> new ArrayList<>()).add(new Labelled(a.id(), a.revision(), cls, a.data().mask()));
			List<List<Mask>> per = masks.computeIfAbsent(a.imageId(), id -> {
				List<List<Mask>> l = new ArrayList<>();
				for (int c = 0; c < k; c++) l.add(new ArrayList<>());
				return l;
			});
			per.get(index.get(a.data().classId())).add(a.data().mask());
		}
		List<Unit> units = new ArrayList<>();
		volumes.forEach((id, v) -> {
			int[] slices = segmented.get(id).stream().filter(z -> z < v.depth()).mapToInt(Integer::intValue).toArray();
			SortedSet<Integer> strokes = scribbled.getOrDefault(id, java.util.Collections.emptySortedSet());
			if (slices.length == 0) return;
			if (is3d || !v.is3d()) {
				units.add(new Unit(id, -1, v, slices, strokes.stream().mapToInt(Integer::intValue).toArray(), masks.get(id), objects.getOrDefault(id, List.of())));
				return;
			}
			for (int z : slices) {
				List<List<Mask>> per = new ArrayList<>();
				for (List<Mask> l : masks.get(id)) per.add(l.stream().map(m -> m.sliceMoved(z, 0)).filter(m -> !m.isEmpty()).toList());
				List<Labelled> here = objects.getOrDefault(id, List.of()).stream().map(o -> new Labelled(o.annotation(), o.revision(), o.cls(), o.mask().sliceMoved(z, 0)))
						.filter(o -> !o.mask().isEmpty()).toList();
				units.add(new Unit(id, z, new FloatVolume(v.width(), v.height(), 1, v.slice(z)), new int[] { 0 }, strokes.contains(z) ? new int[] { 0 } : new int[0], per, here));
			}
		});
		return units;
	}

	/** {@code null} when the labels hold the background and at least one object class, else what is missing. */
	private static String enoughClasses(List<Unit> units, List<String> names) {
		long[] n = new long[names.size()];
		for (Unit u : units) {
			long[] c = u.training(u.slices()).counts(names.size());
			for (int i = 0; i < n.length; i++) n[i] += c[i];
		}
		List<String> present = new ArrayList<>();
		for (int i = 1; i < n.length; i++) if (n[i] > 0) present.add("'" + names.get(i) + "'");
		if (present.isEmpty()) return "The segmentation model needs objects: the mask labels have no voxel inside their images.";
		if (n[0] == 0)
			return "The segmentation model needs two classes but has only " + String.join(", ", present) + ": the masks cover every pixel of the "
					+ units.stream().mapToInt(u -> u.slices().length).sum() + " segmented slice(s), so there is no background. Leave the background"
					+ " of a segmented slice outside every mask, or paint strokes of a class named '" + Labels.BACKGROUND + "' on it.";
		return null;
	}

	/** A labelled object mask of a unit (in the unit's coordinates), with its model class (1..). */
	private record Labelled(long annotation, long revision, int cls, Mask mask) {
	}

	/** One part a fold holds out: some segmented slices of one unit. */
	private record Part(int unit, int[] slices) {
	}

	/** An object the held-out prediction found on a fully segmented slice where no labelled mask lies. */
	private record Missing(long imageId, SegObject object) {
	}

	/**
	 * k-fold Dice and IoU; notes in {@code problems} when the labels are too few to hold any out. The objects the
	 * held-out predictions find on fully segmented slices that overlap no labelled mask, with a mean probability of at
	 * least {@link Review#MISSING_CONFIDENCE}, are added to {@code missing}.
	 */
	private Map<String, Double> outOfFold(List<Unit> units, List<String> names, boolean is3d, List<String> problems, List<Missing> missing,
			Progress progress) {
		// a part per segmented image (a volume's units together) when there are two or more, else per slice
		Map<Long, List<Integer>> byImage = new LinkedHashMap<>();
		for (int i = 0; i < units.size(); i++) byImage.computeIfAbsent(units.get(i).imageId(), id -> new ArrayList<>()).add(i);
		List<List<Part>> parts = new ArrayList<>();
		if (byImage.size() >= 2) {
			for (List<Integer> us : byImage.values()) parts.add(us.stream().map(i -> new Part(i, units.get(i).slices())).toList());
		} else {
			for (int i = 0; i < units.size(); i++)
				for (int z : units.get(i).slices()) parts.add(List.of(new Part(i, new int[] { z })));
		}
		Map<String, Double> metrics = new LinkedHashMap<>();
		if (parts.size() < 2) {
			problems.add("segmentation: no out-of-fold Dice: it needs two segmented images or slices, there is " + parts.size() + ".");
			return metrics;
		}
		int k = Math.min(MAX_FOLDS, parts.size());
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < parts.size(); i++) order.add(i);
		java.util.Collections.shuffle(order, new java.util.Random(new SplittableRandom(options.seed()).nextLong()));
		Map<String, Double> dice = new LinkedHashMap<>(), iou = new LinkedHashMap<>();
		Map<String, MaskAgreement.Counts> agreement = new LinkedHashMap<>();
		for (int f = 0; f < k; f++) {
			progress.checkCancelled("Out-of-fold");
			progress.report((double) f / k, "fold " + (f + 1) + " of " + k);
			Map<Integer, List<Integer>> held = new LinkedHashMap<>();
			for (int j = f; j < order.size(); j += k)
				for (Part p : parts.get(order.get(j)))
					for (int z : p.slices()) held.computeIfAbsent(p.unit(), u -> new ArrayList<>()).add(z);
			List<TrainingImage> train = new ArrayList<>();
			for (int i = 0; i < units.size(); i++) {
				List<Integer> out = held.getOrDefault(i, List.of());
				int[] keep = java.util.Arrays.stream(units.get(i).slices()).filter(z -> !out.contains(z)).toArray();
				if (keep.length > 0) train.add(units.get(i).training(keep));
			}
			PixelClassifier.Model m;
			try {
				m = PixelClassifier.train(train, names, options, Progress.NONE);
			} catch (IllegalArgumentException e) {
				problems.add("segmentation: fold " + (f + 1) + " not scored: " + e.getMessage());
				continue;
			}
			for (Map.Entry<Integer, List<Integer>> e : held.entrySet()) {
				Unit u = units.get(e.getKey());
				ProbabilityMap p = m.predict(u.image(), Progress.NONE);
				int[] truth = u.training(u.slices()).labels();
				int[] guess = p.argmax();
				for (int z : e.getValue()) {
					double[] s = score(truth, guess, u.image().width() * u.image().height(), z, names.size());
					if (s == null) continue;
					String key = u.key(z, u.z() >= 0 || u.image().is3d());
					dice.put(key, s[0]);
					iou.put(key, s[1]);
				}
				agreements(u, e.getValue(), guess, agreement);
				missing(u, e.getValue(), p, missing);
			}
		}
		progress.report(1, "scored " + dice.size() + " slice(s)");
		if (dice.isEmpty()) {
			problems.add("segmentation: no out-of-fold Dice: no held-out slice had an object in its labels or its prediction.");
			return metrics;
		}
		metrics.put("dice", dice.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
		metrics.put("iou", iou.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
		metrics.put("folds", (double) k);
		metrics.put("n", (double) dice.size());
		metrics.putAll(dice);
		agreement.forEach((key, c) -> metrics.put(key, c.iou()));
		return metrics;
	}

	/** Adds the confident predicted objects of the held-out, fully segmented slices that no labelled mask touches. */
	private void missing(Unit u, List<Integer> held, ProbabilityMap p, List<Missing> out) {
		java.util.Set<Integer> keep = new java.util.HashSet<>(held);
		for (int s : u.scribbled()) keep.remove(s); // a scribbled slice's unpainted pixels are not background
		if (keep.isEmpty()) return;
		for (int z = 0; z < p.depth(); z++) if (!keep.contains(z)) background(p, z);
		List<Mask> labelled = u.perClass().stream().flatMap(List::stream).toList();
		for (SegObject o : SegObjects.from(p, objects)) {
			if (o.confidence() < Review.MISSING_CONFIDENCE || labelled.stream().anyMatch(l -> l.iou(o.mask()) > 0)) continue;
			Mask m = u.z() >= 0 ? o.mask().sliceMoved(0, u.z()) : o.mask();
			out.add(new Missing(u.imageId(), new SegObject(m, o.classIndex(), o.className(), o.confidence(), o.voxels())));
		}
	}

	/**
	 * The missing objects as proposed masks of this version, for the review queue ({@link Review}: "missing?"); the
	 * proposed masks earlier models left on segmented slices give way.
	 */
	private void proposeMissing(List<Missing> missing, String version, List<Long> classIds, Map<Long, SortedSet<Integer>> segmented, List<Annotation> all,
			List<Edit> edits, java.util.Set<Long> replaced) {
		for (Annotation a : all) {
			SortedSet<Integer> done = segmented.get(a.imageId());
			if (done == null || !a.data().isMask() || a.data().status() != Status.PROPOSED || a.data().origin().kind() != Origin.Kind.MODEL) continue;
			if (java.util.Arrays.stream(a.data().mask().slices()).allMatch(done::contains) && replaced.add(a.id())) edits.add(new Edit.Delete(a.id(), a.revision()));
		}
		Origin origin = Origin.model(version);
		for (Missing x : missing)
			edits.add(new Edit.Create(x.imageId(), AnnotationData.ofMask(x.object().mask(), classIds.get(x.object().classIndex() - 1), origin, Status.PROPOSED,
					Math.max(0, Math.min(1, x.object().confidence())))));
	}

	/** Adds each labelled object's agreement on the held-out slices (not scribbled ones: strokes are not outlines). */
	private static void agreements(Unit u, List<Integer> held, int[] guess, Map<String, MaskAgreement.Counts> out) {
		List<Mask> masks = u.objects().stream().map(Labelled::mask).toList();
		for (int z : held) {
			if (java.util.Arrays.stream(u.scribbled()).anyMatch(s -> s == z)) continue;
			for (int i = 0; i < masks.size(); i++) {
				Labelled o = u.objects().get(i);
				List<Mask> others = new ArrayList<>(masks);
				others.remove(i);
				MaskAgreement.Counts c = MaskAgreement.slice(o.mask(), guess, u.image().width(), u.image().height(), z, o.cls(), others);
				if (c.union() > 0) out.merge(MASK_IOU + o.annotation() + ":" + o.revision(), c, MaskAgreement.Counts::plus);
			}
		}
	}

	/**
	 * Dice and IoU of slice z, the mean over the object classes in its labels or its prediction; {@code null} when
	 * neither has one. {@code truth} holds label values (class + 1, 0 unlabelled), {@code guess} class indices.
	 */
	static double[] score(int[] truth, int[] guess, int plane, int z, int k) {
		long[] tp = new long[k], fp = new long[k], fn = new long[k];
		for (int i = z * plane; i < (z + 1) * plane; i++) {
			int t = truth[i] - 1, g = guess[i];
			if (t < 0) continue;
			if (t == g) tp[t]++;
			else {
				fp[g]++;
				fn[t]++;
			}
		}
		double d = 0, j = 0;
		int n = 0;
		for (int c = 1; c < k; c++) {
			long den = tp[c] + fp[c] + fn[c];
			if (den == 0) continue;
			d += 2.0 * tp[c] / (2 * tp[c] + fp[c] + fn[c]);
			j += (double) tp[c] / den;
			n++;
		}
		return n == 0 ? null : new double[] { d / n, j / n };
	}

	/**
	 * Predicts what nobody segmented and adds the proposals (and the deletions of older ones) to {@code edits}, and the
	 * uncertainty of each predicted image or slice to {@code metrics} ({@link #UNCERTAINTY}).
	 */
	private int propose(PixelClassifier.Model m, String version, List<Long> classIds, Map<Long, ImageRecord> images, Map<Long, FloatVolume> read,
			Map<Long, SortedSet<Integer>> segmented, List<Edit> edits, java.util.Set<Long> replaced, Map<String, Double> metrics, List<String> problems,
			Progress progress) {
		List<ImageRecord> todo = new ArrayList<>();
		int skipped2d = 0, tooBig = 0;
		for (ImageRecord im : images.values()) {
			if (im.bitDepth() == 24 || im.channels() > 1) continue; // no single grey channel
			boolean volume = im.slices() > 1;
			SortedSet<Integer> done = segmented.get(im.id());
			if (!volume && done != null) continue;
			if (volume && done != null && done.size() >= im.slices()) continue;
			if (m.is3d() && !volume) {
				skipped2d++;
				continue;
			}
			if (m.is3d() && (long) im.width() * im.height() * im.slices() > MAX_3D_VOXELS) {
				tooBig++;
				continue;
			}
			todo.add(im);
		}
		if (skipped2d > 0) problems.add("segmentation: " + skipped2d + " 2D image(s) not predicted: the model learnt 3D features from volumes.");
		if (tooBig > 0) problems.add("segmentation: " + tooBig + " volume(s) over " + MAX_3D_VOXELS + " voxels not predicted in 3D.");
		Origin origin = Origin.model(version);
		int predicted = 0;
		for (int i = 0; i < todo.size(); i++) {
			ImageRecord im = todo.get(i);
			progress.checkCancelled("Proposing");
			progress.report((double) i / todo.size(), im.name());
			FloatVolume v = read.containsKey(im.id()) ? read.get(im.id()) : read(im, problems);
			if (v == null) continue;
			SortedSet<Integer> done = segmented.getOrDefault(im.id(), java.util.Collections.emptySortedSet());
			List<SegObject> found = new ArrayList<>();
			try {
				if (m.is3d() || !v.is3d()) {
					ProbabilityMap p = m.predict(v, Progress.NONE);
					for (int z : done) background(p, z);
					found.addAll(SegObjects.from(p, objects));
					if (!v.is3d()) metrics.put(UNCERTAINTY + "image:" + im.id(), p.meanEntropy(0));
					else for (int z = 0; z < p.depth(); z++) if (!done.contains(z)) metrics.put(UNCERTAINTY + "slice:" + im.id() + ":" + (z + 1), p.meanEntropy(z));
				} else {
					for (int z = 0; z < v.depth(); z++) {
						if (done.contains(z)) continue;
						progress.checkCancelled("Proposing");
						ProbabilityMap p = m.predict(new FloatVolume(v.width(), v.height(), 1, v.slice(z)), Progress.NONE);
						metrics.put(UNCERTAINTY + "slice:" + im.id() + ":" + (z + 1), p.meanEntropy(0));
						for (SegObject o : SegObjects.from(p, objects))
							found.add(new SegObject(o.mask().sliceMoved(0, z), o.classIndex(), o.className(), o.confidence(), o.voxels()));
					}
				}
			} catch (IllegalArgumentException e) {
				problems.add(im.name() + ": " + e.getMessage());
				continue;
			}
			found.sort(Comparator.comparingDouble(SegObject::confidence).reversed().thenComparing(Comparator.comparingLong(SegObject::voxels).reversed()));
			if (found.size() > MAX_OBJECTS_PER_IMAGE) {
				problems.add(String.format(Locale.ROOT, "%s: %d objects found, the %d most confident proposed", im.name(), found.size(), MAX_OBJECTS_PER_IMAGE));
				found = found.subList(0, MAX_OBJECTS_PER_IMAGE);
			}
			// earlier models' proposed masks give way; a person's masks and other proposers' stay
			for (Annotation a : store.annotations(im.id()))
				if (a.data().isMask() && a.data().status() == Status.PROPOSED && a.data().origin().kind() == Origin.Kind.MODEL && replaced.add(a.id()))
					edits.add(new Edit.Delete(a.id(), a.revision()));
			for (SegObject o : found)
				edits.add(new Edit.Create(im.id(), AnnotationData.ofMask(o.mask(), classIds.get(o.classIndex() - 1), origin, Status.PROPOSED,
						Math.max(0, Math.min(1, o.confidence())))));
			predicted++;
		}
		progress.report(1, "predicted " + predicted + " image(s)");
		return predicted;
	}

	/** Slice z becomes certain background: a segmented slice gets no proposals. */
	private static void background(ProbabilityMap p, int z) {
		if (z < 0 || z >= p.depth()) return;
		int plane = p.width() * p.height();
		float[][] pr = p.probabilities();
		for (int c = 0; c < pr.length; c++) java.util.Arrays.fill(pr[c], z * plane, (z + 1) * plane, c == 0 ? 1f : 0f);
	}

	private static String join(double[] v) {
		StringBuilder sb = new StringBuilder();
		for (double d : v) sb.append(sb.length() == 0 ? "" : ",").append(d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d));
		return sb.toString();
	}

	private static void deleteQuietly(Path f) {
		try {
			Files.deleteIfExists(f);
		} catch (IOException ignored) {
			// the file of an abandoned version is never read
		}
	}
}
