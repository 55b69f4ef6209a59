package org.labelloop.core.issues;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds labels that are probably wrong with confident learning (Northcutt, Jiang &amp; Chuang, "Confident Learning:
 * Estimating Uncertainty in Dataset Labels", JAIR 70, 2021; the method of the {@code cleanlab} library) on
 * <em>out-of-fold</em> predicted probabilities, so no item is judged by a model that saw its label.
 * <ol>
 * <li>Per-class thresholds: {@code t[j]} = mean predicted probability of class j over the items labelled j.</li>
 * <li>Confident joint: an item labelled i counts in {@code C[i][j]} for the class j with the highest probability
 * among those with {@code p[j] ≥ t[j]} (items with no such class are not counted).</li>
 * <li>{@link Method#CONFIDENT_JOINT}: flag the items off the diagonal of C. {@link Method#PRUNE_BY_NOISE_RATE}:
 * C is calibrated to the label counts, and for each off-diagonal cell (i, j) the {@code Ĉ[i][j]} items labelled i
 * with the largest margin {@code p[j] − p[i]} are flagged. {@link Method#BOTH} (default): flagged by both, which is
 * the most precise.</li>
 * <li>Flagged items are ranked by label quality, lowest first: {@link Ranking#SELF_CONFIDENCE} = p[given], or
 * {@link Ranking#NORMALIZED_MARGIN} = p[given] − max<sub>j≠given</sub> p[j] mapped to [0, 1].</li>
 * </ol>
 */
public final class LabelIssueFinder {

	public enum Method { CONFIDENT_JOINT, PRUNE_BY_NOISE_RATE, BOTH }

	public enum Ranking { SELF_CONFIDENCE, NORMALIZED_MARGIN }

	/**
	 * A label that is probably wrong.
	 *
	 * @param item      index into the arrays given to {@link #find}
	 * @param given     the label as given
	 * @param suggested the class the model is confident about instead
	 * @param quality   label quality score (lower = more likely wrong)
	 */
	public record LabelIssue(int item, int given, int suggested, double quality) {
	}

	private LabelIssueFinder() {
	}

	/** Per-class thresholds: the mean out-of-fold probability of each class over the items labelled with it. */
	public static double[] thresholds(double[][] probs, int[] labels, int k) {
		double[] sum = new double[k];
		int[] n = new int[k];
		for (int i = 0; i < labels.length; i++) {
			sum[labels[i]] += probs[i][labels[i]];
			n[labels[i]]++;
		}
		double[] t = new double[k];
		for (int j = 0; j < k; j++) t[j] = n[j] == 0 ? 1.0 : sum[j] / n[j];
		return t;
	}

	/**
	 * @param probs  out-of-fold probabilities, one row per labelled item, k columns summing to 1
	 * @param labels the given labels, 0..k-1
	 * @return the flagged items, most likely wrong first
	 */
	public static List<LabelIssue> find(double[][] probs, int[] labels, int k, Method method, Ranking ranking) {
		check(probs, labels, k);
		int n = labels.length;
		double[] t = thresholds(probs, labels, k);
		int[] confident = new int[n]; // class j the item confidently belongs to, or -1
		long[][] joint = new long[k][k];
		for (int i = 0; i < n; i++) {
			int best = -1;
			for (int j = 0; j < k; j++)
				if (probs[i][j] >= t[j] && (best < 0 || probs[i][j] > probs[i][best])) best = j;
			confident[i] = best;
			if (best >= 0) joint[labels[i]][best]++;
		}
		boolean[] byJoint = new boolean[n];
		for (int i = 0; i < n; i++) byJoint[i] = confident[i] >= 0 && confident[i] != labels[i];
		boolean[] byPrune = method == Method.CONFIDENT_JOINT ? null : pruneByNoiseRate(probs, labels, k, joint);
		List<LabelIssue> out = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			boolean flag = switch (method) {
				case CONFIDENT_JOINT -> byJoint[i];
				case PRUNE_BY_NOISE_RATE -> byPrune[i];
				case BOTH -> byJoint[i] && byPrune[i];
			};
			if (flag) out.add(new LabelIssue(i, labels[i], suggestion(probs[i], labels[i], confident[i]), quality(probs[i], labels[i], ranking)));
		}
		out.sort(Comparator.comparingDouble(LabelIssue::quality).thenComparingInt(LabelIssue::item));
		return out;
	}

	private static int suggestion(double[] p, int given, int confident) {
		if (confident >= 0 && confident != given) return confident;
		int best = given == 0 ? 1 : 0;
		for (int j = 0; j < p.length; j++)
			if (j != given && p[j] > p[best]) best = j;
		return best;
	}

	/** Label quality: lower means more likely wrong. */
	public static double quality(double[] p, int given, Ranking ranking) {
		if (ranking == Ranking.SELF_CONFIDENCE) return p[given];
		double other = 0;
		for (int j = 0; j < p.length; j++)
			if (j != given) other = Math.max(other, p[j]);
		return (p[given] - other + 1) / 2;
	}

	private static boolean[] pruneByNoiseRate(double[][] probs, int[] labels, int k, long[][] joint) {
		int n = labels.length;
		long[] labelCount = new long[k];
		for (int l : labels) labelCount[l]++;
		// Calibrate each row of the confident joint to the number of items with that label.
		double[][] calibrated = new double[k][k];
		for (int i = 0; i < k; i++) {
			long row = 0;
			for (int j = 0; j < k; j++) row += joint[i][j];
			for (int j = 0; j < k; j++) calibrated[i][j] = row == 0 ? 0 : (double) joint[i][j] / row * labelCount[i];
		}
		boolean[] flag = new boolean[n];
		int[][] members = new int[k][];
		int[] fill = new int[k];
		for (int i = 0; i < k; i++) members[i] = new int[(int) labelCount[i]];
		for (int x = 0; x < n; x++) members[labels[x]][fill[labels[x]]++] = x;
		for (int i = 0; i < k; i++) {
			int[] m = members[i];
			double[] margin = new double[m.length], sorted = new double[m.length];
			for (int j = 0; j < k; j++) {
				if (j == i) continue;
				int take = (int) Math.min(Math.round(calibrated[i][j]), m.length);
				if (take <= 0) continue;
				for (int t = 0; t < m.length; t++) sorted[t] = margin[t] = probs[m[t]][j] - probs[m[t]][i];
				Arrays.sort(sorted); // primitive sort: the take-th largest margin is the cut
				double cut = sorted[m.length - take];
				int taken = 0;
				for (int t = 0; t < m.length && taken < take; t++)
					if (margin[t] > cut) { flag[m[t]] = true; taken++; }
				for (int t = 0; t < m.length && taken < take; t++)
					if (margin[t] == cut) { flag[m[t]] = true; taken++; } // ties at the cut, in item order
			}
		}
		return flag;
	}

	private static void check(double[][] probs, int[] labels, int k) {
		if (k < 2) throw new IllegalArgumentException("Finding label issues needs at least 2 classes, not " + k + ".");
		if (probs.length != labels.length)
			throw new IllegalArgumentException(probs.length + " probability rows for " + labels.length + " labels");
		for (int i = 0; i < labels.length; i++) {
			if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("Label " + labels[i] + " of item " + i + " is not a class index in 0.." + (k - 1));
			if (probs[i].length != k) throw new IllegalArgumentException("Item " + i + " has " + probs[i].length + " probabilities, not " + k);
		}
	}
}
