package org.labelloop.core.learn.djl;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;

/**
 * Trains a {@link CnnModel} in-process on labelled images with DJL's PyTorch engine on the CPU, offline. Images of
 * any size are resized to {@link Settings#size()}² ({@link Settings#channels()} channels) and normalised by the
 * training pixels' mean and standard deviation. Adam, softmax cross-entropy, mini-batches in a seeded shuffle.
 * <p>
 * Threads: PyTorch uses {@value Djl#DEFAULT_THREADS} intra-op threads unless {@code ai.djl.pytorch.num_threads} is
 * set before DJL starts (it is a process-wide setting of the engine). Seeded: the seed fixes the initial weights,
 * dropout ({@link Engine#setRandomSeed}) and the batch order; floating-point sums in parallel kernels may still
 * differ in the last bits between runs. Progress is reported and cancel checked after every batch; a cancelled
 * training throws {@link CancelledException} and leaves nothing behind.
 */
public final class CnnTrainer {

	/**
	 * How to train.
	 *
	 * @param size side of the square input images are resized to (28 for Fashion-MNIST)
	 * @param channels 1 or 3
	 * @param epochs passes over the training images
	 * @param batchSize images per step
	 * @param learningRate Adam's learning rate
	 * @param seed random seed
	 * @param maxSeconds stop after the batch that passes this many seconds (0: no limit); the model is then trained
	 *        on part of the last epoch, see {@link CnnModel.Info#epochs()}
	 */
	public record Settings(int size, int channels, int epochs, int batchSize, float learningRate, int seed, double maxSeconds) {

		public Settings {
			if (size < 4 || size % 4 != 0) throw new IllegalArgumentException("Size must be a multiple of 4, at least 4, got " + size);
			if (channels != 1 && channels != 3) throw new IllegalArgumentException("Channels must be 1 or 3, got " + channels);
			if (epochs < 1) throw new IllegalArgumentException("Epochs must be at least 1, got " + epochs);
			if (batchSize < 2) throw new IllegalArgumentException("Batch size must be at least 2, got " + batchSize);
			if (!(learningRate > 0)) throw new IllegalArgumentException("Learning rate must be positive, got " + learningRate);
			if (maxSeconds < 0) throw new IllegalArgumentException("maxSeconds must be 0 (no limit) or positive, got " + maxSeconds);
		}

		/** 28×28 grey, 5 epochs, batches of 64, learning rate 0.001, seed 42, no time limit. */
		public static Settings defaults() {
			return new Settings(28, 1, 5, 64, 1e-3f, 42, 0);
		}

		/** The same with this many epochs. */
		public Settings withEpochs(int epochs) {
			return new Settings(size, channels, epochs, batchSize, learningRate, seed, maxSeconds);
		}

		/** The same with this time limit in seconds (0: none). */
		public Settings withMaxSeconds(double maxSeconds) {
			return new Settings(size, channels, epochs, batchSize, learningRate, seed, maxSeconds);
		}

		/** The same with this seed. */
		public Settings withSeed(int seed) {
			return new Settings(size, channels, epochs, batchSize, learningRate, seed, maxSeconds);
		}
	}

	private CnnTrainer() {
	}

