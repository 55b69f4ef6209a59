package org.labelloop.core.store;

import org.labelloop.core.model.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Role;

/**
 * Everything a project keeps on disk. Every annotation change is a new revision in an append-only history;
 * writes name the revision they were based on and stale ones are refused. Implementations are thread-safe.
 */
public interface ProjectStore extends AutoCloseable {

	/** The project folder. */
	Path folder();

	String name();

	// images
	List<ImageRecord> images();

	Optional<ImageRecord> image(long id);

	Optional<ImageRecord> imageByPath(String path);

	/** Adds an image (its id is ignored); refused if the path is already in the project. */
	ImageRecord addImage(ImageRecord image);

	/**
	 * Adds an image with its metadata (such as DICOM's modality and patient: short lower-case keys, text values), in
	 * one transaction.
	 */
	ImageRecord addImage(ImageRecord image, java.util.Map<String, String> metadata);

	/**
	 * Sets metadata fields of existing images (image id → key → value), replacing those keys' old values and keeping
	 * the others, in one transaction. Keys are short lower-case words, as {@link #addImage(ImageRecord, java.util.Map)}'s.
	 */
	void setImageMetadata(java.util.Map<Long, java.util.Map<String, String>> values);

	/** An image's metadata (key → value); empty when it has none. */
	java.util.Map<String, String> imageMetadata(long imageId);

	/** Every image's metadata, by image id; images without metadata are absent. */
	java.util.Map<Long, java.util.Map<String, String>> imageMetadata();

	/** Records a new location and/or content hash for an image that moved or was replaced on purpose. */
	ImageRecord relinkImage(long id, String path, String sha256, String user);

	// classes
	List<LabelClass> classes();

	Optional<LabelClass> classByName(String name);

	/** Adds a class (its id and order are ignored); refused if the name exists. */
	LabelClass addClass(LabelClass c, String user);

	/** Adds several classes at once, all or none (one transaction); refused if a name exists. */
	default List<LabelClass> addClasses(List<LabelClass> classes, String user) {
		List<LabelClass> out = new java.util.ArrayList<>();
		for (LabelClass c : classes) out.add(addClass(c, user));
		return out;
	}

	/** Renames or recolours a class; annotations keep it by id, and the old values stay in the class history. */
	LabelClass updateClass(LabelClass c, String user);

	// annotations
	List<Annotation> annotations(long imageId);

	/** Every current annotation, in id order. */
	List<Annotation> allAnnotations();

	/** The images with a label a person decided on ({@link org.labelloop.core.model.Labels#labelledImages}), now. */
	java.util.Set<Long> labelledImages();

	/**
	 * The image's annotations that can show on slice {@code z} (0-based, as {@link org.labelloop.core.geom.Mask}'s z):
	 * every shape and image-level label, and the masks with voxels between their first and last slice around z.
	 * What a viewer of one slice of a volume reads instead of every mask of the volume.
	 */
	default List<Annotation> annotationsOnSlice(long imageId, int z) {
		return annotations(imageId).stream().filter(a -> !a.data().isMask() || (a.data().mask().minZ() <= z && a.data().mask().maxZ() >= z)).toList();
	}

	Optional<Annotation> annotation(long id);

	/**
	 * Applies the edits all together or none of them.
	 *
	 * @throws org.labelloop.core.model.ConflictException if an edit's base revision is not the current one
	 */
	ChangeSet apply(String user, String description, List<Edit> edits);

	/** Every revision of an annotation, oldest first, deletions included. */
	List<AnnotationRevision> history(long annotationId);

	/**
	 * The annotations (id → image id) that got a revision in a change set after {@code changeSetId}, deleted ones
	 * included: what a derived copy of the labels (the vector index's payloads) must refresh. {@code 0} gives every
	 * annotation ever written.
	 */
	Map<Long, Long> annotationsChangedSince(long changeSetId);

	/** The id of the newest change set, 0 when there is none; ids only grow. */
	default long latestChangeSetId() {
		return changeSets(1).stream().mapToLong(ChangeSet::id).findFirst().orElse(0);
	}

	/** Every change set, newest first. */
	List<ChangeSet> changeSets(int limit);

	/**
	 * Reverts the user's latest change set that is not itself an undo and has not been undone, by writing new
	 * revisions that restore the earlier state (nothing is erased). Empty if there is nothing to undo.
	 *
	 * @throws org.labelloop.core.model.ConflictException if someone changed one of its annotations since
	 */
	Optional<ChangeSet> undo(String user);

	/** Reverts the user's latest undo, if nothing was done after it. */
	Optional<ChangeSet> redo(String user);

	// comments and flags
	/**
	 * Starts a thread ({@code parentId == null}) or replies to one, on an image or a (not deleted) annotation.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException naming the reason if the target does not exist
	 */
	Comment addComment(String user, Target target, Long parentId, Comment.Kind kind, String text);

