package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Batches without duplicates: top-k uncertainty takes near-copies of one item, hybrid and core-set spread out. */
class DiversityTest {

	static final int CLUSTERS = 10, PER = 30, DIM = 16;

	/** Ten tight clusters of near-duplicates; cluster 0 is the most uncertain (near-uniform predictions). */
	static Pool duplicatedClusters(long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		int n = CLUSTERS * PER;
		float[][] centre = new float[CLUSTERS][DIM];
		for (float[] c : centre) for (int j = 0; j < DIM; j++) c[j] = (float) (10 * Pools.gauss(r));
		float[][] emb = new float[n][DIM], p = new float[n][10];
		long[] ids = new long[n];
		for (int i = 0; i < n; i++) {
			int c = i % CLUSTERS; // clusters interleaved in pool order
			ids[i] = i;
			for (int j = 0; j < DIM; j++) emb[i][j] = centre[c][j] + (float) (0.01 * Pools.gauss(r));
			if (c == 0) {
				float sum = 0;
				for (int j = 0; j < 10; j++) sum += p[i][j] = 0.1f + 0.001f * (float) r.nextDouble();
				for (int j = 0; j < 10; j++) p[i][j] /= sum;
			} else {
				float top = 0.3f + 0.4f * (float) r.nextDouble();
				float second = Math.max(0.1f, top - 0.05f - 0.3f * (float) r.nextDouble());
				float rest = Math.max(0, 1 - top - second) / 8;
				int a = r.nextInt(10), b = (a + 1 + r.nextInt(9)) % 10;
				Arrays.fill(p[i], rest);
				p[i][a] = top;
				p[i][b] = second;
			}
		}
		return Pool.builder(Pools.classes(10)).unlabelled(ids, p, emb).build();
	}

	static Set<Long> clusters(long[] ids) {
		Set<Long> s = new HashSet<>();
		for (long id : ids) s.add(id % CLUSTERS);
		return s;
	}

	@Test
	void topKUncertaintyTakesOneClusterWhileHybridAndCoreSetSpreadOverAll() {
		Pool pool = duplicatedClusters(1);
		for (String u : new String[] { "entropy", "margin", "least-confidence" }) {
			long[] ids = Strategies.select(u, pool, 10, Options.DEFAULT).ids();
			assertEquals(Set.of(0L), clusters(ids), u + " picked " + Arrays.toString(ids));
		}
		for (long seed = 0; seed < 5; seed++) {
			Result h = Strategies.select("hybrid", pool, 10, Options.DEFAULT.withSeed(seed));
			assertEquals(10, clusters(h.ids()).size(), "hybrid picked " + Arrays.toString(h.ids()));
			// the most uncertain neighbourhood is still in the batch, first
			assertEquals(0, h.ids()[0] % CLUSTERS);
			assertTrue(h.selections().get(1).reason().contains("diverse pick 2 of 10 from the 200 least certain"), h.selections().get(1).reason());
			Result c = Strategies.select("core-set", pool, 10, Options.DEFAULT.withSeed(seed));
			assertEquals(10, clusters(c.ids()).size(), "core-set picked " + Arrays.toString(c.ids()));
		}
	}

	@Test
	void coreSetAvoidsWhatIsAlreadyLabelled() {
		Pool p = duplicatedClusters(2);
		// label one item of clusters 0..6: core-set must spend its 3 picks on clusters 7, 8, 9
		int n = p.size();
		long[] ids = new long[n - 7];
		float[][] emb = new float[n - 7][], probs = new float[n - 7][];
		float[][] lemb = new float[7][];
		for (int i = 0, j = 0; i < n; i++) {
			if (i < 7) lemb[i] = p.embeddings()[i];
			else {
				ids[j] = p.id(i);
				emb[j] = p.embeddings()[i];
				probs[j++] = p.probabilities()[i];
			}
		}
		Pool pool = Pool.builder(p.classes()).unlabelled(ids, probs, emb)
				.labelled(new long[] { 0, 1, 2, 3, 4, 5, 6 }, new int[7], null, lemb).build();
		Result r = Strategies.select("core-set", pool, 3, Options.DEFAULT);
		assertEquals(Set.of(7L, 8L, 9L), clusters(r.ids()));
		assertTrue(r.selections().get(0).reason().startsWith("distance "), r.selections().get(0).reason());
		assertTrue(r.selections().get(0).score() > 5, "far from every labelled cluster");
	}

	@Test
	void hybridBatchOfABigPoolIsDistinctAndUncertain() {
		int n = 20_000, k = 32;
		float[][] p = Pools.probabilities(n, 10, 3);
		Pool pool = Pool.builder(Pools.classes(10)).unlabelled(Pools.ids(n, 1), p, Pools.gaussian(n, 32, 3)).build();
		Result r = Strategies.select("hybrid", pool, k, Options.DEFAULT);
		assertEquals(k, Arrays.stream(r.ids()).distinct().count());
		// every pick is among the 10·k least certain by margin
		long[] pre = Strategies.select("margin", pool, Hybrid.BETA * k, Options.DEFAULT).ids();
		Set<Long> preSet = new HashSet<>();
		for (long id : pre) preSet.add(id);
		for (long id : r.ids()) assertTrue(preSet.contains(id), "pick " + id + " is not among the least certain");
		// ranked by margin, most uncertain first
		for (int i = 1; i < k; i++) assertTrue(r.selections().get(i - 1).score() <= r.selections().get(i).score());
	}
}
