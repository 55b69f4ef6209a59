package org.labelloop.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.vector.LuceneVectorIndex.Mode;

class LuceneVectorIndexTest {

	@TempDir
	Path dir;

	private LuceneVectorIndex open() {
		return LuceneVectorIndex.open(dir.resolve("index"));
	}

	@Test
	void approximateSearchKeepsRecallAgainstExact() {
		Clustered data = new Clustered(40, 32, 0.35, 7);
		try (LuceneVectorIndex index = LuceneVectorIndex.open(dir.resolve("index"), new LuceneVectorIndex.Options().autoCommit(false))) {
			List<VectorItem> items = data.items(20_000);
			for (int i = 0; i < items.size(); i += 5000) index.upsert(items.subList(i, i + 5000));
			index.commit();
			double recall = 0, filteredRecall = 0;
			int queries = 40;
			for (int q = 0; q < queries; q++) {
				float[] query = data.sample(q % 40);
				recall += overlap(index.knn(query, 10, Filter.ALL, Mode.EXACT), index.knn(query, 10, Filter.ALL, Mode.APPROXIMATE));
				String cls = "c" + (q % 10);
				Filter f = Filter.ALL.must("class", cls);
				List<Hit> approx = index.knn(query, 10, f, Mode.APPROXIMATE);
				assertTrue(approx.stream().allMatch(h -> h.payload().get("class").equals(cls)));
				filteredRecall += overlap(index.knn(query, 10, f, Mode.EXACT), approx);
			}
			assertTrue(recall / queries >= 0.95, "recall@10 " + recall / queries);
			assertTrue(filteredRecall / queries >= 0.95, "filtered recall@10 " + filteredRecall / queries);
			// AUTO picks exact under the threshold: 2,000 items of one class
			List<Hit> auto = index.knn(data.sample(3), 10, Filter.ALL.must("class", "c3"));
			assertEquals(index.knn(data.sample(3), 10, Filter.ALL.must("class", "c3"), Mode.EXACT).size(), auto.size());
		}
	}

	private static double overlap(List<Hit> exact, List<Hit> approx) {
		Set<String> e = exact.stream().map(Hit::id).collect(Collectors.toSet());
		return approx.stream().filter(h -> e.contains(h.id())).count() / (double) exact.size();
	}

