package org.labelloop.core.al;

import java.util.Arrays;

/** The scans behind the uncertainty strategies: a bounded heap over the scores, or, for a pool kept for many picks, its ranking sorted once. */
final class Scan {
	private Scan() {
	}

	/** Pools at least this big compute their scores on several threads. */
	static final int PARALLEL_FROM = 1 << 16;

	/**
	 * Positions of the k most uncertain candidates, most uncertain first: the first k candidates of the pool's ranking
	 * when it has one ({@link Pool#rank}), else one pass over the pool's cached uncertainties ({@link Pool#uncertainty})
	 * with a bounded heap. Both give the same positions.
	 */
	static int[] mostUncertain(Pool pool, Candidates c, int k, Uncertainty measure) {
		int[] ranked = pool.ranking(measure);
		if (ranked != null) {
			int[] out = new int[Math.min(k, c.count())];
			int j = 0;
			for (int r = 0; r < ranked.length && j < out.length; r++)
				if (!c.isExcluded(ranked[r])) out[j++] = ranked[r];
			return j == out.length ? out : Arrays.copyOf(out, j);
		}
		float[] u = pool.uncertainty(measure);
		TopK top = new TopK(k);
		double thr = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < u.length; i++) {
			float s = u[i];
			if (s >= thr && !c.isExcluded(i)) {
				top.offer(s, i);
				thr = top.threshold();
			}
		}
		return top.drain();
	}

	/**
	 * The uncertainty of every row, in chunks on the common fork-join pool for big pools. Each measure has its own
	 * loop so the JIT compiles it straight, without a virtual call per item. Maximum and margin compare the floats'
	 * bit patterns as ints, which orders non-negative floats exactly as their values and compiles to branch-free
	 * integer max/min (a third of the time of {@code Math.max} on floats, whose NaN handling lengthens every step of
	 * the chain); entropy uses the table-driven logarithm of {@link Uncertainty#fastEntropy}. Probabilities must be
	 * non-negative and not NaN.
	 */
	static float[] uncertainties(float[][] p, Uncertainty measure) {
		int n = p.length;
		float[] out = new float[n];
		int chunks = n < PARALLEL_FROM ? 1 : Math.max(1, Math.min(64, n / (PARALLEL_FROM / 2)));
		java.util.stream.IntStream range = java.util.stream.IntStream.range(0, chunks);
		(chunks > 1 ? range.parallel() : range).forEach(t -> {
			int lo = (int) ((long) n * t / chunks), hi = (int) ((long) n * (t + 1) / chunks);
			switch (measure) {
			case LEAST_CONFIDENCE:
				for (int i = lo; i < hi; i++) {
					float[] r = p[i];
					int max = Float.floatToRawIntBits(r[0]);
					for (int j = 1; j < r.length; j++) max = Math.max(max, Float.floatToRawIntBits(r[j]));
					out[i] = 1 - Float.intBitsToFloat(max);
				}
				break;
			case MARGIN:
				for (int i = lo; i < hi; i++) {
					float[] r = p[i];
					int a = Integer.MIN_VALUE, b = Integer.MIN_VALUE; // largest and second largest, as bits
					for (float v : r) {
						int x = Float.floatToRawIntBits(v), below = Math.min(a, x);
						a = Math.max(a, x);
						b = Math.max(b, below);
					}
					out[i] = r.length < 2 ? 0 : 1 - (Float.intBitsToFloat(a) - Float.intBitsToFloat(b));
				}
				break;
			case ENTROPY:
				for (int i = lo; i < hi; i++) out[i] = Uncertainty.fastEntropy(p[i]);
				break;
			default:
				throw new AssertionError(measure);
			}
		});
		return out;
	}

	/**
	 * The positions of these scores, largest first and ties by position (the order of {@link TopK}), without NaN: one
	 * sort of (score, position) keys packed into longs.
	 */
	static int[] order(float[] u) {
		long[] keys = new long[u.length];
		int n = 0;
		for (int i = 0; i < u.length; i++) {
			if (Float.isNaN(u[i])) continue;
			int bits = Float.floatToIntBits(u[i] == 0 ? 0f : u[i]); // -0 ranks with 0, as it compares equal
			int sortable = bits ^ ((bits >> 31) & 0x7fffffff); // ascending as the floats
			keys[n++] = ((long) ~sortable << 32) | i; // descending score, then ascending position
		}
		keys = Arrays.copyOf(keys, n);
		if (n >= PARALLEL_FROM) Arrays.parallelSort(keys);
		else Arrays.sort(keys);
		int[] out = new int[n];
		for (int r = 0; r < n; r++) out[r] = (int) keys[r];
		return out;
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
