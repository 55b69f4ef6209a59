package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.labelloop.core.al.ImageScores;
import org.labelloop.core.al.NextItem;
import org.labelloop.core.al.Options;
import org.labelloop.core.al.Pool;
import org.labelloop.core.al.Result;
import org.labelloop.core.al.Selection;
import org.labelloop.core.al.Strategies;
import org.labelloop.core.al.Strategy;
import org.labelloop.core.al.Uncertainty;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;

/**
 * Next Image for one user: the plain orders (sequential, unlabelled, random) and the active-learning strategies,
 * with the leases that keep two labellers off the same image. One per user's view ({@link LocalBackend}): the
 * leases it holds are that user's.
 * <p>
 * About 500 lines on purpose: the pool an active-learning strategy ranks (images, a volume's slices, ROIs,
 * unsegmented slices for the segmentation model, each with its embeddings and predictions) and the leases that
 * strategy's answer takes must agree on what an item is, so they are built side by side; the strategies themselves
 * live in {@code core.al}.
 */
final class NextChooser {

	private final ProjectStore store;
	private final String user;
	private final PredictionRows predictionRows;
	private final Random random = new Random();
	/** Images this user leased through this chooser and has not given back ({@link #releaseItems}). */
	private final Set<Long> leased = ConcurrentHashMap.newKeySet();

	NextChooser(ProjectStore store, String user, PredictionRows predictionRows) {
		this.store = store;
		this.user = user;
		this.predictionRows = predictionRows;
	}

	Optional<ImageRecord> next(Long currentId, NextMode mode) {
		List<ImageRecord> all = store.images();
		if (all.isEmpty()) return Optional.empty();
		int start = indexAfter(all, currentId);
		return switch (mode) {
			case SEQUENTIAL -> Optional.of(all.get(start % all.size()));
			case UNLABELLED -> {
				Set<Long> done = labelledImages();
				for (int k = 0; k < all.size(); k++) {
					ImageRecord im = all.get((start + k) % all.size());
					if (!done.contains(im.id())) yield Optional.of(im);
				}
				yield Optional.empty();
			}
			case RANDOM -> {
				Set<Long> done = labelledImages();
				List<ImageRecord> open = all.stream().filter(im -> !done.contains(im.id()) && !Long.valueOf(im.id()).equals(currentId)).toList();
				List<ImageRecord> pool = open.isEmpty() ? all : open;
				yield Optional.of(pool.get(random.nextInt(pool.size())));
			}
		};
	}

	private static int indexAfter(List<ImageRecord> all, Long currentId) {
		if (currentId == null) return 0;
		for (int i = 0; i < all.size(); i++)
			if (all.get(i).id() == currentId) return i + 1;
		return 0;
	}

	/** Images with at least one label a person decided on (accepted or corrected). */
	private Set<Long> labelledImages() {
		return store.labelledImages();
	}

	// ------------------------------------------------------------------ active learning

	NextChoice.Batch nextItems(String strategyName, int count, NextOptions options) {
		if (count < 1) throw new IllegalArgumentException("Choose at least 1 image, not " + count);
		NextOptions no = options == null ? NextOptions.DEFAULT : options;
		Strategy strategy = Strategies.byName(strategyName);
		if (no.current() == null) return choose(strategy, count, no);
		releaseItem(no.current());
		NextChoice.Batch b = choose(strategy, count, no);
		// the image moved on from was the only one left: hand it out again rather than nothing
		return b.choices().isEmpty() ? choose(strategy, count, no.withCurrent(null)) : b;
	}

