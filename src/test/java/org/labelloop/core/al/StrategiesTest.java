package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StrategiesTest {

	static final List<String> C3 = List.of("cat", "dog", "bird");

	@Test
	void registryFindsEveryStrategyByName() {
		assertEquals(List.of("random", "least-confidence", "margin", "entropy", "core-set", "hybrid", "more-of-class", "confusion", "review", "novel"),
				Strategies.names());
		for (Strategy s : Strategies.all()) {
			assertSame(s, Strategies.byName(s.name()));
			assertFalse(s.description().isBlank());
		}
		assertSame(Strategies.byName("least-confidence"), Strategies.byName(" Least_Confidence "));
		assertTrue(Strategies.names().contains(Strategies.DEFAULT));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Strategies.byName("bald"));
		assertTrue(e.getMessage().contains("'bald'"), e.getMessage());
		assertTrue(e.getMessage().contains("random, least-confidence, margin, entropy, core-set, hybrid"), e.getMessage());
	}

	/** Each uncertainty strategy returns exactly the k most uncertain items by the exact measure, most uncertain first. */
	@ParameterizedTest
	@EnumSource(Uncertainty.class)
	void uncertaintyStrategiesReturnTheExactTopK(Uncertainty u) {
		int n = 5000, k = 25;
		float[][] p = Pools.probabilities(n, 10, 7);
		long[] ids = Pools.ids(n, 1000);
		Pool pool = Pool.builder(Pools.classes(10)).unlabelled(ids, p, null).build();
		Strategy s = Strategies.byName(u.label());
		Result r = s.select(pool, k, Options.DEFAULT);
		long[] expected = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer i) -> -u.of(p[i])))
				.limit(k).mapToLong(i -> ids[i]).toArray();
		assertArrayEquals(expected, r.ids());
		assertEquals(u.label(), r.used());
		assertEquals("", r.message());
		for (int j = 0; j < k; j++) assertEquals(j + 1, r.selections().get(j).rank());
		// the first is the single next item too
		assertEquals(expected[0], s.select(pool, 1, Options.DEFAULT).ids()[0]);
	}

	/** Big pools compute their uncertainties in parallel chunks; every chunk must match the plain computation. */
	@ParameterizedTest
	@EnumSource(Uncertainty.class)
	void parallelUncertaintiesOfABigPoolMatchThePlainOnes(Uncertainty u) {
		int n = 3 * Scan.PARALLEL_FROM + 17;
		float[][] p = Pools.probabilities(n, 6, 11);
		Pool pool = Pool.builder(Pools.classes(6)).unlabelled(Pools.ids(n, 0), p, null).build();
		float[] s = pool.uncertainty(u);
		assertSame(s, pool.uncertainty(u), "computed once per pool");
		for (int i = 0; i < n; i++) assertEquals(u.of(p[i]), s[i], 1e-5, "item " + i);
		int best = 0;
		for (int i = 1; i < n; i++) if (u.of(p[i]) > u.of(p[best])) best = i;
		assertEquals(best, Strategies.select(u.label(), pool, 1, Options.DEFAULT).ids()[0]);
	}

	@Test
	void reasonSaysMeasureRankAndHowMany() {
		int n = 4211;
		float[][] p = Pools.probabilities(n, 10, 3);
		p[17] = new float[10];
		Arrays.fill(p[17], 0.1f); // the most uncertain possible: entropy ln 10 = 2.30
		Pool pool = Pool.builder(Pools.classes(10)).unlabelled(Pools.ids(n, 1), p, null).build();
		Selection s = Strategies.select("entropy", pool, 3, Options.DEFAULT).selections().get(0);
		assertEquals(18, s.id());
		assertEquals(Math.log(10), s.score(), 1e-5);
		assertEquals("entropy 2.30 — rank 1 of 4,211 unlabelled", s.reason());
		Selection m = Strategies.select("margin", pool, 1, Options.DEFAULT).selections().get(0);
		assertTrue(m.reason().matches("margin 0\\.0+ between 'c\\d' and 'c\\d' — rank 1 of 4,211 unlabelled"), m.reason());
	}

	@Test
	void noPredictionsFallsBackToCoreSetWithEmbeddingsElseRandomAndSaysSo() {
		float[][] emb = Pools.gaussian(300, 8, 1);
		Pool withEmb = Pool.builder(C3).unlabelled(Pools.ids(300, 1), null, emb).build();
		Result r = Strategies.select("entropy", withEmb, 5, Options.DEFAULT);
		assertEquals("entropy", r.strategy());
		assertEquals("core-set", r.used());
		assertTrue(r.fellBack());
		assertEquals(5, r.selections().size());
		assertTrue(r.message().contains("No model predictions yet") && r.message().contains("core-set"), r.message());
		for (Selection s : r.selections())
			assertTrue(s.reason().startsWith("no predictions yet, so core-set instead of entropy: "), s.reason());

		Pool bare = Pool.builder(C3).unlabelled(Pools.ids(300, 1), null, null).build();
		for (String name : List.of("entropy", "hybrid", "more-of-class", "core-set")) {
			Result b = Strategies.select(name, bare, 4, Options.DEFAULT.withTarget("cat"));
			assertEquals("random", b.used(), name);
			assertEquals(4, new HashSet<>(Arrays.stream(b.ids()).boxed().toList()).size());
			assertTrue(b.selections().get(0).reason().contains("so random instead of " + name), b.selections().get(0).reason());
		}
		// hybrid with predictions but no embeddings: margin
		Pool noEmb = Pool.builder(C3).unlabelled(Pools.ids(300, 1), Pools.probabilities(300, 3, 2), null).build();
		Result h = Strategies.select("hybrid", noEmb, 3, Options.DEFAULT);
		assertEquals("margin", h.used());
		assertArrayEquals(Strategies.select("margin", noEmb, 3, Options.DEFAULT).ids(), h.ids());
		assertTrue(h.selections().get(0).reason().startsWith("no embeddings, so margin instead of hybrid: "));
	}

	@Test
	void everythingLabelledGivesAnEmptyResultWithAMessage() {
		Pool pool = Pool.builder(C3).unlabelled(new long[0], new float[0][], null)
				.labelled(new long[] { 1, 2 }, new int[] { 0, 1 }, null, null).build();
		for (Strategy s : Strategies.all()) {
			if (s.choosesLabelled()) continue;
			Result r = s.select(pool, 5, Options.DEFAULT.withPair("cat", "dog"));
			assertTrue(r.isEmpty(), s.name());
			assertTrue(r.message().startsWith("Every item is labelled"), r.message());
		}
	}

	@Test
	void unknownClassIsRefusedNamingTheKnownOnes() {
		Pool pool = Pool.builder(C3).unlabelled(Pools.ids(10, 1), Pools.probabilities(10, 3, 1), null).build();
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> Strategies.select("more-of-class", pool, 1, Options.DEFAULT.withTarget("horse")));
		assertTrue(e.getMessage().contains("'horse'") && e.getMessage().contains("'cat', 'dog', 'bird'"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> Strategies.select("confusion", pool, 1, Options.DEFAULT.withPair("cat", "cow")));
		assertTrue(e.getMessage().contains("'cow'") && e.getMessage().contains("'bird'"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> Strategies.select("more-of-class", pool, 1, Options.DEFAULT));
		assertTrue(e.getMessage().contains("needs a target class"), e.getMessage());
		// refused even before the first model (the check comes before the fallback)
		Pool bare = Pool.builder(C3).unlabelled(Pools.ids(10, 1), null, null).build();
		assertThrows(IllegalArgumentException.class, () -> Strategies.select("more-of-class", bare, 1, Options.DEFAULT.withTarget("horse")));
		assertThrows(IllegalArgumentException.class, () -> Strategies.select("entropy", pool, 0, Options.DEFAULT));
	}

	@Test
	void budgetLargerThanThePoolReturnsTheWholePool() {
		int n = 40;
		Pool pool = Pool.builder(C3).unlabelled(Pools.ids(n, 1), Pools.probabilities(n, 3, 4), Pools.gaussian(n, 4, 4)).build();
		for (Strategy s : Strategies.all()) {
			if (s.choosesLabelled() || s instanceof MoreOfClass || s instanceof Confusion) continue;
			Result r = s.select(pool, 1000, Options.DEFAULT);
			assertEquals(n, r.selections().size(), s.name());
			assertEquals(n, Arrays.stream(r.ids()).distinct().count(), s.name());
			assertTrue(r.message().contains("only 40 candidates remain"), r.message());
		}
		assertEquals(n, Strategies.select("more-of-class", pool, 1000, Options.DEFAULT.withTarget("dog")).selections().size());
	}

	/** Spares ranked behind the ask (Next Image's look-ahead) are returned, but the shortfall is measured on the ask. */
	@Test
	void sparesBehindTheAskAreRankedWithoutSayingTooFewRemain() {
		int n = 5;
		Pool pool = Pool.builder(C3).unlabelled(Pools.ids(n, 1), Pools.probabilities(n, 3, 4), Pools.gaussian(n, 4, 4)).build();
		Result r = Strategies.byName("entropy").select(pool, 1, 8, Options.DEFAULT);
		assertEquals(n, r.selections().size(), "the one asked for and every spare there is");
		assertEquals(Strategies.select("entropy", pool, 1, Options.DEFAULT).ids()[0], r.ids()[0], "the first is the one asked for");
		assertEquals("", r.message(), "one was asked for and five remain");
		assertTrue(Strategies.byName("entropy").select(pool, 6, 8, Options.DEFAULT).message().contains("Asked for 6 but only 5 candidates remain"));
	}

	@Test
	void excludedItemsAreNeverChosen() {
		int n = 500;
		float[][] p = Pools.probabilities(n, 5, 9);
		Pool pool = Pool.builder(Pools.classes(5)).unlabelled(Pools.ids(n, 1), p, Pools.gaussian(n, 6, 9)).build();
		for (Strategy s : Strategies.all()) {
			if (s.choosesLabelled()) continue;
			Options o = Options.DEFAULT.withPair("c0", "c1");
			Result first = s.select(pool, 10, o);
			if (first.isEmpty()) continue;
			Set<Long> taken = new HashSet<>(Arrays.stream(first.ids()).boxed().toList());
			Result second = s.select(pool, 10, o.withExclude(taken));
			for (long id : second.ids()) assertFalse(taken.contains(id), s.name() + " returned leased item " + id);
			assertEquals(first.candidates() - first.ids().length, second.candidates(), s.name());
		}
		Set<Long> all = new HashSet<>();
		for (long i = 1; i <= n; i++) all.add(i);
		Result none = Strategies.select("entropy", pool, 3, Options.DEFAULT.withExclude(all));
		assertTrue(none.isEmpty());
		assertTrue(none.message().contains("leased to other labellers"), none.message());
	}

	/**
	 * A pool kept for many picks walks its ranking instead of scanning every score: the same items, ranks, scores and
	 * reasons as the scan, with ties (probabilities rounded to tenths), excluded items and batches larger than what is
	 * left.
	 */
	@ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "entropy", "margin", "least-confidence" })
	void aPoolKeptForPicksChoosesWhatTheScanChooses(String strategy) {
		int n = 3000;
		float[][] p = Pools.probabilities(n, 4, 21);
		for (float[] row : p) {
			float sum = 0;
			for (int j = 0; j < row.length; j++) sum += row[j] = Math.round(row[j] * 10) / 10f + 0.01f;
			for (int j = 0; j < row.length; j++) row[j] /= sum;
		}
		long[] ids = Pools.ids(n, 100);
		Pool scanned = Pool.builder(Pools.classes(4)).unlabelled(ids, p, null).build();
		Pool kept = Pool.builder(Pools.classes(4)).unlabelled(ids, p, null).build();
		kept.keepForPicks();
		java.util.SplittableRandom r = new java.util.SplittableRandom(5);
		for (int trial = 0; trial < 40; trial++) {
			Set<Long> exclude = new HashSet<>();
			int excluded = trial < 20 ? r.nextInt(50) : n - 1 - r.nextInt(12); // a few, or all but a few
			while (exclude.size() < excluded) exclude.add(ids[r.nextInt(n)]);
			int k = 1 + r.nextInt(12);
			Result a = Strategies.select(strategy, scanned, k, Options.DEFAULT.withExclude(exclude));
			Result b = Strategies.select(strategy, kept, k, Options.DEFAULT.withExclude(exclude));
			assertEquals(Math.min(k, n - excluded), b.ids().length, "trial " + trial);
			assertEquals(a.selections(), b.selections(), "trial " + trial + ", k " + k + ", " + excluded + " excluded");
			assertEquals(a.message(), b.message());
		}
		// ties really are there, so the order among them is tested
		float[] u = scanned.uncertainty(Strategies.byName(strategy) instanceof Margin ? Uncertainty.MARGIN
				: Strategies.byName(strategy) instanceof Entropy ? Uncertainty.ENTROPY : Uncertainty.LEAST_CONFIDENCE);
		assertTrue(IntStream.range(0, n).mapToObj(i -> u[i]).distinct().count() < n / 10);
	}

	@Test
	void unsortedIdsAreExcludedToo() {
		long[] ids = { 50, 10, 40, 20, 30 };
		float[][] p = { { .9f, .1f }, { .5f, .5f }, { .8f, .2f }, { .6f, .4f }, { .7f, .3f } };
		Pool pool = Pool.builder(List.of("a", "b")).unlabelled(ids, p, null).build();
		assertArrayEquals(new long[] { 10, 20, 30 }, Strategies.select("margin", pool, 3, Options.DEFAULT).ids());
		assertArrayEquals(new long[] { 20, 30, 40 }, Strategies.select("margin", pool, 3, Options.DEFAULT.withExclude(Set.of(10L, 99L))).ids());
		assertEquals(2, pool.indexOf(40));
		assertEquals(-1, pool.indexOf(41));
	}

	@Test
	void moreOfClassTakesTheHighestProbabilityOfThatClass() {
		float[][] p = { { .2f, .7f, .1f }, { .1f, .2f, .7f }, { .05f, .9f, .05f }, { .6f, .3f, .1f } };
		Pool pool = Pool.builder(C3).unlabelled(new long[] { 1, 2, 3, 4 }, p, null).build();
		Result r = Strategies.select("more-of-class", pool, 2, Options.DEFAULT.withTarget("dog"));
		assertArrayEquals(new long[] { 3, 1 }, r.ids());
		assertEquals("P(dog) 0.90 — rank 1 of 4 unlabelled", r.selections().get(0).reason());
		assertEquals(0.9, r.selections().get(0).score(), 1e-6);
	}

	@Test
	void confusionRanksOnlyItemsWhoseTopTwoAreThePair() {
		float[][] p = {
				{ .45f, .44f, .11f }, // cat/dog, diff .01
				{ .10f, .45f, .45f }, // dog/bird: not the pair
				{ .30f, .50f, .20f }, // dog/cat, diff .20
				{ .34f, .33f, .33f }, // cat first; dog and bird tie for second: accepted, diff .01
				{ .40f, .20f, .40f }, // cat/bird: not the pair
		};
		Pool pool = Pool.builder(C3).unlabelled(new long[] { 1, 2, 3, 4, 5 }, p, null).build();
		Result r = Strategies.select("confusion", pool, 10, Options.DEFAULT.withPair("dog", "cat"));
		assertEquals(Set.of(1L, 3L, 4L), new HashSet<>(Arrays.stream(r.ids()).boxed().toList()));
		assertEquals(3, r.ids()[2]);
		assertTrue(r.selections().get(0).reason().endsWith("rank 1 of 3 unlabelled where dog and cat are the two most likely"),
				r.selections().get(0).reason());
		Result none = Strategies.select("confusion", pool, 3, Options.DEFAULT.withPair("bird", "cat").withExclude(Set.of(4L, 5L)));
		assertTrue(none.isEmpty());
		assertTrue(none.message().contains("'bird' and 'cat' as its two most likely"), none.message());
	}

	@Test
	void reviewRanksLabelledItemsByDisagreementWithTheirLabel() {
		long[] lid = { 11, 12, 13, 14 };
		int[] labels = { 0, 1, 2, 0 };
		float[][] oof = { { .9f, .05f, .05f }, { .8f, .1f, .1f }, { .3f, .3f, .4f }, { .5f, .5f, 0 } };
		Pool pool = Pool.builder(C3).unlabelled(new long[0], new float[0][], null).labelled(lid, labels, oof, null).build();
		Result r = Strategies.select("review", pool, 3, Options.DEFAULT);
		assertArrayEquals(new long[] { 12, 13, 14 }, r.ids());
		assertEquals(0.9, r.selections().get(0).score(), 1e-6);
		assertEquals("label 'dog', out-of-fold P(dog) 0.10, model says 'cat' 0.80 — rank 1 of 4 labelled", r.selections().get(0).reason());
		assertArrayEquals(new long[] { 13, 14 }, Strategies.select("review", pool, 2, Options.DEFAULT.withExclude(Set.of(12L))).ids());

		Pool noOof = Pool.builder(C3).labelled(lid, labels, null, null).build();
		Result e = Strategies.select("review", noOof, 3, Options.DEFAULT);
		assertTrue(e.isEmpty());
		assertTrue(e.message().contains("No out-of-fold predictions yet"), e.message());
		assertTrue(Strategies.select("review", Pool.builder(C3).build(), 3, Options.DEFAULT).message().contains("No labelled items"));
	}

	@Test
	void randomIsSeededAndDistinct() {
		Pool pool = Pool.builder(C3).unlabelled(Pools.ids(1000, 1), null, null).build();
		Result a = Strategies.select("random", pool, 50, Options.DEFAULT.withSeed(5));
		assertArrayEquals(a.ids(), Strategies.select("random", pool, 50, Options.DEFAULT.withSeed(5)).ids());
		assertFalse(Arrays.equals(a.ids(), Strategies.select("random", pool, 50, Options.DEFAULT.withSeed(6)).ids()));
		assertEquals(50, Arrays.stream(a.ids()).distinct().count());
		assertEquals("random pick — rank 1 of 1,000 unlabelled", a.selections().get(0).reason());
		// uniform: over many seeds every item gets picked about equally often
		int[] hits = new int[10];
		Pool small = Pool.builder(C3).unlabelled(Pools.ids(10, 0), null, null).build();
		for (int s = 0; s < 5000; s++) hits[(int) Strategies.select("random", small, 1, Options.DEFAULT.withSeed(s)).ids()[0]]++;
		for (int h : hits) assertTrue(h > 400 && h < 600, Arrays.toString(hits));
	}

	@Test
	void poolRefusesMismatchedArrays() {
		assertThrows(IllegalArgumentException.class, () -> Pool.builder(C3).unlabelled(new long[] { 1, 2 }, new float[][] { { 1, 0, 0 } }, null).build());
		assertThrows(IllegalArgumentException.class, () -> Pool.builder(C3).unlabelled(new long[] { 1 }, new float[][] { { 1, 0 } }, null).build());
		assertThrows(IllegalArgumentException.class, () -> Pool.builder(C3).labelled(new long[] { 1 }, new int[] { 3 }, null, null).build());
		assertThrows(IllegalArgumentException.class,
				() -> Pool.builder(C3).unlabelled(new long[] { 1 }, null, new float[][] { { 1, 2 } })
						.labelled(new long[] { 2 }, new int[] { 0 }, null, new float[][] { { 1, 2, 3 } }).build());
	}
}
