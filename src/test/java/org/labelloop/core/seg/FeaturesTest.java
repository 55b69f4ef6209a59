package org.labelloop.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Progress;

class FeaturesTest {

	private static FloatVolume fill(int w, int h, int d, Fn f) {
		float[] v = new float[w * h * d];
		for (int z = 0; z < d; z++)
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++) v[(z * h + y) * w + x] = (float) f.at(x, y, z);
		return new FloatVolume(w, h, d, v);
	}

	interface Fn {
		double at(int x, int y, int z);
	}

	private static float[] channel(Features.Stack s, String name) {
		return s.channels()[s.names().indexOf(name)];
	}

	@Test
	void gaussianOfAConstantIsTheConstantAndItsDerivativesVanish() {
		for (int d : new int[] { 1, 5 }) {
			Features.Stack s = Features.compute(fill(17, 13, d, (x, y, z) -> 7.5), Features.Options.standard(), Progress.NONE);
			assertEquals(Features.Options.standard().count(d > 1), s.count());
			for (int f = 0; f < s.count(); f++)
				for (float v : s.channels()[f]) {
					String n = s.names().get(f);
					assertEquals(n.equals("raw") || n.startsWith("gauss") ? 7.5 : 0, v, 1e-4, n);
				}
		}
	}

	@Test
	void gaussianKernelSumsToOneAndSmoothingKeepsTheMeanOfARamp() {
		float[] k = Gaussian.kernel(2);
		double sum = k[0];
		for (int i = 1; i < k.length; i++) sum += 2 * k[i];
		assertEquals(1, sum, 1e-6);
		// a linear ramp is unchanged away from the borders (symmetric kernel), and its gradient is the slope
		Features.Stack s = Features.compute(fill(40, 30, 1, (x, y, z) -> 3 * x + 0.5 * y), new Features.Options(new double[] { 2 }, true, true), Progress.NONE);
		int i = 15 * 40 + 20;
		assertEquals(3 * 20 + 0.5 * 15, channel(s, "gauss@2.0")[i], 1e-3);
		assertEquals(Math.sqrt(9 + 0.25), channel(s, "gradient@2.0")[i], 1e-3);
		// structure tensor of a constant gradient g: g g^T, eigenvalues |g|^2 and 0
		assertEquals(9.25, channel(s, "structure1@2.0")[i], 1e-2);
		assertEquals(0, channel(s, "structure2@2.0")[i], 1e-2);
	}

	@Test
	void hessianOfAQuadraticHasItsEigenvaluesIn2dAnd3d() {
		// f = x^2 - 0.5 y^2 + 0.75 xy: Hessian [[2, .75], [.75, -1]], eigenvalues 0.5 +- sqrt(2.25 + 0.5625)
		Features.Stack s = Features.compute(fill(41, 41, 1, (x, y, z) -> (x - 20) * (x - 20) - 0.5 * (y - 20) * (y - 20) + 0.75 * (x - 20) * (y - 20)),
				new Features.Options(new double[] { 1.5 }, true, false), Progress.NONE);
		int i = 20 * 41 + 20;
		double r = Math.sqrt(2.25 + 0.5625);
		assertEquals(0.5 + r, channel(s, "hessian1@1.5")[i], 1e-3);
		assertEquals(0.5 - r, channel(s, "hessian2@1.5")[i], 1e-3);
		// 3D: f = x^2 + 2 y^2 + 3 z^2 -> eigenvalues 6, 4, 2
		Features.Stack t = Features.compute(fill(25, 25, 25, (x, y, z) -> (x - 12) * (x - 12) + 2 * (y - 12) * (y - 12) + 3 * (z - 12) * (z - 12)),
				new Features.Options(new double[] { 1 }, true, false), Progress.NONE);
		int c = (12 * 25 + 12) * 25 + 12;
		assertEquals(6, channel(t, "hessian1@1.0")[c], 1e-3);
		assertEquals(4, channel(t, "hessian2@1.0")[c], 1e-3);
		assertEquals(2, channel(t, "hessian3@1.0")[c], 1e-3);
	}

	@Test
	void symmetric3x3EigenvaluesMatchAKnownMatrix() {
		// [[2,1,0],[1,2,0],[0,0,5]]: 5, 3, 1
		double[] out = new double[3];
		Features.eigen3(new double[] { 2, 2, 5, 1, 0, 0 }, out);
		assertEquals(5, out[0], 1e-9);
		assertEquals(3, out[1], 1e-9);
		assertEquals(1, out[2], 1e-9);
		Features.eigen3(new double[] { 1, 3, 2, 0, 0, 0 }, out);
		assertEquals(3, out[0], 1e-12);
		assertEquals(1, out[2], 1e-12);
	}

	@Test
	void badOptionsAndInputsAreRefusedWithClearMessages() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new Features.Options(new double[] { 2, 1 }, true, true)).getMessage().contains("increasing"));
		assertThrows(IllegalArgumentException.class, () -> new Features.Options(new double[0], true, true));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new FloatVolume(4, 4, 2, new float[16])).getMessage().contains("needs 32"));
		FloatVolume img = fill(20, 20, 1, (x, y, z) -> x < 10 ? 0 : 100);
		List<String> classes = List.of("background", "object");
		// scribbles of one class only
		TrainingImage one = TrainingImage.ofScribbles(img, List.of(List.of(), List.of(Mask.disc(15, 10, 3, 0))));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PixelClassifier.train(List.of(one), classes, PixelClassifier.Options.standard(), Progress.NONE));
		assertTrue(e.getMessage().contains("Only one class") && e.getMessage().contains("background"), e.getMessage());
		assertTrue(assertThrows(IllegalArgumentException.class, () -> PixelClassifier.train(List.of(), classes, PixelClassifier.Options.standard(), Progress.NONE))
				.getMessage().contains("No training image"));
		TrainingImage both = TrainingImage.ofScribbles(img, List.of(List.of(Mask.disc(4, 10, 3, 0)), List.of(Mask.disc(15, 10, 3, 0))));
		PixelClassifier.Model m = PixelClassifier.train(List.of(both), classes, PixelClassifier.Options.standard(), Progress.NONE);
		// a 2D model refuses a volume
		assertTrue(assertThrows(IllegalArgumentException.class, () -> m.predict(fill(20, 20, 3, (x, y, z) -> 0), Progress.NONE)).getMessage().contains("2D images"));
		ProbabilityMap p = m.predict(img, Progress.NONE);
		// a map predicted for another size
		assertTrue(assertThrows(IllegalArgumentException.class, () -> SegObjects.from(p, 30, 20, 1, SegObjects.Options.standard())).getMessage().contains("20x20x1"));
		// one class only
		ProbabilityMap single = new ProbabilityMap(20, 20, 1, List.of("object"), new float[][] { new float[400] });
		assertTrue(assertThrows(IllegalArgumentException.class, () -> SegObjects.from(single, SegObjects.Options.standard())).getMessage().contains("one class only"));
		assertThrows(IllegalArgumentException.class, () -> new ProbabilityMap(20, 20, 1, classes, new float[][] { new float[400], new float[399] }));
		// nothing above threshold: no objects, no error
		ProbabilityMap none = new ProbabilityMap(20, 20, 1, classes, new float[][] { filled(400, 1), new float[400] });
		assertTrue(SegObjects.from(none, SegObjects.Options.standard()).isEmpty());
		// the half-plane is found, and the model survives a round trip through bytes
		List<SegObject> o = SegObjects.from(p, SegObjects.Options.standard().withSplit(false));
		assertEquals(1, o.size());
		assertEquals(200, o.get(0).voxels());
		assertTrue(o.get(0).confidence() > 0.9);
		ProbabilityMap again = PixelClassifier.Model.fromBytes(m.toBytes()).predict(img, Progress.NONE);
		assertEquals(java.util.Arrays.toString(p.probabilities()[1]), java.util.Arrays.toString(again.probabilities()[1]));
		assertThrows(IllegalArgumentException.class, () -> PixelClassifier.Model.fromBytes(new byte[] { 1, 2, 3 }));
	}

	private static float[] filled(int n, float v) {
		float[] a = new float[n];
		java.util.Arrays.fill(a, v);
		return a;
	}

	@Test
	void watershedSplitsTwoTouchingDiscsAndDistanceIsEuclidean() {
		int w = 60, h = 40;
		boolean[] fg = new boolean[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				fg[y * w + x] = Math.hypot(x - 20, y - 20) <= 11 || Math.hypot(x - 40, y - 20) <= 11;
		float[] dist = SegObjects.distance(fg, w, h, 1);
		assertEquals(11, dist[20 * w + 20], 1.0);
		assertEquals(1, dist[20 * w + 9], 1e-6);
		assertEquals(1, max(SegObjects.components(fg, w, h, 1)));
		int[] split = SegObjects.watershed(fg, w, h, 1, SegObjects.Options.standard());
		assertEquals(2, max(split));
		assertTrue(split[20 * w + 20] != split[20 * w + 40]);
	}

	private static int max(int[] a) {
		int m = 0;
		for (int v : a) m = Math.max(m, v);
		return m;
	}
}
