package org.labelloop.core.al;

/**
 * One item chosen by a {@link Strategy}.
 *
 * @param id the item's id (an image id, or whatever ids the {@link Pool} was built with)
 * @param score the strategy's own measure, the number shown in the reason (entropy in nats, margin, P(class), core-set
 *        distance, 1 − P(label) …); whether higher or lower is more informative depends on the strategy, the order
 *        of the selections is given by {@code rank}
 * @param rank 1 for the first item to label, 2 for the next, …
 * @param reason why it was chosen, for the status line, e.g. {@code entropy 1.92 — rank 1 of 4,211 unlabelled}
 */
public record Selection(long id, double score, int rank, String reason) {
}
