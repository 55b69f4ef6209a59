package org.labelloop.backend;

import java.time.Duration;
import java.util.Set;

import org.labelloop.core.al.ImageScores;

/**
 * What Next Image needs besides the strategy.
 *
 * @param targetClass class name for {@code more-of-class} and the first class of {@code confusion}; ignored by the
 *        other strategies; may be null
 * @param otherClass the second class of {@code confusion}; may be null
 * @param lease how long the chosen image stays leased to the user (a crashed client's lease expires after it)
 * @param aggregation how ROI uncertainties become an image score in projects with only an ROI model
 * @param current the image the user is moving on from: its lease is released and it is not chosen again this time;
 *        may be null
 */
public record NextOptions(String targetClass, String otherClass, Duration lease, ImageScores.Aggregation aggregation, Long current) {

	public static final Duration DEFAULT_LEASE = Duration.ofMinutes(30);
	public static final NextOptions DEFAULT = new NextOptions(null, null, DEFAULT_LEASE, ImageScores.Aggregation.MAX, null);

	public NextOptions {
		targetClass = blankToNull(targetClass);
		otherClass = blankToNull(otherClass);
		lease = lease == null ? DEFAULT_LEASE : lease;
		if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("A lease must last some time, not " + lease);
		aggregation = aggregation == null ? ImageScores.Aggregation.MAX : aggregation;
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.strip();
	}

	public NextOptions withClasses(String target, String other) {
		return new NextOptions(target, other, lease, aggregation, current);
	}

	public NextOptions withLease(Duration d) {
		return new NextOptions(targetClass, otherClass, d, aggregation, current);
	}

	public NextOptions withAggregation(ImageScores.Aggregation a) {
		return new NextOptions(targetClass, otherClass, lease, a, current);
	}

	public NextOptions withCurrent(Long imageId) {
		return new NextOptions(targetClass, otherClass, lease, aggregation, imageId);
	}

	Set<Long> skip() {
		return current == null ? Set.of() : Set.of(current);
	}
}
