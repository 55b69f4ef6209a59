package org.labelloop.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Origin;
import org.labelloop.core.geom.Geometry;
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.imaging.FloatImages;
import org.labelloop.imaging.LabelMaps;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.djl.DjlSegmenter;
import ij.process.FloatProcessor;
import ij.ImagePlus;
import org.labelloop.core.model.Split;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqliteProjectStore;
import org.labelloop.imaging.ImageMeta;
import org.labelloop.imaging.Images;
import org.labelloop.interop.CocoFormat;
import org.labelloop.interop.CsvFormat;
import org.labelloop.interop.LabelFormat;
import org.labelloop.interop.LabelMapFormat;
import org.labelloop.imaging.VolumeProposer;
import org.labelloop.core.geom.Mask;
import org.labelloop.interop.RoiZipFormat;

/** The embedded default: a project folder on this machine, used directly. */
public final class LocalBackend implements Backend {

	private final ProjectStore store;
	private final String user;
	private final Random random = new Random();
	/** Images this backend leased to its user and has not given back ({@link #releaseItems}). */
	private final Set<Long> leased = ConcurrentHashMap.newKeySet();
	/** Files whose hash was checked, with the size and time stamp they had then. */
	private final Map<Long, String> verified = new ConcurrentHashMap<>();
	/** Vector indexes and maps of the model versions. */
	private final ItemIndex items;

	public LocalBackend(ProjectStore store, String user) {
		if (user == null || user.isBlank()) throw new LabelLoopException("A user name is needed to record who labelled what.");
		this.store = store;
		this.user = user.strip();
		this.items = new ItemIndex(store, this.user);
	}

	/** Makes a new project folder (which may already hold images). */
	public static LocalBackend create(Path folder, String name, String user) {
		return new LocalBackend(SqliteProjectStore.create(folder, name), user);
	}

	public static LocalBackend open(Path folder, String user) {
		return new LocalBackend(SqliteProjectStore.open(folder), user);
	}

	/** The store underneath, for engine code that runs in the same process. */
	public ProjectStore store() {
		return store;
	}

	@Override
	public String location() {
		return store.folder().toString();
	}

	@Override
	public String projectName() {
		return store.name();
	}

	@Override
	public String user() {
		return user;
	}

	// ------------------------------------------------------------------ images

	@Override
	public List<ImageRecord> images() {
		return store.images();
	}

	@Override
	public ImageRecord image(long id) {
		return store.image(id).orElseThrow(() -> new LabelLoopException("No image with id " + id + " in project " + projectName() + "."));
	}

	@Override
	public ImportReport addImages(List<Path> files, Progress progress) {
		List<String> problems = new ArrayList<>();
		List<Path> candidates = new ArrayList<>();
		for (Path f : files) {
			if (Files.isDirectory(f)) {
				try (Stream<Path> walk = Files.walk(f)) {
					walk.filter(Files::isRegularFile).filter(Images::looksLikeImage).filter(p -> !inProjectInternals(p))
							.sorted(Comparator.comparing(Path::toString)).forEach(candidates::add);
				} catch (IOException e) {
					problems.add(f + ": cannot list folder (" + e.getMessage() + ")");
				}
			} else if (!Files.exists(f)) {
				problems.add(f + ": file not found");
			} else {
				candidates.add(f);
			}
		}
		int added = 0, skipped = 0;
		for (int i = 0; i < candidates.size(); i++) {
			progress.checkCancelled("Adding images (" + added + " added before)");
			Path f = candidates.get(i).toAbsolutePath().normalize();
			progress.report((double) i / candidates.size(), "Adding " + f.getFileName());
			String path = projectPath(f);
			if (store.imageByPath(path).isPresent()) {
				skipped++;
				continue;
			}
			try {
				ImageMeta m = Images.probe(f);
				store.addImage(new ImageRecord(0, path, Images.sha256(f), Files.size(f), m.width(), m.height(), m.channels(),
						m.slices(), m.frames(), m.bitDepth(), Split.UNASSIGNED, user, Instant.now()));
				added++;
			} catch (LabelLoopException | IOException e) {
				problems.add(e.getMessage());
			}
		}
		progress.report(1, "Added " + added + " image(s)");
		return new ImportReport(added, skipped, problems);
	}

