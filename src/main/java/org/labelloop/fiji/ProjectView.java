package org.labelloop.fiji;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Changes;
import org.labelloop.core.model.LabelClass;

import ij.IJ;

/**
 * The open project as the plugin's views see it, kept current from the project's change feed
 * ({@link Backend#changes}): one call per refresh, the same for a project folder and a server project. It holds a
 * snapshot (the classes, the newest change set seen, the stamp of open threads) and tells its listeners what
 * changed; the overlay of the shown image ({@link LiveUpdates}), the class hotkeys and the windows follow it instead
 * of keeping copies of their own. It polls every {@link #PERIOD_MS} ms, and commands ask it to {@link #refresh()} at
 * once after a change of their own.
 */
public final class ProjectView implements AutoCloseable {

	/** How often to ask, in milliseconds ({@code -Dlabelloop.liveUpdateMillis}, default 3000). */
	static final long PERIOD_MS = Long.getLong("labelloop.liveUpdateMillis", 3000);

	/**
	 * What one look found.
	 *
	 * @param threads whether a flag or thread was added, answered, resolved or reopened
	 * @param classes whether the classes changed (added, renamed, recoloured, new hotkey)
	 */
	public record Update(Changes changes, boolean threads, boolean classes) {
	}

	/** Told of each change; runs on the view's thread (a Swing listener hands over to the event thread itself). */
	public interface Listener {
		/** Something changed: revisions after the last look, a thread, or the classes. */
		void changed(Update update);

		/** A look that found nothing new (a listener that had to wait, e.g. for unsaved edits, may try again now). */
		default void unchanged() {
		}
	}

	private final Backend backend;
	private final List<Listener> listeners = new CopyOnWriteArrayList<>();
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "LabelLoop project view");
		t.setDaemon(true);
		return t;
	});
	private volatile List<LabelClass> classes;
	private long since;
	private String flags;
	private boolean unreachable;

	ProjectView(Backend backend) {
		this.backend = backend;
		Changes now = backend.changes(Changes.LATEST);
		since = now.latest();
		flags = now.flags();
		classes = now.classes();
	}

	/** Starts polling the feed. */
	void start() {
		timer.scheduleWithFixedDelay(this::refresh, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
	}

	/** The project's classes as of the last look (read without waiting: key presses use it on the event thread). */
	public List<LabelClass> classes() {
		return classes;
	}

	/** Adds a listener; the returned action removes it again. */
	public Runnable subscribe(Listener l) {
		listeners.add(l);
		return () -> listeners.remove(l);
	}

	/** Looks at the feed once and tells the listeners; returns what changed, or {@code null} for nothing (or no answer). */
	public synchronized Update refresh() {
		Changes c;
		try {
			c = backend.changes(since);
		} catch (RuntimeException e) {
			if (!unreachable) IJ.log("LabelLoop: live updates paused: " + e.getMessage());
			unreachable = true;
			return null;
		}
		if (unreachable) IJ.showStatus("LabelLoop: the project answers again");
		unreachable = false;
		Update u = new Update(c, !c.flags().equals(flags), !c.classes().equals(classes));
		boolean changed = !c.revisions().isEmpty() || u.threads() || u.classes();
		since = c.latest();
		flags = c.flags();
		classes = c.classes();
		for (Listener l : listeners) {
			try {
				if (changed) l.changed(u);
				else l.unchanged();
			} catch (RuntimeException e) {
				IJ.log("LabelLoop: a view failed to update: " + e.getMessage());
			}
		}
		return changed ? u : null;
	}

	@Override
	public void close() {
		timer.shutdownNow();
		listeners.clear();
	}
}
