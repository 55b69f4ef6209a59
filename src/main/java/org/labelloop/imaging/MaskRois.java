package org.labelloop.imaging;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.geom.Mask;

import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * Masks as ImageJ ROIs and back, headless: one ROI per slice (the pixel-edge outline ImageJ's Create Selection
 * traces, holes included), positioned on ImageJ slice {@code z + 1}; and ROIs back into one mask by their pixel masks.
 * A mask → ROIs → mask round trip gives back the same voxels.
 */
public final class MaskRois {

	private MaskRois() {
	}

	/** One ROI per slice with voxels, each with its slice position ({@link Roi#setPosition(int)} = z + 1). */
	public static List<Roi> toRois(Mask m) {
		List<Roi> out = new ArrayList<>();
		for (int z : m.slices()) {
			Mask.Slice s = m.slice(z);
			ByteProcessor bp = new ByteProcessor(s.w(), s.h());
			byte[] px = (byte[]) bp.getPixels();
			s.forEachRow((y, xs, xe) -> {
				for (int x = xs; x < xe; x++) px[(y - s.y0()) * s.w() + x - s.x0()] = (byte) 255;
			});
			bp.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
			Roi r = new ThresholdToSelection().convert(bp);
			Rectangle b = r.getBounds();
			r.setLocation(b.x + s.x0(), b.y + s.y0());
			r.setPosition(z + 1);
			out.add(r);
		}
		return out;
	}

	/** The voxels of area ROIs, each on its slice (position 1 when it has none), together as one mask. */
	public static Mask toMask(List<Roi> rois) {
		Mask.Builder b = Mask.builder();
		for (Roi r : rois) {
			if (!r.isArea()) throw new IllegalArgumentException("ROI '" + r.getName() + "' is a line or points, not an area");
			int pos = r.hasHyperStackPosition() ? r.getZPosition() : r.getPosition();
			int z = Math.max(1, pos) - 1;
			Rectangle bounds = r.getBounds();
			ImageProcessor mask = r.getMask();
			for (int y = 0; y < bounds.height; y++)
				for (int x = 0; x < bounds.width; x++) {
					if (mask != null && mask.get(x, y) == 0) continue;
					int xs = x;
					while (x + 1 < bounds.width && (mask == null || mask.get(x + 1, y) != 0)) x++;
					b.addRun(z, bounds.y + y, bounds.x + xs, bounds.x + x + 1);
				}
		}
		return b.build();
	}
}
