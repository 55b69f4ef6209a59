package org.labelloop.core.learn;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Progress;

/**
 * Turns an image, or the part of it under a region, into a fixed-length vector, so that similar content gives nearby
 * vectors and a classifier can learn from them. Implementations are thread-safe and deterministic.
 */
public interface Embedder {

	/**
	 * Names the embedder with its version and settings (e.g. {@code features-v2}). Vectors with different ids must
	 * not be mixed: a stored embedding is valid only for the id it was made with.
	 */
	String id();

	/** Length of every vector this embedder returns. */
	int dimension();

	/** Embeds a whole image. */
	float[] embed(FloatImage image);

	/**
	 * Embeds the pixels inside an area region (its mask within its bounding box, clipped to the image) together with
	 * the region's shape.
	 *
	 * @throws IllegalArgumentException if the region is not an area (a line or point) or lies outside the image
	 */
	float[] embed(FloatImage image, Geometry region);

	/**
	 * Embeds many images in parallel (a parallel stream on the common fork-join pool), results in input order; reports progress and stops with a
	 * {@link CancelledException} when asked.
	 */
	default float[][] embedAll(List<FloatImage> images, Progress progress) {
		float[][] out = new float[images.size()][];
		AtomicInteger done = new AtomicInteger();
		int step = Math.max(1, images.size() / 100);
		IntStream.range(0, images.size()).parallel().forEach(i -> {
			progress.checkCancelled("Embedding");
			out[i] = embed(images.get(i));
			int d = done.incrementAndGet();
			if (d % step == 0) progress.report((double) d / images.size(), "Embedded " + d + " of " + images.size());
		});
		progress.report(1, "Embedded " + images.size() + " images");
		return out;
	}
}