	private NextChoice.Batch choose(Strategy strategy, int count, NextOptions no) {
		Map<Long, ImageRecord> images = candidates(no.filter());
		if (images.isEmpty() && !no.filter().isAll()) return new NextChoice.Batch(List.of(), strategy.name(), strategy.name(), 0, "No image passes the filter " + no.filter() + ".");
		List<Annotation> annotations = store.allAnnotations();
		Set<Long> done = labelledImages();

		Optional<ModelVersion> imageModel = store.activeModel(Task.IMAGE);
		Optional<ModelVersion> roiModel = store.activeModel(Task.ROI);
		Uncertainty measure = roiMeasure(strategy.name());
		Task ranking = no.task() != null ? no.task()
				: imageModel.isPresent() ? Task.IMAGE : roiModel.isPresent() ? Task.ROI : store.activeModel(Task.SEGMENTATION).isPresent() ? Task.SEGMENTATION : Task.IMAGE;
		if (ranking == Task.ROI && roiModel.isPresent() && measure != null)
			return byRoiScores(strategy.name(), measure, roiModel.get(), images, count, no);
		if (ranking == Task.SEGMENTATION && measure != null) return bySegmentation(strategy.name(), images, annotations, count, no);

		Set<Long> handedOut = handedOut(no);
		Pool pool = null;
		ImagesById listed = imagesById;
		if (imageModel.isPresent() && no.filter().isAll() && listed != null && listed.byId() == images && !listed.volumes() && ranksPredictionsAlone(strategy))
			pool = keptPool(imageModel.get(), listed, done, annotations, strategy, handedOut, true);
		if (pool == null) {
			long[] open = open(images, done);
			if (imageModel.isPresent() && ranksSlices(strategy, no.unit())) {
				Optional<NextChoice.Batch> b = bySlices(strategy, count, no, imageModel.get(), open, images, annotations);
				if (b.isPresent()) return b.get();
			}
			pool = pool(imageModel, targets(open), false, images, annotations, strategy);
		}
		Options o = new Options(no.targetClass(), no.otherClass(), random.nextLong(), handedOut);
		if (count == 1) {
			NextItem.Next n = NextItem.next(store, strategy, pool, o, user, no.lease());
			Result r = n.result();
			List<NextChoice> chosen = new ArrayList<>();
			n.leased().ifPresent(sel -> chosen.add(choice(sel, r, images)));
			return new NextChoice.Batch(chosen, r.strategy(), r.used(), r.candidates(), r.message());
		}
		Set<Long> exclude = new HashSet<>(o.exclude());
		List<NextChoice> chosen = new ArrayList<>();
		Result r = null;
		for (int attempt = 0; attempt < 3 && chosen.size() < count; attempt++) {
			exclude.addAll(store.leasedByOthers(user));
			r = strategy.select(pool, count - chosen.size(), o.withExclude(exclude));
			for (Selection sel : r.selections()) {
				exclude.add(sel.id());
				if (chosen.size() < count && lease(sel.id(), no.lease(), r.used(), sel.reason())) chosen.add(choice(sel, r, images));
			}
			if (r.isEmpty()) break;
		}
		return new NextChoice.Batch(chosen, r.strategy(), r.used(), r.candidates(), r.message());
	}

	/** The ids of the images not labelled, ascending. */
	private static long[] open(Map<Long, ImageRecord> images, Set<Long> done) {
		return images.keySet().stream().filter(id -> !done.contains(id)).sorted().mapToLong(Long::longValue).toArray();
	}

	/** Whether a strategy ranks the unlabelled items by their predictions and nothing else (the uncertainty samplers). */
	private static boolean ranksPredictionsAlone(Strategy strategy) {
		return strategy.needs().equals(Set.of(Strategy.Input.PREDICTIONS)) && !strategy.choosesLabelled();
	}

	/**
	 * The pool of every unlabelled image under the version, kept and shared by every user ({@link PredictionRows.KeptPool})
	 * while the version and the image list stay and labels are only added; the images labelled since it was built go
	 * into {@code exclude}. A pick then walks the pool's ranking. Null when some image has no prediction of the version
	 * (then the strategy falls back on embeddings, and the pool is built for each pick). With {@code orPrevious}, while
	 * a Retrain that has just activated {@code model} is making its pool, the previous version's pool answers.
	 */
	private Pool keptPool(ModelVersion model, ImagesById listed, Set<Long> done, List<Annotation> annotations, Strategy strategy, Set<Long> exclude,
			boolean orPrevious) {
		PredictionRows.KeptPool k = predictionRows.keptPool();
		// keyed by the store's kept image list, which every user's chooser is handed
		boolean current = k != null && k.images() == listed.list() && done.containsAll(k.labelled());
		// a Retrain has just activated a new version and is making its pool: the previous version answers meanwhile
		boolean previous = orPrevious && current && k.modelId() != model.id() && predictionRows.makingPool();
		if (!current || (k.modelId() != model.id() && !previous)) {
			Map<Long, ImageRecord> images = listed.byId();
			Pool pool = pool(Optional.of(model), targets(open(images, done)), false, images, annotations, strategy);
			if (!pool.hasPredictions()) return null;
			pool.keepForPicks();
			k = new PredictionRows.KeptPool(model.id(), listed.list(), Set.copyOf(done), pool);
			predictionRows.keep(k);
		}
		if (done.size() > k.labelled().size())
			for (long id : done) if (!k.labelled().contains(id)) exclude.add(id);
		return k.pool();
	}

