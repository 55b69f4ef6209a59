package org.labelloop.backend;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqliteProjectStore;

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
	private final ImageFiles files;
	private final ReentrantLock training = new ReentrantLock();
	private final Map<String, LocalBackend> views = new ConcurrentHashMap<>();
	private volatile String trainingUser;
	private volatile boolean closed;

	public ProjectEngine(ProjectStore store) {
		this.store = Objects.requireNonNull(store, "store");
		this.items = new ItemIndex(store);
		this.files = new ImageFiles(store);
	}

	/** Makes a new project folder (which may already hold images). */
	public static ProjectEngine create(Path folder, String name) {
		return new ProjectEngine(SqliteProjectStore.create(folder, name));
	}

	/** Opens a project folder, taking its lock. */
	public static ProjectEngine open(Path folder) {
		return new ProjectEngine(SqliteProjectStore.open(folder));
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

	ItemIndex items() {
		return items;
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

	public boolean isClosed() {
		return closed;
	}

	/** Closes the indexes and the store (releasing the project's lock); every view stops working. */
	@Override
	public void close() {
		if (closed) return;
		closed = true;
		try {
			for (LocalBackend b : views.values()) b.releaseItems();
			items.close();
		} finally {
			store.close();
		}
	}
}
