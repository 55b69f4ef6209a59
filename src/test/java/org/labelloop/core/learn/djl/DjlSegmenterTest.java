package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