	/** Every comment on the target, threads in order, replies after their thread's first comment. */
	List<Comment> comments(Target target);

	/** First comments of threads, newest first; only open ones if {@code openOnly}. */
	List<Comment> threads(boolean openOnly);

	/**
	 * Resolves (or reopens) a thread, refused with a {@link org.labelloop.core.model.ConflictException}-like
	 * message if its revision is not {@code baseRevision} (someone resolved or reopened it meanwhile).
	 */
	Comment setResolved(long threadId, long baseRevision, boolean resolved, String user);

	// users and roles
	/** The user's role in this project; {@link Role#LABELLER} unless set. */
	Role role(String user);

	void setRole(String user, Role role, String byUser);

	/** Every user with a role set in this project, by name. */
	java.util.SortedMap<String, Role> roles();

	/**
	 * Sets (or replaces) a user's lab-server token, given as the hex SHA-256 of the token; the token itself is never
	 * stored. Recorded as an event by {@code byUser}.
	 */
	void setTokenHash(String user, String sha256Hex, String byUser);

	/** Every user with a lab-server token, with the token's hex SHA-256. */
	Map<String, String> tokenHashes();

	/**
	 * Revisions written by change sets after {@code changeSetId}, oldest first, at most {@code limit}: what others
	 * changed since a client last looked (live updates).
	 */
	List<AnnotationRevision> revisionsSince(long changeSetId, int limit);

	// models, predictions, embeddings
	/** Records the start of a training run; the new version is usable only once finished. */
	ModelVersion startModel(Task task, String user, String embedder, String classifier, List<Long> classIds, int trainSize);

	/**
	 * Finishes a training run: writes its predictions (in parts, a transaction each, so that other writes go on between
	 * them; a version's predictions are read only once it is ready), then in one transaction its metrics, the edits it
	 * makes (ROI classes for proposals, as a change set of {@code user}), and makes it the active version of its task.
	 * Should any of it fail, the predictions written are deleted again and the version stays training, for
	 * {@link #abandonModel}.
	 */
	ModelVersion finishModel(long modelId, Map<String, Double> metrics, List<Prediction> predictions, String user, List<Edit> edits);

	/** Marks a run cancelled or failed; nothing it computed is kept (its predictions are deleted), the previous version stays active. */
	void abandonModel(long modelId, ModelVersion.State state, String reason);

	/** Every model version, oldest first. */
	List<ModelVersion> models();

	Optional<ModelVersion> activeModel(Task task);

	/** Makes an earlier (ready) version the active one again: rollback. */
	ModelVersion activate(long modelId, String user);

	List<Prediction> predictions(long modelId);

	Optional<Prediction> prediction(long modelId, Target target);

	/** Cached embedding of an item by an embedder, if computed for the same {@code stamp} (content version). */
	Optional<float[]> embedding(String embedder, Target target, String stamp);

	/** A cached vector with the stamp (content version) it was computed for. */
	record Cached(String stamp, float[] vector) {
		/**
		 * The vector {@code cache} holds for the target if it was computed for {@code stamp}: what {@link #embedding}
		 * answers, looked up in one read of them all ({@link #embeddings}).
		 */
		public static Optional<float[]> current(Map<Target, Cached> cache, Target target, String stamp) {
			Cached c = cache.get(target);
			return c != null && c.stamp().equals(stamp) ? Optional.of(c.vector()) : Optional.empty();
		}
	}

	/** Every vector cached for an embedder, in one read (for a whole project's payloads). */
	Map<Target, Cached> embeddings(String embedder);

	void putEmbeddings(String embedder, Map<Target, float[]> vectors, Map<Target, String> stamps);

	// leases: an item handed out to one labeller is not handed to another until released or expired

	/**
	 * Leases an image to a user, atomically: succeeds when it is free, its lease expired (a crashed client), or the
	 * same user already holds it (then the lease is renewed for {@code ttl}); fails when someone else holds it.
	 *
	 * @param strategy the strategy that chose it, and {@code reason} why (shown to others, kept for the record); may
	 *        be null
	 * @return whether the user now holds the lease
	 */
	boolean tryLease(long imageId, String user, Duration ttl, String strategy, String reason);

	/** Gives a lease back (skip, done, closed); does nothing if the user does not hold it. */
	void release(long imageId, String user);

	/** Images leased to anyone but {@code user} and not yet expired: what Next Image must not hand to them. */
	Set<Long> leasedByOthers(String user);

	// settings
	Optional<String> setting(String key);

	void setSetting(String key, String value);

	/**
	 * Whether other processes may write this store at the same time (a database several lab servers share), so that
	 * what a process keeps beside it (indexes, caches) must be its own.
	 */
	default boolean sharedByProcesses() {
		return false;
	}

	@Override
	void close();
}
