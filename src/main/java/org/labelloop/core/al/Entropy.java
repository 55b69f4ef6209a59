package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * Entropy sampling: the items whose predicted class distribution has the highest Shannon entropy
 * {@code −Σ p ln p} (nats). Reference: Shannon 1948; for active learning Settles &amp; Craven, EMNLP 2008, and
 * Settles (2009) §3.1. Picks one item well; in large batches it tends to take near-duplicates and to favour items
 * confused among many classes, which {@link Hybrid} avoids. One pass with a bounded heap.
 */
public final class Entropy implements Strategy {
	/** Its name. */
	public static final String NAME = "entropy";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items whose predicted classes are most spread out (highest entropy).";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] p = pool.probabilities();
		return Strategies.selections(pool, Scan.mostUncertain(pool, c, k, Uncertainty.ENTROPY), i -> Uncertainty.ENTROPY.of(p[i]),
				i -> "entropy " + Text.num(Uncertainty.ENTROPY.of(p[i])), c, false);
	}
}
