package org.labelloop.fiji;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.labelloop.backend.remote.Messages;
import org.labelloop.backend.remote.RemoteBackend;

import ij.IJ;
import ij.ImagePlus;

/**
 * Keeps the shown image of a server project current: every few seconds it asks the server what changed since it
 * last looked, and redraws the image's labels when someone else changed them or a flag or thread changed — but
 * never while the user has unsaved ROI edits on it (those would be lost; the next poll after Save Labels redraws).
 */
final class LiveUpdates implements AutoCloseable {

	/** How often to ask, in milliseconds ({@code -Dlabelloop.liveUpdateMillis}, default 3000). */
	static final long PERIOD_MS = Long.getLong("labelloop.liveUpdateMillis", 3000);

	private final RemoteBackend backend;
	private final Supplier<ImagePlus> shown;
	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread t = new Thread(r, "LabelLoop live updates");
		t.setDaemon(true);
		return t;
	});
	private long since;
	private String flags;
	private boolean unreachable;

	LiveUpdates(RemoteBackend backend, Supplier<ImagePlus> shown) {
		this.backend = backend;
		this.shown = shown;
		this.since = backend.latestChangeAtConnect();
	}

	void start() {
		timer.scheduleWithFixedDelay(this::poll, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
	}

	/** One look at the server; returns whether the image was redrawn. */
	synchronized boolean poll() {
		try {
			ImagePlus imp = shown.get();
			Long imageId = LabelLoopSession.imageId(imp);
			Messages.Changes c = backend.changes(since, imageId);
			boolean byOthers = c.revisions().stream().anyMatch(r -> !r.author().equals(backend.user()));
			boolean flagsChanged = flags != null && !flags.equals(c.flags());
			if (unreachable) IJ.showStatus("LabelLoop: the server answers again");
			unreachable = false;
			if (imp == null || imageId == null || (!byOthers && !flagsChanged)) {
				since = c.latest();
				flags = c.flags();
				return false;
			}
			if (!new RoiEdits(backend, imp).saveEdits().isEmpty()) return false; // keep the user's unsaved work; look again later
			since = c.latest();
			flags = c.flags();
			AnnotationView.refresh(imp, backend);
			IJ.showStatus("LabelLoop: labels updated with others' changes");
			return true;
		} catch (RuntimeException e) {
			if (!unreachable) IJ.log("LabelLoop: live updates paused: " + e.getMessage());
			unreachable = true;
			return false;
		}
	}

	@Override
	public void close() {
		timer.shutdownNow();
	}
}
