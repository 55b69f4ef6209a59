package org.labelloop.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

class MapIndexTest {

	private static float[][] points(int n, long seed) {
		Random r = new Random(seed);
		float[] x = new float[n], y = new float[n];
		for (int i = 0; i < n; i++) {
			if (i % 3 == 0) { // uniform background
				x[i] = (float) (r.nextDouble() * 40 - 20);
				y[i] = (float) (r.nextDouble() * 30 - 10);
			} else { // dense clusters
				int c = i % 7;
				x[i] = (float) (c * 4 - 12 + r.nextGaussian() * 0.5);
				y[i] = (float) (c % 3 * 5 + r.nextGaussian() * 0.5);
			}
		}
		return new float[][] { x, y };
	}

	private static int bruteNearest(float[] x, float[] y, double px, double py, double max) {
		int best = -1;
		double bd = max * max;
		for (int i = 0; i < x.length; i++) {
			double dx = x[i] - px, dy = y[i] - py, d = dx * dx + dy * dy;
			if (d < bd || (d == bd && best < 0)) {
				bd = d;
				best = i;
			}
		}
		return best;
	}

	@Test
	void nearestEqualsBruteForce() {
		float[][] p = points(30_000, 1);
		MapIndex index = new MapIndex(p[0], p[1]);
		Random r = new Random(2);
		for (int q = 0; q < 2000; q++) {
			double px = r.nextDouble() * 60 - 30, py = r.nextDouble() * 50 - 20; // also outside the points' bounds
			assertEquals(bruteNearest(p[0], p[1], px, py, Double.POSITIVE_INFINITY), index.nearest(px, py), px + "," + py);
			assertEquals(bruteNearest(p[0], p[1], px, py, 0.3), index.nearest(px, py, 0.3), "within 0.3 of " + px + "," + py);
		}
	}

	@Test
	void lassoAndRectanglesEqualBruteForce() {
		float[][] p = points(30_000, 3);
		MapIndex index = new MapIndex(p[0], p[1]);
		Random r = new Random(4);
		for (int q = 0; q < 30; q++) {
			// a random star-shaped lasso of 40 vertices
			int v = 40;
			double cx = r.nextDouble() * 30 - 15, cy = r.nextDouble() * 20 - 5;
			double[] xs = new double[v], ys = new double[v];
			for (int k = 0; k < v; k++) {
				double a = 2 * Math.PI * k / v, rad = 1 + r.nextDouble() * 6;
				xs[k] = cx + rad * Math.cos(a);
				ys[k] = cy + rad * Math.sin(a);
			}
			for (Geometry g : new Geometry[] { Geometry.polygon(xs, ys, Plane.ALL), Geometry.rect(cx, cy, 5, 3, Plane.ALL),
					Geometry.oval(cx, cy, 6, 4, Plane.ALL) }) {
				int[] expected = IntStream.range(0, p[0].length).filter(i -> g.contains(p[0][i], p[1][i])).toArray();
				assertArrayEquals(expected, index.inside(g), g.kind().key());
			}
			double x0 = cx, y0 = cy, x1 = cx + 7, y1 = cy + 2;
			int[] expected = IntStream.range(0, p[0].length).filter(i -> p[0][i] >= x0 && p[0][i] <= x1 && p[1][i] >= y0 && p[1][i] <= y1).toArray();
			assertArrayEquals(expected, index.inRect(x0, y0, x1, y1));
		}
		assertEquals(30_000, index.inRect(-100, -100, 100, 100).length);
		assertEquals(0, index.inside(Geometry.point(0, 0, Plane.ALL)).length, "a point selects nothing");
	}

	@Test
	void degenerateMaps() {
		MapIndex empty = new MapIndex(new float[0], new float[0]);
		assertEquals(-1, empty.nearest(0, 0));
		assertEquals(0, empty.inRect(-1, -1, 1, 1).length);
		MapIndex same = new MapIndex(new float[] { 2, 2, 2 }, new float[] { 3, 3, 3 });
		assertEquals(0, same.nearest(100, -100));
		assertEquals(3, same.inRect(0, 0, 5, 5).length);
		assertEquals(-1, same.nearest(10, 10, 1));
	}

	@Test
	void hundredThousandPointsAnswerQuickly() {
		float[][] p = points(100_000, 5);
		long t0 = System.nanoTime();
		MapIndex index = new MapIndex(p[0], p[1]);
		long build = System.nanoTime() - t0;
		Random r = new Random(6);
		t0 = System.nanoTime();
		for (int q = 0; q < 10_000; q++) index.nearest(r.nextDouble() * 40 - 20, r.nextDouble() * 30 - 10);
		long hover = (System.nanoTime() - t0) / 10_000;
		// loose bounds: a shared 2-core machine; the point is "no full scan per mouse move"
		assertTrue(build < 2_000_000_000L, "build " + build / 1e6 + " ms");
		assertTrue(hover < 200_000, "hover " + hover / 1e3 + " µs");
	}
}
