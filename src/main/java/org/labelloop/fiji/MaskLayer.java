package org.labelloop.fiji;

import java.awt.Color;
import java.awt.Graphics;
import java.util.List;

import org.labelloop.core.geom.Mask;

import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Roi;

/**
 * The label layer of an image's masks: one overlay item that paints, semi-transparent in each class's colour, the
 * masks' voxels on the slice shown now, so it follows the slice slider without a picture per slice (it draws runs
 * of one slice, decoded on demand: {@link Mask#slice}). The brush's stroke in progress is drawn on top. Marked as
 * LabelLoop's, so the user's own overlay is never touched.
 */
public final class MaskLayer extends Roi {

	private static final long serialVersionUID = 1L;

	/** One mask and its colour. */
	public record Painted(Mask mask, Color colour) {
	}

	private final transient ImagePlus image;
	private final transient List<Painted> masks;
	private final float opacity;
	private transient volatile Painted pending;

	public MaskLayer(ImagePlus image, List<Painted> masks, double opacity) {
		super(0, 0, image.getWidth(), image.getHeight());
		this.image = image;
		this.masks = List.copyOf(masks);
		this.opacity = (float) Math.max(0, Math.min(1, opacity));
		setProperty(AnnotationView.MARK, "masks");
		setName("LabelLoop masks");
	}

	/** The stroke being painted (drawn over the masks), or {@code null} when none. */
	public void setPending(Mask stroke, Color colour) {
		pending = stroke == null ? null : new Painted(stroke, colour);
	}

	/** The slice shown now, as a mask's z (ImageJ's slice minus one). */
	public static int shownZ(ImagePlus imp) {
		return (imp.isHyperStack() ? imp.getZ() : imp.getCurrentSlice()) - 1;
	}

	@Override
	public void drawOverlay(Graphics g) {
		ImageCanvas ic = image.getCanvas();
		if (ic == null) return;
		int z = shownZ(image);
		for (Painted p : masks) paint(g, ic, p, z, opacity);
		Painted now = pending;
		if (now != null) paint(g, ic, now, z, Math.max(opacity, 0.6f));
	}

	@Override
	public void draw(Graphics g) {
		drawOverlay(g);
	}

	private static void paint(Graphics g, ImageCanvas ic, Painted p, int z, float opacity) {
		if (z < p.mask().minZ() || z > p.mask().maxZ()) return;
		Color c = p.colour();
		g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.round(255 * opacity)));
		p.mask().slice(z).forEachRow((y, xs, xe) -> {
			int sx = ic.screenX(xs), sy = ic.screenY(y);
			g.fillRect(sx, sy, Math.max(1, ic.screenX(xe) - sx), Math.max(1, ic.screenY(y + 1) - sy));
		});
	}

	/** How many masks it draws (for tests). */
	public int size() {
		return masks.size();
	}
}
