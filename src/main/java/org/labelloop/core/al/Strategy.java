package org.labelloop.core.al;

import java.util.List;
import java.util.Set;

/**
 * A query strategy of active learning: ranks the items of a {@link Pool} by how much labelling them should help.
 * <p>
 * Adding one is one class: implement this interface (public, with a no-argument constructor) and name the class in
 * {@code META-INF/services/org.labelloop.core.al.Strategy}; {@link Strategies} finds it through
 * {@link java.util.ServiceLoader}, also in another jar on Fiji's class path.
 * <p>
 * Callers use {@link #select}: it checks the options, handles the bad cases (nothing left to label, k larger than the
 * pool, items leased to others, missing predictions or embeddings, with a fallback that the reasons mention) and only
 * then calls {@link #rank}, which implementations write. Implementations are stateless and thread-safe.
 */
public interface Strategy {

	/** What a strategy reads from the pool besides the ids. */
	enum Input {
		/** class probabilities of the unlabelled items */
		PREDICTIONS,
		/** embeddings of the unlabelled items */
		EMBEDDINGS,
		/** out-of-fold probabilities of the labelled items */
		OUT_OF_FOLD
	}

	/** Short lower-case name, used in menus, macros and the command line ("entropy"). */
	String name();

	/** One sentence for the dialog's help. */
	String description();

	/** The inputs it needs; when one is missing, {@link #select} falls back to a strategy that has what it needs. */
	Set<Input> needs();

	/** Whether it chooses among the labelled items (review) instead of the unlabelled ones. */
	default boolean choosesLabelled() {
		return false;
	}

	/**
	 * Checks the options against the pool before anything is chosen.
	 *
	 * @throws IllegalArgumentException for a class that does not exist, or a missing option; the message names the
	 *         known classes
	 */
	default void check(Pool pool, Options options) {
	}

	/**
	 * Ranks the candidates. Called by {@link #select} only when the pool has every input of {@link #needs()},
	 * {@code 1 ≤ k ≤ candidates.count()}, and the options passed {@link #check}.
	 *
	 * @return at most k selections, best first, ranks 1…, reasons made with {@link Candidates#reason}; may be fewer
	 *         (or none, see {@link #whyEmpty}) when fewer items qualify
	 */
	List<Selection> rank(Pool pool, Candidates candidates, int k, Options options);

	/** The message when {@link #rank} found nothing although there were candidates. */
	default String whyEmpty(Pool pool, Options options) {
		return "No item qualified for the " + name() + " strategy.";
	}

	/** Chooses up to k items; see {@link Strategies#select}. */
	default Result select(Pool pool, int k, Options options) {
		return Strategies.select(this, pool, k, 0, options);
	}

	/**
	 * Chooses up to k items and ranks {@code spare} more behind them (for a caller that may find the first ones leased
	 * meanwhile); only k is the user's ask, so "only n candidates remain" is said when k exceeds them.
	 */
	default Result select(Pool pool, int k, int spare, Options options) {
		return Strategies.select(this, pool, k, spare, options);
	}
}
