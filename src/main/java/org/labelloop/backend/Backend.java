package org.labelloop.backend;

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
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.imaging.ClassicalProposer;

/**
 * What the plugin needs from a project, whether it lies in a folder on this machine ({@link LocalBackend}) or on a
 * lab server. Commands use this interface only. Every method may throw
 * {@link org.labelloop.core.model.LabelLoopException} with a message meant for the user.
 */
public interface Backend extends AutoCloseable {

	/** What a backend may lack: a server that cannot do one of these says so through {@link #unavailable}. */
	enum Feature {
		/** Adding image files to the project. */
		ADD_IMAGES,
		/** Adding, renaming, recolouring classes. */
		EDIT_CLASSES,
		/** Model confidences and class probabilities on predictions. */
		CONFIDENCES,
		/** Similar items, vector search, the embedding map. */
		SIMILARITY,
		/** Comments, flags and threads. */
		COMMENTS,
		/** Label-issue review, label quality and agreement. */
		REVIEW,
		/** Undo and redo of label changes, and revision history. */
		UNDO,
		/** Model versions with metrics, rollback and the learning curve. */
		MODEL_VERSIONS,
		/** Import and export of label files. */
		IMPORT_EXPORT,
		/** The classical object proposer. */
		PROPOSE,
		/** Project roles. */
		ROLES,
		/** The project's own ONNX/TorchScript models: Embedder Model, Propose with Model. */
		OWN_MODELS
	}

	/**
	 * Why this backend cannot do a feature, for menu commands to grey it out and explain; empty when it can. Every
	 * method of an unavailable feature throws a {@link org.labelloop.core.model.LabelLoopException} with this reason.
	 */
	default Optional<String> unavailable(Feature feature) {
		return Optional.empty();
	}

	/** Where the project is: a folder path or a server URL. */
	String location();

	String projectName();

	/** The user every change is recorded under. */
	String user();

	// images
	List<ImageRecord> images();

	ImageRecord image(long id);

	/**
	 * Adds image files (folders are walked recursively). Files that cannot be read are reported, not fatal; files
	 * already in the project are skipped.
	 */
	ImportReport addImages(List<Path> files, Progress progress);

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

	// classes
	List<LabelClass> classes();

	/** Adds a class; colour {@code null} picks one from the palette. */
	LabelClass addClass(String name, String color, String hotkey);

	LabelClass updateClass(LabelClass changed);

	// annotations
	List<Annotation> annotations(long imageId);

	Optional<Annotation> annotation(long id);

	/** Writes the edits atomically as one undoable step. */
	ChangeSet apply(String description, List<Edit> edits);

	Optional<ChangeSet> undo();

	Optional<ChangeSet> redo();

	List<AnnotationRevision> history(long annotationId);

	// comments, flags and roles
	/** Starts a thread (no parent) or replies to one on an image or annotation. */
	Comment addComment(Target target, Long parentId, Comment.Kind kind, String text);

	List<Comment> comments(Target target);

	/** First comments of threads, newest first. */
	List<Comment> threads(boolean openOnly);

	/** Resolves or reopens a thread, naming the thread revision the user saw (stale → conflict). */
	Comment setResolved(long threadId, long baseRevision, boolean resolved);

	/** This user's role in the project. */
	Role role();

	/** Every user with a role set in the project (others are labellers). */
	java.util.SortedMap<String, Role> roles();

	/**
	 * Sets a user's role, recorded as an event by this user. In a local project anyone may (roles are recorded and
	 * shown); the lab server lets only admins.
	 */
	void setRole(String userName, Role newRole);

	// review (see Review)
	/** Labels of a task ({@code image} or {@code roi}) the active model doubts, most doubtful first; decided ones are left out until they change. */
	List<Review.Issue> labelIssues(String task);

	/** Keeps, changes ({@code newClass}) or rejects a label as a new revision recorded with the user's role; optional review comment. */
	Annotation decide(long annotationId, long baseRevision, Review.Decision decision, Long newClass, String comment);

	/** Cohen's kappa per pair of users (and per class) on items both labelled, and their disagreements. */
	Review.Agreement agreement();

	/** The active model's out-of-fold confusion matrix, per-class precision/recall and most confused classes. */
	Review.Quality labelQuality(String task);

	// interop
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
		throw new org.labelloop.core.model.LabelLoopException("This backend exports label maps only with the default options.");
	}

	/** See {@link #export(Format, Path, org.labelloop.interop.LabelMapFormat.Options)}. */
	default ImportReport importLabels(Format format, Path source, org.labelloop.interop.LabelMapFormat.Options options) {
		if (options == null || options.equals(org.labelloop.interop.LabelMapFormat.Options.DEFAULT)) return importLabels(format, source);
		throw new org.labelloop.core.model.LabelLoopException("This backend imports label maps only with the default options.");
	}

	// models
	/**
	 * Retrains every task with enough labels (see {@link Trainer}); the previous versions stay active until the new
	 * ones are written, and a cancel or an error keeps nothing of the run.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if no task has enough labels, saying what is missing
	 * @throws org.labelloop.core.model.CancelledException if cancelled
	 */
	TrainReport retrain(TrainOptions options, Progress progress);

	/** The user's ONNX/TorchScript embedding model set for the project (used by Retrain with embedder {@code model}). */
	Optional<org.labelloop.core.learn.djl.DjlEmbedder.Settings> embedderModel();

	/**
	 * Sets the project's embedding model after loading and running it once.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if the model is missing, damaged or does not fit the settings
	 */
	void setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings model);

	/** Every model version (training, ready, cancelled, failed), oldest first. */
	List<ModelVersion> models();

	/** The active version of a task ({@code image} or {@code roi}), if one was trained. */
	Optional<ModelVersion> activeModel(String task);

	/** Makes an earlier ready version active again (rollback); its predictions are shown from then on. */
	ModelVersion activateModel(long modelId);

	/** What the active image model says about an image, if there is one. */
	Optional<Prediction> imagePrediction(long imageId);

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
	default ProposeReport proposeVolumeObjects(List<Long> imageIds, org.labelloop.imaging.VolumeProposer.Settings settings, boolean replace, Progress progress) {
		throw new org.labelloop.core.model.LabelLoopException("This backend cannot propose 3D objects yet.");
	}

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

	// similar items, bulk labels and the 2D map (see Similar)
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
	Optional<Similar.MapLayout> mapNow(String task);

	/** The 2D layout of every item of the active {@code task} model version: cached, or computed now (UMAP). */
	Similar.MapLayout map(String task, Progress progress);

	@Override
	void close();
}
