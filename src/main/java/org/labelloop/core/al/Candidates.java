package org.labelloop.core.al;

import java.util.BitSet;

/**
 * The items a strategy may pick, given to {@link Strategy#rank}: every unlabelled item (or every labelled one, for
 * review) of the pool except those excluded, such as items leased to other labellers. It also words the reasons.
 */
public final class Candidates {
	private final int size, count;
	private final BitSet excluded;
	private final String among, note;

	Candidates(int size, BitSet excluded, String among, String note) {
		this.size = size;
		this.excluded = excluded;
		this.count = size - (excluded == null ? 0 : excluded.cardinality());
		this.among = among;
		this.note = note == null ? "" : note;
	}

	/** How many items may be picked. */
	public int count() {
		return count;
	}

	/** Whether the item at this position of the pool must not be picked. */
	public boolean isExcluded(int i) {
		return excluded != null && excluded.get(i);
	}

	/** Positions that may be picked, in pool order. */
	public int[] positions() {
		int[] out = new int[count];
		for (int i = 0, j = 0; i < size; i++) if (!isExcluded(i)) out[j++] = i;
		return out;
	}

	/** {@code "<what> — rank 3 of 4,211 unlabelled"}, after a note on the fallback when there was one. */
	public String reason(String what, int rank) {
		return note + Text.ranked(what, rank, count, among);
	}

	/** Like {@link #reason(String, int)} for a strategy that ranks only a subset: {@code "… rank 3 of <total> <among>"}. */
	public String reason(String what, int rank, int total, String among) {
		return note + Text.ranked(what, rank, total, among);
	}
}
