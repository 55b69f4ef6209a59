package org.labelloop.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;

/**
 * One project's engine: the parts every user of one project store shares, made once per store. It holds the store,
 * the vector indexes and map computations ({@link ItemIndex}: Lucene allows one writer per index folder, so a second
 * copy on the same store fails), the image files and their checked hashes ({@link ImageFiles}), and the Retrain lock.
 * <p>
 * Who is asking is not part of the engine: {@link #as(String)} gives a {@link LocalBackend}, a thin per-user view
 * that records changes under that user and keeps that user's leases. The Fiji plugin holds one view; the lab server
 * one view per user, all over this one engine; Share Project serves the Fiji user's engine to the server's users.
 */
public final class ProjectEngine implements AutoCloseable {

	private final ProjectStore store;
	private final ItemIndex items;
	private final SimilarQueries similar;
	private final ItemMaps maps;
	private final ImageFiles files;
	private final PixelMaps pixels;
	private final PredictionRows predictionRows;
	private final ReentrantLock training = new ReentrantLock();
	private final Map<String, LocalBackend> views = new ConcurrentHashMap<>();
	private volatile String trainingUser;
	private volatile boolean closed;

	public ProjectEngine(ProjectStore store) {
		this.store = Objects.requireNonNull(store, "store");
		this.items = new ItemIndex(store);
		this.similar = new SimilarQueries(store, items);
		this.maps = new ItemMaps(store, items);
		this.files = new ImageFiles(store);
		this.pixels = new PixelMaps(store);
		this.predictionRows = new PredictionRows(store);
	}

	/** Makes a new project folder (which may already hold images). */
	public static ProjectEngine create(Path folder, String name) {
		return new ProjectEngine(SqlProjectStore.create(folder, name));
	}

	/** Opens a project folder: its SQLite file (taking the folder's lock), or the database the folder points to. */
	public static ProjectEngine open(Path folder) {
		return new ProjectEngine(SqlProjectStore.open(folder));
	}

	/** Opens the project in the folder with its store on the PostgreSQL database given. */
	public static ProjectEngine open(Path folder, org.labelloop.core.store.Database db) {
		return new ProjectEngine(SqlProjectStore.open(folder, db));
	}

	/**
	 * The view of this project for {@code user}: the same object for the same user, so their leases and undo stay
	 * theirs wherever they come from (a Fiji, a server request).
	 */
	public LocalBackend as(String user) {
		if (closed) throw new LabelLoopException("The project is closed.");
		if (user == null || user.isBlank()) throw new LabelLoopException("A user name is needed to record who labelled what.");
		return views.computeIfAbsent(user.strip(), u -> new LocalBackend(this, u));
	}

	public ProjectStore store() {
		return store;
	}

	PixelMaps pixels() {
		return pixels;
	}

	PredictionRows predictionRows() {
		return predictionRows;
	}

	ItemIndex items() {
		return items;
	}

	SimilarQueries similar() {
		return similar;
	}

	ItemMaps maps() {
		return maps;
	}

	ImageFiles files() {
		return files;
	}

	/**
	 * Runs a Retrain; one at a time per project (two would write model versions and indexes over each other). A second
	 * one is refused at once, naming who is training, rather than queued behind a run of minutes.
	 */
	<T> T training(String user, java.util.function.Supplier<T> work) {
		if (!training.tryLock())
			throw new LabelLoopException("A Retrain started by " + trainingUser + " is running on this project; try again when it has finished.");
		try {
			trainingUser = user;
			return work.get();
		} finally {
			trainingUser = null;
			training.unlock();
		}
	}

	/**
	 * The change feed: revisions after change set {@code since} (whole change sets, at most about {@code limit}), the
	 * open threads' stamp and the classes. {@link Changes#LATEST} asks only for the newest change set id.
	 */
	public Changes changes(long since, Long imageId, int limit) {
		long latest = store.latestChangeSetId();
		List<AnnotationRevision> revs = since < 0 ? List.of() : store.revisionsSince(since, limit + 1);
		boolean more = revs.size() > limit;
		if (more) {
			revs = revs.subList(0, limit);
			// stop at a whole change set so the client never sees half of one
			long lastSet = revs.get(revs.size() - 1).changeSetId();
			List<AnnotationRevision> whole = revs.stream().filter(r -> r.changeSetId() < lastSet).toList();
			if (!whole.isEmpty()) revs = whole;
			latest = revs.get(revs.size() - 1).changeSetId();
		}
		if (imageId != null) revs = revs.stream().filter(r -> r.imageId() == imageId).toList();
		return new Changes(since, Math.max(since, latest), revs, more, Changes.flagStamp(store.threads(true)), store.classes());
	}

	/**
	 * Closes the indexes and the store (releasing the project's lock); every view stops working. Leases stay until
	 * they expire (the command line's {@code next} leases images for the minutes asked); the plugin gives its own
	 * back when it closes the project.
	 */
	@Override
	public void close() {
		if (closed) return;
		closed = true;
		try {
			maps.close();
			items.close();
		} finally {
			store.close();
		}
	}
}
