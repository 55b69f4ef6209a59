package org.labelloop.imaging;

import ij.ImagePlus;
import ij.ImageStack;

import org.labelloop.core.seg.FloatVolume;

/** ImageJ images → {@link FloatVolume} for {@code core.seg}: the first channel and time point, every slice. */
public final class FloatVolumes {
	private FloatVolumes() {
	}

	public static FloatVolume from(ImagePlus imp) {
		if (imp.getBitDepth() == 24) throw new IllegalArgumentException("An RGB image has no single grey channel; split the channels first: " + imp.getTitle());
		int w = imp.getWidth(), h = imp.getHeight(), d = imp.getNSlices(), plane = w * h;
		ImageStack st = imp.getStack();
		float[] data = new float[plane * d];
		for (int z = 0; z < d; z++) {
			float[] p = (float[]) st.getProcessor(imp.getStackIndex(1, z + 1, 1)).convertToFloatProcessor().getPixels();
			System.arraycopy(p, 0, data, z * plane, plane);
		}
		return new FloatVolume(w, h, d, data);
	}
}
