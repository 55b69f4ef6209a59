package org.labelloop.fiji;

import java.util.function.Supplier;

import org.labelloop.backend.Backend;

import ij.IJ;
import ij.ImagePlus;

/**
 * Keeps the shown image current ({@link ProjectView} tells it what changed): it redraws the image's labels when
 * someone else changed them or a flag or thread changed — but never while the user has unsaved ROI edits on it
 * (those would be lost; the first look after Save Labels redraws).
 */
final class LiveUpdates implements ProjectView.Listener {

	private final Backend backend;
	private final Supplier<ImagePlus> shown;
	/** A redraw that waited for the user's unsaved edits. */
	private boolean pending;
	private int redraws;

	LiveUpdates(Backend backend, Supplier<ImagePlus> shown) {
		this.backend = backend;
		this.shown = shown;
	}

	@Override
	public synchronized void changed(ProjectView.Update u) {
		ImagePlus imp = shown.get();
		Long imageId = LabelLoopSession.imageId(imp);
		if (imageId == null) return;
		if (u.changes().byOthersOn(imageId, backend.user()) || u.threads() || u.classes() || pending) redraw(imp);
	}

	/** How many times it redrew the image. */
	synchronized int redraws() {
		return redraws;
	}

	@Override
	public synchronized void unchanged() {
		if (pending) {
			ImagePlus imp = shown.get();
			if (LabelLoopSession.imageId(imp) != null) redraw(imp);
			else pending = false;
		}
	}

	private void redraw(ImagePlus imp) {
		if (!new RoiEdits(backend, imp).saveEdits().isEmpty()) {
			pending = true; // keep the user's unsaved work; look again later
			return;
		}
		pending = false;
		redraws++;
		AnnotationView.refresh(imp, backend);
		IJ.showStatus("LabelLoop: labels updated with others' changes");
	}
}
