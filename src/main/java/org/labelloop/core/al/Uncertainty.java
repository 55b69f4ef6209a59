package org.labelloop.core.al;

/**
 * How uncertain a prediction is, from its class probabilities; larger is more uncertain for every measure, so the
 * values can be compared, summed and averaged ({@link ImageScores}). Settles, "Active Learning Literature Survey"
 * (2009), §3.1, defines all three.
 */
public enum Uncertainty {

	/** {@code 1 − max p}: how far the most likely class is from certain. */
	LEAST_CONFIDENCE("least-confidence") {
		@Override
		public double of(float[] p) {
			float max = p[0];
			for (int j = 1; j < p.length; j++) if (p[j] > max) max = p[j];
			return 1 - max;
		}
	},
	/** {@code 1 − (p₁ − p₂)}, where p₁ ≥ p₂ are the two largest probabilities: near 1 when the model hesitates between two classes. */
	MARGIN("margin") {
		@Override
		public double of(float[] p) {
			return 1 - margin(p);
		}
	},
	/** Shannon entropy {@code −Σ p ln p} in nats (0 for a certain prediction, ln C for a uniform one over C classes). */
	ENTROPY("entropy") {
		@Override
		public double of(float[] p) {
			double h = 0;
			for (float v : p) if (v > 0) h -= v * Math.log(v);
			return h;
		}
	};

	private final String label;

	Uncertainty(String label) {
		this.label = label;
	}

	/** The uncertainty of one probability vector. */
	public abstract double of(float[] p);

	/** The uncertainty of one probability vector in doubles. */
	public double of(double[] p) {
		float[] f = new float[p.length];
		for (int j = 0; j < p.length; j++) f[j] = (float) p[j];
		return of(f);
	}

	/** The measure's name as users read it ("entropy"). */
	public String label() {
		return label;
	}

	/** {@code p₁ − p₂}: difference between the two largest probabilities (1 when there is a single class). */
	public static float margin(float[] p) {
		float a = Float.NEGATIVE_INFINITY, b = Float.NEGATIVE_INFINITY;
		for (float v : p) {
			if (v > a) {
				b = a;
				a = v;
			} else if (v > b) b = v;
		}
		return p.length < 2 ? 1 : a - b;
	}

	/** The measure of a strategy name: "least-confidence", "margin" or "entropy" (also the enum names). */
	public static Uncertainty parse(String s) {
		for (Uncertainty u : values())
			if (u.label.equalsIgnoreCase(s.strip()) || u.name().equalsIgnoreCase(s.strip())) return u;
		throw new IllegalArgumentException("Unknown uncertainty measure '" + s + "'; known: least-confidence, margin, entropy");
	}

	// ---------------------------------------------------------------- fast entropy for the million-item scan

	private static final int TABLE_BITS = 12;
	private static final float[] LN_TABLE = new float[(1 << TABLE_BITS) + 1];
	private static final float LN2 = (float) Math.log(2);

	static {
		for (int i = 0; i <= 1 << TABLE_BITS; i++) LN_TABLE[i] = (float) Math.log(1 + i / (double) (1 << TABLE_BITS));
	}

	/**
	 * Entropy with a table-driven logarithm (4,097 entries, linear interpolation; error below 1e-7 nats per term,
	 * under float precision), several times faster than {@link Math#log}. Used for the scan over all candidates.
	 */
	static float fastEntropy(float[] p) {
		float h = 0;
		for (float v : p) {
			if (v >= Float.MIN_NORMAL) h -= v * fastLn(v);
		}
		return h;
	}

	/** Natural logarithm of a positive normal float. */
	static float fastLn(float x) {
		int bits = Float.floatToRawIntBits(x);
		int e = ((bits >>> 23) & 0xff) - 127;
		int m = bits & 0x7fffff;
		int i = m >>> (23 - TABLE_BITS);
		float frac = (m & ((1 << (23 - TABLE_BITS)) - 1)) * (1f / (1 << (23 - TABLE_BITS)));
		float lo = LN_TABLE[i];
		return e * LN2 + lo + (LN_TABLE[i + 1] - lo) * frac;
	}
}
