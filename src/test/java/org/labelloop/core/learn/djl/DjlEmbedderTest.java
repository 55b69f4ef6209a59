package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

class DjlEmbedderTest {

	static final int C = 1, H = 3, W = 4, K = 5;
	static float[][] weights = new float[C * H * W][K];
	static float[] bias = new float[K];

	@TempDir
	static Path dir;
	static Path onnx;

	@BeforeAll
	static void writeModel() throws IOException {
		for (int i = 0; i < C * H * W; i++)
			for (int j = 0; j < K; j++) weights[i][j] = ((i * 7 + j * 3) % 11 - 5) / 4f;
		for (int j = 0; j < K; j++) bias[j] = j - 2;
		onnx = dir.resolve("tiny.onnx");
		Files.write(onnx, TinyOnnx.gemm(C, H, W, weights, bias));
	}

	/** x·W + b by hand. */
	static float[] expected(float[] x) {
		float[] y = new float[K];
		for (int j = 0; j < K; j++) {
			double s = bias[j];
			for (int i = 0; i < x.length; i++) s += x[i] * weights[i][j];
			y[j] = (float) s;
		}
		return y;
	}

	static FloatImage image(int seed) {
		float[] d = new float[C * H * W];
		for (int i = 0; i < d.length; i++) d[i] = (i * 13 + seed * 5) % 17;
		return new FloatImage(W, H, C, d);
	}

	@Test
	void onnxGemmEqualsHandComputedProduct() {
		try (DjlEmbedder e = DjlEmbedder.open(DjlEmbedder.Settings.of(onnx, W, H, C))) {
			assertEquals(K, e.dimension());
			assertEquals(DjlEmbedder.Format.ONNX, e.format());
			for (int seed = 0; seed < 3; seed++) {
				FloatImage im = image(seed);
				assertArrayEquals(expected(im.data()), e.embed(im), 1e-4f);
			}
			assertTrue(e.id().startsWith("djl-onnx-" + DjlEmbedder.sha256(onnx).substring(0, 12)), e.id());
		}
	}

	@Test
	void normalisationAndOutputByNameAndIndex() {
		FloatImage im = image(1);
		float[] norm = im.data().clone();
		for (int i = 0; i < norm.length; i++) norm[i] = (norm[i] - 3) / 2;
		float[] y = expected(norm), r = y.clone();
		for (int i = 0; i < r.length; i++) r[i] = Math.max(0, r[i]);
		DjlEmbedder.Settings s = DjlEmbedder.Settings.of(onnx, W, H, C).withNormalisation(new float[] { 3 }, new float[] { 2 });
		try (DjlEmbedder byName = DjlEmbedder.open(s.withOutput("r")); DjlEmbedder byIndex = DjlEmbedder.open(s.withOutput(1));
				DjlEmbedder first = DjlEmbedder.open(s)) {
			assertArrayEquals(r, byName.embed(im), 1e-4f);
			assertArrayEquals(r, byIndex.embed(im), 1e-4f);
			assertArrayEquals(y, first.embed(im), 1e-4f);
			assertNotEquals(byName.id(), first.id());
			// many images in parallel through the default embedAll
			float[][] all = first.embedAll(List.of(image(0), image(1), image(2), image(3)), Progress.NONE);
			for (int i = 0; i < 4; i++) assertArrayEquals(first.embed(image(i)), all[i]);
		}
	}

	@Test
	void resizesGreyAndColourImagesAndRegions() {
		try (DjlEmbedder e = DjlEmbedder.open(DjlEmbedder.Settings.of(onnx, W, H, C))) {
			FloatImage im = image(2);
			// the same image enlarged 2× by pixel repetition comes back to the original (2×2 averaging)
			float[] big = new float[4 * W * H];
			for (int y = 0; y < 2 * H; y++)
				for (int x = 0; x < 2 * W; x++) big[y * 2 * W + x] = im.get(0, x / 2, y / 2);
			assertArrayEquals(e.embed(im), e.embed(FloatImage.gray(2 * W, 2 * H, big)), 1e-4f);
			// three equal channels average to the grey image
			float[] rgb = new float[3 * W * H];
			for (int c = 0; c < 3; c++) System.arraycopy(im.data(), 0, rgb, c * W * H, W * H);
			assertArrayEquals(e.embed(im), e.embed(new FloatImage(W, H, 3, rgb)), 1e-4f);
			// a region covering the whole image is the whole image
			assertArrayEquals(e.embed(im), e.embed(im, Geometry.rect(0, 0, W, H, null)), 1e-4f);
			assertThrows(IllegalArgumentException.class, () -> e.embed(im, Geometry.point(1, 1, null)));
		}
	}

