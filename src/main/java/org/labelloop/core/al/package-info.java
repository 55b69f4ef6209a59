/**
 * Active learning: which item to label next. Plain Java, no ImageJ.
 * <ul>
 * <li>{@link org.labelloop.core.al.Strategy}: one class per query strategy, found by
 * {@link org.labelloop.core.al.Strategies} through {@code ServiceLoader}; each ranks a
 * {@link org.labelloop.core.al.Pool} snapshot (ids, class probabilities, embeddings, labelled items with out-of-fold
 * probabilities) and returns {@link org.labelloop.core.al.Selection}s with a reason for the status line.</li>
 * <li>Built in: random, least-confidence, margin, entropy (one bounded-heap pass: a million candidates in a few tens
 * of milliseconds), core-set (k-center greedy), hybrid (uncertainty pre-filter + weighted k-means, for diverse
 * batches; the default), more-of-class, confusion (between two classes), review (label errors, out of fold).</li>
 * <li>{@link org.labelloop.core.al.ImageScores}: image scores from ROI uncertainties (max, mean, sum).</li>
 * </ul>
 * Leases, so two labellers never get the same item, live in the project store
 * ({@code ProjectStore.tryLease}); pass {@code leasedByOthers} as {@link org.labelloop.core.al.Options#exclude()}.
 */
package org.labelloop.core.al;