	/**
	 * Trains a CNN.
	 *
	 * @param images labelled images, any sizes and channel counts
	 * @param labels class of each image, 0 .. classes-1
	 * @param classes number of classes, at least 2
	 * @throws LabelLoopException when there are too few images or classes, or labels are out of range
	 * @throws CancelledException when {@code progress} asks to stop
	 */
	public static CnnModel train(List<FloatImage> images, int[] labels, int classes, Settings s, Progress progress) {
		int n = images.size();
		if (labels.length != n) throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
		if (classes < 2) throw new LabelLoopException("Training needs at least two classes, got " + classes + ".");
		if (n < 2) throw new LabelLoopException("Training a CNN needs labelled images; there " + (n == 1 ? "is one" : "are none") + ".");
		boolean[] seen = new boolean[classes];
		for (int y : labels) {
			if (y < 0 || y >= classes) throw new LabelLoopException("Label " + y + " is not a class (0 to " + (classes - 1) + ").");
			seen[y] = true;
		}
		int present = 0;
		for (boolean b : seen) if (b) present++;
		if (present < 2) throw new LabelLoopException("All labelled images have the same class; training needs at least two classes with labels.");

		long start = System.nanoTime();
		progress.report(0, "Preparing " + n + " images");
		int plane = s.channels() * s.size() * s.size();
		float[] x = new float[n * plane];
		for (int i = 0; i < n; i++) {
			if (i % 1000 == 0) progress.checkCancelled("Training the CNN");
			System.arraycopy(Pixels.toInput(images.get(i), s.size(), s.size(), s.channels()), 0, x, i * plane, plane);
		}
		double sum = 0, sq = 0;
		for (float v : x) { sum += v; sq += (double) v * v; }
		float mean = (float) (sum / x.length), std = (float) Math.sqrt(Math.max(sq / x.length - (sum / x.length) * (sum / x.length), 0));
		if (!(std > 1e-12f)) std = 1;
		for (int i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
		float[] y = new float[n];
		for (int i = 0; i < n; i++) y[i] = labels[i];

		Djl.require("PyTorch");
		Engine.getEngine("PyTorch").setRandomSeed(s.seed());
		SequentialBlock[] blocks = CnnModel.newBlocks(classes);
		Model model = Model.newInstance(CnnModel.NAME, "PyTorch");
		model.setBlock(blocks[1]);
		boolean done = false;
		int steps = 0, batches = (n + s.batchSize() - 1) / s.batchSize(), total = batches * s.epochs();
		try {
			DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
					.optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed(s.learningRate())).build())
					.optDevices(new Device[] { Device.cpu() });
			try (Trainer trainer = model.newTrainer(config)) {
				trainer.initialize(new Shape(1, s.channels(), s.size(), s.size()));
				// Batches are cut here from a seeded shuffle of the prepared pixels: cheaper than DJL's per-item
				// ArrayDataset batchifier, and the order depends on the seed only.
				Random random = new Random(s.seed());
				int[] order = new int[n];
				for (int i = 0; i < n; i++) order[i] = i;
				double lossAvg = Double.NaN;
				epochs:
				for (int epoch = 0; epoch < s.epochs(); epoch++) {
					for (int i = n - 1; i > 0; i--) {
						int j = random.nextInt(i + 1), t = order[i];
						order[i] = order[j];
						order[j] = t;
					}
					for (int from = 0; from < n; from += s.batchSize()) {
						int b = Math.min(s.batchSize(), n - from);
						if (b < 2) continue; // batch norm needs two items; the one left over waits for the next epoch
						float[] bx = new float[b * plane], by = new float[b];
						for (int i = 0; i < b; i++) {
							System.arraycopy(x, order[from + i] * plane, bx, i * plane, plane);
							by[i] = y[order[from + i]];
						}
						float loss;
						try (NDManager m = model.getNDManager().newSubManager()) {
							NDList data = new NDList(m.create(bx, new Shape(b, s.channels(), s.size(), s.size())));
							NDList label = new NDList(m.create(by, new Shape(b)));
							try (GradientCollector gc = trainer.newGradientCollector()) {
								NDList pred = trainer.forward(data, label);
								NDArray l = trainer.getLoss().evaluate(label, pred);
								gc.backward(l);
								loss = l.getFloat();
							}
							trainer.step();
						}
						lossAvg = Double.isNaN(lossAvg) ? loss : 0.9 * lossAvg + 0.1 * loss;
						steps++;
						if (!Double.isFinite(lossAvg))
							throw new LabelLoopException("Training the CNN diverged (loss " + lossAvg + "); try a smaller learning rate.");
						progress.report((double) steps / total, String.format(Locale.ROOT, "Epoch %d of %d, batch %d of %d, loss %.3f",
								epoch + 1, s.epochs(), steps - epoch * batches, batches, lossAvg));
						progress.checkCancelled("Training the CNN");
						if (s.maxSeconds() > 0 && (System.nanoTime() - start) / 1e9 > s.maxSeconds()) break epochs;
					}
				}
			}
			done = true;
		} finally {
			if (!done) model.close();
		}
		CnnModel.Info info = new CnnModel.Info(s.size(), s.channels(), classes, mean, std, (double) steps / batches);
		progress.report(1, String.format(Locale.ROOT, "Trained the CNN: %.2f epochs in %.1f s", info.epochs(), (System.nanoTime() - start) / 1e9));
		return new CnnModel(model, blocks[0], blocks[1], info);
	}
}
