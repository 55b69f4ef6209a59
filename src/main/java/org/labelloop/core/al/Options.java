package org.labelloop.core.al;

import java.util.Set;

/**
 * What the user chose besides the strategy and batch size.
 *
 * @param targetClass the class of "more of class X" and the first class of "fix errors between X and Y"; may be null
 *        for the other strategies
 * @param otherClass the second class of "fix errors between X and Y"; may be null otherwise
 * @param seed for strategies that draw at random (random, core-set subsampling, hybrid's k-means++); the same seed
 *        and pool give the same selection
 * @param exclude ids never to return, e.g. items leased to other labellers ({@code ProjectStore.leasedByOthers})
 */
public record Options(String targetClass, String otherClass, long seed, Set<Long> exclude) {

	/** No class, seed 0, nothing excluded. */
	public static final Options DEFAULT = new Options(null, null, 0, Set.of());

	public Options {
		exclude = exclude == null ? Set.of() : Set.copyOf(exclude);
	}

	/** For "more of class X". */
	public Options withTarget(String className) {
		return new Options(className, otherClass, seed, exclude);
	}

	/** For "fix the errors between X and Y". */
	public Options withPair(String x, String y) {
		return new Options(x, y, seed, exclude);
	}

	public Options withSeed(long s) {
		return new Options(targetClass, otherClass, s, exclude);
	}

	public Options withExclude(Set<Long> ids) {
		return new Options(targetClass, otherClass, seed, ids);
	}
}
