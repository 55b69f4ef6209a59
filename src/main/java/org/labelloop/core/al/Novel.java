package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.labelloop.core.learn.Familiarity;

/**
 * Label what the model has never seen (issue 15): the unlabelled items beyond the familiar range of the labelled
 * ones ({@link Familiarity}: distance to the 5th nearest labelled embedding, features scaled to unit variance, the
 * range holding 95% of the labelled items' own leave-one-out distances; with a model, also the entropy of its
 * predictions against the labelled items' out-of-fold entropy), least familiar first. Unlike
 * {@link CoreSet} it ranks only items that are truly unlike the labels, and says so; when every item lies within the
 * range it chooses nothing and says that too.
 * <p>
 * Exact distances on a seeded sample of at most {@value #MAX_CANDIDATES} candidates and {@value #MAX_LABELLED}
 * labelled items. With fewer than {@value Familiarity#MIN_LABELS} labelled embeddings there is no familiar range yet: the
 * ranking is core-set's, and the reasons say so.
 */
public final class Novel implements Strategy {
	/** Its name. */
	public static final String NAME = "novel";
	public static final int MAX_CANDIDATES = 5_000, MAX_LABELLED = 1_000;

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items unlike anything labelled (beyond the labelled embeddings' familiar range), least familiar first.";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.EMBEDDINGS);
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] le = pool.labelledEmbeddings();
		if (le == null || le.length < Familiarity.MIN_LABELS) {
			List<Selection> out = new ArrayList<>();
			for (Selection s : new CoreSet().rank(pool, c, k, o))
				out.add(new Selection(s.id(), s.score(), s.rank(), "fewer than " + Familiarity.MIN_LABELS + " labelled items, no familiar range yet, so core-set: " + s.reason()));
			return out;
		}
		SplittableRandom rnd = new SplittableRandom(o.seed());
		int[] labelled = Vectors.sample(IntStream.range(0, le.length).toArray(), MAX_LABELLED, rnd);
		// the model's uncertainty too where there is a model: the labelled items' out-of-fold entropy against the candidates'
		float[][] lp = pool.labelledProbabilities(), p = pool.probabilities();
		boolean model = lp != null && p != null;
		Familiarity f = Familiarity.fit(IntStream.of(labelled).mapToObj(j -> le[j]).toArray(float[][]::new),
				model ? IntStream.of(labelled).mapToDouble(j -> Uncertainty.ENTROPY.of(lp[j])).toArray() : null, 5, 0.95);
		int[] cand = Vectors.sample(c.positions(), MAX_CANDIDATES, rnd);
		float[][] e = pool.embeddings();
		float[][] ce = IntStream.of(cand).mapToObj(i -> e[i]).toArray(float[][]::new);
		double[] score = f.scores(ce, model ? IntStream.of(cand).mapToDouble(i -> Uncertainty.ENTROPY.of(p[i])).toArray() : new double[cand.length]);
		List<Integer> beyond = IntStream.range(0, cand.length).filter(a -> score[a] > f.threshold()).boxed()
				.sorted(Comparator.comparingDouble((Integer a) -> -score[a])).toList();
		List<Selection> out = new ArrayList<>();
		for (int r = 0; r < k && r < beyond.size(); r++) {
			int a = beyond.get(r);
			out.add(new Selection(pool.id(cand[a]), score[a], r + 1, c.reason("unlike anything labelled: unfamiliarity " + Text.num(score[a])
					+ " beyond the labelled range " + Text.num(f.threshold()) + " (1: as far out as the farthest labelled item)", r + 1, beyond.size(), "unlike the labelled")));
		}
		return out;
	}

	@Override
	public String whyEmpty(Pool pool, Options options) {
		return "No unlabelled item lies beyond the familiar range of the " + Text.count(pool.labelledSize())
				+ " labelled ones: the model has seen their like. Core-set still picks for coverage.";
	}
}
