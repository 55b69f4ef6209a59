package org.labelloop.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.vector.LuceneVectorIndex.Mode;

/**
 * Exact search's fast path ({@link ExactScan}: the heap copy of each segment, scored block by block on the cores)
 * gives the answers of a naive loop over the items, and of the stored-vector path it replaces: several segments,
 * deleted and replaced items, filters, recommend queries, a dimension that is not a multiple of 4, a partial block.
 */
class ExactScanTest {

	@TempDir
	Path dir;

	record Scored(String id, double score) {
	}

	/** The naive answer: every live matching item scored by a plain loop, best first. */
	static List<Scored> naive(Map<String, VectorItem> live, Filter f, int k, java.util.function.ToDoubleFunction<float[]> score, Set<String> excluded) {
		return live.values().stream().filter(it -> f.test(it.payload()) && !excluded.contains(it.id()))
				.map(it -> new Scored(it.id(), score.applyAsDouble(Vectors.normalized(it.vector()))))
				.sorted(Comparator.comparingDouble(Scored::score).reversed()).limit(k).toList();
	}

	static void assertSame(List<Scored> expected, List<Hit> got, String what) {
		assertEquals(expected.size(), got.size(), what);
		for (int i = 0; i < expected.size(); i++) {
			assertEquals(expected.get(i).id(), got.get(i).id(), what + " rank " + i);
			assertEquals(expected.get(i).score(), got.get(i).score(), 2e-5, what + " rank " + i);
		}
	}

	static double naiveDot(float[] q, float[] unit) {
		double s = 0;
		for (int j = 0; j < q.length; j++) s += (double) q[j] * unit[j];
		return s;
	}

	@Test
	void fastPathGivesTheNaiveLoopsTopK() {
		Clustered data = new Clustered(30, 37, 1.0, 11);
		List<VectorItem> items = data.items(5_000);
		LuceneVectorIndex.Options fast = new LuceneVectorIndex.Options().autoCommit(false);
		fast.parallelScanFrom = 500; // split over the cores here already
		fast.merges = false; // several segments whatever the timing of background merges (a loaded machine merged them once)
		LuceneVectorIndex.Options stored = new LuceneVectorIndex.Options().autoCommit(false).exactCacheMB(0);
		Map<String, VectorItem> live = new LinkedHashMap<>();
		for (VectorItem it : items) live.put(it.id(), it);
		try (LuceneVectorIndex a = LuceneVectorIndex.open(dir.resolve("fast"), fast);
				LuceneVectorIndex b = LuceneVectorIndex.open(dir.resolve("stored"), stored)) {
			for (LuceneVectorIndex index : List.of(a, b)) {
				for (int i = 0; i < items.size(); i += 1_700) { // three segments, the last one's blocks partial
					index.upsert(items.subList(i, Math.min(items.size(), i + 1_700)));
					index.commit();
				}
			}
			// a segment's first query makes its copy; later writes make new segments and delete from old ones
			float[] q0 = data.sample(4);
			assertSame(naive(live, Filter.ALL, 10, v -> naiveDot(Vectors.normalized(q0), v), Set.of()), a.knn(q0, 10, Filter.ALL, Mode.EXACT), "before deletes");
			List<String> gone = new ArrayList<>();
			for (int i = 0; i < items.size(); i += 7) gone.add(items.get(i).id());
			List<VectorItem> replaced = new ArrayList<>();
			for (int i = 3; i < items.size(); i += 11)
				if (live.containsKey(items.get(i).id()) && !gone.contains(items.get(i).id()))
					replaced.add(new VectorItem(items.get(i).id(), data.sample((i * 7) % 30), items.get(i).payload()));
			for (LuceneVectorIndex index : List.of(a, b)) {
				index.delete(gone);
				index.upsert(replaced);
				index.commit();
			}
			gone.forEach(live::remove);
			replaced.forEach(it -> live.put(it.id(), it));
			assertTrue(a.segments() >= 2, "several segments");

			Random r = new Random(5);
			List<Filter> filters = List.of(Filter.ALL, Filter.ALL.must("status", "proposed"), Filter.ALL.mustNot("class", "c3"),
					Filter.ALL.must("class", "c1"), Filter.ALL.must("class", "c1").must("status", "accepted")); // the last keeps 3%: read from the stored vectors
			for (int t = 0; t < 12; t++) {
				float[] q = data.sample(r.nextInt(30));
				float[] unit = Vectors.normalized(q);
				int k = t % 2 == 0 ? 10 : 57;
				for (Filter f : filters) {
					List<Scored> expected = naive(live, f, k, v -> naiveDot(unit, v), Set.of());
					List<Hit> got = a.knn(q, k, f, Mode.EXACT);
					assertSame(expected, got, "query " + t + " " + f);
					assertEquals(got.stream().map(Hit::id).toList(), b.knn(q, k, f, Mode.EXACT).stream().map(Hit::id).toList(), "stored-vector path " + t + " " + f);
				}
			}

			// the copies of the live segments are what the fast index searched; the other index keeps none
			assertTrue(a.exactCacheBytes() >= ExactScan.bytes(live.size(), 37), "copies: " + a.exactCacheBytes() + " bytes");
			assertEquals(0, b.exactCacheBytes());

			List<String> ids = new ArrayList<>(live.keySet());
			for (int t = 0; t < 6; t++) {
				List<String> pos = List.of(ids.get(r.nextInt(ids.size())), ids.get(r.nextInt(ids.size())));
				List<String> neg = List.of(ids.get(r.nextInt(ids.size())));
				List<float[]> up = pos.stream().map(id -> Vectors.normalized(live.get(id).vector())).toList();
				List<float[]> un = neg.stream().map(id -> Vectors.normalized(live.get(id).vector())).toList();
				Set<String> examples = Set.of(pos.get(0), pos.get(1), neg.get(0));
				float[] avg = Vectors.normalized(Vectors.averageVectorQuery(up, un));
				assertSame(naive(live, Filter.ALL, 20, v -> naiveDot(avg, v), examples),
						a.recommend(pos, neg, 20, Filter.ALL, RecommendStrategy.AVERAGE_VECTOR, Mode.EXACT), "average_vector " + t);
				List<Hit> best = a.recommend(pos, neg, 20, Filter.ALL, RecommendStrategy.BEST_SCORE, Mode.EXACT);
				assertSame(naive(live, Filter.ALL, 20, v -> Vectors.bestScore(v, up, un), examples), best, "best_score " + t);
				assertEquals(b.recommend(pos, neg, 20, Filter.ALL, RecommendStrategy.BEST_SCORE, Mode.EXACT).stream().map(Hit::id).toList(),
						best.stream().map(Hit::id).toList(), "best_score, stored-vector path " + t);
			}
		}
	}

