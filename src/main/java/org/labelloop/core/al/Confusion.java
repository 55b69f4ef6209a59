package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * "Fix the errors between X and Y": among the unlabelled items whose two most likely classes are X and Y (in either
 * order), those with the smallest {@code |P(X) − P(Y)|}, the score. Margin sampling restricted to one class pair, so
 * the user can spend labels on the confusion that matters to them (see the confusion matrix). Reference: margin
 * sampling (Scheffer et al., IDA 2001) on a user-chosen pair, as in the class-pair "confusion" queries of Joshi,
 * Porikli &amp; Papanikolopoulos, "Multi-class active learning for image classification", CVPR 2009 (best-versus-second-best).
 * Options: {@link Options#targetClass()} and {@link Options#otherClass()}.
 */
public final class Confusion implements Strategy {
	/** Its name. */
	public static final String NAME = "confusion";

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public String description() {
		return "Items the model cannot decide between two chosen classes (fix the errors between X and Y).";
	}

	@Override
	public Set<Input> needs() {
		return Set.of(Input.PREDICTIONS);
	}

	@Override
	public void check(Pool pool, Options o) {
		int x = MoreOfClass.classIndex(pool, o.targetClass(), NAME + " needs two classes");
		int y = MoreOfClass.classIndex(pool, o.otherClass(), NAME + " needs a second class");
		if (x == y) throw new IllegalArgumentException(NAME + " needs two different classes, got '" + o.targetClass() + "' twice");
	}

	@Override
	public List<Selection> rank(Pool pool, Candidates c, int k, Options o) {
		int x = pool.classIndex(o.targetClass()), y = pool.classIndex(o.otherClass());
		float[][] p = pool.probabilities();
		TopK top = new TopK(k);
		int eligible = 0;
		for (int i = 0; i < p.length; i++) {
			if (c.isExcluded(i)) continue;
			float[] r = p[i];
			float px = r[x], py = r[y], lo = Math.min(px, py);
			boolean topTwo = true; // no other class above the smaller of the pair
			for (int j = 0; j < r.length && topTwo; j++) if (j != x && j != y && r[j] > lo) topTwo = false;
			if (!topTwo) continue;
			eligible++;
			top.offer(-Math.abs(px - py), i);
		}
		String nx = pool.classes().get(x), ny = pool.classes().get(y);
		int total = eligible;
		int[] pos = top.drain();
		List<Selection> out = new java.util.ArrayList<>(pos.length);
		for (int r = 0; r < pos.length; r++) {
			float[] q = p[pos[r]];
			String what = "|P(" + nx + ") − P(" + ny + ")| " + Text.num(Math.abs(q[x] - q[y])) + " (" + nx + " " + Text.num(q[x])
					+ ", " + ny + " " + Text.num(q[y]) + ")";
			out.add(new Selection(pool.id(pos[r]), Math.abs(q[x] - q[y]), r + 1,
					c.reason(what, r + 1, total, "unlabelled where " + nx + " and " + ny + " are the two most likely")));
		}
		return out;
	}

	@Override
	public String whyEmpty(Pool pool, Options o) {
		return "No unlabelled item has '" + o.targetClass() + "' and '" + o.otherClass() + "' as its two most likely classes.";
	}
}