	private boolean inProjectInternals(Path p) {
		return p.getFileName().toString().startsWith(SqliteProjectStore.DB_FILE);
	}

	/** Relative to the project with forward slashes when inside it, else absolute. */
	String projectPath(Path file) {
		Path abs = file.toAbsolutePath().normalize();
		Path rel = abs.startsWith(store.folder()) ? store.folder().relativize(abs) : abs;
		return rel.toString().replace('\\', '/');
	}

	/** Where an image's file is, resolved against the project; never outside what was added. */
	Path resolve(ImageRecord im) {
		Path p = Path.of(im.path());
		return (p.isAbsolute() ? p : store.folder().resolve(p)).normalize();
	}

	@Override
	public Path imageFile(long imageId) {
		ImageRecord im = image(imageId);
		Path f = resolve(im);
		if (!Files.isRegularFile(f))
			throw new LabelLoopException("Image '" + im.path() + "' has moved or was deleted: it is no longer at " + f
					+ ". Put it back, or add it again from its new place.");
		try {
			String stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
			if (!stamp.equals(verified.get(imageId))) {
				String sha = Images.sha256(f);
				if (!sha.equals(im.sha256()))
					throw new LabelLoopException("Image '" + im.path() + "' changed on disk since it was added (its SHA-256 differs),"
							+ " so its labels may no longer fit it. Restore the original file, or relink it on purpose.");
				verified.put(imageId, stamp);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read image '" + im.path() + "': " + e.getMessage(), e);
		}
		return f;
	}

	/** Accepts an image's new location or content on purpose; its labels stay. */
	public ImageRecord relink(long imageId, Path newFile) {
		Path f = newFile.toAbsolutePath().normalize();
		if (!Files.isRegularFile(f)) throw new LabelLoopException("Cannot relink to " + f + ": file not found.");
		verified.remove(imageId);
		return store.relinkImage(imageId, projectPath(f), Images.sha256(f), user);
	}

	@Override
	public Optional<ImageRecord> next(Long currentId, NextMode mode) {
		List<ImageRecord> all = images();
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
		return labelledImages(store.allAnnotations());
	}

	private static Set<Long> labelledImages(List<Annotation> all) {
		return all.stream()
				.filter(a -> a.data().status() == Status.ACCEPTED || a.data().status() == Status.CORRECTED)
				.map(Annotation::imageId).collect(Collectors.toSet());
	}

	// ------------------------------------------------------------------ active learning

	@Override
	public NextChoice.Batch nextItems(String strategyName, int count, NextOptions options) {
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
		Map<Long, ImageRecord> images = new HashMap<>();
		for (ImageRecord im : store.images()) images.put(im.id(), im);
		List<Annotation> annotations = store.allAnnotations();
		Set<Long> done = labelledImages(annotations);
		long[] open = images.keySet().stream().filter(id -> !done.contains(id)).sorted().mapToLong(Long::longValue).toArray();

		Optional<ModelVersion> imageModel = store.activeModel(Trainer.IMAGE);
		Optional<ModelVersion> roiModel = store.activeModel(Trainer.ROI);
		Uncertainty measure = roiMeasure(strategy.name());
		if (imageModel.isEmpty() && roiModel.isPresent() && measure != null)
			return byRoiScores(strategy.name(), measure, roiModel.get(), images, count, no);

		Pool pool = pool(imageModel, open, images, annotations);
		Options o = new Options(no.targetClass(), no.otherClass(), random.nextLong(), handedOut(no));
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

	@Override
	public void releaseItem(long imageId) {
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

	/**
	 * The pool of Next Image: unlabelled images with the active image model's probabilities (null before the first
	 * model, or when one lacks a prediction), cached embeddings when every image has one, and the labelled images
	 * with their out-of-fold probabilities (for {@code review}).
	 */
	private Pool pool(Optional<ModelVersion> model, long[] open, Map<Long, ImageRecord> images, List<Annotation> annotations) {
		List<String> classNames = new ArrayList<>();
		Map<Long, String> names = new HashMap<>();
		for (LabelClass c : store.classes()) names.put(c.id(), c.name());
		Map<Long, Prediction> predicted = new HashMap<>();
		Map<Long, Prediction> outOfFold = new HashMap<>();
		List<Long> classIds;
		if (model.isPresent()) {
			classIds = model.get().classIds();
			for (Prediction p : store.predictions(model.get().id()))
				if (p.target().isImage()) (p.outOfFold() ? outOfFold : predicted).put(p.target().id(), p);
		} else {
			classIds = store.classes().stream().map(LabelClass::id).toList();
		}
		for (Long id : classIds) classNames.add(names.getOrDefault(id, "class " + id));
		String embedder = model.map(ModelVersion::embedder).orElseGet(() -> new FeatureEmbedder().id());

		float[][] probs = model.isPresent() ? rows(open, predicted, classIds) : null;
		float[][] emb = embeddings(open, embedder, images);
		// labelled images: the latest decided image-level label in the model's classes, with out-of-fold probabilities
		Map<Long, Annotation> latest = new HashMap<>();
		for (Annotation a : annotations)
			if (a.data().isImageLevel() && (a.data().status() == Status.ACCEPTED || a.data().status() == Status.CORRECTED))
				latest.merge(a.imageId(), a, (p, q) -> Comparator.comparing(Annotation::time).thenComparingLong(Annotation::id).compare(p, q) >= 0 ? p : q);
		List<Long> lab = new ArrayList<>();
		List<Integer> labels = new ArrayList<>();
		for (Map.Entry<Long, Annotation> e : latest.entrySet()) {
			int c = classIds.indexOf(e.getValue().data().classId());
			if (c >= 0 && images.containsKey(e.getKey())) {
				lab.add(e.getKey());
				labels.add(c);
			}
		}
		long[] labIds = lab.stream().mapToLong(Long::longValue).toArray();
		float[][] oof = model.isPresent() ? rows(labIds, outOfFold, classIds) : null;
		return Pool.builder(classNames).unlabelled(open, probs, emb)
				.labelled(labIds, labels.stream().mapToInt(Integer::intValue).toArray(), oof, embeddings(labIds, embedder, images)).build();
	}

	/** Probability rows in the model's class order, or null when an item has no prediction. */
	private static float[][] rows(long[] ids, Map<Long, Prediction> byImage, List<Long> classIds) {
		float[][] out = new float[ids.length][];
		for (int i = 0; i < ids.length; i++) {
			Prediction p = byImage.get(ids[i]);
			if (p == null) return null;
			out[i] = new float[classIds.size()];
			for (int c = 0; c < classIds.size(); c++) out[i][c] = p.probabilities().getOrDefault(classIds.get(c), 0.0).floatValue();
		}
		return out;
	}

	/** Cached embeddings (stamp = the image's SHA-256, as the Trainer stores them), or null unless every item has one. */
	private float[][] embeddings(long[] ids, String embedder, Map<Long, ImageRecord> images) {
		float[][] out = new float[ids.length][];
		for (int i = 0; i < ids.length; i++) {
			Optional<float[]> v = store.embedding(embedder, Target.image(ids[i]), images.get(ids[i]).sha256());
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
			if (a.data().status() == Status.PROPOSED && !a.data().isImageLevel()) imageOfProposal.put(a.id(), a.imageId());
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

	@Override
	public Optional<ImageRecord> previous(Long currentId) {
		List<ImageRecord> all = images();
		if (all.isEmpty()) return Optional.empty();
		int i = indexAfter(all, currentId) - 2;
		return Optional.of(all.get(Math.floorMod(i, all.size())));
	}

	// ------------------------------------------------------------------ classes

	@Override
	public List<LabelClass> classes() {
		return store.classes();
	}

	@Override
	public LabelClass addClass(String name, String color, String hotkey) {
		String c = color == null || color.isBlank() ? SqliteProjectStore.defaultColor(store.classes().size()) : color.strip();
		return store.addClass(new LabelClass(0, name, c, hotkey == null ? "" : hotkey.strip(), 0), user);
	}

	@Override
	public LabelClass updateClass(LabelClass changed) {
		return store.updateClass(changed, user);
	}

	// ------------------------------------------------------------------ annotations

	@Override
	public List<Annotation> annotations(long imageId) {
		return store.annotations(imageId);
	}

	@Override
	public Optional<Annotation> annotation(long id) {
		return store.annotation(id);
	}

	@Override
	public ChangeSet apply(String description, List<Edit> edits) {
		return store.apply(user, description, edits);
	}

	@Override
	public Optional<ChangeSet> undo() {
		return store.undo(user);
	}

	@Override
	public Optional<ChangeSet> redo() {
		return store.redo(user);
	}

	@Override
	public List<AnnotationRevision> history(long annotationId) {
		return store.history(annotationId);
	}

	// ------------------------------------------------------------------ comments

	@Override
	public Comment addComment(Target target, Long parentId, Comment.Kind kind, String text) {
		return store.addComment(user, target, parentId, kind, text);
	}

	@Override
	public List<Comment> comments(Target target) {
		return store.comments(target);
	}

	@Override
	public List<Comment> threads(boolean openOnly) {
		return store.threads(openOnly);
	}

	@Override
	public Comment setResolved(long threadId, long baseRevision, boolean resolved) {
		return store.setResolved(threadId, baseRevision, resolved, user);
	}

	@Override
	public Role role() {
		return store.role(user);
	}

	@Override
	public java.util.SortedMap<String, Role> roles() {
		return store.roles();
	}

	@Override
	public void setRole(String userName, Role newRole) {
		store.setRole(userName, newRole, user);
	}

	// ------------------------------------------------------------------ interop

	LabelFormat format(Format f, LabelMapFormat.Options options) {
		return switch (f) {
			case COCO -> new CocoFormat();
			case CSV -> new CsvFormat();
			case ROI_ZIP -> new RoiZipFormat();
			case NIFTI -> new LabelMapFormat(LabelMapFormat.Kind.NIFTI, options, this::imageFile);
			case TIFF_LABELS -> new LabelMapFormat(LabelMapFormat.Kind.TIFF, options, this::imageFile);
		};
	}

	@Override
	public List<Review.Issue> labelIssues(String task) {
		return new Review(store, user).issues(task);
	}

	@Override
	public Annotation decide(long annotationId, long baseRevision, Review.Decision decision, Long newClass, String comment) {
		return new Review(store, user).decide(annotationId, baseRevision, decision, newClass, comment);
	}

	@Override
	public Review.Agreement agreement() {
		return new Review(store, user).agreement();
	}

	@Override
	public Review.Quality labelQuality(String task) {
		return new Review(store, user).quality(task);
	}

	@Override
	public ExportReport export(Format format, Path target) {
		return export(format, target, LabelMapFormat.Options.DEFAULT);
	}

	@Override
	public ExportReport export(Format format, Path target, LabelMapFormat.Options options) {
		return format(format, options).export(store, target.toAbsolutePath().normalize());
	}

	@Override
	public ImportReport importLabels(Format format, Path source) {
		return importLabels(format, source, LabelMapFormat.Options.DEFAULT);
	}

	@Override
	public ImportReport importLabels(Format format, Path source, LabelMapFormat.Options options) {
		Path s = source.toAbsolutePath().normalize();
		if (!Files.exists(s)) throw new LabelLoopException("Cannot import " + format.key() + " labels: " + s + " does not exist.");
		return format(format, options).importLabels(store, user, s);
	}

	// ------------------------------------------------------------------ models

	@Override
	public TrainReport retrain(TrainOptions options, Progress progress) {
		TrainReport r;
		try (Embedders.Opened e = Embedders.open(options.embedder(), store, this::imageFile, progress)) {
			r = new Trainer(store, user, this::imageFile, e.embedder()).retrain(options, progress);
		}
		for (ModelVersion m : r.models()) {
			progress.report(1, "Indexing the embeddings of " + m.name());
			try {
				items.build(m);
			} catch (LabelLoopException e) {
				// the index is derived data: the first similarity query builds it again, and says why if it cannot
			}
			items.computeMapLater(m.task());
		}
		return r;
	}

	@Override
	public Optional<org.labelloop.core.learn.djl.DjlEmbedder.Settings> embedderModel() {
		return Embedders.model(store);
	}

	@Override
	public void setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings model) {
		Embedders.setModel(store, model);
	}

	@Override
	public List<ModelVersion> models() {
		return store.models();
	}

	@Override
	public Optional<ModelVersion> activeModel(String task) {
		return store.activeModel(task);
	}

	@Override
	public ModelVersion activateModel(long modelId) {
		return store.activate(modelId, user);
	}

	@Override
	public Optional<Prediction> imagePrediction(long imageId) {
		return store.activeModel(Trainer.IMAGE).flatMap(m -> store.prediction(m.id(), Target.image(imageId)));
	}

	@Override
	public ProposeReport proposeObjects(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace, Progress progress) {
		return propose(imageIds, replace, progress, Origin.weak(settings.id()), "Propose objects (" + settings.method() + ")", imp -> {
			List<Proposal> found = new ArrayList<>();
			for (int t = 1; t <= imp.getNFrames(); t++)
				for (int z = 1; z <= imp.getNSlices(); z++)
					for (Geometry g : ClassicalProposer.propose(imp, settings, z, t)) found.add(new Proposal(g, null));
			return found;
		});
	}

	@Override
	public ProposeReport proposeWithModel(List<Long> imageIds, ModelProposal proposal, boolean replace, Progress progress) {
		Map<String, LabelClass> byName = classes().stream().collect(Collectors.toMap(LabelClass::name, c -> c));
		for (String name : proposal.classes())
			if (!byName.containsKey(name))
				throw new LabelLoopException("The segmentation model's labels name class '" + name + "', which the project does not have (it has: "
						+ String.join(", ", byName.keySet()) + ")");
		progress.report(0, "Loading " + proposal.model().modelFile().getFileName());
		try (DjlSegmenter seg = DjlSegmenter.open(Embedders.inProject(store, proposal.model()), proposal.threshold())) {
			String name = proposal.model().modelFile().getFileName().toString();
			return propose(imageIds, replace, progress, Origin.model(seg.id()), "Propose objects (model " + name + ")", imp -> {
				List<Proposal> found = new ArrayList<>();
				for (int t = 1; t <= imp.getNFrames(); t++)
					for (int z = 1; z <= imp.getNSlices(); z++) {
						Plane plane = Images.plane(imp, 0, z, t);
						int[] labels = seg.labelMap(FloatImages.from(imp, new Plane(0, z, t)));
						FloatProcessor map = new FloatProcessor(imp.getWidth(), imp.getHeight());
						float[] px = (float[]) map.getPixels();
						for (int i = 0; i < px.length; i++) px[i] = labels[i];
						for (LabelMaps.Region r : LabelMaps.toGeometries(map, proposal.minArea(), plane)) {
							String cls = r.label() <= proposal.classes().size() ? proposal.classes().get(r.label() - 1) : null;
							found.add(new Proposal(r.geometry(), cls == null ? null : byName.get(cls).id()));
						}
					}
				return found;
			});
		}
	}

	/** One object a proposer found (a shape or a mask), with its class if the proposer knows it. */
	private record Proposal(Geometry geometry, Long classId, Mask mask) {
		Proposal(Geometry geometry, Long classId) {
			this(geometry, classId, null);
		}
	}

	@Override
	public ProposeReport proposeVolumeObjects(List<Long> imageIds, VolumeProposer.Settings settings, boolean replace, Progress progress) {
		return propose(imageIds, replace, progress, Origin.weak(settings.id()), "Propose 3D objects (" + settings.method() + ")",
				imp -> VolumeProposer.propose(imp, settings).stream().map(m -> new Proposal(null, null, m)).toList());
	}

	/** Runs a proposer over images and writes what it finds as {@code proposed} annotations in one change set. */
	private ProposeReport propose(List<Long> imageIds, boolean replace, Progress progress, Origin origin, String what,
			java.util.function.Function<ImagePlus, List<Proposal>> proposer) {
		List<Edit> edits = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		int images = 0, objects = 0, replaced = 0, skipped = 0;
		for (int i = 0; i < imageIds.size(); i++) {
			progress.checkCancelled("Proposing objects");
			ImageRecord im = image(imageIds.get(i));
			progress.report((double) i / imageIds.size(), "Proposing objects on " + im.name());
			List<Annotation> proposals = store.annotations(im.id()).stream()
					.filter(a -> !a.data().isImageLevel() && a.data().status() == Status.PROPOSED).toList();
			if (!proposals.isEmpty() && !replace) {
				skipped++;
				continue;
			}
			List<Proposal> found;
			try {
				found = proposer.apply(Images.open(imageFile(im.id())));
			} catch (LabelLoopException | IllegalArgumentException e) {
				problems.add(im.name() + ": " + e.getMessage());
				continue;
			}
			for (Annotation a : proposals) edits.add(new Edit.Delete(a.id(), a.revision()));
			replaced += proposals.size();
			for (Proposal p : found)
				edits.add(new Edit.Create(im.id(), new AnnotationData(p.geometry(), p.classId(), origin, Status.PROPOSED, null, Map.of(), p.mask())));
			objects += found.size();
			images++;
		}
		progress.checkCancelled("Proposing objects");
		if (!edits.isEmpty()) store.apply(user, what + " on " + images + " image(s)", edits);
		progress.report(1, "Proposed " + objects + " object(s)");
		return new ProposeReport(images, objects, replaced, skipped, problems);
	}

	@Override
	public void releaseItems() {
		for (Long id : List.copyOf(leased)) {
			try {
				releaseItem(id);
			} catch (RuntimeException e) {
				// the lease expires by itself
			}
		}
	}

	// ------------------------------------------------------------------ similar items and the map

	@Override
	public Similar.Result similar(Similar.Query query) {
		return items.similar(query);
	}

	@Override
	public Similar.BulkReport bulkLabel(Similar.BulkLabel request) {
		return items.bulkLabel(request);
	}

	@Override
	public Optional<Similar.MapLayout> mapNow(String task) {
		return items.mapNow(task);
	}

	@Override
	public Similar.MapLayout map(String task, Progress progress) {
		return items.map(task, progress);
	}

	/**
	 * Where this project's vector indexes live: a Qdrant server's address ({@code http://host:6333}; its API key from
	 * the environment variable {@code LABELLOOP_QDRANT_API_KEY}), or {@code null} for the embedded index in the
	 * project folder. Kept as the project setting {@code vector.qdrant.url}; indexes are rebuilt from the cached
	 * embeddings at the next query.
	 */
	public void setVectorServer(String qdrantUrl) {
		items.useQdrant(qdrantUrl);
	}

	/** The Qdrant server this project's indexes are on, if any. */
	public Optional<String> vectorServer() {
		return items.qdrant();
	}

	@Override
	public void close() {
		try {
			items.close();
		} finally {
			store.close();
		}
	}
}
