package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Core-set selection by k-center greedy on the embeddings: repeatedly takes the candidate farthest from everything
 * labelled or already chosen, so a batch covers the embedding space and never holds two near-duplicates. Needs no
 * predictions, which makes it the cold-start strategy. Score = Euclidean distance to the nearest labelled or chosen
 * item at the moment of the pick. Reference: Sener &amp; Savarese, "Active Learning for Convolutional Neural Networks:
 * A Core-Set Approach", ICLR 2018 (the greedy 2-approximation of their §4.1).
 * <p>
 * Cost is candidates × (labelled + k) distance computations, so on big pools it works on a random sample: at most
 * {@value #MAX_CANDIDATES} candidates and {@value #MAX_CENTRES} labelled items as already-covered centres (seeded).
 * With no labelled embeddings the first pick is the candidate nearest the mean (a typical item, not an outlier).
 */
public final class CoreSet implements Strategy {
	/** Its name. */
	public static final String NAME = "core-set";
	/** Largest number of candidates considered; larger pools are sampled. */
	public static final int MAX_CANDIDATES = 10_000;
	/** Largest number of labelled items used as covered centres; more are sampled. */
	public static final int MAX_CENTRES = 2_000;

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items farthest from everything labelled (k-center greedy on embeddings): covers the data, needs no model.";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.EMBEDDINGS);
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		SplittableRandom rnd = new SplittableRandom(o.seed());
		float[][] e = pool.embeddings();
		int[] cand = Vectors.sample(c.positions(), MAX_CANDIDATES, rnd);
		int m = cand.length;
		float[] min = new float[m];
		java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
		float[][] le = pool.labelledEmbeddings();
		if (le != null && le.length > 0) {
			int[] centres = new int[le.length];
			for (int j = 0; j < centres.length; j++) centres[j] = j;
			centres = Vectors.sample(centres, MAX_CENTRES, rnd);
			for (int a = 0; a < m; a++) {
				float[] x = e[cand[a]];
				float best = Float.POSITIVE_INFINITY;
				for (int j : centres) best = Math.min(best, Vectors.dist2(x, le[j]));
				min[a] = best;
			}
		}
		boolean[] taken = new boolean[m];
		List<Selection> out = new ArrayList<>(k);
		for (int r = 0; r < k && r < m; r++) {
			int pick;
			if (Float.isInfinite(min[0]) && r == 0) pick = nearestMean(e, cand);
			else {
				pick = -1;
				for (int a = 0; a < m; a++)
					if (!taken[a] && (pick < 0 || min[a] > min[pick])) pick = a;
			}
			taken[pick] = true;
			double d = Float.isInfinite(min[pick]) ? Double.NaN : Math.sqrt(min[pick]);
			String what = Double.isNaN(d) ? "nearest to the centre of the pool (nothing labelled yet)"
					: "distance " + Text.num(d) + " to the nearest labelled or chosen item";
			out.add(new Selection(pool.id(cand[pick]), Double.isNaN(d) ? 0 : d, r + 1, c.reason(what, r + 1)));
			float[] x = e[cand[pick]];
			for (int a = 0; a < m; a++) if (!taken[a]) min[a] = Math.min(min[a], Vectors.dist2(x, e[cand[a]]));
		}
		return out;
	}

	private static int nearestMean(float[][] e, int[] cand) {
		int d = e[cand[0]].length;
		float[] mean = new float[d];
		for (int i : cand) for (int j = 0; j < d; j++) mean[j] += e[i][j];
		for (int j = 0; j < d; j++) mean[j] /= cand.length;
		int best = 0;
		float bd = Float.POSITIVE_INFINITY;
		for (int a = 0; a < cand.length; a++) {
			float dd = Vectors.dist2(mean, e[cand[a]]);
			if (dd < bd) {
				bd = dd;
				best = a;
			}
		}
		return best;
	}
}
