package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Progress;

class FeatureEmbedderTest {

	private final FeatureEmbedder embedder = new FeatureEmbedder();
	private static final int SHAPE_AT = FeatureEmbedder.DIMENSION - FeatureEmbedder.SHAPE;

	/** Reads a PNG of test-data into a FloatImage, one channel per band. */
	static FloatImage read(Path file) throws IOException {
		BufferedImage im = ImageIO.read(file.toFile());
		Raster r = im.getRaster();
		int w = im.getWidth(), h = im.getHeight(), bands = Math.min(3, r.getNumBands());
		float[] data = new float[w * h * bands];
		for (int b = 0; b < bands; b++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) data[(b * h + y) * w + x] = r.getSample(x, y, b);
		return new FloatImage(w, h, bands, data);
	}

	static FloatImage testImage(String name) throws IOException {
		return read(TestData.path(name));
	}

	private static FloatImage map(FloatImage im, float scale, float offset) {
		float[] d = im.data().clone();
		for (int i = 0; i < d.length; i++) d[i] = d[i] * scale + offset;
		return new FloatImage(im.width(), im.height(), im.channels(), d);
	}

	@Test
	void sameImageGivesTheSameFiniteVector() throws IOException {
		FloatImage im = testImage("fashion/0000_ankle_boot.png");
		float[] a = embedder.embed(im), b = embedder.embed(new FloatImage(28, 28, 1, im.data().clone()));
		assertEquals(FeatureEmbedder.DIMENSION, a.length);
		assertEquals(embedder.dimension(), a.length);
		assertArrayEquals(a, b);
		for (float v : a) assertTrue(Float.isFinite(v));
		assertEquals("features-v2", embedder.id());
	}

	@Test
	void anImageEnlargedTwiceDiffersOnlyInItsSize() throws IOException {
		FloatImage im = testImage("fashion/0001_pullover.png");
		float[] big = new float[56 * 56];
		for (int y = 0; y < 56; y++)
			for (int x = 0; x < 56; x++) big[y * 56 + x] = im.get(0, x / 2, y / 2);
		float[] a = embedder.embed(im), b = embedder.embed(FloatImage.gray(56, 56, big));
		// log(1 + area) and log(1 + perimeter) of the frame grow by about log 4 and log 2; all else stays
		assertEquals(Math.log(4), b[SHAPE_AT] - a[SHAPE_AT], 0.01);
		assertEquals(Math.log(2), b[SHAPE_AT + 1] - a[SHAPE_AT + 1], 0.01);
		for (int i = 0; i < SHAPE_AT; i++) assertEquals(a[i], b[i], 0.02, "feature " + i);
	}

