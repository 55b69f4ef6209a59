package org.labelloop.core.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.map.EmbeddingMap.Layout;
import org.labelloop.core.map.EmbeddingMap.Method;
import org.labelloop.core.map.EmbeddingMap.Options;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Progress;

class EmbeddingMapTest {

	@TempDir
	Path project;

	/** {@code clusters} well-separated blobs in {@code dim} dimensions; cluster of item i is i % clusters. */
	static List<float[]> blobs(int n, int clusters, int dim, long seed) {
		Random r = new Random(seed);
		float[][] centres = new float[clusters][dim];
		for (float[] c : centres)
			for (int j = 0; j < dim; j++) c[j] = (float) r.nextGaussian() * 3;
		List<float[]> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			float[] v = new float[dim];
			for (int j = 0; j < dim; j++) v[j] = centres[i % clusters][j] + (float) r.nextGaussian() * 0.3f;
			out.add(v);
		}
		return out;
	}

	static List<String> ids(int n) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) ids.add("roi:" + i);
		return ids;
	}

	/** Fraction of each point's 10 nearest neighbours in the map that are from its own cluster. */
	static double purity(Layout l, int clusters) {
		int n = l.size(), same = 0, total = 0;
		for (int i = 0; i < n; i++) {
			int fi = i;
			Integer[] o = new Integer[n];
			for (int j = 0; j < n; j++) o[j] = j;
			java.util.Arrays.sort(o, (a, b) -> Double.compare(d2(l, fi, a), d2(l, fi, b)));
			for (int k = 1; k <= 10; k++) {
				if (o[k] % clusters == i % clusters) same++;
				total++;
			}
		}
		return same / (double) total;
	}

	private static double d2(Layout l, int a, int b) {
		double dx = l.x(a) - l.x(b), dy = l.y(a) - l.y(b);
		return dx * dx + dy * dy;
	}

	@Test
	void aVersionWithTheSamePointsTakesOverAnEarlierVersionsMapAndAChangedPointIsPlacedInIt() {
		EmbeddingMap maps = new EmbeddingMap(project);
		List<float[]> v = blobs(200, 4, 16, 3);
		Layout v1 = maps.layout("v1", ids(200), v, Progress.NONE);
		int[] reports = new int[1];
		Progress counting = new Progress() {
			@Override public void report(double fraction, String message) { reports[0]++; }
			@Override public boolean isCancelled() { return false; }
		};
		Layout v2 = maps.layout("v2", ids(200), v, List.of("v0", "v1"), counting);
		assertEquals(0, reports[0], "taken over, not computed");
		assertEquals(v1.ids(), v2.ids());
		assertTrue(java.util.Arrays.equals(v1.x(), v2.x()) && java.util.Arrays.equals(v1.y(), v2.y()));
		assertEquals(v1.hash(), maps.cached("v2").orElseThrow().hash(), "cached under v2 too");
		// one vector changed: a new map, with that point placed among its neighbours and the others where they were
		List<float[]> moved = new ArrayList<>(v);
		moved.set(7, blobs(1, 1, 16, 99).get(0));
		Layout v3 = maps.layout("v3", ids(200), moved, List.of("v2", "v1"), counting);
		assertTrue(!v3.hash().equals(v1.hash()));
		assertEquals(1, v3.placed());
		for (int i = 0; i < 200; i++)
			if (i != 7) assertTrue(v3.x(i) == v1.x(i) && v3.y(i) == v1.y(i), "point " + i + " stays");
	}

	/**
	 * New points and a changed one are placed into the earlier map, each next to points of its own cluster, and the
	 * kept points stay where they were; once more than a tenth of the points would have been placed, UMAP lays out all
	 * of them again.
	 */
	@Test
	void newPointsArePlacedAmongTheirNeighboursUntilATenthArePlacedThenUmapRunsAgain() {
		EmbeddingMap maps = new EmbeddingMap(project);
		List<float[]> all = blobs(480, 4, 16, 3); // item i belongs to cluster i % 4
		Layout v1 = maps.layout("v1", ids(400), all.subList(0, 400), Progress.NONE);
		assertEquals(Method.UMAP, v1.method());
		assertEquals(0, v1.placed());
		// v2: roi:5 gone, roi:7 moved to cluster 0 (its vector is roi:8's, jittered), 20 new items of every cluster
		List<String> ids = new ArrayList<>();
		List<float[]> vectors = new ArrayList<>();
		java.util.Map<String, Integer> cluster = new java.util.HashMap<>();
		for (int i = 0; i < 420; i++) {
			if (i == 5) continue;
			ids.add("roi:" + i);
			float[] x = all.get(i).clone();
			if (i == 7) for (int j = 0; j < x.length; j++) x[j] = all.get(8)[j] + 0.01f;
			vectors.add(x);
			cluster.put("roi:" + i, i == 7 ? 0 : i % 4);
		}
		Layout v2 = maps.layout("v2", ids, vectors, List.of("v1"), Progress.NONE);
		assertEquals(21, v2.placed());
		assertTrue(v2.note().contains("21 of 419 points placed") && v2.note().contains("v1"), v2.note());
		assertEquals(21, maps.cached("v2").orElseThrow().placed(), "kept with the layout");
		java.util.Map<String, Integer> before = new java.util.HashMap<>();
		for (int i = 0; i < v1.size(); i++) before.put(v1.ids().get(i), i);
		List<Integer> kept = new ArrayList<>();
		for (int i = 0; i < v2.size(); i++) {
			String id = v2.ids().get(i);
			if (before.containsKey(id) && !id.equals("roi:7")) {
				assertTrue(v2.x(i) == v1.x(before.get(id)) && v2.y(i) == v1.y(before.get(id)), id + " stays where it was");
				kept.add(i);
			}
		}
		assertEquals(398, kept.size());
		for (int i = 0; i < v2.size(); i++) {
			String id = v2.ids().get(i);
			if (before.containsKey(id) && !id.equals("roi:7")) continue;
			int p = i, nearest = kept.stream().min(java.util.Comparator.comparingDouble(j -> d2(v2, p, j))).orElseThrow();
			assertEquals(cluster.get(id), cluster.get(v2.ids().get(nearest)), id + " is placed next to its own cluster");
		}
		// v3: 30 more new items; 51 of 449 placed would be over a tenth, so UMAP lays out all of them
		List<String> ids3 = new ArrayList<>(ids);
		List<float[]> vectors3 = new ArrayList<>(vectors);
		for (int i = 420; i < 450; i++) {
			ids3.add("roi:" + i);
			vectors3.add(all.get(i));
		}
		Layout v3 = maps.layout("v3", ids3, vectors3, List.of("v2", "v1"), Progress.NONE);
		assertEquals(0, v3.placed());
		assertEquals("", v3.note());
		assertEquals(Method.UMAP, v3.method());
	}

	@Test
	void umapPlacesEveryPointAndKeepsClustersTogether() {
		List<float[]> v = blobs(400, 5, 64, 1); // 64 > 50: goes through PCA first
		Layout l = EmbeddingMap.compute(ids(400), v, Options.DEFAULT, Progress.NONE);
		assertEquals(Method.UMAP, l.method());
		assertEquals(400, l.size());
		assertEquals(ids(400), l.ids());
		for (int i = 0; i < l.size(); i++) assertTrue(Float.isFinite(l.x(i)) && Float.isFinite(l.y(i)), "point " + i);
		double purity = purity(l, 5);
		assertTrue(purity > 0.95, "kNN purity in 2D " + purity);
		// one thread and a seed: the same map every time
		Layout again = EmbeddingMap.compute(ids(400), v, Options.DEFAULT, Progress.NONE);
		assertArrayEquals(l.x(), again.x());
		assertArrayEquals(l.y(), again.y());
	}

	@Test
	void smallSetsGetAClearAnswer() {
		assertEquals(Method.EMPTY, EmbeddingMap.compute(List.of(), List.of(), Options.DEFAULT, Progress.NONE).method());
		Layout one = EmbeddingMap.compute(ids(1), blobs(1, 1, 8, 2), Options.DEFAULT, Progress.NONE);
		assertEquals(Method.SINGLE, one.method());
		assertEquals(0f, one.x(0));
		assertEquals(0f, one.y(0));
		for (int n : new int[] { 2, 3, 14 }) {
			Layout l = EmbeddingMap.compute(ids(n), blobs(n, 2, 8, n), Options.DEFAULT, Progress.NONE);
			assertEquals(Method.PCA, l.method(), n + " items");
			assertEquals(n, l.size());
			for (int i = 0; i < n; i++) assertTrue(Float.isFinite(l.x(i)) && Float.isFinite(l.y(i)));
			assertNotEquals(l.x(0), l.x(1), "two different items are not on top of each other");
		}
		Layout fifteen = EmbeddingMap.compute(ids(15), blobs(15, 3, 8, 15), Options.DEFAULT, Progress.NONE);
		assertEquals(Method.UMAP, fifteen.method());
		// every vector the same: still every point placed
		List<float[]> same = new ArrayList<>();
		for (int i = 0; i < 30; i++) same.add(new float[] { 1, 2, 3 });
		Layout flat = EmbeddingMap.compute(ids(30), same, Options.DEFAULT, Progress.NONE);
		assertEquals(30, flat.size());
		for (int i = 0; i < 30; i++) assertTrue(Float.isFinite(flat.x(i)) && Float.isFinite(flat.y(i)), flat.note());
	}

	@Test
	void theCacheAvoidsRecomputingAndNoticesChanges() throws Exception {
		EmbeddingMap map = new EmbeddingMap(project);
		List<float[]> v = blobs(100, 4, 16, 3);
		AtomicInteger reports = new AtomicInteger();
		Progress counting = new Progress() {
			@Override public void report(double fraction, String message) { reports.incrementAndGet(); }
			@Override public boolean isCancelled() { return false; }
		};
		Layout first = map.layout("resnet v1", ids(100), v, counting);
		assertTrue(reports.get() > 0);
		assertTrue(Files.isRegularFile(project.resolve("map/resnet_v1.bin")));
		reports.set(0);
		long t0 = System.nanoTime();
		Layout second = new EmbeddingMap(project).layout("resnet v1", ids(100), v, counting);
		assertEquals(0, reports.get(), "read from the cache, no UMAP");
		assertTrue(System.nanoTime() - t0 < 1_000_000_000L);
		assertArrayEquals(first.x(), second.x());
		assertEquals(first.ids(), second.ids());
		assertEquals(first.hash(), second.hash());
		// a changed vector is a new map; the old one stays readable until then
		v.set(5, blobs(1, 1, 16, 99).get(0));
		assertEquals(first.hash(), map.cached("resnet v1").orElseThrow().hash());
		Layout third = map.layout("resnet v1", ids(100), v, counting);
		assertTrue(reports.get() > 0);
		assertNotEquals(first.hash(), third.hash());
		// another model version has its own file
		map.layout("resnet v2", ids(100), v, Progress.NONE);
		assertTrue(Files.isRegularFile(project.resolve("map/resnet_v2.bin")));
		// a damaged file is recomputed, not an error
		Files.write(project.resolve("map/resnet_v2.bin"), new byte[] { 1, 2, 3 });
		assertTrue(map.cached("resnet v2").isEmpty());
		assertEquals(100, map.layout("resnet v2", ids(100), v, Progress.NONE).size());
	}

	@Test
	void cancelStopsTheLayoutAndLeavesUmapUsable() {
		List<float[]> v = blobs(300, 3, 16, 4);
		Progress cancelAtOnce = new Progress() {
			volatile boolean started;
			@Override public void report(double fraction, String message) { started = true; }
			@Override public boolean isCancelled() { return started; }
		};
		assertThrows(CancelledException.class, () -> EmbeddingMap.compute(ids(300), v, Options.DEFAULT, cancelAtOnce));
		assertEquals(Method.UMAP, EmbeddingMap.compute(ids(30), blobs(30, 3, 8, 5), Options.DEFAULT, Progress.NONE).method());
	}

	@Test
	void pcaFindsTheMainAxis() {
		Random r = new Random(7);
		float[][] rows = new float[3000][80];
		double[] t = new double[rows.length];
		for (int i = 0; i < rows.length; i++) {
			t[i] = r.nextGaussian() * 10;
			for (int j = 0; j < 80; j++) rows[i][j] = (float) (t[i] * (j % 2 == 0 ? 1 : -1) / Math.sqrt(80) + r.nextGaussian() * 0.1);
		}
		float[][] p = Pca.project(rows, 5, 1, Progress.NONE);
		assertEquals(5, p[0].length);
		double mean = java.util.Arrays.stream(t).average().orElse(0), sxy = 0, sxx = 0, syy = 0;
		for (int i = 0; i < rows.length; i++) {
			sxy += p[i][0] * (t[i] - mean);
			sxx += p[i][0] * p[i][0];
			syy += (t[i] - mean) * (t[i] - mean);
		}
		assertTrue(Math.abs(sxy / Math.sqrt(sxx * syy)) > 0.999, "first component follows the main axis");
		float[][] line = Pca.exact2d(new float[][] { { 0, 0, 0 }, { 1, 1, 0 }, { 3, 3, 0 } });
		assertEquals(Math.sqrt(2), Math.abs(line[1][0] - line[0][0]), 1e-5);
		assertEquals(0, line[2][1], 1e-5);
	}
}
