package org.labelloop.core.vector;

/**
 * A block of vectors stored transposed, one array per dimension holding that value of every vector, so that the dot
 * products of a query with the whole block are {@code d/4} passes of
 * {@code out[i] += q0·c0[i] + q1·c1[i] + q2·c2[i] + q3·c3[i]}: loops that index every array from 0 with the loop
 * variable, which C2 compiles to vector instructions on Java 17. (Lucene 9.12's {@code VectorUtil} uses the Panama
 * vector API only on Java 20 and later; on Java 17 its dot product, like any reduction, is scalar: about a fifth of
 * the speed.) The kernel of exact search ({@code ExactScan}) and of the familiarity check's nearest labelled items.
 */
public final class Columns {

	/** columns[j][i]: value j of vector i. */
	private final float[][] columns;

	private Columns(float[][] columns) {
		this.columns = columns;
	}

	/** An empty block of {@code size} vectors of {@code dimension} values, to {@link #set}. */
	static Columns empty(int dimension, int size) {
		return new Columns(new float[dimension][size]);
	}

	/** The rows from..to (exclusive) of {@code rows}, transposed; every row must have the first one's length. */
	public static Columns of(float[][] rows, int from, int to) {
		if (from < 0 || to > rows.length || from >= to) throw new IllegalArgumentException("rows " + from + ".." + to + " of " + rows.length);
		Columns c = empty(rows[from].length, to - from);
		for (int i = from; i < to; i++) c.set(i - from, rows[i]);
		return c;
	}

	void set(int i, float[] v) {
		if (v.length != columns.length) throw new IllegalArgumentException("A vector of " + v.length + " values among vectors of " + columns.length);
		for (int j = 0; j < v.length; j++) columns[j][i] = v[j];
	}

	/** How many vectors. */
	public int size() {
		return columns.length == 0 ? 0 : columns[0].length;
	}

	public int dimension() {
		return columns.length;
	}

	/** {@code out[i] = q · vector i} for every vector of the block; out must have at least {@link #size} values. */
	public void dots(float[] q, float[] out) {
		float[][] c = columns;
		int d = c.length, n = size(), j = 0;
		if (q.length != d) throw new IllegalArgumentException("A query of " + q.length + " values against vectors of " + d);
		if (d >= 4) { // the first four dimensions set out, the others add to it
			first4(q[0], q[1], q[2], q[3], c[0], c[1], c[2], c[3], out, n);
			j = 4;
		} else {
			java.util.Arrays.fill(out, 0, n, 0);
		}
		for (; j + 4 <= d; j += 4) axpy4(q[j], q[j + 1], q[j + 2], q[j + 3], c[j], c[j + 1], c[j + 2], c[j + 3], out, n);
		for (; j < d; j++) axpy(q[j], c[j], out, n);
	}

	private static void first4(float s0, float s1, float s2, float s3, float[] a0, float[] a1, float[] a2, float[] a3, float[] out, int n) {
		for (int i = 0; i < n; i++) out[i] = s0 * a0[i] + s1 * a1[i] + s2 * a2[i] + s3 * a3[i];
	}

	private static void axpy(float s, float[] a, float[] out, int n) {
		for (int i = 0; i < n; i++) out[i] += s * a[i];
	}

	private static void axpy4(float s0, float s1, float s2, float s3, float[] a0, float[] a1, float[] a2, float[] a3, float[] out, int n) {
		for (int i = 0; i < n; i++) out[i] += s0 * a0[i] + s1 * a1[i] + s2 * a2[i] + s3 * a3[i];
	}
}