	/**
	 * Makes the kept pool of a new version and its rankings (Retrain calls it before it returns), so that the first
	 * Next Image after a Retrain is as fast as the ones after it.
	 */
	void keepPool(ModelVersion model) {
		candidates(ItemFilter.ALL);
		ImagesById listed = imagesById;
		if (listed == null || listed.volumes()) return; // volumes: Next Image may rank their slices, not through this pool
		Pool pool = keptPool(model, listed, labelledImages(), store.allAnnotations(), Strategies.byName("entropy"), new HashSet<>(), false);
		if (pool != null) for (Uncertainty u : Uncertainty.values()) pool.rank(u);
	}

	/** The images by id, or only those whose metadata pass the filter (with the labelled ones, for review). */
	private Map<Long, ImageRecord> candidates(ItemFilter filter) {
		Map<Long, ImageRecord> all = byId(store.images());
		if (filter.isAll() || all.isEmpty()) return all;
		Map<Long, ImageRecord> passing = new HashMap<>(all);
		passing.keySet().retainAll(filter.imagesMatching(all.values(), store.imageMetadata()));
		return passing;
	}

	/** The images by id, kept while the store hands out the same (kept) image list. */
	private Map<Long, ImageRecord> byId(List<ImageRecord> all) {
		ImagesById k = imagesById;
		if (k != null && k.list() == all) return k.byId();
		Map<Long, ImageRecord> m = new HashMap<>();
		boolean volumes = false;
		for (ImageRecord im : all) {
			m.put(im.id(), im);
			volumes |= im.slices() > 1;
		}
		ImagesById kept = new ImagesById(all, java.util.Collections.unmodifiableMap(m), volumes);
		imagesById = kept;
		return kept.byId();
	}

	private record ImagesById(List<ImageRecord> list, Map<Long, ImageRecord> byId, boolean volumes) {
	}

	private volatile ImagesById imagesById;

	/** Not to hand out again: the image moved on from, and those this backend leased and still holds. */
	private Set<Long> handedOut(NextOptions no) {
		Set<Long> s = new HashSet<>(leased);
		s.addAll(no.skip());
		return s;
	}

	private NextChoice choice(Selection sel, Result r, Map<Long, ImageRecord> images) {
		leased.add(sel.id());
		return new NextChoice(images.get(sel.id()), sel.reason(), r.strategy(), r.used(), r.message());
	}

	private boolean lease(long imageId, Duration ttl, String strategy, String reason) {
		boolean ok = store.tryLease(imageId, user, ttl, strategy, reason);
		if (ok) leased.add(imageId);
		return ok;
	}

	void releaseItem(long imageId) {
		store.release(imageId, user);
		leased.remove(imageId);
	}

	/** The uncertainty an ROI-only project ranks images by for a strategy, or null if the strategy needs more. */
	private static Uncertainty roiMeasure(String strategy) {
		return switch (strategy) {
			case "entropy" -> Uncertainty.ENTROPY;
			case "least-confidence" -> Uncertainty.LEAST_CONFIDENCE;
			case "margin", "hybrid" -> Uncertainty.MARGIN;
			default -> null;
		};
	}

	/** Whether Next Image ranks slices of volumes: asked for, or (auto) when the strategy scores predictions. */
	private static boolean ranksSlices(Strategy strategy, NextOptions.Unit unit) {
		return switch (unit) {
			case SLICE -> true;
			case IMAGE -> false;
			case AUTO -> strategy.needs().contains(Strategy.Input.PREDICTIONS) && !strategy.choosesLabelled();
		};
	}

	private static List<Target> targets(long[] imageIds) {
		List<Target> out = new ArrayList<>(imageIds.length);
		for (long id : imageIds) out.add(Target.image(id));
		return out;
	}

