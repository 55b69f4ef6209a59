package org.labelloop.core.al;

import java.util.Locale;

/** Formatting of the reasons shown to the user. */
final class Text {
	private Text() {
	}

	/** 4211 → "4,211". */
	static String count(long n) {
		// by hand: String.format costs microseconds, and every ranked candidate gets a reason
		String digits = Long.toString(Math.abs(n));
		StringBuilder b = new StringBuilder(digits.length() + 8);
		if (n < 0) b.append('-');
		for (int i = 0; i < digits.length(); i++) {
			if (i > 0 && (digits.length() - i) % 3 == 0) b.append(',');
			b.append(digits.charAt(i));
		}
		return b.toString();
	}

	/** Two decimals, or three significant digits for small values (a margin of 0.004 is not "0.00"). */
	static String num(double v) {
		if (Double.isNaN(v)) return "n/a";
		double a = Math.abs(v);
		if (a != 0 && a < 0.1) return String.format(Locale.ROOT, "%.3g", v);
		return String.format(Locale.ROOT, "%.2f", v);
	}

	/** {@code "<what> — rank 1 of 4,211 unlabelled"}. */
	static String ranked(String what, int rank, int total, String among) {
		return what + " — rank " + rank + " of " + count(total) + " " + among;
	}
}
