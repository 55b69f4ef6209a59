package org.labelloop.core.al;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random sampling: k candidates drawn uniformly without replacement (seeded). The baseline every other strategy is
 * measured against, and the fallback before any model or embedding exists. Reference: Settles, "Active Learning
 * Literature Survey" (2009), the passive-learning baseline of §1.
 */
public final class RandomStrategy implements Strategy {
	/** Its name. */
	public static final String NAME = "random";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items in random order: the baseline, and what is used before there is any model.";
	}

	@Override
	public Set<Input> needs() {
		return Set.of();
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		int[] pos = c.positions();
		SplittableRandom rnd = new SplittableRandom(o.seed());
		List<Selection> out = new ArrayList<>(k);
		for (int r = 0; r < k; r++) { // partial Fisher–Yates
			int j = r + rnd.nextInt(pos.length - r);
			int t = pos[r];
			pos[r] = pos[j];
			pos[j] = t;
			out.add(new Selection(pool.id(pos[r]), 0, r + 1, c.reason("random pick", r + 1)));
		}
		return out;
	}
}