	/**
	 * Next Image over slices: each unlabelled volume whose every slice the image model predicted is one item per
	 * slice, a 2D image (or a volume without slice predictions) one item; empty when no volume has slice predictions
	 * (then images are ranked as before). One slice per volume is handed out, and the lease is the volume's.
	 */
	private Optional<NextChoice.Batch> bySlices(Strategy strategy, int count, NextOptions no, ModelVersion model, long[] open,
			Map<Long, ImageRecord> images, List<Annotation> annotations) {
		boolean anyVolume = false;
		for (long id : open) anyVolume |= images.get(id).slices() > 1;
		if (!anyVolume) return Optional.empty();
		Set<Target> predicted = predictionRows.of(model).predicted().keySet();
		List<Target> units = new ArrayList<>();
		boolean allSlices = true, anySlice = false;
		for (long id : open) {
			ImageRecord im = images.get(id);
			List<Target> slices = new ArrayList<>();
			for (int z = 1; im.slices() > 1 && z <= im.slices(); z++) {
				Target t = Target.slice(id, z);
				if (!predicted.contains(t)) {
					slices.clear();
					break;
				}
				slices.add(t);
			}
			if (slices.isEmpty()) units.add(Target.image(id));
			else units.addAll(slices);
			anySlice |= !slices.isEmpty();
			allSlices &= !slices.isEmpty();
		}
		if (!anySlice) return Optional.empty();
		Pool pool = pool(Optional.of(model), units, true, images, annotations, strategy);
		Set<Long> excludedImages = new HashSet<>(handedOut(no));
		List<NextChoice> chosen = new ArrayList<>();
		Result r = null;
		for (int attempt = 0; attempt < 3 && chosen.size() < count; attempt++) {
			excludedImages.addAll(store.leasedByOthers(user));
			Set<Long> exclude = new HashSet<>();
			for (int i = 0; i < units.size(); i++) if (excludedImages.contains(units.get(i).imageId())) exclude.add((long) i);
			Options o = new Options(no.targetClass(), no.otherClass(), random.nextLong(), exclude);
			r = strategy.select(pool, count - chosen.size(), NextItem.LOOKAHEAD, o);
			for (Selection sel : r.selections()) {
				Target t = units.get((int) sel.id());
				ImageRecord im = images.get(t.imageId());
				if (chosen.size() >= count || !excludedImages.add(im.id())) continue;
				// the image's name is the caller's to show (Fiji: "name: reason"); a slice says which one
				String reason = (t.isSlice() ? "slice " + t.z() + " of " + im.slices() + ": " : "")
						+ sel.reason().replaceFirst(" unlabelled$", allSlices ? " unlabelled slices" : " unlabelled items (a volume's slices each one)");
				if (lease(im.id(), no.lease(), r.used(), reason))
					chosen.add(new NextChoice(im, reason, r.strategy(), r.used(), r.message(), t.z()));
			}
			if (r.isEmpty()) break;
		}
		return Optional.of(new NextChoice.Batch(chosen, r.strategy(), r.used(), r.candidates(), chosen.isEmpty() && r.message().isEmpty()
				? "Every unlabelled image is leased: to other labellers, or handed to you already." : r.message()));
	}

	/**
	 * The pool of Next Image: the unlabelled items with the active image model's probabilities (null before the first
	 * model, or when one lacks a prediction), cached embeddings when every item has one, and the labelled images
	 * with their out-of-fold probabilities (for {@code review}). The pool's ids are image ids, or with
	 * {@code indexed} the positions in {@code units} (the labelled images following them).
	 */
	private Pool pool(Optional<ModelVersion> model, List<Target> units, boolean indexed, Map<Long, ImageRecord> images, List<Annotation> annotations,
			Strategy strategy) {
		List<String> classNames = new ArrayList<>();
		Map<Long, String> names = new HashMap<>();
		for (LabelClass c : store.classes()) names.put(c.id(), c.name());
		PredictionRows.Rows rows = model.map(predictionRows::of).orElse(null);
		List<Long> classIds = model.isPresent() ? model.get().classIds() : store.classes().stream().map(LabelClass::id).toList();
		for (Long id : classIds) classNames.add(names.getOrDefault(id, "class " + id));
		String embedder = model.map(ModelVersion::embedder).orElseGet(() -> new FeatureEmbedder().id());

		float[][] probs = rows == null ? null : PredictionRows.rows(units, rows.predicted());
		// embeddings (one read per item) only for a strategy that ranks by them, or to fall back on without predictions
		boolean embed = probs == null || strategy.needs().contains(Strategy.Input.EMBEDDINGS);
		float[][] emb = embed ? embeddings(units, embedder, images) : null;
		// labelled images: the latest decided image-level label in the model's classes, with out-of-fold probabilities
		Map<Long, Annotation> latest = Labels.imageLabels(annotations);
		List<Target> lab = new ArrayList<>();
		List<Integer> labels = new ArrayList<>();
		for (Map.Entry<Long, Annotation> e : latest.entrySet()) {
			int c = classIds.indexOf(e.getValue().data().classId());
			if (c >= 0 && images.containsKey(e.getKey())) {
				lab.add(Target.image(e.getKey()));
				labels.add(c);
			}
		}
		long[] ids = new long[units.size()], labIds = new long[lab.size()];
		for (int i = 0; i < ids.length; i++) ids[i] = indexed ? i : units.get(i).id();
		for (int i = 0; i < labIds.length; i++) labIds[i] = indexed ? ids.length + i : lab.get(i).id();
		float[][] oof = rows == null ? null : PredictionRows.rows(lab, rows.outOfFold());
		return Pool.builder(classNames).unlabelled(ids, probs, emb)
				.labelled(labIds, labels.stream().mapToInt(Integer::intValue).toArray(), oof, embed ? embeddings(lab, embedder, images) : null).build();
	}

