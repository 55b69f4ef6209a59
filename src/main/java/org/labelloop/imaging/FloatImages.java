package org.labelloop.imaging;

import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.FloatImage;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** Hands ImageJ pixels to the model layer as {@link FloatImage}s. */
public final class FloatImages {

	private FloatImages() {
	}

	/**
	 * One plane of an image as floats: raw pixel values of any bit depth (no calibration applied; the embedders
	 * normalise intensities themselves). An RGB image gives three channels, red, green and blue.
	 *
	 * @param plane 1-based channel, slice and frame; channel 0 takes every channel, slice or frame 0 the image's
	 *        current one
	 * @throws IllegalArgumentException if the plane lies outside the image
	 */
	public static FloatImage from(ImagePlus imp, Plane plane) {
		int z = plane.z() == 0 ? imp.getZ() : plane.z(), t = plane.t() == 0 ? imp.getT() : plane.t();
		if (plane.c() > imp.getNChannels() || z > imp.getNSlices() || t > imp.getNFrames())
			throw new IllegalArgumentException("Plane c=" + plane.c() + " z=" + z + " t=" + t + " lies outside " + imp.getTitle()
					+ " (" + imp.getNChannels() + " channels, " + imp.getNSlices() + " slices, " + imp.getNFrames() + " frames)");
		int first = plane.c() == 0 ? 1 : plane.c(), last = plane.c() == 0 ? imp.getNChannels() : plane.c();
		int w = imp.getWidth(), h = imp.getHeight(), n = w * h;
		boolean rgb = imp.getProcessor() instanceof ColorProcessor;
		int channels = (last - first + 1) * (rgb ? 3 : 1);
		float[] data = new float[channels * n];
		ImageStack stack = imp.getStack();
		int at = 0;
		for (int c = first; c <= last; c++) {
			ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c, z, t));
			for (int band = 0; band < (rgb ? 3 : 1); band++, at += n) {
				// toFloat returns a FloatProcessor itself, so copy rather than share its pixels
				System.arraycopy((float[]) ip.toFloat(band, null).getPixels(), 0, data, at, n);
			}
		}
		return new FloatImage(w, h, channels, data);
	}
}
