package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * "Find me more of class X": the unlabelled items with the highest predicted probability of X, score P(X). For rare
 * classes, where uncertainty sampling rarely meets a positive; the user sets the priority. Reference: the
 * "most likely positive" query of Warmuth et al., "Active learning with support vector machines in the drug
 * discovery process", J. Chem. Inf. Comput. Sci. 2003; Jiang et al., "Efficient Active Search", ICML 2017.
 * Option: {@link Options#targetClass()}.
 */
public final class MoreOfClass implements Strategy {
	/** Its name. */
	public static final String NAME = "more-of-class";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items most likely to be of the chosen class (find more examples of a rare class).";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public void check(Pool pool, Options o) {
		classIndex(pool, o.targetClass(), NAME + " needs a target class");
	}

	/** The index of a class, or an IllegalArgumentException naming it and the known classes. */
	static int classIndex(Pool pool, String name, String missing) {
		if (name == null || name.isBlank())
			throw new IllegalArgumentException(missing + "; known classes: " + Strategies.known(pool));
		int j = pool.classIndex(name);
		if (j < 0) throw new IllegalArgumentException("No class '" + name + "' in this project; known classes: " + Strategies.known(pool));
		return j;
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		int x = pool.classIndex(o.targetClass());
		float[][] p = pool.probabilities();
		TopK top = new TopK(k);
		double thr = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < p.length; i++) {
			float s = p[i][x];
			if (s >= thr && !c.isExcluded(i)) {
				top.offer(s, i);
				thr = top.threshold();
			}
		}
		String name = pool.classes().get(x);
		return Strategies.selections(pool, top.drain(), i -> p[i][x], i -> "P(" + name + ") " + Text.num(p[i][x]), c, false);
	}
}
