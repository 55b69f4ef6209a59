package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.learn.FloatImage;

class DjlSegmenterTest {

	@Test
	void twoClassMapBecomesLabelsAtImageSize(@TempDir Path dir) throws IOException {
		Path model = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(4, 4));
		float[] px = new float[16];
		px[5] = px[6] = px[9] = px[10] = 1; // a bright 2×2 square in the middle
		FloatImage image = FloatImage.gray(4, 4, px);
		DjlEmbedder.Settings s = DjlEmbedder.Settings.of(model, 4, 4, 1).withNormalisation(new float[] { 0.5f }, new float[] { 1 });
		try (DjlSegmenter seg = DjlSegmenter.open(s, Float.NEGATIVE_INFINITY)) {
			int[] expected = new int[16];
			expected[5] = expected[6] = expected[9] = expected[10] = 1;
			assertArrayEquals(expected, seg.labelMap(image));
			// an 8×8 image: resized to the model's 4×4 and the map back to 8×8 by nearest neighbour
			float[] big = new float[64];
			for (int y = 0; y < 8; y++)
				for (int x = 0; x < 8; x++) big[y * 8 + x] = px[(y / 2) * 4 + x / 2];
			int[] map = seg.labelMap(FloatImage.gray(8, 8, big));
			for (int y = 0; y < 8; y++)
				for (int x = 0; x < 8; x++) assertTrue(map[y * 8 + x] == expected[(y / 2) * 4 + x / 2], "at " + x + "," + y);
			assertTrue(seg.id().startsWith("seg-djl-onnx-"), seg.id());
		}
		// a threshold above every score leaves only background
		try (DjlSegmenter strict = DjlSegmenter.open(s, 10)) {
			assertArrayEquals(new int[16], strict.labelMap(image));
		}
	}

	/**
	 * Tiles at full resolution: on coins.png (384×303) a 64×64 model sees every pixel as it is, so its map is exactly the
	 * per-pixel rule (pixel > 128 is class 1) everywhere, tile seams included; resizing the whole image to 64×64 is not.
	 */
	@Test
	void tilesLabelEveryPixelAtFullResolutionWithoutSeams(@TempDir Path dir) throws IOException {
		Path model = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(64, 64));
		ij.ImagePlus imp = ij.IJ.openImage(org.labelloop.TestData.path("microscopy/coins.png").toString());
		FloatImage image = org.labelloop.imaging.FloatImages.from(imp, org.labelloop.core.geom.Plane.ALL);
		int[] rule = new int[image.width() * image.height()];
		for (int i = 0; i < rule.length; i++) rule[i] = image.data()[i] > 128 ? 1 : 0;
		DjlEmbedder.Settings s = DjlEmbedder.Settings.of(model, 64, 64, 1).withNormalisation(new float[] { 128 }, new float[] { 1 });
		try (DjlSegmenter seg = DjlSegmenter.open(s, Float.NEGATIVE_INFINITY)) {
			for (double overlap : new double[] { 0, 0.25, 0.5 }) assertArrayEquals(rule, seg.labelMapTiled(image, overlap), "overlap " + overlap);
			int[] resized = seg.labelMap(image);
			long differ = java.util.stream.IntStream.range(0, rule.length).filter(i -> resized[i] != rule[i]).count();
			assertTrue(differ > rule.length / 100, "resizing to 64×64 loses detail: " + differ + " pixels differ");
			// an image smaller than the window is padded with its edges, not resized
			FloatImage small = FloatImage.gray(10, 7, java.util.Arrays.copyOf(image.data(), 70));
			int[] smallRule = java.util.Arrays.copyOf(rule, 70);
			assertArrayEquals(smallRule, seg.labelMapTiled(small, 0.25));
			assertThrows(IllegalArgumentException.class, () -> seg.labelMapTiled(image, 0.95));
		}
		assertArrayEquals(new int[] { 0, 48, 96, 144, 192, 240, 256 }, DjlSegmenter.starts(320, 64, 0.25));
		assertArrayEquals(new int[] { 0 }, DjlSegmenter.starts(40, 64, 0.25));
	}
}
