package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * Review: the labelled items whose out-of-fold prediction disagrees most with their label, ranked by
 * {@code 1 − P(given label)} (the score), so likely label errors are checked first. Out-of-fold means each item was
 * predicted by a model that did not train on it, so a memorised wrong label does not hide itself. Reference: the
 * self-confidence ranking of confident learning, Northcutt, Jiang &amp; Chuang, "Confident Learning: Estimating
 * Uncertainty in Dataset Labels", JAIR 2021. Chooses among labelled items; needs their out-of-fold probabilities
 * and has no fallback (without a model there is nothing to compare a label with).
 */
public final class Review implements Strategy {
	/** Its name. */
	public static final String NAME = "review";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Labelled items the model (out-of-fold) disagrees with most: likely label errors first.";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.OUT_OF_FOLD);
	}

	@Override
	public boolean choosesLabelled() {
		return true;
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] p = pool.labelledProbabilities();
		TopK top = new TopK(k);
		for (int i = 0; i < p.length; i++)
			if (!c.isExcluded(i)) top.offer(1 - p[i][pool.label(i)], i);
		List<String> cl = pool.classes();
		return Strategies.selections(pool, top.drain(), i -> 1 - p[i][pool.label(i)], i -> {
			int given = pool.label(i), said = Scan.argmax(p[i]);
			String what = "label '" + cl.get(given) + "', out-of-fold P(" + cl.get(given) + ") " + Text.num(p[i][given]);
			return said == given ? what : what + ", model says '" + cl.get(said) + "' " + Text.num(p[i][said]);
		}, c, true);
	}
}
