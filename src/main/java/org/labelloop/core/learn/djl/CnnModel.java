package org.labelloop.core.learn.djl;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * A small CNN trained in-process by {@link CnnTrainer} (DJL, PyTorch engine, CPU): conv 3×3×32 – batch norm – ReLU –
 * max-pool 2, conv 3×3×64 – batch norm – ReLU – max-pool 2, dense 128 – ReLU (the {@linkplain #embedder() embedding}),
 * dropout, dense k. Images of any size and channel count are resized to the model's fixed square input and
 * normalised with the training set's mean and standard deviation, which the model keeps.
 * <p>
 * {@link #save(Path)} writes a folder ({@code cnn-0000.params}, DJL's parameter file, and {@code cnn.properties});
 * {@link #load(Path)} reads it back with identical outputs. Thread-safe (calls are serialised); close it to free the
 * native memory.
 */
public final class CnnModel implements AutoCloseable {

	/** Width of the penultimate layer, the embedding. */
	public static final int EMBEDDING = 128;
	static final String NAME = "cnn";
	private static final int BATCH = 256;

	private final Model model;
	private final SequentialBlock features;
	private final SequentialBlock net;
	private final Info info;
	private volatile String hash;

	/**
	 * What a trained model needs besides its weights.
	 *
	 * @param size side of the square input
	 * @param channels 1 or 3
	 * @param classes number of classes
	 * @param mean mean of the training pixels, subtracted
	 * @param std standard deviation of the training pixels, divided by
	 * @param epochs epochs trained (fractional when stopped by the time limit)
	 */
	public record Info(int size, int channels, int classes, float mean, float std, double epochs) {
	}

	CnnModel(Model model, SequentialBlock features, SequentialBlock net, Info info) {
		this.model = model;
		this.features = features;
		this.net = net;
		this.info = info;
	}

	/** The feature part (up to dense 128 + ReLU) and the full network, as DJL blocks. */
	static SequentialBlock[] newBlocks(int classes) {
		SequentialBlock features = new SequentialBlock()
				.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
				.add(BatchNorm.builder().build())
				.add(Activation.reluBlock())
				.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
				.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build())
				.add(BatchNorm.builder().build())
				.add(Activation.reluBlock())
				.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
				.add(Blocks.batchFlattenBlock())
				.add(Linear.builder().setUnits(EMBEDDING).build())
				.add(Activation.reluBlock());
		SequentialBlock net = new SequentialBlock().add(features).add(Dropout.builder().optRate(0.3f).build())
				.add(Linear.builder().setUnits(classes).build());
		return new SequentialBlock[] { features, net };
	}

	/** Size, channels, classes and normalisation. */
	public Info info() {
		return info;
	}

	/** Number of classes. */
	public int classes() {
		return info.classes();
	}

	/** Class probabilities (softmax) for each image, in input order. */
	public float[][] probabilities(List<FloatImage> images) {
		return run(images, false, Progress.NONE);
	}

	/** The most probable class of each image. */
	public int[] predict(List<FloatImage> images) {
		float[][] p = probabilities(images);
		int[] out = new int[p.length];
		for (int i = 0; i < p.length; i++)
			for (int k = 1; k < p[i].length; k++)
				if (p[i][k] > p[i][out[i]]) out[i] = k;
		return out;
	}

	/** The penultimate layer (dense 128 after ReLU) of each image, in input order. */
	float[][] embeddings(List<FloatImage> images, Progress progress) {
		return run(images, true, progress);
	}

	/** The learned embedding: this model's penultimate layer. Shares this model (closing the model ends both). */
	public CnnEmbedder embedder() {
		return new CnnEmbedder(this);
	}

	/** Fraction of images whose most probable class is the label. */
	public double accuracy(List<FloatImage> images, int[] labels) {
		int[] p = predict(images);
		int ok = 0;
		for (int i = 0; i < p.length; i++) if (p[i] == labels[i]) ok++;
		return (double) ok / p.length;
	}

	private float[][] run(List<FloatImage> images, boolean embed, Progress progress) {
		int n = images.size(), s = info.size(), c = info.channels(), plane = c * s * s;
		float[][] out = new float[n][];
		for (int from = 0; from < n; from += BATCH) {
			progress.checkCancelled(embed ? "Embedding" : "Predicting");
			int b = Math.min(BATCH, n - from);
			float[] x = new float[b * plane];
			for (int i = 0; i < b; i++) System.arraycopy(input(images.get(from + i)), 0, x, i * plane, plane);
			synchronized (this) {
				try (NDManager m = model.getNDManager().newSubManager()) {
					NDArray xs = m.create(x, new Shape(b, c, s, s));
					ParameterStore ps = new ParameterStore(m, false);
					NDArray y = embed ? features.forward(ps, new NDList(xs), false).singletonOrThrow()
							: net.forward(ps, new NDList(xs), false).singletonOrThrow().softmax(1);
					float[] flat = y.toFloatArray();
					int k = flat.length / b;
					for (int i = 0; i < b; i++) {
						out[from + i] = new float[k];
						System.arraycopy(flat, i * k, out[from + i], 0, k);
					}
				}
			}
			progress.report((double) (from + b) / n, (embed ? "Embedded " : "Predicted ") + (from + b) + " of " + n);
		}
		return out;
	}

	/** One image as the network's normalised input (channels × size × size). */
	float[] input(FloatImage image) {
		return normalised(image, info.size(), info.channels(), info.mean(), info.std());
	}

	static float[] normalised(FloatImage image, int size, int channels, float mean, float std) {
		float[] x = Pixels.toInput(image, size, size, channels);
		for (int i = 0; i < x.length; i++) x[i] = (x[i] - mean) / std;
		return x;
	}

	/** SHA-256 (hex) of all parameters, for ids of embeddings and model versions. */
	public String hash() {
		String h = hash;
		if (h == null) {
			try {
				MessageDigest md = MessageDigest.getInstance("SHA-256");
				synchronized (this) {
					for (Pair<String, Parameter> p : net.getParameters()) {
						md.update(p.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
						float[] v = p.getValue().getArray().toFloatArray();
						ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
						bb.asFloatBuffer().put(v);
						md.update(bb);
					}
				}
				hash = h = HexFormat.of().formatHex(md.digest());
			} catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
		return h;
	}

	/**
	 * Writes the model into {@code folder} (created if needed): the parameters first, {@code cnn.properties} last and
	 * by an atomic rename, so a folder without the properties file is an unfinished save that {@link #load} refuses.
	 */
	public synchronized void save(Path folder) {
		try {
			Files.createDirectories(folder);
			Files.deleteIfExists(folder.resolve(NAME + ".properties"));
			model.save(folder, NAME);
			Properties p = new Properties();
			p.setProperty("format", "labelloop-cnn-v1");
			p.setProperty("size", Integer.toString(info.size()));
			p.setProperty("channels", Integer.toString(info.channels()));
			p.setProperty("classes", Integer.toString(info.classes()));
			p.setProperty("mean", Float.toString(info.mean()));
			p.setProperty("std", Float.toString(info.std()));
			p.setProperty("epochs", String.format(Locale.ROOT, "%.4f", info.epochs()));
			Path tmp = folder.resolve(NAME + ".properties.tmp");
			try (Writer w = Files.newBufferedWriter(tmp)) {
				p.store(w, "LabelLoop CNN (DJL PyTorch); parameters in " + NAME + "-0000.params");
			}
			Files.move(tmp, folder.resolve(NAME + ".properties"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (IOException e) {
			throw new LabelLoopException("The CNN could not be saved to " + folder + ": " + e.getMessage(), e);
		}
	}

	/** Reads a model written by {@link #save(Path)}. */
	public static CnnModel load(Path folder) {
		Path props = folder.resolve(NAME + ".properties");
		if (!Files.isRegularFile(props))
			throw new LabelLoopException("The folder " + folder + " holds no saved CNN (no " + NAME + ".properties; an unfinished save leaves none).");
		Properties p = new Properties();
		try (Reader r = Files.newBufferedReader(props)) {
			p.load(r);
		} catch (IOException e) {
			throw new LabelLoopException("The CNN in " + folder + " could not be read: " + e.getMessage(), e);
		}
		Info info;
		try {
			info = new Info(Integer.parseInt(p.getProperty("size")), Integer.parseInt(p.getProperty("channels")),
					Integer.parseInt(p.getProperty("classes")), Float.parseFloat(p.getProperty("mean")), Float.parseFloat(p.getProperty("std")),
					Double.parseDouble(p.getProperty("epochs", "0")));
		} catch (RuntimeException e) {
			throw new LabelLoopException("The CNN description " + props + " is damaged: " + e.getMessage(), e);
		}
		Djl.require("PyTorch");
		SequentialBlock[] blocks = newBlocks(info.classes());
		Model model = Model.newInstance(NAME, "PyTorch");
		model.setBlock(blocks[1]);
		try {
			blocks[1].initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, info.channels(), info.size(), info.size()));
			model.load(folder, NAME);
		} catch (Exception e) {
			model.close();
			throw new LabelLoopException("The CNN parameters in " + folder + " could not be read; the files may be damaged ("
					+ DjlEmbedder.rootMessage(e) + ").", e);
		}
		return new CnnModel(model, blocks[0], blocks[1], info);
	}

	@Override
	public synchronized void close() {
		model.close();
	}
}
