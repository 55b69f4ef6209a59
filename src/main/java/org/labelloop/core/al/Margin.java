package org.labelloop.core.al;

/**
 * Margin sampling: the items with the smallest difference between their two most likely classes, where the model
 * hesitates between two answers; score = that margin (lower is more informative). Reference: Scheffer, Decomain &amp;
 * Wrobel, "Active hidden Markov models for information extraction", IDA 2001; Settles (2009) §3.1. Robust in batch
 * mode and the fallback for diversity strategies when a pool has no embeddings. One pass with a bounded heap.
 */
public final class Margin extends UncertaintySampling {
	/** Its name. */
	public static final String NAME = "margin";

	public Margin() {
		super(NAME, "Items where the two most likely classes are closest (the model hesitates between two answers).", Uncertainty.MARGIN);
	}

	/** The margin itself (lower is more informative), not 1 − margin. */
	@Override
	double score(float[] p) {
		return Uncertainty.margin(p);
	}

	@Override
	String reason(Pool pool, float[] p) {
		return describe(pool, p);
	}

	/** {@code margin 0.03 between 'shirt' and 'coat'}. */
	static String describe(Pool pool, float[] p) {
		int a = Scan.argmax(p), b = Scan.second(p);
		return "margin " + Text.num(Uncertainty.margin(p)) + (b < 0 ? ""
				: " between '" + pool.classes().get(a) + "' and '" + pool.classes().get(b) + "'");
	}
}