	@Test
	void filtersGiveOnlyMatchingItemsAndAgreeWithBruteForce() {
		Clustered data = new Clustered(10, 8, 0.5, 3);
		List<VectorItem> items = new ArrayList<>();
		for (int i = 0; i < 600; i++) {
			Map<String, String> p = new java.util.HashMap<>();
			p.put("class", "k" + (i % 5));
			p.put("status", List.of("proposed", "accepted", "rejected").get(i % 3));
			if (i % 4 != 0) p.put("user", "u" + (i % 2));
			if (i % 3 != 2) p.put(VectorItem.AREA, Double.toString(i * 0.5)); // the rejected ones are not measured
			items.add(new VectorItem("i" + i, data.sample(i % 10), p));
		}
		List<Filter> filters = List.of(Filter.ALL, Filter.ALL.must("class", "k1"), Filter.ALL.mustNot("status", "accepted"),
				Filter.ALL.mustAny("class", "k0", "k2").mustNot("status", "rejected"), Filter.ALL.mustNotAny("class", "k0", "k1", "k2"),
				Filter.ALL.must("user", "u1"), Filter.ALL.mustNot("user", "u1"), Filter.ALL.must("class", "no-such-class"),
				Filter.ALL.range(Filter.Range.above(VectorItem.AREA, 100, false)), Filter.ALL.range(Filter.Range.below(VectorItem.AREA, 100, true)),
				Filter.ALL.must("class", "k1").range(Filter.Range.above(VectorItem.AREA, 20.5, true)).range(Filter.Range.below(VectorItem.AREA, 200, false)),
				// "must not" a value no item has (left out of the Lucene query), alone and beside a "must"
				Filter.ALL.mustNot("status", "hidden"), Filter.ALL.must("class", "k3").mustNot("status", "hidden"));
		try (LuceneVectorIndex index = open()) {
			index.upsert(items);
			for (Filter f : filters) {
				long expected = items.stream().filter(it -> f.test(it.payload())).count();
				assertEquals(expected, index.count(f), f.toString());
				float[] q = data.sample(2);
				List<String> bruteForce = items.stream().filter(it -> f.test(it.payload()))
						.sorted(Comparator.comparingDouble((VectorItem it) -> -Vectors.cosine(q, it.vector()))).limit(15).map(VectorItem::id).toList();
				for (Mode m : Mode.values()) {
					List<Hit> hits = index.knn(q, 15, f, m);
					assertTrue(hits.stream().allMatch(h -> f.test(h.payload())), f + " " + m);
					if (m != Mode.APPROXIMATE) assertEquals(bruteForce, hits.stream().map(Hit::id).toList(), f + " " + m);
				}
			}
			// once an item has that value, it is excluded: the condition is back in the query
			Filter notHidden = Filter.ALL.mustNot("status", "hidden");
			float[] q1 = data.sample(1);
			String nearest = index.knn(q1, 1, Filter.ALL, Mode.EXACT).get(0).id();
			VectorItem hidden = items.stream().filter(it -> it.id().equals(nearest)).findFirst().orElseThrow();
			Map<String, String> hp = new java.util.HashMap<>(hidden.payload());
			hp.put("status", "hidden");
			index.upsert(List.of(new VectorItem(nearest, hidden.vector(), hp)));
			assertEquals(599, index.count(notHidden));
			for (Mode m : Mode.values()) {
				assertTrue(index.knn(q1, 20, notHidden, m).stream().noneMatch(h -> h.id().equals(nearest)), m.toString());
				assertEquals(nearest, index.knn(q1, 1, Filter.ALL, m).get(0).id(), m.toString());
			}
			index.upsert(List.of(hidden));
			assertEquals(600, index.count(notHidden));
			// items without the field fail "must" and pass "must not"
			assertTrue(index.knn(data.sample(1), 600, Filter.ALL.mustNot("user", "u1")).stream().anyMatch(h -> !h.payload().containsKey("user")));
			assertEquals(List.of(), index.knn(data.sample(1), 5, Filter.ALL.must("class", "no-such-class")));
			// ranges, by hand: area = i/2 for i % 3 != 2; bounds included or not as asked; unmeasured items never pass
			assertEquals(Math.toIntExact(java.util.stream.IntStream.range(201, 600).filter(i -> i % 3 != 2).count()),
					index.count(Filter.ALL.range(Filter.Range.above(VectorItem.AREA, 100, false))));
			assertEquals(Math.toIntExact(java.util.stream.IntStream.range(200, 600).filter(i -> i % 3 != 2).count()),
					index.count(Filter.ALL.range(Filter.Range.above(VectorItem.AREA, 100, true))));
			assertEquals(2, index.count(Filter.ALL.range(new Filter.Range(VectorItem.AREA, 0.0, true, 0.5, true))), "i0 and i1");
		}
		assertThrows(IllegalArgumentException.class, () -> Filter.ALL.range(Filter.Range.above("class", 1, false)), "a range needs a numeric field");
		assertThrows(IllegalArgumentException.class, () -> new VectorItem("x", new float[] { 1 }, Map.of(VectorItem.AREA, "big")));
	}

	@Test
	void recommendMatchesTheHandComputedRankingsAndExcludesExamples() {
		try (LuceneVectorIndex index = open()) {
			index.upsert(RecommendFixture.ITEMS);
			for (Mode m : Mode.values()) {
				check(RecommendFixture.AVERAGE_ORDER, RecommendFixture.AVERAGE_SCORES,
						index.recommend(List.of("a"), List.of("c"), 10, Filter.ALL, RecommendStrategy.AVERAGE_VECTOR, m));
				check(RecommendFixture.BEST_ORDER, RecommendFixture.BEST_SCORES,
						index.recommend(List.of("a"), List.of("c"), 10, Filter.ALL, RecommendStrategy.BEST_SCORE, m));
				check(RecommendFixture.NEGATIVE_ONLY_ORDER, RecommendFixture.NEGATIVE_ONLY_SCORES,
						index.recommend(List.of(), List.of("c"), 10, Filter.ALL, RecommendStrategy.BEST_SCORE, m));
			}
			// with a filter and a limit
			List<Hit> membrane = index.recommend(List.of("a"), List.of("c"), 1, Filter.ALL.must("class", "membrane"), RecommendStrategy.BEST_SCORE);
			assertEquals(List.of("d"), membrane.stream().map(Hit::id).toList());
		}
	}

	static void check(List<String> order, float[] scores, List<Hit> hits) {
		assertEquals(order, hits.stream().map(Hit::id).toList());
		for (int i = 0; i < scores.length; i++) assertEquals(scores[i], hits.get(i).score(), 1e-3, order.get(i));
	}

