package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.imaging.ClassicalProposer;

/**
 * What the plugin needs from a project, whether it lies in a folder on this machine ({@link LocalBackend}), on a lab
 * server ({@code RemoteBackend}) or on a MONAI Label server. This interface is what every one of them has (images,
 * classes, annotations, next image, models); the rest are <b>facets</b>, nested interfaces a backend has or lacks by
 * type ({@link #facet}, {@link #require}): a LabelLoop project has them all ({@link LabelLoopBackend}), MONAI Label
 * only what it can do. Commands use these interfaces only. Every method may throw
 * {@link org.labelloop.core.model.LabelLoopException} with a message meant for the user.
 */
public interface Backend extends AutoCloseable {

	/**
	 * What changed after change set {@code since} ({@link Changes#LATEST}: only the newest id): the one call a view
	 * makes to stay current. A backend without a feed answers that nothing changed.
	 */
	default Changes changes(long since) {
		return Changes.none(since, classes());
	}

	/** Where the project is: a folder path or a server URL. */
	String location();

	String projectName();

	/** The user every change is recorded under. */
	String user();

	List<ImageRecord> images();

	ImageRecord image(long id);

	/**
	 * A local file with the image's pixels, checked against the hash recorded at import.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if the file moved, changed or cannot be read
	 */
	Path imageFile(long imageId);

	/** The image after (or before) {@code currentId} in the project, in the order asked for. */
	Optional<ImageRecord> next(Long currentId, NextMode mode);

	Optional<ImageRecord> previous(Long currentId);

	/**
	 * Active learning: chooses up to {@code count} unlabelled images with a strategy ({@code core.al}, e.g.
	 * {@code entropy}, {@code hybrid}; {@code review} for labelled ones) and leases them to the user, skipping images
	 * leased to others. Releases the lease of {@code options.current()}.
	 *
	 * @throws IllegalArgumentException for an unknown strategy or class, naming the known ones
	 */
	NextChoice.Batch nextItems(String strategy, int count, NextOptions options);

	/** {@link #nextItems} for one image; empty when nothing is left (then {@code nextItems} says why). */
	default Optional<NextChoice> nextItem(String strategy, NextOptions options) {
		return nextItems(strategy, 1, options).choices().stream().findFirst();
	}

	/** Gives back this user's lease of an image (skip, done); nothing happens if the user does not hold it. */
	void releaseItem(long imageId);

	/**
	 * Gives back every lease this backend handed out and still holds (closing a project in Fiji). Leases are not
	 * given back by {@link #close} on their own: {@code labelloop next} leases images for the user's session.
	 */
	void releaseItems();

	List<LabelClass> classes();

	LabelClass updateClass(LabelClass changed);

	List<Annotation> annotations(long imageId);

	Optional<Annotation> annotation(long id);

	/** Writes the edits atomically as one undoable step. */
	ChangeSet apply(String description, List<Edit> edits);

	/** This user's role in the project. */
	Role role();

	/**
	 * Retrains every task with enough labels (see {@link Trainer}); the previous versions stay active until the new
	 * ones are written, and a cancel or an error keeps nothing of the run.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if no task has enough labels, saying what is missing
	 * @throws org.labelloop.core.model.CancelledException if cancelled
	 */
	TrainReport retrain(TrainOptions options, Progress progress);

	/** Every model version (training, ready, cancelled, failed), oldest first. */
	List<ModelVersion> models();

	/** The active version of a task ({@code image} or {@code roi}), if one was trained. */
	Optional<ModelVersion> activeModel(Task task);

	/** What the active image model says about an image, if there is one. */
	default Optional<Prediction> imagePrediction(long imageId) {
		return imagePrediction(imageId, 0);
	}

	/**
	 * What the active image model says about one slice of an image ({@code z} from 1), or the whole image for
	 * {@code z = 0}; a z beyond the image's slices is an {@link IllegalArgumentException} naming the range.
	 */
	Optional<Prediction> imagePrediction(long imageId, int z);

	/**
	 * The facet {@code type} (one of the nested interfaces, e.g. {@link Similarity}) if this backend has it. Commands
	 * ask before they show a dialog, so a missing facet is a sentence, not a failure half-way.
	 */
	default <F> Optional<F> facet(Class<F> type) {
		return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
	}

	/**
	 * The facet {@code type}, or a {@link LabelLoopException} saying what is missing ({@link #missing}).
	 */
	default <F> F require(Class<F> type) {
		return facet(type).orElseThrow(() -> new LabelLoopException(missing(type)));
	}

	/** Why this backend lacks a facet, for the user: it needs a LabelLoop project. Backends say more where they can. */
	default String missing(Class<?> facet) {
		return "This needs a LabelLoop project (a project folder or a LabelLoop server): " + location() + " has no " + describe(facet) + ".";
	}

