package org.labelloop.core.learn.djl;

import java.util.List;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.Progress;

/**
 * A learned embedding: the penultimate layer (dense 128 after ReLU) of a {@link CnnModel} trained on the project's
 * labels. Its id names the model's parameters (SHA-256 prefix), so embeddings of different trainings never mix.
 * {@link #embedAll} runs in batches of 256 on the model's PyTorch threads. Closing the model ends this embedder.
 */
public final class CnnEmbedder implements Embedder {

	private final CnnModel model;
	private final String id;

	CnnEmbedder(CnnModel model) {
		this.model = model;
		CnnModel.Info i = model.info();
		this.id = "cnn-v1-" + model.hash().substring(0, 12) + "-" + i.size() + "x" + i.size() + "x" + i.channels();
	}

	@Override
	public String id() {
		return id;
	}

	@Override
	public int dimension() {
		return CnnModel.EMBEDDING;
	}

	@Override
	public float[] embed(FloatImage image) {
		return model.embeddings(List.of(image), Progress.NONE)[0];
	}

	/** Embeds the region's bounding box (clipped), pixels outside the region set to the mean of those inside. */
	@Override
	public float[] embed(FloatImage image, Geometry region) {
		return embed(Pixels.crop(image, region));
	}

	@Override
	public float[][] embedAll(List<FloatImage> images, Progress progress) {
		float[][] out = model.embeddings(images, progress);
		progress.report(1, "Embedded " + images.size() + " images");
		return out;
	}
}
