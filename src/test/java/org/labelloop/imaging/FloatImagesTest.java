package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.IntensityRange;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

class FloatImagesTest {

	/** A 3x2 hyperstack of 2 channels and 2 slices; pixel (x, y) of channel c, slice z holds 1000c + 100z + 10y + x. */
	private static ImagePlus hyperstack() {
		ImageStack stack = new ImageStack(3, 2);
		for (int z = 1; z <= 2; z++)
			for (int c = 1; c <= 2; c++) {
				ShortProcessor ip = new ShortProcessor(3, 2);
				for (int y = 0; y < 2; y++)
					for (int x = 0; x < 3; x++) ip.set(x, y, 1000 * c + 100 * z + 10 * y + x);
				stack.addSlice(ip);
			}
		ImagePlus imp = new ImagePlus("hyper", stack);
		imp.setDimensions(2, 2, 1);
		return imp;
	}

	@Test
	void takesEveryChannelOfOnePlane() {
		FloatImage im = FloatImages.from(hyperstack(), new Plane(0, 2, 1));
		assertEquals(3, im.width());
		assertEquals(2, im.height());
		assertEquals(2, im.channels());
		assertEquals(1212, im.get(0, 2, 1));
		assertEquals(2201, im.get(1, 1, 0));
	}

	@Test
	void takesOneChannelOrTheCurrentSlice() {
		ImagePlus imp = hyperstack();
		FloatImage c2 = FloatImages.from(imp, new Plane(2, 1, 1));
		assertEquals(1, c2.channels());
		assertEquals(2110, c2.get(0, 0, 1));
		assertEquals(1100, FloatImages.from(imp, Plane.ALL).get(0, 0, 0)); // current slice is 1
		assertThrows(IllegalArgumentException.class, () -> FloatImages.from(imp, new Plane(3, 1, 1)));
		assertThrows(IllegalArgumentException.class, () -> FloatImages.from(imp, new Plane(1, 3, 1)));
	}

	@Test
	void rgbGivesThreeChannelsAndFloatPixelsAreCopied() {
		ColorProcessor cp = new ColorProcessor(2, 1);
		cp.set(0, 0, (10 << 16) | (20 << 8) | 30);
		FloatImage rgb = FloatImages.from(new ImagePlus("rgb", cp), Plane.ALL);
		assertEquals(3, rgb.channels());
		assertArrayEquals(new float[] { 10, 0, 20, 0, 30, 0 }, rgb.data());

		float[] pixels = { 1.5f, -2 };
		FloatImage f = FloatImages.from(new ImagePlus("f", new FloatProcessor(2, 1, pixels)), Plane.ALL);
		assertArrayEquals(pixels, f.data());
		assertNotSame(pixels, f.data());
	}

	@Test
	void aCtIsReadInHounsfieldUnitsAndEmbeddedThroughTheCtWindow() {
		ImagePlus ct = Images.open(TestData.path("dicom/CT_small.dcm"));
		assertEquals("CT", FloatImages.modality(ct));
		FloatImage im = FloatImages.from(ct, Plane.ALL);
		// every pixel is the value ImageJ shows: stored value with the rescale intercept of -1024 applied
		ImageProcessor ip = ct.getProcessor();
		for (int i = 0; i < ip.getPixelCount(); i++) assertEquals(ct.getCalibration().getCValue(ip.get(i)), im.data()[i], 1e-3, "pixel " + i);
		assertEquals(-849, im.data()[0], 1e-3);
		IntensityRange window = im.range();
		assertNotNull(window);
		assertArrayEquals(new float[] { -1000 }, window.low());
		assertArrayEquals(new float[] { 1000 }, window.high());

		// a region's intensity features read its HU on that window, not stretched to the region's own range: the
		// first feature is the mean normalised value, (HU + 1000) / 2000 clamped to [0, 1]
		Geometry region = Geometry.rect(40, 40, 30, 20, null);
		double expected = 0;
		for (int y = 40; y < 60; y++)
			for (int x = 40; x < 70; x++) expected += Math.min(1, Math.max(0, (im.get(0, x, y) + 1000) / 2000.0));
		expected /= 30 * 20;
		FeatureEmbedder embedder = new FeatureEmbedder();
		float[] withWindow = embedder.embed(im, region);
		assertEquals(expected, withWindow[0], 1e-4);
		float[] ownRange = embedder.embed(new FloatImage(im.width(), im.height(), 1, im.data()), region);
		assertTrue(Math.abs(ownRange[0] - withWindow[0]) > 0.05, "the window changes what the region looks like: " + ownRange[0] + " vs " + withWindow[0]);

		// the same HU stored with another offset (a scanner writing unsigned values with intercept -2024) embed alike
		ImagePlus shifted = ct.duplicate();
		shifted.getProcessor().add(1000);
		shifted.setProp("0008,0060", "CT");
		Calibration cal = shifted.getCalibration();
		double[] k = ct.getCalibration().getCoefficients();
		cal.setFunction(Calibration.STRAIGHT_LINE, new double[] { k[0] - 1000, k[1] }, "Gray Value");
		assertArrayEquals(withWindow, embedder.embed(FloatImages.from(shifted, Plane.ALL), region), 1e-5f);
	}

	@Test
	void anMrSliceHasNoWindowAndAVolumeOneRangeOverAllItsSlices() {
		// a 2D MR slice: signed values as ImageJ shows them, normalised region by region
		ImagePlus mr = Images.open(TestData.path("dicom/MR_small.dcm"));
		assertEquals("MR", FloatImages.modality(mr));
		FloatImage slice = FloatImages.from(mr, Plane.ALL);
		assertNull(slice.range());
		assertEquals(mr.getCalibration().getCValue(mr.getProcessor().get(0)), slice.data()[0], 1e-3);

		// an MRI volume (NIfTI, no modality): every slice gets the volume's robust range
		ImagePlus vol = Images.open(TestData.path("mri/ch2_crop.nii"));
		assertNull(FloatImages.modality(vol));
		int n = vol.getWidth() * vol.getHeight() * vol.getNSlices();
		float[] all = new float[n];
		for (int z = 1; z <= vol.getNSlices(); z++)
			System.arraycopy((float[]) vol.getStack().getProcessor(z).convertToFloatProcessor().getPixels(), 0, all, (z - 1) * n / vol.getNSlices(), n / vol.getNSlices());
		float[] sorted = all.clone();
		Arrays.sort(sorted);
		float bin = (sorted[n - 1] - sorted[0]) / 1023;
		FloatImages.Planes read = FloatImages.of(vol);
		IntensityRange first = read.plane(new Plane(0, 1, 1)).range();
		assertNotNull(first);
		for (int z = 2; z <= vol.getNSlices(); z++) {
			IntensityRange r = read.plane(new Plane(0, z, 1)).range();
			assertArrayEquals(first.low(), r.low(), "slice " + z);
			assertArrayEquals(first.high(), r.high(), "slice " + z);
		}
		assertEquals(sorted[(int) Math.floor(0.005 * (n - 1))], first.low()[0], 1.01 * bin);
		assertEquals(sorted[(int) Math.floor(0.995 * (n - 1))], first.high()[0], 1.01 * bin);
		// and a 2D image has none
		assertNull(FloatImages.from(Images.open(TestData.path("microscopy/coins.png")), Plane.ALL).range());
	}
}
