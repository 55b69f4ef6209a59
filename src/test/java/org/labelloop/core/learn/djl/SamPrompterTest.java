package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;

/**
 * The promptable-model click path on real ONNX Runtime with models of SAM's export signature that the test writes
 * ({@link TinyOnnx#samEncoder}, {@link TinyOnnx#samDecoder}: the object is a disc around the first click, so the
 * coordinate transform from image pixels to the encoder's frame is checked pixel by pixel).
 */
class SamPrompterTest {

	@TempDir
	Path dir;

	private static final int SIDE = 64, W = 40, H = 30;
	private static final float RADIUS = 8.08f; // in the 64-pixel frame: 5.05 image pixels at 64/40 = 1.6 (no pixel centre near the edge)

	private SamPrompter open() throws Exception {
		return SamPrompter.open(Files.write(dir.resolve("enc.onnx"), TinyOnnx.samEncoder(SIDE)),
				Files.write(dir.resolve("dec.onnx"), TinyOnnx.samDecoder(SIDE, W, H, RADIUS)));
	}

	private static FloatImage slice(float v) {
		float[] px = new float[W * H];
		for (int i = 0; i < px.length; i++) px[i] = v + i % 7;
		return FloatImage.gray(W, H, px);
	}

	@Test
	void aClickGivesTheDecodersObjectInImagePixelsAndTheEncoderRunsOncePerSlice() throws Exception {
		try (SamPrompter sam = open()) {
			assertEquals(SIDE, sam.side());
			SamPrompter.Result r = sam.segment("a/0", slice(0), List.of(new SamPrompter.Point(10, 12, true)));
			assertTrue(r.encoded());
			assertEquals(0.9f, r.predictedIou(), 1e-6);
			boolean[] want = new boolean[W * H];
			double s = (double) SIDE / W, r2 = RADIUS * RADIUS;
			for (int y = 0; y < H; y++)
				for (int x = 0; x < W; x++) want[y * W + x] = Math.pow((x - 10) * s, 2) + Math.pow((y - 12) * s, 2) < r2;
			assertArrayEquals(want, r.mask(), "the disc of radius 5.05 image pixels around the click");
			assertEquals(81, r.area());

			// more clicks on the same slice reuse its embedding; a shift-click (outside) is passed as label 0
			SamPrompter.Result again = sam.segment("a/0", slice(0), List.of(new SamPrompter.Point(30, 20, true), new SamPrompter.Point(10, 12, false)));
			assertFalse(again.encoded());
			assertTrue(again.mask()[20 * W + 30] && !again.mask()[12 * W + 10]);
			assertEquals(1, sam.encoderRuns());
			sam.segment("a/1", slice(5), List.of(new SamPrompter.Point(1, 1, true)));
			assertEquals(2, sam.encoderRuns(), "another slice is encoded");
			for (int z = 2; z < 2 + SamPrompter.CACHED; z++) sam.segment("a/" + z, slice(z), List.of(new SamPrompter.Point(1, 1, true)));
			sam.segment("a/0", slice(0), List.of(new SamPrompter.Point(10, 12, true)));
			assertEquals(3 + SamPrompter.CACHED, sam.encoderRuns(), "only the last " + SamPrompter.CACHED + " slices are kept");
		}
	}

	@Test
	void badClicksAndModelsOfAnotherSignatureAreRefusedClearly() throws Exception {
		try (SamPrompter sam = open()) {
			assertTrue(assertThrows(IllegalArgumentException.class, () -> sam.segment("a", slice(0), List.of(new SamPrompter.Point(40, 3, true))))
					.getMessage().contains("outside the 40×30 image"));
			assertTrue(assertThrows(IllegalArgumentException.class, () -> sam.segment("a", slice(0), List.of(new SamPrompter.Point(4, 3, false))))
					.getMessage().contains("no inside point"));
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> sam.segment("b", FloatImage.gray(20, 30, new float[600]), List.of(new SamPrompter.Point(4, 3, true))));
			assertTrue(e.getMessage().contains("gave masks of shape 1×1×30×40 for a 20×30 image"), e.getMessage());
		}
		Path enc = Files.write(dir.resolve("e.onnx"), TinyOnnx.samEncoder(SIDE)), seg = Files.write(dir.resolve("seg.onnx"), TinyOnnx.twoClassMap(32, 32));
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> SamPrompter.open(enc, seg));
		assertTrue(e.getMessage().contains("takes the inputs [x]") && e.getMessage().contains("export_onnx_model.py"), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> SamPrompter.open(seg, Files.write(dir.resolve("d.onnx"), TinyOnnx.samDecoder(SIDE, W, H, RADIUS))));
		assertTrue(e.getMessage().contains("1×1×32×32") && e.getMessage().contains("1×3×S×S"), e.getMessage());
		Path broken = Files.write(dir.resolve("broken.onnx"), new byte[] { 1, 2, 3 });
		e = assertThrows(LabelLoopException.class, () -> SamPrompter.open(broken, seg));
		assertTrue(e.getMessage().contains("broken.onnx") && e.getMessage().contains("could not be read as an ONNX model"), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> SamPrompter.open(dir.resolve("missing.onnx"), seg));
		assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
	}
}
