package org.labelloop.core.al;

/**
 * The k largest scores of a stream, in one pass with a bounded min-heap: O(n log k) worst case and O(n) typically,
 * no sort of all n. Ties go to the smaller index, so results do not depend on hardware or threads.
 */
final class TopK {
	private final int k;
	private final double[] score;
	private final int[] index;
	private int size;

	TopK(int k) {
		this.k = Math.max(1, k);
		this.score = new double[this.k];
		this.index = new int[this.k];
	}

	/** The score an item must beat to enter (−∞ until k items are held). */
	double threshold() {
		return size < k ? Double.NEGATIVE_INFINITY : score[0];
	}

	void offer(double s, int i) {
		if (Double.isNaN(s)) return;
		if (size < k) {
			score[size] = s;
			index[size] = i;
			up(size++);
		} else if (better(s, i, score[0], index[0])) {
			score[0] = s;
			index[0] = i;
			down(0);
		}
	}

	private static boolean better(double s1, int i1, double s2, int i2) {
		return s1 > s2 || (s1 == s2 && i1 < i2);
	}

	private void up(int c) {
		while (c > 0) {
			int p = (c - 1) >>> 1;
			if (!better(score[p], index[p], score[c], index[c])) break;
			swap(p, c);
			c = p;
		}
	}

	private void down(int p) {
		while (true) {
			int l = 2 * p + 1, r = l + 1, w = p;
			if (l < size && better(score[w], index[w], score[l], index[l])) w = l;
			if (r < size && better(score[w], index[w], score[r], index[r])) w = r;
			if (w == p) return;
			swap(p, w);
			p = w;
		}
	}

	private void swap(int a, int b) {
		double s = score[a];
		score[a] = score[b];
		score[b] = s;
		int i = index[a];
		index[a] = index[b];
		index[b] = i;
	}

	int size() {
		return size;
	}

	/** Indices, best first (empties the heap). */
	int[] drain() {
		int[] out = new int[size];
		for (int j = size - 1; j >= 0; j--) {
			out[j] = index[0];
			size--;
			score[0] = score[size];
			index[0] = index[size];
			down(0);
		}
		return out;
	}
}