	@Test
	void missingFile() {
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(dir.resolve("nope.onnx"), W, H, C)));
		assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());
	}

	@Test
	void wrongFormat() throws IOException {
		Path h5 = Files.writeString(dir.resolve("model.h5"), "HDF");
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(h5, W, H, C)));
		assertTrue(ex.getMessage().contains("ONNX model (.onnx) or a TorchScript model (.pt"), ex.getMessage());
		Path zipAsOnnx = dir.resolve("zipped.onnx");
		zip(zipAsOnnx);
		ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(zipAsOnnx, W, H, C)));
		assertTrue(ex.getMessage().contains("not an ONNX model"), ex.getMessage());
	}

	@Test
	void corruptOnnx() throws IOException {
		byte[] good = Files.readAllBytes(onnx);
		Path cut = dir.resolve("cut.onnx");
		Files.write(cut, java.util.Arrays.copyOf(good, good.length / 2));
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(cut, W, H, C)));
		assertTrue(ex.getMessage().contains("could not be read as an ONNX model"), ex.getMessage());
		Path empty = Files.write(dir.resolve("empty.onnx"), new byte[0]);
		ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(empty, W, H, C)));
		assertTrue(ex.getMessage().contains("is empty"), ex.getMessage());
	}

	@Test
	void wrongInputShape() {
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(onnx, 28, 28, 3)));
		assertTrue(ex.getMessage().contains("expects input 1×1×3×4 but the settings give 1×3×28×28"), ex.getMessage());
	}

	@Test
	void noSuchOutput() {
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(onnx, W, H, C).withOutput(2)));
		assertTrue(ex.getMessage().contains("has 2 output(s)") && ex.getMessage().contains("r 1×5"), ex.getMessage());
		ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(onnx, W, H, C).withOutput("z")));
		assertTrue(ex.getMessage().contains("no output named 'z'"), ex.getMessage());
	}

	/** TorchScript models cannot be made here (no Python torch), so only the TorchScript path's errors are tested. */
	@Test
	void torchScriptErrors() throws IOException {
		Path pickle = Files.write(dir.resolve("state_dict.pt"), new byte[] { (byte) 0x80, 2, 'c', 'x' });
		var ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(pickle, W, H, C)));
		assertTrue(ex.getMessage().contains("not a TorchScript archive"), ex.getMessage());
		Path badZip = dir.resolve("broken.pt");
		zip(badZip);
		ex = assertThrows(LabelLoopException.class, () -> DjlEmbedder.open(DjlEmbedder.Settings.of(badZip, W, H, C)));
		assertTrue(ex.getMessage().contains("could not be read as a TorchScript model"), ex.getMessage());
	}

	@Test
	void settingsAreChecked() {
		assertThrows(IllegalArgumentException.class, () -> DjlEmbedder.Settings.of(onnx, W, H, 2));
		assertThrows(IllegalArgumentException.class, () -> DjlEmbedder.Settings.of(onnx, W, H, 3).withNormalisation(new float[2], null));
		assertThrows(IllegalArgumentException.class, () -> DjlEmbedder.Settings.of(onnx, W, H, 1).withNormalisation(null, new float[] { 0 }));
	}

	private static void zip(Path file) throws IOException {
		try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
			z.putNextEntry(new ZipEntry("archive/data.pkl"));
			z.write(new byte[] { 1, 2, 3 });
			z.closeEntry();
		}
	}
}
