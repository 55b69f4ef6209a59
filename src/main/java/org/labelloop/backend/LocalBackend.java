package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.labelloop.core.al.Result;
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
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.interop.LabelMapFormat;
import org.labelloop.imaging.VolumeProposer;
import org.labelloop.interop.LabelFormat;
import org.labelloop.interop.LabelFormats;

/**
 * The embedded default: a project on this machine, used directly, as one user. A thin view over the project's
 * {@link ProjectEngine} (shared by every user of the store): it records changes under its user and keeps that user's
 * leases; the engine holds the store, the indexes and the image checks.
 * <p>
 * Around 400 lines because it is the whole {@link LabelLoopBackend}: some sixty methods, nearly all one-line
 * delegations to the engine's parts ({@link NextChooser}, {@link Proposals}, {@link SimilarQueries}, {@link ItemMaps},
 * {@link Review}, {@link Trainer}, the store); the work is in those.
 */
public final class LocalBackend implements LabelLoopBackend, Backend.PixelModel {

	private final ProjectEngine engine;
	private final ProjectStore store;
	private final String user;
	private final NextChooser next;
	private final Proposals proposals;

	LocalBackend(ProjectEngine engine, String user) {
		this.engine = engine;
		this.store = engine.store();
		this.user = user;
		this.next = new NextChooser(store, user, engine.predictionRows());
		this.proposals = new Proposals(store, engine.files(), user);
	}

	/** Makes a new project folder (which may already hold images) and opens it as {@code user}. */
	public static LocalBackend create(Path folder, String name, String user) {
		return open(ProjectEngine.create(folder, name), user);
	}

	/** Opens a project folder as {@code user}; closing this backend closes the project. */
	public static LocalBackend open(Path folder, String user) {
		return open(ProjectEngine.open(folder), user);
	}

	private static LocalBackend open(ProjectEngine engine, String user) {
		try {
			return engine.as(user);
		} catch (RuntimeException e) {
			engine.close();
			throw e;
		}
	}

