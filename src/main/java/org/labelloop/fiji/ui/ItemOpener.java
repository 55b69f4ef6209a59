package org.labelloop.fiji.ui;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Similar;
import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * Opens an item from a window: its image with LabelLoop's overlay (the session's path); a volume at the item's slice,
 * and for a ROI selects it.
 */
final class ItemOpener {

	private ItemOpener() {
	}

	/** Call off the event thread (it reads the image file). Errors are shown as LabelLoop errors. */
	static void open(LabelLoopSession session, String item, long imageId) {
		try {
			Backend b = session.backend();
			ImagePlus imp = session.show(b.image(imageId));
			Similar.ItemRef ref = Similar.parse(item);
			if (ref.isSlice() && ref.z() <= imp.getNSlices()) imp.setPosition(imp.getC(), ref.z(), imp.getT());
			if (!ref.isRoi()) return;
			Overlay o = imp.getOverlay();
			if (o == null) return;
			for (Roi r : o.toArray())
				if (String.valueOf(ref.id()).equals(r.getProperty(AnnotationView.ID))) {
					imp.setRoi((Roi) r.clone());
					return;
				}
		} catch (RuntimeException e) {
			LabelLoopCommand.error("Open item", e.getMessage());
		}
	}
}
