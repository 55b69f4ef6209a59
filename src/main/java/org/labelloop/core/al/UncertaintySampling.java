package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * What the three uncertainty samplers ({@link Entropy}, {@link Margin}, {@link LeastConfidence}) share: they need
 * predictions only, rank the candidates by one {@link Uncertainty} measure in one pass with a bounded heap, and differ
 * in the score they report and how they explain it.
 */
abstract class UncertaintySampling implements Strategy {

	private final String name, description;
	private final Uncertainty measure;

	UncertaintySampling(String name, String description, Uncertainty measure) {
		this.name = name;
		this.description = description;
		this.measure = measure;
	}

	@Override
	public final String name() {
		return name;
	}

	@Override
	public final String description() {
		return description;
	}

	@Override
	public final Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public final List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		float[][] p = pool.probabilities();
		return Strategies.selections(pool, Scan.mostUncertain(pool, c, k, measure), i -> score(p[i]), i -> reason(pool, p[i]), c, false);
	}

	/** The score a selection reports (by default the measure itself). */
	double score(float[] p) {
		return measure.of(p);
	}

	/** Why an item was chosen, in words: {@code entropy 1.92}. */
	abstract String reason(Pool pool, float[] p);
}