	@Test
	void bitDepthAndExposureDoNotMatter() throws IOException {
		FloatImage im = testImage("microscopy/coins.png");
		float[] a = embedder.embed(im), b = embedder.embed(map(im, 257, 1000)); // as if 16-bit with an offset
		for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4, "feature " + i);
	}

	@Test
	void nanAndInfinitePixelsCountAsZero() throws IOException {
		float[] d = testImage("fashion/0018_bag.png").data().clone();
		d[0] = Float.NaN;
		d[1] = Float.POSITIVE_INFINITY;
		d[2] = Float.NEGATIVE_INFINITY;
		for (float v : embedder.embed(FloatImage.gray(28, 28, d))) assertTrue(Float.isFinite(v));
		for (float v : embedder.embed(FloatImage.gray(4, 4, new float[16]))) assertTrue(Float.isFinite(v)); // constant
	}

	@Test
	void channelsAreAveragedAfterNormalisation() throws IOException {
		FloatImage im = testImage("fashion/0002_trouser.png");
		float[] two = new float[2 * 28 * 28];
		System.arraycopy(im.data(), 0, two, 0, 784);
		System.arraycopy(map(im, 3, 7).data(), 0, two, 784, 784);
		assertArrayEquals(embedder.embed(im), embedder.embed(new FloatImage(28, 28, 2, two)), 1e-3f);
		assertEquals(FeatureEmbedder.DIMENSION, embedder.embed(testImage("microscopy/ihc.png")).length); // RGB
	}

	@Test
	void regionsEmbedWhatLiesUnderThem() throws IOException {
		FloatImage coins = testImage("microscopy/coins.png");
		assertArrayEquals(embedder.embed(coins), embedder.embed(coins, Geometry.rect(0, 0, coins.width(), coins.height(), Plane.ALL)));
		float[] a = embedder.embed(coins, Geometry.oval(10, 10, 60, 60, Plane.ALL));
		float[] b = embedder.embed(coins, Geometry.oval(200, 150, 60, 60, Plane.ALL));
		float[] c = embedder.embed(coins, Geometry.rect(10, 10, 60, 60, Plane.ALL));
		assertFalse(Arrays.equals(Arrays.copyOf(a, SHAPE_AT), Arrays.copyOf(b, SHAPE_AT)), "same shape elsewhere: other pixels");
		assertArrayEquals(Arrays.copyOfRange(a, SHAPE_AT, a.length), Arrays.copyOfRange(b, SHAPE_AT, b.length));
		assertFalse(Arrays.equals(a, c), "same box, other mask");
		// partly outside: clipped to the image
		assertEquals(FeatureEmbedder.DIMENSION, embedder.embed(coins, Geometry.rect(-20, -20, 50, 50, Plane.ALL)).length);
		assertThrows(IllegalArgumentException.class, () -> embedder.embed(coins, Geometry.rect(1000, 1000, 5, 5, Plane.ALL)));
		assertThrows(IllegalArgumentException.class, () -> embedder.embed(coins, Geometry.point(5, 5, Plane.ALL)));
	}

	private float[] shape(Geometry g) {
		float[] v = embedder.embed(FloatImage.gray(64, 64, new float[64 * 64]), g);
		return Arrays.copyOfRange(v, SHAPE_AT, v.length);
	}

	@Test
	void shapeOfARectangle() {
		// area, perimeter, circularity, extent, solidity, aspect, elongation
		float[] s = shape(Geometry.rect(5, 5, 10, 20, Plane.ALL));
		assertEquals(Math.log1p(200), s[0], 1e-5);
		assertEquals(Math.log1p(60), s[1], 1e-5);
		assertEquals(4 * Math.PI * 200 / 3600, s[2], 1e-5);
		assertEquals(1, s[3], 1e-6);
		assertEquals(1, s[4], 1e-6);
		assertEquals(0.5, s[5], 1e-6);
		assertEquals(Math.sqrt(99.0 / 399), s[6], 1e-5); // variances (w² - 1) / 12 of 10 and 20 pixel positions
	}

	@Test
	void shapeOfACircleAndOfAnLShape() {
		float[] circle = shape(Geometry.oval(10, 10, 40, 40, Plane.ALL));
		assertEquals(Math.log1p(400 * Math.PI), circle[0], 1e-5);
		assertEquals(1, circle[2], 1e-5);
		assertEquals(Math.PI / 4, circle[3], 1e-5);
		assertEquals(1, circle[4], 1e-6);
		assertEquals(1, circle[5], 1e-6);
		assertEquals(1, circle[6], 0.02);
		float[] ell = shape(Geometry.polygon(new double[] { 0, 10, 10, 5, 5, 0 }, new double[] { 0, 0, 5, 5, 10, 10 }, Plane.ALL));
		assertEquals(Math.log1p(75), ell[0], 1e-5);
		assertEquals(Math.log1p(40), ell[1], 1e-5);
		assertEquals(0.75, ell[3], 1e-6);
		assertEquals(75 / 87.5, ell[4], 1e-6); // the hull cuts the corner off: 100 - 12.5
	}

	/**
	 * One synthetic image: a bright disc, square, ring or bar of random size and place, on a noisy background, at a
	 * random size, bit depth and exposure.
	 */
	static FloatImage shapeImage(int kind, Random r) {
		int n = 24 + r.nextInt(41);
		double cx = n * (0.35 + 0.3 * r.nextDouble()), cy = n * (0.35 + 0.3 * r.nextDouble()), rad = n * (0.15 + 0.12 * r.nextDouble());
		float gain = r.nextBoolean() ? 1 : 257, offset = r.nextInt(50);
		float[] d = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				double dx = x + 0.5 - cx, dy = y + 0.5 - cy, dist = Math.hypot(dx, dy);
				boolean in = switch (kind) {
					case 0 -> dist < rad;
					case 1 -> Math.abs(dx) < rad * 0.9 && Math.abs(dy) < rad * 0.9;
					case 2 -> dist < rad && dist > rad * 0.6;
					default -> Math.abs(dx) < rad * 1.3 && Math.abs(dy) < rad * 0.35;
				};
				d[y * n + x] = gain * (offset + (in ? 150 : 40) + (float) r.nextGaussian() * 12);
			}
		return FloatImage.gray(n, n, d);
	}

	@Test
	void featuresTellShapesApartWhateverTheirSizeAndExposure() {
		Random r = new Random(5);
		int n = 200;
		List<FloatImage> images = new ArrayList<>();
		int[] y = new int[n];
		for (int i = 0; i < n; i++) images.add(shapeImage(y[i] = i % 4, r));
		float[][] x = embedder.embedAll(images, Progress.NONE);
		double accuracy = Metrics.of(OutOfFold.oof(x, y, 4, 5, ClassifierSpec.logistic(), 1, Progress.NONE), y, 4).accuracy();
		assertTrue(accuracy > 0.9, "out-of-fold accuracy " + accuracy);
	}

	@Test
	void embedAllKeepsTheOrderAndCanBeCancelled() throws IOException {
		List<FloatImage> images = List.of(testImage("fashion/0000_ankle_boot.png"), testImage("fashion/0018_bag.png"),
				testImage("microscopy/coins.png"));
		float[][] all = embedder.embedAll(images, Progress.NONE);
		for (int i = 0; i < images.size(); i++) assertArrayEquals(embedder.embed(images.get(i)), all[i]);
		assertThrows(CancelledException.class, () -> embedder.embedAll(images, new Progress() {
			@Override public void report(double fraction, String message) { }
			@Override public boolean isCancelled() { return true; }
		}));
	}

	@Test
	void gridResamplingAveragesAreas() {
		float[] src = { 1, 3, 5, 7, 2, 4, 6, 8 }; // 4x2
		assertArrayEquals(new float[] { 2.5f, 6.5f }, Grid.resample(src, 4, 2, 2, 1));
		assertArrayEquals(new float[] { 1, 1, 3, 3, 1, 1, 3, 3 }, Grid.resample(new float[] { 1, 3 }, 2, 1, 4, 2));
		float[] third = Grid.resample(new float[] { 0, 3, 6 }, 3, 1, 2, 1); // each output covers 1.5 pixels
		assertEquals((0 + 3 * 0.5f) / 1.5f, third[0], 1e-6);
		assertEquals((3 * 0.5f + 6) / 1.5f, third[1], 1e-6);
	}

	@Test
	void orientationIsAtan2FoldedToHalfATurn() {
		Random r = new Random(1);
		for (int i = 0; i < 10_000; i++) {
			double gx = r.nextGaussian(), gy = r.nextGaussian(), expected = Math.atan2(gy, gx);
			if (expected < 0) expected += Math.PI;
			double got = FeatureEmbedder.orientation(gx, gy), diff = Math.abs(got - expected);
			assertTrue(got >= 0 && got < Math.PI && Math.min(diff, Math.PI - diff) < 1e-4, gx + "," + gy + ": " + got + " vs " + expected);
		}
		assertEquals(0, FeatureEmbedder.orientation(1, 0), 1e-9);
		assertEquals(0, FeatureEmbedder.orientation(-1, 0), 1e-9);
		assertEquals(Math.PI / 2, FeatureEmbedder.orientation(0, -1), 1e-9);
		assertEquals(Math.PI / 4, FeatureEmbedder.orientation(-1, -1), 1e-4);
	}
}
