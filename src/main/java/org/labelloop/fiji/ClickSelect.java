package org.labelloop.fiji;

import java.awt.Rectangle;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseListener;

import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.Toolbar;
import ij.plugin.frame.RoiManager;

/**
 * A plain click inside one of LabelLoop's shapes selects it, on the image and in the ROI Manager, so that a class
 * hotkey or Accept/Reject Selected acts on it next. ImageJ itself selects an overlay shape only on a long press, a
 * double click or an alt-click; a labeller clicks a proposed coin and presses its key. Only with a selection tool,
 * only when the click (no drag) left nothing selected, and only LabelLoop's shapes: the user's own ROIs and tools
 * behave as ImageJ makes them. Where shapes nest, the smallest one under the pointer wins.
 */
final class ClickSelect extends MouseAdapter {

	/** How far (screen pixels) the pointer may move between press and release for a click. */
	private static final int SLOP = 3;
	private final ImagePlus imp;
	private int pressX, pressY;

	private ClickSelect(ImagePlus imp) {
		this.imp = imp;
	}

	/** Listens to the image's canvas (once; after ImageJ's own listener, so ImageJ has handled the click first). */
	static void attach(ImagePlus imp) {
		ImageCanvas c = imp.getCanvas();
		if (c == null) return;
		for (MouseListener l : c.getMouseListeners())
			if (l instanceof ClickSelect) return;
		c.addMouseListener(new ClickSelect(imp));
	}

	@Override
	public void mousePressed(MouseEvent e) {
		pressX = e.getX();
		pressY = e.getY();
	}

	@Override
	public void mouseReleased(MouseEvent e) {
		if (Math.abs(e.getX() - pressX) > SLOP || Math.abs(e.getY() - pressY) > SLOP || e.isPopupTrigger() || e.getButton() != MouseEvent.BUTTON1)
			return;
		if (!selectionTool(Toolbar.getToolId()) || imp.getRoi() != null || imp.getCanvas() == null) return;
		ImageCanvas c = imp.getCanvas();
		Roi hit = under(imp.getOverlay(), c.offScreenX(e.getX()), c.offScreenY(e.getY()), imp.getCurrentSlice(), imp.getZ());
		if (hit == null) return;
		imp.setRoi((Roi) hit.clone());
		selectInManager(hit);
	}

	static boolean selectionTool(int tool) {
		return tool == Toolbar.RECTANGLE || tool == Toolbar.OVAL || tool == Toolbar.POLYGON || tool == Toolbar.FREEROI;
	}

	/**
	 * LabelLoop's editable shape under image pixel (x, y), on the stack slice {@code slice} (z {@code z} of a
	 * hyperstack) or on all slices: the smallest one there, or null.
	 */
	static Roi under(Overlay o, int x, int y, int slice, int z) {
		if (o == null) return null;
		Roi best = null;
		long bestArea = Long.MAX_VALUE;
		for (Roi r : o.toArray()) {
			if (!AnnotationView.isOurs(r) || r.getProperty(AnnotationView.MARK) != null || r.getProperty(AnnotationView.ID) == null) continue;
			if (r.hasHyperStackPosition() ? r.getZPosition() > 0 && r.getZPosition() != z : r.getPosition() > 0 && r.getPosition() != slice) continue;
			if (!r.contains(x, y)) continue;
			Rectangle b = r.getBounds();
			long area = (long) b.width * b.height;
			if (area < bestArea) {
				best = r;
				bestArea = area;
			}
		}
		return best;
	}

	/** The ROI Manager's entry for the same annotation, selected there too (no entry: the image selection is enough). */
	private void selectInManager(Roi hit) {
		RoiManager rm = RoiManager.getInstance();
		if (rm == null) return;
		Object id = hit.getProperty(AnnotationView.ID), image = hit.getProperty(AnnotationView.IMAGE);
		for (int i = 0; i < rm.getCount(); i++) {
			Roi r = rm.getRoi(i);
			if (r != null && id.equals(r.getProperty(AnnotationView.ID)) && (image == null || image.equals(r.getProperty(AnnotationView.IMAGE)))) {
				rm.select(imp, i);
				return;
			}
		}
	}
}
