package org.labelloop.core.al;

/**
 * Least-confidence sampling: the items whose most likely class has the lowest probability, score {@code 1 − max p}.
 * Reference: Lewis &amp; Gale, "A sequential algorithm for training text classifiers", SIGIR 1994; Settles (2009) §3.1.
 * One pass with a bounded heap.
 */
public final class LeastConfidence extends UncertaintySampling {
	/** Its name. */
	public static final String NAME = "least-confidence";

	public LeastConfidence() {
		super(NAME, "Items whose most likely class is least probable (1 − max p).", Uncertainty.LEAST_CONFIDENCE);
	}

	@Override
	String reason(Pool pool, float[] p) {
		int top = Scan.argmax(p);
		return "least confidence: top class '" + pool.classes().get(top) + "' at " + Text.num(p[top]);
	}
}