	/** What a facet is, in words ({@link Facet}). */
	static String describe(Class<?> facet) {
		Facet f = facet.getAnnotation(Facet.class);
		return f == null ? facet.getSimpleName() : f.value();
	}

	/** A facet's description, for messages. */
	@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
	@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
	@interface Facet {
		String value();
	}

	/** A backend that has adding image files. */
	@Facet("adding image files")
	interface ImageImport extends Backend {

		/**
		 * Adds image files (folders are walked recursively). Files that cannot be read are reported, not fatal; files
		 * already in the project are skipped.
		 */
		ImportReport addImages(List<Path> files, Progress progress);
	}

	/** A backend that has adding classes. */
	@Facet("adding classes")
	interface ClassEditing extends Backend {

		/** Adds a class; colour {@code null} picks one from the palette. */
		LabelClass addClass(String name, String color, String hotkey);
	}

	/** A backend that has undo, redo and revision history. */
	@Facet("undo, redo and revision history")
	interface History extends Backend {

		Optional<ChangeSet> undo();

		Optional<ChangeSet> redo();

		List<AnnotationRevision> history(long annotationId);
	}

	/** A backend that has comments, flags and threads. */
	@Facet("comments, flags and threads")
	interface Comments extends Backend {

		/** Starts a thread (no parent) or replies to one on an image or annotation. */
		Comment addComment(Target target, Long parentId, Comment.Kind kind, String text);

		List<Comment> comments(Target target);

		/** First comments of threads, newest first. */
		List<Comment> threads(boolean openOnly);

		/** Resolves or reopens a thread, naming the thread revision the user saw (stale → conflict). */
		Comment setResolved(long threadId, long baseRevision, boolean resolved);
	}

	/** A backend that has project roles. */
	@Facet("project roles")
	interface Roles extends Backend {

		/** Every user with a role set in the project (others are labellers). */
		java.util.SortedMap<String, Role> roles();

		/**
		 * Sets a user's role, recorded as an event by this user. In a local project anyone may (roles are recorded and
		 * shown); the lab server lets only admins.
		 */
		void setRole(String userName, Role newRole);
	}

	/** Where the project stands: the LabelLoop panel's counts, in one call. */
	@Facet("project progress")
	interface Overview extends Backend {
		/** Images labelled, proposals waiting, labels per class, open threads, the active models and labels since. */
		ProjectProgress progress();
	}

	/** A backend that has label review, label quality and agreement. */
	@Facet("label review, label quality and agreement")
	interface Reviewing extends Backend {

		/** Labels of a task ({@code image} or {@code roi}) the active model doubts, most doubtful first; decided ones are left out until they change. */
		List<Review.Issue> labelIssues(Task task);

		/** Keeps, changes ({@code newClass}) or rejects a label as a new revision recorded with the user's role; optional review comment. */
		Annotation decide(long annotationId, long baseRevision, Review.Decision decision, Long newClass, String comment);

		/** Cohen's kappa per pair of users (and per class) on items both labelled, and their disagreements. */
		Review.Agreement agreement();

		/** The active model's out-of-fold confusion matrix, per-class precision/recall and most confused classes. */
		Review.Quality labelQuality(Task task);
	}

	/** A backend that has import and export of label files. */
	@Facet("import and export of label files")
	interface LabelFiles extends Backend {

		/** Writes the project's labels in the format to {@code target} (a file, or a folder for ROI zips). */
		ExportReport export(Format format, Path target);

		/** Reads labels in the format from {@code source} and adds them as one undoable step. */
		ImportReport importLabels(Format format, Path source);

		/**
		 * Label maps ({@link Format#NIFTI}, {@link Format#TIFF_LABELS}) with options: the image, a names file, one
		 * object per value or per connected part. Backends without them accept only the default options.
		 */
		default ExportReport export(Format format, Path target, org.labelloop.interop.LabelMapFormat.Options options) {
			if (options == null || options.equals(org.labelloop.interop.LabelMapFormat.Options.DEFAULT)) return export(format, target);
			throw new LabelLoopException("This backend exports label maps only with the default options.");
		}

		/** See {@link #export(Format, Path, org.labelloop.interop.LabelMapFormat.Options)}. */
		default ImportReport importLabels(Format format, Path source, org.labelloop.interop.LabelMapFormat.Options options) {
			if (options == null || options.equals(org.labelloop.interop.LabelMapFormat.Options.DEFAULT)) return importLabels(format, source);
			throw new LabelLoopException("This backend imports label maps only with the default options.");
		}
	}

	/** A backend that has model versions to roll back to. */
	@Facet("model versions to roll back to")
	interface ModelVersions extends Backend {

		/** Makes an earlier ready version active again (rollback); its predictions are shown from then on. */
		ModelVersion activateModel(long modelId);
	}

