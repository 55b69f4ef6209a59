package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * Margin sampling: the items with the smallest difference between their two most likely classes, where the model
 * hesitates between two answers; score = that margin (lower is more informative). Reference: Scheffer, Decomain &amp;
 * Wrobel, "Active hidden Markov models for information extraction", IDA 2001; Settles (2009) §3.1. Robust in batch
 * mode and the fallback for diversity strategies when a pool has no embeddings. One pass with a bounded heap.
 */
public final class Margin implements Strategy {
	/** Its name. */
	public static final String NAME = "margin";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items where the two most likely classes are closest (the model hesitates between two answers).";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] p = pool.probabilities();
		return Strategies.selections(pool, Scan.mostUncertain(pool, c, k, Uncertainty.MARGIN), i -> Uncertainty.margin(p[i]),
				i -> describe(pool, p[i]), c, false);
	}

	/** {@code margin 0.03 between 'shirt' and 'coat'}. */
	static String describe(Pool pool, float[] p) {
		int a = Scan.argmax(p), b = Scan.second(p);
		return "margin " + Text.num(Uncertainty.margin(p)) + (b < 0 ? ""
				: " between '" + pool.classes().get(a) + "' and '" + pool.classes().get(b) + "'");
	}
}
