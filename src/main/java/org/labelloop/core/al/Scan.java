package org.labelloop.core.al;

/**
 * One pass over all candidates keeping the k most uncertain in a bounded heap (no sort of the whole pool). Each
 * measure has its own loop so the JIT compiles it straight, without a virtual call per item; entropy uses the
 * table-driven logarithm of {@link Uncertainty#fastEntropy}.
 */
final class Scan {
	private Scan() {
	}

	/** Positions of the k most uncertain candidates, most uncertain first. */
	static int[] mostUncertain(Pool pool, Candidates c, int k, Uncertainty measure) {
		float[][] p = pool.probabilities();
		int n = p.length;
		TopK top = new TopK(k);
		double thr = Double.NEGATIVE_INFINITY;
		switch (measure) {
		case LEAST_CONFIDENCE:
			for (int i = 0; i < n; i++) {
				float[] r = p[i];
				float max = r[0];
				for (int j = 1; j < r.length; j++) if (r[j] > max) max = r[j];
				double s = 1 - max;
				if (s >= thr && !c.isExcluded(i)) {
					top.offer(s, i);
					thr = top.threshold();
				}
			}
			break;
		case MARGIN:
			for (int i = 0; i < n; i++) {
				double s = 1 - Uncertainty.margin(p[i]);
				if (s >= thr && !c.isExcluded(i)) {
					top.offer(s, i);
					thr = top.threshold();
				}
			}
			break;
		case ENTROPY:
			for (int i = 0; i < n; i++) {
				double s = Uncertainty.fastEntropy(p[i]);
				if (s >= thr && !c.isExcluded(i)) {
					top.offer(s, i);
					thr = top.threshold();
				}
			}
			break;
		default:
			throw new AssertionError(measure);
		}
		return top.drain();
	}

	/** Index of the largest value. */
	static int argmax(float[] p) {
		int b = 0;
		for (int j = 1; j < p.length; j++) if (p[j] > p[b]) b = j;
		return b;
	}

	/** Index of the second largest value (-1 with one class). */
	static int second(float[] p) {
		int a = argmax(p), b = -1;
		for (int j = 0; j < p.length; j++) if (j != a && (b < 0 || p[j] > p[b])) b = j;
		return b;
	}
}