	/** A backend that has the classical object proposer. */
	@Facet("the classical object proposer")
	interface Proposing extends Backend {

		/**
		 * Proposes objects on images with the classical proposer, as {@code proposed} annotations of origin
		 * {@code weak:<settings id>}, in one undoable change set. Images that already have proposals are skipped unless
		 * {@code replace}, which deletes their proposals (not reviewed ones) first.
		 */
		ProposeReport proposeObjects(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace, Progress progress);

		/**
		 * 3D object proposals ({@link org.labelloop.imaging.VolumeProposer}: one threshold for the stack, 3D connected
		 * parts, a voxel-count filter) written as proposed mask annotations, one per object, in one change set.
		 */
		default ProposeReport proposeVolumeObjects(List<Long> imageIds, org.labelloop.imaging.VolumeProposer.Settings settings, boolean replace,
				Progress progress) {
			throw new LabelLoopException("This backend cannot propose 3D objects yet.");
		}
	}

	/** A backend that has your own model files (Embedder Model, Propose with Model). */
	@Facet("your own model files (Embedder Model, Propose with Model)")
	interface OwnModels extends Backend {

		/** The user's ONNX/TorchScript embedding model set for the project (used by Retrain with embedder {@code model}). */
		Optional<org.labelloop.core.learn.djl.DjlEmbedder.Settings> embedderModel();

		/**
		 * Sets the project's embedding model after loading and running it once.
		 *
		 * @throws org.labelloop.core.model.LabelLoopException if the model is missing, damaged or does not fit the settings
		 */
		void setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings model);

		/**
		 * Proposes objects with the user's segmentation model: its label map is traced into polygons per plane and
		 * written as {@code proposed} annotations of origin {@code model:<segmenter id>} (the model file's hash and the
		 * threshold), with the class each label maps to, in one undoable change set. Images with proposals are skipped
		 * unless {@code replace}, as in {@link #proposeObjects}.
		 *
		 * @throws org.labelloop.core.model.LabelLoopException if the model cannot be loaded or run, or names a class the
		 *         project lacks
		 */
		ProposeReport proposeWithModel(List<Long> imageIds, ModelProposal proposal, boolean replace, Progress progress);
	}

	/** A backend that has the segmentation model's probability maps for click-to-segment. */
	@Facet("the segmentation model's probability maps (click to segment with the model)")
	interface PixelModel extends Backend {

		/**
		 * Slice z (0-based) of {@code image}, the pixels of project image {@code imageId}, under the active segmentation
		 * model: a one-slice probability map per class (background first). Empty when the project has no
		 * segmentation model yet, or a 3D model meets a 2D image. The last slices asked for are kept, so repeated
		 * clicks on one slice are fast.
		 *
		 * @throws IllegalArgumentException when z is not a slice of the image
		 */
		Optional<org.labelloop.core.seg.ProbabilityMap> segmentationProbabilities(long imageId, org.labelloop.core.seg.FloatVolume image, int z);
	}

	/** A backend that has similar items, vector search and the embedding map. */
	@Facet("similar items, vector search and the embedding map")
	interface Similarity extends Backend {

		/**
		 * The items most like the query's positive examples and unlike its negative ones (one positive: its nearest
		 * neighbours), among those passing its filter, from the active model version's vector index of the examples'
		 * kind. Payloads (class, status, …) are brought up to date with every label change before the query runs.
		 *
		 * @throws org.labelloop.core.model.LabelLoopException for an example without an embedding (added or drawn after
		 *         the last Retrain, which computes it), an unknown item or class (naming the project's classes), or no
		 *         model yet; an empty answer is not an error
		 */
		Similar.Result similar(Similar.Query query);

		/**
		 * Labels many items with one class in one undoable change set: images get their image-level label, ROIs their
		 * class; weak (origin {@code weak:<query>}, proposed) or accepted (origin {@code human:<user>}). Weak labels never
		 * overwrite a label a person decided. Nothing is written if any item is unknown.
		 */
		Similar.BulkReport bulkLabel(Similar.BulkLabel request);

		/**
		 * The 2D layout of the active {@code task} model version ({@code image} or {@code roi}) if it is computed, else
		 * the newest older version's (not {@code current}) while the new one is computed in the background after
		 * Retrain; empty when there is none. Never computes: returns at once.
		 */
		Optional<Similar.MapLayout> mapNow(Task task);

		/** The 2D layout of every item of the active {@code task} model version: cached, or computed now (UMAP). */
		Similar.MapLayout map(Task task, Progress progress);

		/**
		 * The items of the active {@code task} model version that pass a filter (what the Embedding Map shows), by the
		 * rules of {@link #similar}'s filter and with its errors for an unknown class or field.
		 */
		java.util.SortedSet<String> matching(Task task, ItemFilter filter);
	}

	@Override
	void close();
}