	@Test
	void badInputGetsClearAnswers() {
		try (LuceneVectorIndex index = open()) {
			assertEquals(List.of(), index.knn(new float[] { 1, 2, 3 }, 5, Filter.ALL), "an empty index answers nothing");
			assertEquals(0, index.dimension());
			index.upsert(RecommendFixture.ITEMS);
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> index.recommend(List.of("a", "roi:404"), List.of(), 5, Filter.ALL, RecommendStrategy.AVERAGE_VECTOR));
			assertTrue(e.getMessage().contains("'roi:404'") && e.getMessage().contains("no embedding yet"), e.getMessage());
			e = assertThrows(LabelLoopException.class, () -> index.knn(new float[] { 1, 2 }, 5, Filter.ALL));
			assertTrue(e.getMessage().contains("2 dimensions"), e.getMessage());
			e = assertThrows(LabelLoopException.class, () -> index.upsert(List.of(new VectorItem("x", new float[] { 1, 2, 3, 4 }))));
			assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
			assertFalse(index.get("x").isPresent());
			assertThrows(IllegalArgumentException.class, () -> index.recommend(List.of(), List.of("c"), 5, Filter.ALL, RecommendStrategy.AVERAGE_VECTOR));
			assertThrows(IllegalArgumentException.class, () -> index.recommend(List.of(), List.of(), 5, Filter.ALL, RecommendStrategy.BEST_SCORE));
			assertThrows(IllegalArgumentException.class, () -> new VectorItem("z", new float[] { 0, 0 }));
			assertThrows(IllegalArgumentException.class, () -> new VectorItem("z", new float[] { 1 }, Map.of("id", "x")));
			// only the examples match the filter: empty answer, not an error
			assertEquals(List.of(), index.recommend(List.of("a"), List.of(), 5, Filter.ALL.must("class", "nucleus").mustNotAny("kind", "roi"),
					RecommendStrategy.BEST_SCORE));
			LabelLoopException locked = assertThrows(LabelLoopException.class, () -> LuceneVectorIndex.open(dir.resolve("index")));
			assertTrue(locked.getMessage().contains("already open"), locked.getMessage());
		}
	}

	@Test
	void itemsSurviveReopeningAndUpsertReplaces() {
		try (LuceneVectorIndex index = open()) {
			index.upsert(RecommendFixture.ITEMS);
			index.upsert(List.of(new VectorItem("b", new float[] { 0, 0, 2 }, Map.of("class", "membrane"))));
			index.delete(List.of("e", "never-there"));
		}
		try (LuceneVectorIndex index = open()) {
			assertEquals(3, index.dimension());
			assertEquals(6, index.count(Filter.ALL));
			assertEquals(4, index.count(Filter.ALL.must("class", "membrane")));
			VectorItem b = index.get("b").orElseThrow();
			assertEquals(Map.of("class", "membrane"), b.payload());
			assertEquals(1f, b.vector()[2], 1e-6, "stored at unit length");
			assertFalse(index.get("e").isPresent());
			assertEquals("b", index.knn(new float[] { 0, 0, 5 }, 1, Filter.ALL).get(0).id());
		}
	}

	@Test
	void writersAndReadersRunTogether() throws Exception {
		Clustered data = new Clustered(5, 16, 0.3, 11);
		try (LuceneVectorIndex index = open()) {
			index.upsert(data.items(200));
			ExecutorService pool = Executors.newFixedThreadPool(4);
			List<Future<?>> jobs = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				jobs.add(pool.submit(() -> {
					for (int i = 0; i < 20; i++) {
						if (thread % 2 == 0)
							index.upsert(List.of(new VectorItem("t" + thread + ":" + i, data.sample(i % 5), Map.of("class", "c" + thread))));
						else
							assertEquals(5, index.knn(data.sample(i % 5), 5, Filter.ALL).size());
					}
				}));
			}
			for (Future<?> f : jobs) f.get();
			pool.shutdown();
			assertEquals(240, index.count(Filter.ALL));
			Set<String> ids = new HashSet<>();
			index.knn(data.sample(0), 300, Filter.ALL.mustAny("class", "c0", "c2")).forEach(h -> ids.add(h.id()));
			assertEquals(120, ids.size(), "80 of the first 200 and the 40 written by threads 0 and 2");
			assertEquals(120, index.count(Filter.ALL.mustAny("class", "c0", "c2")));
		}
	}
}
