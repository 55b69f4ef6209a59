package org.labelloop.imaging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.IntensityRange;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Hands ImageJ pixels to the model layer as {@link FloatImage}s: the values ImageJ shows (calibrated: Hounsfield units
 * for a CT whose DICOM has a rescale, the signed values of a signed 16-bit image), with the {@link IntensityRange}
 * of the image's modality.
 */
public final class FloatImages {

	/** ImageJ's property for a DICOM file's Modality (0008,0060). */
	private static final String MODALITY = "0008,0060";

	private FloatImages() {
	}

	/**
	 * One plane of an image as floats. For several planes of one volume take {@link #of} once: the volume's
	 * intensity range is then computed once.
	 *
	 * @see Planes#plane
	 */
	public static FloatImage from(ImagePlus imp, Plane plane) {
		return of(imp).plane(plane);
	}

	/** The planes of one image. */
	public static Planes of(ImagePlus imp) {
		return new Planes(imp);
	}

	/**
	 * The modality of an image: DICOM's Modality (CT, MR, …) when ImageJ read one, CT for a DICOM series in HU; null
	 * when unknown (NIfTI, TIFF, photographs).
	 */
	public static String modality(ImagePlus imp) {
		String m = imp.getProp(MODALITY);
		if (m != null && !m.isBlank()) return m.strip().toUpperCase(Locale.ROOT);
		return "HU".equals(imp.getCalibration().getValueUnit()) ? "CT" : null;
	}

	/** The planes of one image, read with one calibration and one intensity range per channel and frame. */
	public static final class Planes {
		private final ImagePlus imp;
		private final float[] calibration;
		private final boolean rgb, ct;
		/** Robust ranges of a volume, by channel and frame ({@code c * frames + t}); absent value: not computed yet. */
		private final Map<Integer, float[]> volumeRanges = new HashMap<>();

		private Planes(ImagePlus imp) {
			this.imp = imp;
			this.rgb = imp.getProcessor() instanceof ColorProcessor;
			// ImageJ's calibration of 8- and 16-bit images (a 32-bit image's values are already what it shows)
			this.calibration = rgb || imp.getBitDepth() == 32 ? null : imp.getCalibration().getCTable();
			this.ct = "CT".equals(modality(imp));
		}

		/**
		 * One plane as floats, in calibrated values; an RGB image gives three channels, red, green and blue. Its
		 * intensity range: the CT window for a CT; for another volume (more than one slice) one robust range per
		 * channel over all of the volume's slices at that frame; none for a 2D image.
		 *
		 * @param plane 1-based channel, slice and frame; channel 0 takes every channel, slice or frame 0 the image's
		 *        current one
		 * @throws IllegalArgumentException if the plane lies outside the image
		 */
		public FloatImage plane(Plane plane) {
			int z = plane.z() == 0 ? imp.getZ() : plane.z(), t = plane.t() == 0 ? imp.getT() : plane.t();
			if (plane.c() > imp.getNChannels() || z > imp.getNSlices() || t > imp.getNFrames())
				throw new IllegalArgumentException("Plane c=" + plane.c() + " z=" + z + " t=" + t + " lies outside " + imp.getTitle()
						+ " (" + imp.getNChannels() + " channels, " + imp.getNSlices() + " slices, " + imp.getNFrames() + " frames)");
			int first = plane.c() == 0 ? 1 : plane.c(), last = plane.c() == 0 ? imp.getNChannels() : plane.c();
			int w = imp.getWidth(), h = imp.getHeight(), n = w * h;
			int channels = (last - first + 1) * (rgb ? 3 : 1);
			float[] data = new float[channels * n];
			int at = 0;
			for (int c = first; c <= last; c++)
				for (int band = 0; band < (rgb ? 3 : 1); band++, at += n) values(c, z, t, band, data, at);
			return new FloatImage(w, h, channels, data, range(first, last, t, channels));
		}

		/** One band of one plane in calibrated values, copied into {@code data} from {@code at}; never the image's own pixels. */
		private void values(int c, int z, int t, int band, float[] data, int at) {
			ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
			// toFloat returns a FloatProcessor itself, so copy rather than share its pixels
			float[] v = (float[]) ip.toFloat(band, null).getPixels();
			System.arraycopy(v, 0, data, at, v.length);
			if (calibration != null)
				for (int i = at; i < at + v.length; i++) data[i] = calibration[(int) data[i]];
		}

		private IntensityRange range(int first, int last, int t, int channels) {
			if (ct) return IntensityRange.ct(channels);
			if (imp.getNSlices() <= 1 || rgb) return null;
			float[] lo = new float[channels], hi = new float[channels];
			for (int c = first; c <= last; c++) {
				float[] r = volumeRange(c, t);
				if (r == null) return null; // a constant channel: nothing to normalise by
				lo[c - first] = r[0];
				hi[c - first] = r[1];
			}
			return new IntensityRange("robust range of the volume " + imp.getTitle(), lo, hi);
		}

		/** The robust range of channel c over all slices of frame t; computed once. */
		private float[] volumeRange(int c, int t) {
			int key = (c - 1) * imp.getNFrames() + t - 1;
			if (volumeRanges.containsKey(key)) return volumeRanges.get(key);
			ImageStack stack = imp.getStack();
			float[] r = IntensityRange.robust(sink -> {
				for (int z = 1; z <= imp.getNSlices(); z++) {
					ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c, z, t));
					for (int i = 0, n = ip.getPixelCount(); i < n; i++) sink.accept(calibration != null ? calibration[ip.get(i)] : ip.getf(i));
				}
			});
			volumeRanges.put(key, r);
			return r;
		}
	}
}
