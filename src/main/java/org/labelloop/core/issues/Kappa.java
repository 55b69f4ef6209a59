package org.labelloop.core.issues;

/**
 * Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal scales"): agreement of two raters on the same
 * items, corrected for the agreement expected by chance, {@code κ = (p_o − p_e) / (1 − p_e)} with {@code p_o} the
 * share of items both gave the same class and {@code p_e = Σ_c p_a(c)·p_b(c)} from each rater's class shares.
 */
public final class Kappa {

	private Kappa() {
	}

	/**
	 * @param a the classes rater a gave, 0..k-1
	 * @param b the classes rater b gave to the same items
	 * @return κ; 1 when both agree on every item (also when chance agreement is 1); NaN for no items
	 */
	public static double kappa(int[] a, int[] b, int k) {
		if (a.length != b.length) throw new IllegalArgumentException(a.length + " ratings against " + b.length);
		int n = a.length;
		if (n == 0) return Double.NaN;
		double[] pa = new double[k], pb = new double[k];
		int same = 0;
		for (int i = 0; i < n; i++) {
			pa[a[i]]++;
			pb[b[i]]++;
			if (a[i] == b[i]) same++;
		}
		double po = (double) same / n, pe = 0;
		for (int c = 0; c < k; c++) pe += (pa[c] / n) * (pb[c] / n);
		if (same == n) return 1;
		return (po - pe) / (1 - pe);
	}

	/** One-vs-rest κ of class {@code c}: both ratings reduced to "c" / "not c". */
	public static double kappa(int[] a, int[] b, int k, int c) {
		int[] x = new int[a.length], y = new int[b.length];
		for (int i = 0; i < a.length; i++) {
			x[i] = a[i] == c ? 1 : 0;
			y[i] = b[i] == c ? 1 : 0;
		}
		return kappa(x, y, 2);
	}
}
