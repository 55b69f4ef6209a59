package org.labelloop.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.geom.Mask;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.GaussianBlur3D;
import ij.process.AutoThresholder;

/**
 * 3D object proposals without a model: optional 3D Gaussian smoothing (ImageJ's {@link GaussianBlur3D}), one
 * auto-threshold for the whole stack (ImageJ's {@link AutoThresholder} on the histogram of every slice together),
 * then 3D connected parts (6-connected, {@link LabelMap.Split#CONNECTED}) kept when their voxel count lies in
 * [min, max]: one mask per object. Headless; one channel and one time point at a time.
 */
public final class VolumeProposer {

	/**
	 * @param method    an {@link AutoThresholder.Method} name (Otsu, Li, Huang, Triangle, …)
	 * @param channel   1-based channel
	 * @param frame     1-based time point
	 * @param sigma     Gaussian smoothing in voxels (x, y and z alike; 0 = none)
	 * @param objects   bright, dark, or the smaller phase (AUTO)
	 * @param minVoxels smallest object kept
	 * @param maxVoxels largest object kept
	 */
	public record Settings(String method, int channel, int frame, double sigma, ClassicalProposer.Objects objects, long minVoxels, long maxVoxels) {
		public Settings {
			ClassicalProposer.method(method);
			if (channel < 1 || frame < 1) throw new IllegalArgumentException("channel and frame are 1-based, not " + channel + ", " + frame);
			if (!(sigma >= 0)) throw new IllegalArgumentException("sigma must not be negative");
			if (objects == null) objects = ClassicalProposer.Objects.AUTO;
			if (minVoxels < 1 || maxVoxels < minVoxels) throw new IllegalArgumentException("need 1 ≤ min voxels ≤ max voxels, got " + minVoxels + ", " + maxVoxels);
		}

		public static Settings defaults() {
			return new Settings("Otsu", 1, 1, 1, ClassicalProposer.Objects.AUTO, 20, Long.MAX_VALUE);
		}

		public String id() {
			return String.format(Locale.ROOT, "classical3d:%s,c%d,t%d,s%.2f,%s,v%d-%s", method, channel, frame, sigma,
					objects.name().toLowerCase(Locale.ROOT), minVoxels, maxVoxels == Long.MAX_VALUE ? "inf" : Long.toString(maxVoxels));
		}
	}

	private VolumeProposer() {
	}

	/** The objects of one channel and time point of the image, as masks (z = 0-based slice). */
	public static List<Mask> propose(ImagePlus imp, Settings s) {
		if (s.channel() > imp.getNChannels() || s.frame() > imp.getNFrames())
			throw new IllegalArgumentException("Image " + imp.getTitle() + " has " + imp.getNChannels() + " channel(s) and " + imp.getNFrames()
					+ " frame(s), not channel " + s.channel() + ", frame " + s.frame());
		int w = imp.getWidth(), h = imp.getHeight(), d = imp.getNSlices();
		ImageStack st = new ImageStack(w, h);
		for (int z = 1; z <= d; z++) {
			var ip = imp.getStack().getProcessor(imp.getStackIndex(s.channel(), z, s.frame()));
			if (imp.getBitDepth() == 24) ip = ip.convertToByte(false);
			st.addSlice(null, ip.convertToFloat().duplicate());
		}
		ImagePlus f = new ImagePlus("volume", st);
		if (s.sigma() > 0) GaussianBlur3D.blur(f, s.sigma(), s.sigma(), d > 1 ? s.sigma() : 0);
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (int z = 1; z <= d; z++)
			for (float v : (float[]) st.getPixels(z)) {
				if (v < min) min = v;
				if (v > max) max = v;
			}
		if (!(max > min)) return List.of(); // flat: nothing to find
		int[] hist = new int[256];
		double scale = 255.0 / (max - min);
		for (int z = 1; z <= d; z++)
			for (float v : (float[]) st.getPixels(z)) hist[Math.min(255, (int) ((v - min) * scale))]++;
		int level = new AutoThresholder().getThreshold(ClassicalProposer.method(s.method()), hist);
		long above = 0, total = (long) w * h * d;
		for (int b = level + 1; b < 256; b++) above += hist[b];
		boolean bright = switch (s.objects()) {
			case BRIGHT -> true;
			case DARK -> false;
			case AUTO -> above <= total - above;
		};
		float minF = min;
		List<LabelMap.Labelled> parts = LabelMap.toMasks(w, h, d, z -> {
			float[] px = (float[]) st.getPixels(z + 1);
			int[] out = new int[px.length];
			for (int i = 0; i < px.length; i++) out[i] = (Math.min(255, (int) ((px[i] - minF) * scale)) > level) == bright ? 1 : 0;
			return out;
		}, LabelMap.Split.CONNECTED);
		List<Mask> out = new ArrayList<>();
		for (LabelMap.Labelled p : parts) {
			long n = p.mask().voxelCount();
			if (n >= s.minVoxels() && n <= s.maxVoxels()) out.add(p.mask());
		}
		return out;
	}
}