	/** The engine this view is over: the one every user of the project shares (Share Project serves it). */
	public ProjectEngine engine() {
		return engine;
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

	@Override
	public Changes changes(long since) {
		return engine.changes(since, null, 1000);
	}

	// ------------------------------------------------------------------ images

	@Override
	public List<ImageRecord> images() {
		return store.images();
	}

	@Override
	public ImageRecord image(long id) {
		return engine.files().image(id);
	}

	@Override
	public ImportReport addImages(List<Path> files, Progress progress) {
		return engine.files().add(files, user, progress);
	}

	@Override
	public Path imageFile(long imageId) {
		return engine.files().file(imageId);
	}

	/** Accepts an image's new location or content on purpose; its labels stay. */
	public ImageRecord relink(long imageId, Path newFile) {
		return engine.files().relink(imageId, newFile, user);
	}

	// ------------------------------------------------------------------ next image

	@Override
	public Optional<ImageRecord> next(Long currentId, NextMode mode) {
		return next.next(currentId, mode);
	}

	@Override
	public Optional<ImageRecord> previous(Long currentId) {
		return next.previous(currentId);
	}

	@Override
	public NextChoice.Batch nextItems(String strategy, int count, NextOptions options) {
		return next.nextItems(strategy, count, options);
	}

	@Override
	public void releaseItem(long imageId) {
		next.releaseItem(imageId);
	}

	@Override
	public void releaseItems() {
		next.releaseItems();
	}

	// ------------------------------------------------------------------ classes

	@Override
	public List<LabelClass> classes() {
		return store.classes();
	}

	@Override
	public LabelClass addClass(String name, String color, String hotkey) {
		String c = color == null || color.isBlank() ? SqlProjectStore.defaultColor(store.classes().size()) : color.strip();
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
		return LabelFormats.create(f.key(), options, this::imageFile);
	}

	@Override
	public List<Review.Issue> labelIssues(Task task) {
		return new Review(store, user).issues(task);
	}

	@Override
	public Annotation decide(long annotationId, long baseRevision, Review.Decision decision, Long newClass, String comment) {
		return new Review(store, user).decide(annotationId, baseRevision, decision, newClass, comment);
	}

	@Override
	public ProjectProgress progress() {
		return ProjectProgress.of(store, user);
	}

	@Override
	public Review.Agreement agreement() {
		return new Review(store, user).agreement();
	}

	@Override
	public Review.Quality labelQuality(Task task) {
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
		return engine.training(user, () -> engine.predictionRows().makingPool(() -> {
			TrainReport r;
			try (Embedders.Opened e = Embedders.open(options.embedder(), store, this::imageFile, progress)) {
				r = new Trainer(store, user, this::imageFile, e.embedder()).indexWith(m -> {
					progress.report(0.99, "Indexing the embeddings of " + m.name());
					try {
						progress.report(0.995, "Model " + m.name() + ": " + engine.items().update(m));
					} catch (LabelLoopException x) {
						// the index is derived data: the first similarity query builds it again, and says why if it cannot
					}
				}).retrain(options, progress);
			}
			for (ModelVersion m : r.models()) {
				if (m.task() == Task.IMAGE) {
					engine.predictionRows().of(m); // what Next Image ranks by, made once, now
					next.keepPool(m);
				}
				if (m.task().classifiesItems()) engine.maps().computeMapLater(m.task()); // a pixel classifier has no map
			}
			return r;
		}));
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
	public Optional<ModelVersion> activeModel(Task task) {
		return store.activeModel(task);
	}

	@Override
	public ModelVersion activateModel(long modelId) {
		return store.activate(modelId, user);
	}

	@Override
	public Optional<org.labelloop.core.seg.ProbabilityMap> segmentationProbabilities(long imageId, org.labelloop.core.seg.FloatVolume image, int z) {
		return engine.pixels().slice(imageId, image, z);
	}

	@Override
	public Optional<Prediction> imagePrediction(long imageId, int z) {
		ImageRecord im = image(imageId);
		if (z < 0 || z > Math.max(1, im.slices()))
			throw new IllegalArgumentException("Slice " + z + " is not in " + im.name() + ": it has " + Math.max(1, im.slices())
					+ " slice(s); 0 asks for the whole image");
		// a 2D image's only slice is the image itself
		Target t = z == 0 || im.slices() <= 1 ? Target.image(imageId) : Target.slice(imageId, z);
		return store.activeModel(Task.IMAGE).flatMap(m -> store.prediction(m.id(), t));
	}

	@Override
	public ProposeReport proposeObjects(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace, Progress progress) {
		return proposals.objects(imageIds, settings, replace, progress);
	}

	@Override
	public ProposeReport proposeVolumeObjects(List<Long> imageIds, VolumeProposer.Settings settings, boolean replace, Progress progress) {
		return proposals.volumeObjects(imageIds, settings, replace, progress);
	}

	@Override
	public ProposeReport proposeWithModel(List<Long> imageIds, ModelProposal proposal, boolean replace, Progress progress) {
		return proposals.withModel(imageIds, proposal, replace, progress);
	}


	// ------------------------------------------------------------------ similar items and the map

	@Override
	public Similar.Result similar(Similar.Query query) {
		return engine.similar().similar(query);
	}

	@Override
	public Similar.BulkReport bulkLabel(Similar.BulkLabel request) {
		return engine.similar().bulkLabel(request, user);
	}

	@Override
	public Optional<Similar.MapLayout> mapNow(Task task) {
		return engine.maps().mapNow(task);
	}

	@Override
	public java.util.SortedSet<String> matching(Task task, ItemFilter filter) {
		return engine.similar().matching(task, filter);
	}

	@Override
	public Similar.MapLayout map(Task task, Progress progress) {
		return engine.maps().map(task, progress);
	}

	/**
	 * Where this project's vector indexes live: a Qdrant server's address ({@code http://host:6333}; its API key from
	 * the environment variable {@code LABELLOOP_QDRANT_API_KEY}), or {@code null} for the embedded index in the
	 * project folder. Kept as the project setting {@code vector.qdrant.url}; indexes are rebuilt from the cached
	 * embeddings at the next query.
	 */
	public void setVectorServer(String qdrantUrl) {
		engine.items().useQdrant(qdrantUrl);
	}

	/** The Qdrant server this project's indexes are on, if any. */
	public Optional<String> vectorServer() {
		return engine.items().qdrant();
	}

	/** Closes the project: the engine with its indexes and the store, for every user of it. */
	@Override
	public void close() {
		engine.close();
	}
}
