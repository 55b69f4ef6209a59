package org.labelloop.core.vector;

import java.io.IOException;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * The vectors of one index segment on the heap, laid out for brute-force scoring: blocks of {@value #BLOCK} vectors,
 * each block transposed ({@link Columns}).
 * <p>
 * Immutable once built, like the segment it copies.
 */
final class ExactScan {

	/** Vectors per block. */
	static final int BLOCK = 2048;

	final int dimension, size;
	/** The segment's document of each vector, ascending. */
	private final int[] docs;
	/** columns[b]: vectors {@code b·BLOCK ..}, transposed. */
	private final Columns[] columns;

	private ExactScan(int dimension, int[] docs, Columns[] columns) {
		this.dimension = dimension;
		this.size = docs.length;
		this.docs = docs;
		this.columns = columns;
	}

	/** A segment without vectors. */
	static final ExactScan EMPTY = new ExactScan(0, new int[0], new Columns[0]);

	/** Copies every vector of a segment. */
	static ExactScan read(FloatVectorValues values) throws IOException {
		int n = values.size(), d = values.dimension();
		Columns[] columns = new Columns[(n + BLOCK - 1) / BLOCK];
		int[] docs = new int[n];
		int row = 0;
		for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
			if (row == n) throw new IOException("The segment holds more vectors than it says (" + n + ")");
			int b = row / BLOCK, i = row % BLOCK;
			if (i == 0) columns[b] = Columns.empty(d, Math.min(BLOCK, n - row));
			columns[b].set(i, values.vectorValue());
			docs[row++] = doc;
		}
		if (row != n) throw new IOException("The segment holds " + row + " vectors, not " + n);
		return new ExactScan(d, docs, columns);
	}

	/** Heap bytes of a copy of {@code n} vectors of {@code d} values. */
	static long bytes(long n, int d) {
		return n * d * Float.BYTES + n * Integer.BYTES;
	}

	long bytes() {
		return bytes(size, dimension);
	}

	int blocks() {
		return columns.length;
	}

	/** Vectors in block b. */
	int length(int b) {
		return columns[b].size();
	}

	/** The segment document of vector i of block b. */
	int doc(int b, int i) {
		return docs[b * BLOCK + i];
	}

	/** {@code out[i] = q · vector i of block b} for the block's vectors; out must have {@link #length} values. */
	void dots(int b, float[] q, float[] out) {
		columns[b].dots(q, out);
	}

	/**
	 * The best k (score, document) pairs offered: higher score first, on equal scores the lower document (the order
	 * of {@code LuceneVectorIndex}'s results). A binary heap with the worst kept at the root, on primitive arrays.
	 */
	static final class TopK {
		final int k;
		int size;
		final float[] score;
		final int[] doc;

		TopK(int k) {
			this.k = k;
			score = new float[k];
			doc = new int[k];
		}

		/** Whether (s, d) ranks before (t, e). */
		static boolean better(float s, int d, float t, int e) {
			return s > t || (s == t && d < e);
		}

		/** The score a new item must reach to enter (−∞ until k are held). */
		float threshold() {
			return size < k ? Float.NEGATIVE_INFINITY : score[0];
		}

		void offer(float s, int d) {
			if (size < k) {
				int i = size++;
				while (i > 0) { // sift up: the parent must not be better than the new item
					int parent = (i - 1) >>> 1;
					if (!better(score[parent], doc[parent], s, d)) break;
					score[i] = score[parent];
					doc[i] = doc[parent];
					i = parent;
				}
				score[i] = s;
				doc[i] = d;
			} else if (better(s, d, score[0], doc[0])) {
				int i = 0;
				while (true) { // sift down from the root
					int l = 2 * i + 1;
					if (l >= size) break;
					int r = l + 1, worse = r < size && better(score[l], doc[l], score[r], doc[r]) ? r : l;
					if (!better(s, d, score[worse], doc[worse])) break;
					score[i] = score[worse];
					doc[i] = doc[worse];
					i = worse;
				}
				score[i] = s;
				doc[i] = d;
			}
		}

		void addAll(TopK other) {
			for (int i = 0; i < other.size; i++) offer(other.score[i], other.doc[i]);
		}
	}
}
