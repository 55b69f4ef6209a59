package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.FloatImage;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
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
}
