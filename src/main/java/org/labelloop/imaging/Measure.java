package org.labelloop.imaging;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

import ij.ImagePlus;
import ij.measure.Measurements;
import ij.process.ImageProcessor;
import ij.process.ImageStatistics;

/**
 * What ImageJ's Analyze&gt;Measure gives for a shape: its area in the image's calibrated unit squared (µm² for a
 * calibrated micrograph, mm² for a CT slice, pixels² without calibration) and its mean intensity in calibrated values
 * (HU for CT with a rescale, the RGB mean for colour images). ImageJ's own statistics compute both, so a filter
 * {@code area>50} means what the Results table shows.
 */
public final class Measure {

	private Measure() {
	}

	/**
	 * Area and mean of a shape on its plane (channel, slice or frame 0: the first channel, the current slice or
	 * frame), or of the whole plane when {@code shape} is {@code null}.
	 *
	 * @return {@code {area, mean}}
	 * @throws IllegalArgumentException if the plane lies outside the image
	 */
	public static float[] of(ImagePlus imp, Geometry shape) {
		Plane p = shape == null ? Plane.ALL : shape.plane();
		int c = p.c() == 0 ? 1 : p.c(), z = p.z() == 0 ? imp.getZ() : p.z(), t = p.t() == 0 ? imp.getT() : p.t();
		if (c > imp.getNChannels() || z > imp.getNSlices() || t > imp.getNFrames())
			throw new IllegalArgumentException("Plane c=" + c + " z=" + z + " t=" + t + " lies outside " + imp.getTitle());
		ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(c, z, t));
		if (shape != null) ip.setRoi(RoiBridge.toRoi(shape));
		else ip.resetRoi();
		ImageStatistics s = ImageStatistics.getStatistics(ip, Measurements.AREA | Measurements.MEAN, imp.getCalibration());
		return new float[] { (float) s.area, (float) s.mean };
	}
}
