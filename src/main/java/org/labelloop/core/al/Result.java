package org.labelloop.core.al;

import java.util.List;

/**
 * What {@link Strategy#select} returns.
 *
 * @param strategy the strategy asked for
 * @param used the strategy that actually ranked the items: differs from {@code strategy} when the pool lacked what it
 *        needs (no predictions yet, no embeddings) and a fallback was used
 * @param selections best first; empty when there was nothing to choose ({@code message} says why)
 * @param candidates how many items were eligible (not labelled, or labelled for review; not leased to others)
 * @param message empty when all went as asked; otherwise a sentence for the user: the fallback taken, or why nothing
 *        was selected
 */
public record Result(String strategy, String used, List<Selection> selections, int candidates, String message) {

	public Result {
		selections = List.copyOf(selections);
		message = message == null ? "" : message;
	}

	/** Whether another strategy had to stand in for the one asked for. */
	public boolean fellBack() {
		return !strategy.equals(used);
	}

	public boolean isEmpty() {
		return selections.isEmpty();
	}

	/** Ids of the selections, best first. */
	public long[] ids() {
		return selections.stream().mapToLong(Selection::id).toArray();
	}
}
