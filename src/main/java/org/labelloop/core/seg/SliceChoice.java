package org.labelloop.core.seg;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;

import org.labelloop.core.model.Progress;

/**
 * How the next slice to label is chosen: a slice score, higher = more worth labelling, and a diversity rule.
 * <ul>
 * <li>{@link Score#ENTROPY}: the mean pixel entropy of the prediction ({@link ProbabilityMap#meanEntropy}).</li>
 * <li>{@link Score#DISAGREEMENT}: the mean over the slice's pixels of the fraction of the forest's trees outvoted by
 * the majority ({@link PixelClassifier.Model#predictWithDisagreement}); the trees are trained on different bootstrap
 * samples, so this is a committee's disagreement, computed in the same pass as the prediction.</li>
 * <li>Diversity ({@code gap > 0}): a slice within {@code gap} slices (along z) of a labelled or already chosen one is
 * not chosen while a slice farther away is left; when none is, the one farthest from its nearest taken slice is.</li>
 * </ul>
 * Names: {@code entropy}, {@code disagreement}, each with {@code +diverse} for the diversity rule.
 */
public record SliceChoice(Score score, int gap) {

	public enum Score {
		ENTROPY, DISAGREEMENT
	}

	public SliceChoice {
		if (score == null || gap < 0) throw new IllegalArgumentException("Need a score and a gap >= 0");
	}

	/** Mean pixel entropy, no diversity rule: what Next Image used first. */
	public static SliceChoice entropy() {
		return new SliceChoice(Score.ENTROPY, 0);
	}

	/**
	 * @param name {@code entropy}, {@code disagreement}, {@code entropy+diverse} or {@code disagreement+diverse}
	 * @param gap  the diversity rule's gap in slices, for the {@code +diverse} names
	 */
	public static SliceChoice parse(String name, int gap) {
		String n = name.strip().toLowerCase(Locale.ROOT);
		boolean diverse = n.endsWith("+diverse");
		if (diverse) n = n.substring(0, n.length() - "+diverse".length());
		for (Score s : Score.values())
			if (s.name().toLowerCase(Locale.ROOT).equals(n)) {
				if (diverse && gap < 1) throw new IllegalArgumentException("A +diverse strategy needs a gap of at least 1 slice, not " + gap);
				return new SliceChoice(s, diverse ? gap : 0);
			}
		throw new IllegalArgumentException("Unknown slice strategy '" + name + "': entropy, disagreement, entropy+diverse or disagreement+diverse");
	}

	public String name() {
		return score.name().toLowerCase(Locale.ROOT) + (gap > 0 ? "+diverse" : "");
	}

	/** The score of each slice of {@code image} (2D: one value), predicted by {@code m} in one pass. */
	public double[] scores(PixelClassifier.Model m, FloatVolume image, Progress progress) {
		double[] out = new double[image.depth()];
		if (score == Score.ENTROPY) {
			ProbabilityMap p = m.predict(image, progress);
			for (int z = 0; z < out.length; z++) out[z] = p.meanEntropy(z);
		} else {
			PixelClassifier.Model.Prediction p = m.predictWithDisagreement(image, progress);
			for (int z = 0; z < out.length; z++) out[z] = p.meanDisagreement(z);
		}
		return out;
	}

	/** The score of slice z of a prediction made with {@link PixelClassifier.Model#predictWithDisagreement}. */
	public double score(PixelClassifier.Model.Prediction p, int z) {
		return score == Score.ENTROPY ? p.map().meanEntropy(z) : p.meanDisagreement(z);
	}

	/**
	 * The next slice: the highest score among the slices of {@code scores} not in {@code taken}, under the diversity
	 * rule; ties go to the lower z.
	 *
	 * @param scores candidate slice → score
	 * @param taken  slices labelled or already chosen for this batch
	 * @throws IllegalArgumentException when every candidate is taken
	 */
	public int next(Map<Integer, Double> scores, Collection<Integer> taken) {
		int best = Integer.MIN_VALUE, farthest = Integer.MIN_VALUE;
		double bestScore = Double.NEGATIVE_INFINITY, farScore = Double.NEGATIVE_INFINITY;
		int farDistance = -1;
		for (Map.Entry<Integer, Double> e : new java.util.TreeMap<>(scores).entrySet()) {
			int z = e.getKey();
			if (taken.contains(z)) continue;
			double s = e.getValue();
			int d = distance(z, taken);
			if (d > gap && s > bestScore) {
				best = z;
				bestScore = s;
			}
			if (d > farDistance || d == farDistance && s > farScore) {
				farthest = z;
				farDistance = d;
				farScore = s;
			}
		}
		if (farthest == Integer.MIN_VALUE) throw new IllegalArgumentException("Every candidate slice is taken");
		return best != Integer.MIN_VALUE ? best : farthest;
	}

	/** Slices from z to the nearest of {@code taken} ({@link Integer#MAX_VALUE} when none is). */
	static int distance(int z, Collection<Integer> taken) {
		int d = Integer.MAX_VALUE;
		for (int t : taken) d = Math.min(d, Math.abs(z - t));
		return d;
	}
}
