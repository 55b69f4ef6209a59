package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * Least-confidence sampling: the items whose most likely class has the lowest probability, score {@code 1 − max p}.
 * Reference: Lewis &amp; Gale, "A sequential algorithm for training text classifiers", SIGIR 1994; Settles (2009) §3.1.
 * One pass with a bounded heap.
 */
public final class LeastConfidence implements Strategy {
	/** Its name. */
	public static final String NAME = "least-confidence";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items whose most likely class is least probable (1 − max p).";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] p = pool.probabilities();
		return Strategies.selections(pool, Scan.mostUncertain(pool, c, k, Uncertainty.LEAST_CONFIDENCE),
				i -> Uncertainty.LEAST_CONFIDENCE.of(p[i]), i -> {
					int top = Scan.argmax(p[i]);
					return "least confidence: top class '" + pool.classes().get(top) + "' at " + Text.num(p[i][top]);
				}, c, false);
	}
}
