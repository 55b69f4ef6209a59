package org.labelloop.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * Label maps (0 = background, 1..n = classes or instances, e.g. the thresholded output of a segmentation model) to
 * polygons, headless. Each 8-connected component of each label is traced by ImageJ's {@link ParticleAnalyzer} (the
 * Wand), as Analyze Particles would; enclosed holes (background or another label) are left out of the outline.
 */
public final class LabelMaps {

	/**
	 * One traced object.
	 *
	 * @param label the label of its pixels
	 * @param geometry its outline (a traced polygon, or a composite when it has holes)
	 */
	public record Region(int label, Geometry geometry) {
	}

	private LabelMaps() {
	}

	/** Every connected component of every label &gt; 0, ordered by label, then as ImageJ finds them (top to bottom). */
	public static List<Region> toGeometries(ImageProcessor labelMap) {
		return toGeometries(labelMap, 1, Plane.ALL);
	}

	/**
	 * Every connected component of every label &gt; 0 with at least {@code minArea} pixels, on {@code plane}.
	 *
	 * @param labelMap byte, short or float processor holding whole numbers (float values are rounded)
	 */
	public static List<Region> toGeometries(ImageProcessor labelMap, double minArea, Plane plane) {
		int w = labelMap.getWidth(), h = labelMap.getHeight(), n = w * h;
		int[] labels = new int[n];
		TreeSet<Integer> present = new TreeSet<>();
		for (int i = 0; i < n; i++) {
			float v = labelMap.getf(i);
			labels[i] = Float.isFinite(v) ? Math.round(v) : 0;
			if (labels[i] > 0) present.add(labels[i]);
		}
		List<Region> out = new ArrayList<>();
		for (int label : present) {
			ByteProcessor mask = new ByteProcessor(w, h);
			byte[] px = (byte[]) mask.getPixels();
			for (int i = 0; i < n; i++) if (labels[i] == label) px[i] = (byte) 255;
			mask.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
			ParticleAnalyzer pa = new ParticleAnalyzer(ParticleAnalyzer.SHOW_OVERLAY_OUTLINES, Measurements.AREA, new ResultsTable(),
					Math.max(0, minArea), Double.POSITIVE_INFINITY, 0, 1);
			pa.setHideOutputImage(true);
			ImagePlus holder = new ImagePlus("label " + label, mask);
			if (!pa.analyze(holder, mask)) throw new IllegalStateException("ImageJ's particle analyser failed on label " + label);
			Overlay found = holder.getOverlay();
			if (found == null) continue;
			for (Roi r : found.toArray()) {
				Geometry g = RoiBridge.toGeometry(r);
				out.add(new Region(label, new Geometry(g.kind(), g.x(), g.y(), g.parts(), plane)));
			}
		}
		return out;
	}
}
