package org.labelloop.core.vector;

import java.io.IOException;

import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.search.DocIdSetIterator;

/**
 * The vectors of one index segment on the heap, laid out for brute-force scoring: blocks of {@value #BLOCK} vectors,
 * each block transposed (one array per dimension holding that value of the block's vectors). The dot products of a
 * query with a whole block are then {@code d/4} passes of {@code out[i] += q0·c0[i] + q1·c1[i] + q2·c2[i] + q3·c3[i]}
 * — loops that index every array from 0 with the loop variable, which C2 compiles to vector instructions on Java 17.
 * (Lucene 9.12's {@code VectorUtil} uses the Panama vector API only on Java 20 and later; on Java 17 its dot product,
 * like any reduction, is scalar: about a fifth of the speed.)
 * <p>
 * Immutable once built, like the segment it copies.
 */
final class ExactScan {

	/** Vectors per block. */
	static final int BLOCK = 2048;

	final int dimension, size;
	/** The segment's document of each vector, ascending. */
	private final int[] docs;
	/** columns[b][j][i]: value j of vector {@code b·BLOCK + i}. */
	private final float[][][] columns;

	private ExactScan(int dimension, int[] docs, float[][][] columns) {
		this.dimension = dimension;
		this.size = docs.length;
		this.docs = docs;
		this.columns = columns;
	}

	/** A segment without vectors. */
	static final ExactScan EMPTY = new ExactScan(0, new int[0], new float[0][][]);

	/** Copies every vector of a segment. */
	static ExactScan read(FloatVectorValues values) throws IOException {
		int n = values.size(), d = values.dimension();
		float[][][] columns = new float[(n + BLOCK - 1) / BLOCK][][];
		int[] docs = new int[n];
		int row = 0;
		for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
			if (row == n) throw new IOException("The segment holds more vectors than it says (" + n + ")");
			int b = row / BLOCK, i = row % BLOCK;
			if (i == 0) columns[b] = new float[d][Math.min(BLOCK, n - row)];
			float[] v = values.vectorValue();
			float[][] c = columns[b];
			for (int j = 0; j < d; j++) c[j][i] = v[j];
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
		return columns[b][0].length;
	}

	/** The segment document of vector i of block b. */
	int doc(int b, int i) {
		return docs[b * BLOCK + i];
	}

	/** {@code out[i] = q · vector i of block b} for the block's vectors; out must have {@link #length} values. */
	void dots(int b, float[] q, float[] out) {
		float[][] c = columns[b];
		int d = dimension, j = 0;
		if (d >= 4) { // the first four dimensions set out, the others add to it
			first4(q[0], q[1], q[2], q[3], c[0], c[1], c[2], c[3], out);
			j = 4;
		} else {
			java.util.Arrays.fill(out, 0);
		}
		for (; j + 4 <= d; j += 4) axpy4(q[j], q[j + 1], q[j + 2], q[j + 3], c[j], c[j + 1], c[j + 2], c[j + 3], out);
		for (; j < d; j++) axpy(q[j], c[j], out);
	}

	private static void first4(float s0, float s1, float s2, float s3, float[] a0, float[] a1, float[] a2, float[] a3, float[] out) {
		for (int i = 0; i < out.length; i++) out[i] = s0 * a0[i] + s1 * a1[i] + s2 * a2[i] + s3 * a3[i];
	}

	private static void axpy(float s, float[] a, float[] out) {
		for (int i = 0; i < out.length; i++) out[i] += s * a[i];
	}

	private static void axpy4(float s0, float s1, float s2, float s3, float[] a0, float[] a1, float[] a2, float[] a3, float[] out) {
		for (int i = 0; i < out.length; i++) out[i] += s0 * a0[i] + s1 * a1[i] + s2 * a2[i] + s3 * a3[i];
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
