package org.labelloop.backend;

import java.util.List;

import org.labelloop.core.model.ImageRecord;

/**
 * An image Next Image chose and leased to the user.
 *
 * @param image the image
 * @param reason why, for the status line: {@code entropy 1.92 — rank 1 of 4,211 unlabelled}
 * @param strategy the strategy asked for
 * @param used the strategy that ranked (differs after a fallback, e.g. no predictions yet)
 * @param message empty when all went as asked; else a sentence for the user (the fallback taken)
 * @param z the slice chosen (1-based, as ImageJ numbers them) when a slice of a volume was ranked, else 0 (the
 *        whole image)
 */
public record NextChoice(ImageRecord image, String reason, String strategy, String used, String message, int z) {

	public NextChoice {
		if (z < 0 || (image != null && z > Math.max(1, image.slices())))
			throw new IllegalArgumentException("Slice " + z + " is not in " + (image == null ? "the image" : image.name() + " (" + image.slices() + " slices)"));
	}

	public NextChoice(ImageRecord image, String reason, String strategy, String used, String message) {
		this(image, reason, strategy, used, message, 0);
	}

	/**
	 * What one call of {@link Backend#nextItems} found.
	 *
	 * @param choices leased to the user, best first; empty when nothing could be chosen ({@code message} says why)
	 * @param candidates how many images were eligible
	 */
	public record Batch(List<NextChoice> choices, String strategy, String used, int candidates, String message) {
		public Batch {
			choices = List.copyOf(choices);
			message = message == null ? "" : message;
		}

		/** The sentence for the status line: the first choice's reason, else why nothing was chosen. */
		public String status() {
			return choices.isEmpty() ? (message.isEmpty() ? "Nothing to label." : message) : choices.get(0).reason();
		}
	}
}
