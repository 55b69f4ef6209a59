package org.labelloop.backend;

import java.time.Duration;
import java.util.Set;

import org.labelloop.core.al.ImageScores;
import org.labelloop.core.model.Task;

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
 * @param unit what is ranked: one slice of a volume or the whole image; {@link Unit#AUTO} (the default, also for
 *        null) ranks slices when the strategy scores the image model's predictions and the model predicted slices
 * @param filter which images may be chosen, by their metadata ({@code modality:CT}); its label parts (class, status)
 *        do not apply to unlabelled images and are refused; {@link ItemFilter#ALL} (also for null) is every image
 * @param task  whose model's predictions an uncertainty strategy ranks: {@link Task#IMAGE} (images or slices by the
 *        image model), {@link Task#ROI} (images by their proposed ROIs), {@link Task#SEGMENTATION} (unsegmented slices
 *        and images by the pixel classifier's mean pixel entropy); null (auto): the image model when there is one, else
 *        the ROI model, else the segmentation model
 */
public record NextOptions(String targetClass, String otherClass, Duration lease, ImageScores.Aggregation aggregation, Long current, Unit unit,
		ItemFilter filter, Task task) {

	/** What Next Image ranks and hands out for a volume. */
	public enum Unit {
		/** slices when the strategy scores predictions, else images */
		AUTO,
		/** each slice of a volume is an item (a 2D image is one item) */
		SLICE,
		/** a volume is one item, ranked by its pooled vector's prediction */
		IMAGE;

		/** {@code auto}, {@code slice}, {@code image} (also {@code volume}); blank or null is {@link #AUTO}. */
		public static Unit parse(String s) {
			if (s == null || s.isBlank()) return AUTO;
			return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
				case "auto" -> AUTO;
				case "slice", "slices" -> SLICE;
				case "image", "images", "volume", "volumes" -> IMAGE;
				default -> throw new IllegalArgumentException("The unit is slice, image or auto, not '" + s.strip() + "'");
			};
		}

		public String key() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}
	}

	public static final Duration DEFAULT_LEASE = Duration.ofMinutes(30);
	public static final NextOptions DEFAULT = new NextOptions(null, null, DEFAULT_LEASE, ImageScores.Aggregation.MAX, null, Unit.AUTO, ItemFilter.ALL, null);

	public NextOptions(String targetClass, String otherClass, Duration lease, ImageScores.Aggregation aggregation, Long current) {
		this(targetClass, otherClass, lease, aggregation, current, Unit.AUTO, ItemFilter.ALL, null);
	}

	public NextOptions {
		targetClass = blankToNull(targetClass);
		otherClass = blankToNull(otherClass);
		lease = lease == null ? DEFAULT_LEASE : lease;
		if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("A lease must last some time, not " + lease);
		aggregation = aggregation == null ? ImageScores.Aggregation.MAX : aggregation;
		unit = unit == null ? Unit.AUTO : unit;
		filter = filter == null ? ItemFilter.ALL : filter;
		if (!filter.metadataOnly().equals(filter))
			throw new IllegalArgumentException("Next Image filters images by their metadata (e.g. modality:CT), not by labels: '" + filter
					+ "' has class, status, origin, user or 'not reviewed' words, which unlabelled images do not have.");
		if (!filter.measurements().isEmpty())
			throw new IllegalArgumentException("Next Image filters images by their fields and metadata (e.g. modality:CT, slices>1), not by measurements: '"
					+ filter.measurements().get(0) + "' measures ROIs and images in Similar Items after a Retrain.");
	}

	private static String blankToNull(String s) {
		return s == null || s.isBlank() ? null : s.strip();
	}

	public NextOptions withClasses(String target, String other) {
		return new NextOptions(target, other, lease, aggregation, current, unit, filter, task);
	}

	public NextOptions withLease(Duration d) {
		return new NextOptions(targetClass, otherClass, d, aggregation, current, unit, filter, task);
	}

	public NextOptions withAggregation(ImageScores.Aggregation a) {
		return new NextOptions(targetClass, otherClass, lease, a, current, unit, filter, task);
	}

	public NextOptions withCurrent(Long imageId) {
		return new NextOptions(targetClass, otherClass, lease, aggregation, imageId, unit, filter, task);
	}

	public NextOptions withUnit(Unit u) {
		return new NextOptions(targetClass, otherClass, lease, aggregation, current, u, filter, task);
	}

	public NextOptions withFilter(ItemFilter f) {
		return new NextOptions(targetClass, otherClass, lease, aggregation, current, unit, f, task);
	}

	/** Which task's model ranks; null is auto (see {@link #task()}). */
	public NextOptions withTask(Task t) {
		return new NextOptions(targetClass, otherClass, lease, aggregation, current, unit, filter, t);
	}

	/** {@code auto} (also blank or null) is null; else {@link Task#parse}. */
	public static Task parseTask(String s) {
		return s == null || s.isBlank() || s.strip().equalsIgnoreCase("auto") ? null : Task.parse(s);
	}

	Set<Long> skip() {
		return current == null ? Set.of() : Set.of(current);
	}
}