	@Test
	void noCopyForASparseFilterNorBeyondTheBudget() {
		Clustered data = new Clustered(10, 16, 1.0, 2);
		List<VectorItem> items = data.items(2_000);
		Map<String, VectorItem> live = new LinkedHashMap<>();
		for (VectorItem it : items) live.put(it.id(), it);
		try (LuceneVectorIndex index = LuceneVectorIndex.open(dir.resolve("sparse"));
				LuceneVectorIndex small = LuceneVectorIndex.open(dir.resolve("small"), new LuceneVectorIndex.Options().exactCacheMB(0.05))) {
			index.upsert(items);
			small.upsert(items);
			float[] q = data.sample(3), unit = Vectors.normalized(q);
			Filter few = Filter.ALL.must("class", "c3").must("status", "accepted");
			assertSame(naive(live, few, 10, v -> naiveDot(unit, v), Set.of()), index.knn(q, 10, few, Mode.EXACT), "3% filter");
			assertEquals(0, index.exactCacheBytes(), "a filter keeping 3% reads the stored vectors of those items");
			assertSame(naive(live, Filter.ALL, 10, v -> naiveDot(unit, v), Set.of()), index.knn(q, 10, Filter.ALL, Mode.EXACT), "all");
			assertEquals(ExactScan.bytes(2_000, 16), index.exactCacheBytes());
			assertSame(naive(live, Filter.ALL, 10, v -> naiveDot(unit, v), Set.of()), small.knn(q, 10, Filter.ALL, Mode.EXACT), "over the budget");
			assertEquals(0, small.exactCacheBytes(), "2,000 x 16 floats do not fit in 0.05 MB");
		}
	}

	@Test
	void topKKeepsTheBestWithTiesToTheLowerDocument() {
		Random r = new Random(3);
		for (int k : new int[] { 1, 2, 5, 64 }) {
			ExactScan.TopK top = new ExactScan.TopK(k);
			List<float[]> all = new ArrayList<>();
			for (int d = 0; d < 1000; d++) {
				float s = r.nextInt(50) / 10f; // many ties
				top.offer(s, d);
				all.add(new float[] { s, d });
			}
			all.sort((x, y) -> x[0] != y[0] ? Float.compare(y[0], x[0]) : Float.compare(x[1], y[1]));
			List<float[]> got = new ArrayList<>();
			for (int i = 0; i < top.size; i++) got.add(new float[] { top.score[i], top.doc[i] });
			got.sort((x, y) -> x[0] != y[0] ? Float.compare(y[0], x[0]) : Float.compare(x[1], y[1]));
			assertEquals(k, got.size());
			for (int i = 0; i < k; i++) {
				assertEquals(all.get(i)[0], got.get(i)[0], "k=" + k + " rank " + i);
				assertEquals(all.get(i)[1], got.get(i)[1], "k=" + k + " rank " + i);
			}
		}
	}
}
