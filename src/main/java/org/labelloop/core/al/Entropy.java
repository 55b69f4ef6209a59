package org.labelloop.core.al;

/**
 * Entropy sampling: the items whose predicted class distribution has the highest Shannon entropy
 * {@code −Σ p ln p} (nats). Reference: Shannon 1948; for active learning Settles &amp; Craven, EMNLP 2008, and
 * Settles (2009) §3.1. Picks one item well; in large batches it tends to take near-duplicates and to favour items
 * confused among many classes, which {@link Hybrid} avoids. One pass with a bounded heap.
 */
public final class Entropy extends UncertaintySampling {
	/** Its name. */
	public static final String NAME = "entropy";

	public Entropy() {
		super(NAME, "Items whose predicted classes are most spread out (highest entropy).", Uncertainty.ENTROPY);
	}

	@Override
	String reason(Pool pool, float[] p) {
		return "entropy " + Text.num(Uncertainty.ENTROPY.of(p));
	}
}