	/** Cached embeddings (stamped as the Trainer stores them), or null unless every item has one. */
	private float[][] embeddings(List<Target> items, String embedder, Map<Long, ImageRecord> images) {
		float[][] out = new float[items.size()][];
		for (int i = 0; i < out.length; i++) {
			Target t = items.get(i);
			ImageRecord im = images.get(t.imageId());
			String stamp = t.isSlice() ? Trainer.sliceStamp(im.sha256(), t.z()) : Trainer.imageStamp(im);
			Optional<float[]> v = store.embedding(embedder, t, stamp);
			if (v.isEmpty() || (i > 0 && v.get().length != out[0].length)) return null;
			out[i] = v.get();
		}
		return out;
	}

	/**
	 * ROI-only projects: images ranked by their proposed ROIs' uncertainties under the active ROI model. Every image
	 * with proposed ROIs left is a candidate, also one where some ROIs were reviewed already: its open proposals are
	 * what is left to label.
	 */
	private NextChoice.Batch byRoiScores(String strategy, Uncertainty measure, ModelVersion roiModel,
			Map<Long, ImageRecord> images, int count, NextOptions no) {
		Map<Long, Long> imageOfProposal = new HashMap<>();
		for (Annotation a : store.allAnnotations())
			if (a.data().status() == Status.PROPOSED && !a.data().isImageLevel() && images.containsKey(a.imageId())) imageOfProposal.put(a.id(), a.imageId());
		List<Long> roiImages = new ArrayList<>();
		List<float[]> probs = new ArrayList<>();
		List<Long> classIds = roiModel.classIds();
		for (Prediction p : store.predictions(roiModel.id())) {
			Long image = p.target().isImage() || p.outOfFold() ? null : imageOfProposal.get(p.target().id());
			if (image == null) continue;
			float[] row = new float[classIds.size()];
			for (int c = 0; c < row.length; c++) row[c] = p.probabilities().getOrDefault(classIds.get(c), 0.0).floatValue();
			roiImages.add(image);
			probs.add(row);
		}
		String used = measure.label() + " of ROIs (" + no.aggregation().name().toLowerCase(Locale.ROOT) + ")";
		String message = strategy.equals(measure.label()) ? "" : "only an ROI model, so " + strategy + " ranks images by their ROIs' " + measure.label() + ".";
		if (roiImages.isEmpty()) {
			String why = "No image has proposed ROIs predicted by the ROI model " + roiModel.name()
					+ ": propose objects and retrain, or choose random.";
			return new NextChoice.Batch(List.of(), strategy, used, 0, why);
		}
		ImageScores scores = ImageScores.aggregate(roiImages.stream().mapToLong(Long::longValue).toArray(), probs.toArray(float[][]::new), measure,
				no.aggregation());
		Set<Long> exclude = new HashSet<>(store.leasedByOthers(user));
		exclude.addAll(handedOut(no));
		List<NextChoice> chosen = new ArrayList<>();
		int candidates = 0;
		for (int attempt = 0; attempt < 3 && chosen.size() < count; attempt++) {
			exclude.addAll(store.leasedByOthers(user));
			List<Selection> top = scores.top(count - chosen.size() + NextItem.LOOKAHEAD, exclude);
			if (attempt == 0) candidates = (int) java.util.Arrays.stream(scores.imageIds()).filter(id -> !exclude.contains(id)).count();
			for (Selection sel : top) {
				exclude.add(sel.id());
				if (chosen.size() < count && lease(sel.id(), no.lease(), used, sel.reason()))
					chosen.add(new NextChoice(images.get(sel.id()), sel.reason(), strategy, used, message));
			}
			if (top.isEmpty()) break;
		}
		return new NextChoice.Batch(chosen, strategy, used, candidates,
				chosen.isEmpty() ? "Every image with proposed ROIs is leased: to other labellers, or handed to you already." : message);
	}

