package org.labelloop.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.EDM;
import ij.plugin.filter.GaussianBlur;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.AutoThresholder;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

/**
 * Object proposals without a model: smooth, auto-threshold, optionally split touching objects by watershed, then
 * trace every connected object as a polygon and keep those that pass the size and shape filters. Built on
 * ImageJ's own {@link AutoThresholder}, {@link EDM} and {@link ParticleAnalyzer}, so the result is what a user
 * would get from Threshold → Watershed → Analyze Particles; runs headless.
 */
public final class ClassicalProposer {

	/** Where objects are relative to the background. */
	public enum Objects { BRIGHT, DARK, AUTO }

	/**
	 * @param method         an {@link AutoThresholder.Method} name: Otsu, Huang, Li, Triangle, …
	 * @param channel        1-based channel to threshold
	 * @param sigma          Gaussian smoothing before thresholding, in pixels (0 = none)
	 * @param objects        bright objects, dark objects, or AUTO: the smaller of the two phases is the objects
	 * @param watershed      split touching round objects
	 * @param minArea        smallest object, in pixels
	 * @param maxArea        largest object, in pixels
	 * @param minCircularity 4π·area/perimeter², 0..1
	 * @param excludeEdges   drop objects touching the image border
	 */
	public record Settings(String method, int channel, double sigma, Objects objects, boolean watershed, double minArea,
			double maxArea, double minCircularity, boolean excludeEdges) {

		public Settings {
			ClassicalProposer.method(method); // validates
			if (channel < 1) throw new IllegalArgumentException("channel is 1-based, not " + channel);
			if (sigma < 0) throw new IllegalArgumentException("sigma must not be negative");
			if (minArea < 0 || maxArea < minArea) throw new IllegalArgumentException("need 0 ≤ min area ≤ max area, got " + minArea + ", " + maxArea);
			if (minCircularity < 0 || minCircularity > 1) throw new IllegalArgumentException("circularity lies in [0, 1], not " + minCircularity);
		}

		public static Settings defaults() {
			return new Settings("Otsu", 1, 1, Objects.AUTO, true, 20, Double.POSITIVE_INFINITY, 0, false);
		}

		public String id() {
			return String.format(Locale.ROOT, "classical:%s,c%d,s%.2f,%s,%s,a%.0f-%.0f,circ%.2f%s", method, channel, sigma,
					objects.name().toLowerCase(Locale.ROOT), watershed ? "ws" : "nows", minArea, maxArea, minCircularity, excludeEdges ? ",noedge" : "");
		}
	}

	static AutoThresholder.Method method(String name) {
		for (AutoThresholder.Method m : AutoThresholder.Method.values())
			if (m.name().equalsIgnoreCase(name)) return m;
		throw new IllegalArgumentException("Unknown threshold method '" + name + "'; known: " + String.join(", ", AutoThresholder.getMethods()));
	}

	private ClassicalProposer() {
	}

	/** Objects on one plane (z and t 1-based) of the image, as traced polygons on that plane. */
	public static List<Geometry> propose(ImagePlus imp, Settings s, int z, int t) {
		if (s.channel() > imp.getNChannels())
			throw new IllegalArgumentException("Image " + imp.getTitle() + " has " + imp.getNChannels() + " channel(s), not " + s.channel());
		ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(s.channel(), z, t)).duplicate();
		if (imp.getBitDepth() == 24) ip = ip.convertToByte(false); // RGB: luminance
		ImageProcessor f = ip.convertToFloat();
		if (s.sigma() > 0) new GaussianBlur().blurGaussian(f, s.sigma());
		ByteProcessor bp = mask(f, s);
		if (s.watershed()) new EDM().toWatershed(bp);
		return trace(bp, s, Images.plane(imp, s.channel(), z, t));
	}

	/** 255 where the objects are, 0 elsewhere. */
	static ByteProcessor mask(ImageProcessor f, Settings s) {
		f.resetMinAndMax();
		double min = f.getMin(), max = f.getMax();
		ByteProcessor out = new ByteProcessor(f.getWidth(), f.getHeight());
		if (max <= min) return out; // flat image: nothing to find
		ByteProcessor scaled = (ByteProcessor) f.convertToByte(true);
		int level = new AutoThresholder().getThreshold(method(s.method()), scaled.getHistogram());
		byte[] px = (byte[]) scaled.getPixels(), o = (byte[]) out.getPixels();
		int above = 0;
		for (byte b : px) if ((b & 0xff) > level) above++;
		boolean bright = switch (s.objects()) {
			case BRIGHT -> true;
			case DARK -> false;
			case AUTO -> above <= px.length - above;
		};
		for (int i = 0; i < px.length; i++)
			if (((px[i] & 0xff) > level) == bright) o[i] = (byte) 255;
		return out;
	}

	private static List<Geometry> trace(ByteProcessor bp, Settings s, Plane plane) {
		bp.setThreshold(255, 255, ImageProcessor.NO_LUT_UPDATE);
		int options = ParticleAnalyzer.SHOW_OVERLAY_OUTLINES | ParticleAnalyzer.INCLUDE_HOLES
				| (s.excludeEdges() ? ParticleAnalyzer.EXCLUDE_EDGE_PARTICLES : 0);
		ParticleAnalyzer pa = new ParticleAnalyzer(options, Measurements.AREA, new ResultsTable(), s.minArea(), s.maxArea(), s.minCircularity(), 1);
		pa.setHideOutputImage(true);
		ImagePlus holder = new ImagePlus("mask", bp);
		if (!pa.analyze(holder, bp)) throw new IllegalStateException("ImageJ's particle analyser failed");
		Overlay found = holder.getOverlay();
		List<Geometry> out = new ArrayList<>();
		if (found == null) return out;
		for (Roi r : found.toArray()) {
			Geometry g = RoiBridge.toGeometry(r);
			out.add(new Geometry(g.kind(), g.x(), g.y(), g.parts(), plane));
		}
		return out;
	}
}
