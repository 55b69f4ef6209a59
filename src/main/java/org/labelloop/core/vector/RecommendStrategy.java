package org.labelloop.core.vector;

import java.util.Locale;

/**
 * How a recommend query uses positive and negative examples, as Qdrant defines its strategies (Qdrant's
 * {@code reco_query.rs}; documented at qdrant.tech "Explore the data").
 */
public enum RecommendStrategy {
	/**
	 * One query vector {@code avg(pos) + (avg(pos) - avg(neg))} (just {@code avg(pos)} without negatives), over the
	 * unit-length example vectors, then an ordinary cosine nearest-neighbour search. Needs at least one positive.
	 * Scores are cosine similarities to that query vector.
	 */
	AVERAGE_VECTOR,
	/**
	 * Each candidate is compared with every example: {@code p} = its best cosine similarity to a positive, {@code n}
	 * = its best to a negative (−∞ where there are none). Its score is {@code s(p)} when {@code p > n}, else
	 * {@code -s(n)}, with {@code s(x) = (x / (1 + |x|) + 1) / 2}, so any candidate nearer a positive than every
	 * negative ranks above every candidate that is not, and among the latter the one least like the negatives comes
	 * first. (Qdrant 1.6–1.7 described the negative branch as {@code -n²}; the sigmoid, which keeps the order right
	 * for negative similarities, is what Qdrant computes since.) Works with negatives only.
	 */
	BEST_SCORE;

	/** Qdrant's name: {@code average_vector} or {@code best_score}. */
	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static RecommendStrategy parse(String s) {
		for (RecommendStrategy r : values())
			if (r.key().equalsIgnoreCase(s.trim().replace('-', '_'))) return r;
		throw new IllegalArgumentException("Unknown recommend strategy '" + s + "': use average_vector or best_score");
	}
}