	/**
	 * Segmentation: the unsegmented slices of volumes and unsegmented 2D images that the active segmentation model
	 * predicted, ranked by their mean pixel entropy ({@link SegmentationTrainer#uncertainties}); one slice per volume,
	 * leased as the volume. A slice or image segmented after the model was trained is no longer a candidate.
	 */
	private NextChoice.Batch bySegmentation(String strategy, Map<Long, ImageRecord> images, List<Annotation> annotations, int count, NextOptions no) {
		String used = "mean pixel entropy (segmentation)";
		Optional<ModelVersion> model = store.activeModel(Task.SEGMENTATION);
		if (model.isEmpty())
			return new NextChoice.Batch(List.of(), strategy, used, 0, "No segmentation model yet: paint the objects of a class on a slice, Retrain"
					+ " (task seg), then ask again; or choose random.");
		Map<Long, java.util.SortedSet<Integer>> segmented = Labels.segmentedSlices(annotations, Labels.backgroundClasses(store.classes()));
		List<Map.Entry<Target, Double>> ranked = new ArrayList<>();
		for (Map.Entry<Target, Double> e : SegmentationTrainer.uncertainties(model.get()).entrySet()) {
			Target t = e.getKey();
			if (!images.containsKey(t.imageId())) continue;
			java.util.SortedSet<Integer> done = segmented.get(t.imageId());
			if (done != null && (t.isImage() || done.contains(t.z() - 1))) continue;
			ranked.add(e);
		}
		ranked.sort(Map.Entry.<Target, Double>comparingByValue().reversed().thenComparing(e -> e.getKey().id()));
		boolean slices = ranked.stream().anyMatch(e -> e.getKey().isSlice()), flat = ranked.stream().anyMatch(e -> e.getKey().isImage());
		String what = slices && flat ? "unsegmented slices and images" : slices ? "unsegmented slices" : "unsegmented images";
		String message = strategy.equals("entropy") ? "" : "the segmentation model ranks by mean pixel entropy, so " + strategy + " does too.";
		if (ranked.isEmpty())
			return new NextChoice.Batch(List.of(), strategy, used, 0, "Segmentation model " + model.get().name()
					+ " predicted no image or slice that is still unsegmented: Retrain to predict the rest, or choose random.");
		Set<Long> excluded = new HashSet<>(handedOut(no));
		excluded.addAll(store.leasedByOthers(user));
		List<NextChoice> chosen = new ArrayList<>();
		int candidates = (int) ranked.stream().filter(e -> !excluded.contains(e.getKey().imageId())).count();
		for (int rank = 0; rank < ranked.size() && chosen.size() < count; rank++) {
			Target t = ranked.get(rank).getKey();
			ImageRecord im = images.get(t.imageId());
			if (!excluded.add(im.id())) continue; // one slice per volume, none leased to someone else
			String reason = (t.isSlice() ? "slice " + t.z() + " of " + im.slices() + ": " : "")
					+ String.format(Locale.ROOT, "mean pixel entropy %.3f under seg model %s \u2014 rank %d of %d %s", ranked.get(rank).getValue(),
							model.get().name(), rank + 1, ranked.size(), what);
			if (lease(im.id(), no.lease(), used, reason))
				chosen.add(t.isSlice() ? new NextChoice(im, reason, strategy, used, message, t.z()) : new NextChoice(im, reason, strategy, used, message));
		}
		return new NextChoice.Batch(chosen, strategy, used, candidates,
				chosen.isEmpty() ? "Every unsegmented image is leased: to other labellers, or handed to you already." : message);
	}

	Optional<ImageRecord> previous(Long currentId) {
		List<ImageRecord> all = store.images();
		if (all.isEmpty()) return Optional.empty();
		int i = indexAfter(all, currentId) - 2;
		return Optional.of(all.get(Math.floorMod(i, all.size())));
	}


	void releaseItems() {
		for (Long id : List.copyOf(leased)) {
			try {
				releaseItem(id);
			} catch (RuntimeException e) {
				// the lease expires by itself
			}
		}
	}
}
