package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

/** Counts in reasons are grouped by thousands as {@code String.format("%,d")} in the root locale would. */
class TextTest {

	@Test
	void countsAreGroupedLikeFormat() {
		for (long n : new long[] { 0, 7, 999, 1000, 4211, 99_999, 100_000, 1_000_000, 1_234_567_890L, -1, -4211, Long.MAX_VALUE })
			assertEquals(String.format(Locale.ROOT, "%,d", n), Text.count(n), Long.toString(n));
		assertEquals("entropy 1.92 — rank 1 of 4,211 unlabelled", Text.ranked("entropy 1.92", 1, 4211, "unlabelled"));
	}
}
