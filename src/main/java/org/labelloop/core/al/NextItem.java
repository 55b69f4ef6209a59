package org.labelloop.core.al;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.labelloop.core.store.ProjectStore;

/**
 * Next Image in one call: choose with a strategy, skipping images leased to other labellers, and lease the chosen
 * image to the user. What the "Next Image" command, {@code labelloop next} and the lab server call; the pool's ids
 * must be image ids (object-level projects rank images with {@link ImageScores} first).
 * <p>
 * The strategy ranks a few more than one ({@value #LOOKAHEAD}), so that when another labeller leases the first
 * between the choice and the lease, the next one is taken instead of choosing again.
 */
public final class NextItem {
	/** How many ranked items to try to lease, best first. */
	public static final int LOOKAHEAD = 8;

	/**
	 * @param result the strategy's ranking (its message tells the user about fallbacks or why nothing was found)
	 * @param leased the selection now leased to the user; empty when nothing could be chosen or leased
	 */
	public record Next(Result result, Optional<Selection> leased) {
		/** The sentence for the status line: the reason of the leased item, else the result's message. */
		public String status() {
			return leased.map(Selection::reason).orElse(result.message().isEmpty() ? "Nothing to label." : result.message());
		}
	}

	private NextItem() {
	}

	/**
	 * Chooses and leases one image.
	 *
	 * @param options its {@code exclude} is extended with the images leased to others (and e.g. the one just skipped
	 *        may be passed there)
	 */
	public static Next next(ProjectStore store, Strategy strategy, Pool pool, Options options, String user, Duration ttl) {
		Options o = options == null ? Options.DEFAULT : options;
		Result r = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			Set<Long> exclude = new HashSet<>(o.exclude());
			exclude.addAll(store.leasedByOthers(user));
			r = strategy.select(pool, 1, LOOKAHEAD, o.withExclude(exclude));
			for (Selection s : r.selections())
				if (store.tryLease(s.id(), user, ttl, r.used(), s.reason())) return new Next(r, Optional.of(s));
			if (r.isEmpty()) break;
			// every one of them was leased by someone else meanwhile: look again with the new leases
		}
		return new Next(r, Optional.empty());
	}
}
