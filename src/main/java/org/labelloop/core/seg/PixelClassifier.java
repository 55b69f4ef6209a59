package org.labelloop.core.seg;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.labelloop.core.model.Progress;

import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.data.vector.IntVector;

/**
 * A per-pixel classifier (Labkit / Trainable Weka style): {@link Features} of every labelled voxel, subsampled to at
 * most {@link Options#maxPerClass} voxels per class, train a Smile random forest; {@link Model#predict} gives a
 * {@link ProbabilityMap}. Usage:
 *
 * <pre>
 * PixelClassifier.Model m = PixelClassifier.train(List.of(TrainingImage.ofScribbles(img, scribbles)), List.of("background", "coin"),
 * 		PixelClassifier.Options.standard(), progress);
 * ProbabilityMap p = m.predict(img, progress);
 * List&lt;SegObject&gt; objects = SegObjects.from(p, SegObjects.Options.standard());
 * </pre>
 */
public final class PixelClassifier {

	/**
	 * @param features    which features
	 * @param trees       trees in the forest
	 * @param maxDepth    deepest tree
	 * @param maxPerClass labelled voxels sampled per class at most (all when fewer)
	 * @param seed        seeds the sampling and the forest
	 */
	public record Options(Features.Options features, int trees, int maxDepth, int maxPerClass, long seed) implements Serializable {
		public Options {
			if (features == null || trees < 1 || maxDepth < 1 || maxPerClass < 2)
				throw new IllegalArgumentException("Need features, trees >= 1, maxDepth >= 1, maxPerClass >= 2");
		}

		/** Sigmas 1, 2, 4, 8, all features; 32 trees of depth 12; 4,000 voxels per class. */
		public static Options standard() {
			return new Options(Features.Options.standard(), 32, 12, 4000, 1);
		}

		public Options withFeatures(Features.Options f) {
			return new Options(f, trees, maxDepth, maxPerClass, seed);
		}
	}

	private PixelClassifier() {
	}

	/**
	 * Trains on the labelled voxels of {@code images} (all 2D or all 3D).
	 *
	 * @param classes class names; label value {@code c + 1} is {@code classes.get(c)}
	 * @throws IllegalArgumentException when fewer than two classes have labelled voxels (naming those that have
	 *         none), when no image is given, or when 2D and 3D images are mixed
	 */
	public static Model train(List<TrainingImage> images, List<String> classes, Options o, Progress progress) {
		if (images == null || images.isEmpty()) throw new IllegalArgumentException("No training image: label some pixels first");
		if (classes.size() < 2) throw new IllegalArgumentException("A pixel classifier needs at least two classes, got " + classes);
		boolean is3d = images.get(0).image().is3d();
		long[] total = new long[classes.size()];
		for (TrainingImage t : images) {
			if (t.image().is3d() != is3d) throw new IllegalArgumentException("Training images must be all 2D or all 3D");
			long[] n = t.counts(classes.size());
			for (int c = 0; c < n.length; c++) total[c] += n[c];
		}
		List<String> missing = new ArrayList<>();
		for (int c = 0; c < total.length; c++) if (total[c] == 0) missing.add(classes.get(c));
		if (classes.size() - missing.size() < 2)
			throw new IllegalArgumentException("Only one class has labelled pixels; label some pixels of another class too (none for: " + missing + ")");
		// reservoir-free sampling: keep each labelled voxel of class c with probability cap / total[c]
		SplittableRandom rnd = new SplittableRandom(o.seed());
		List<float[]> rows = new ArrayList<>();
		List<Integer> ys = new ArrayList<>();
		int done = 0;
		for (TrainingImage t : images) {
			progress.checkCancelled("training");
			Features.Stack f = Features.compute(t.image(), o.features(), Progress.NONE);
			int[] l = t.labels();
			for (int i = 0; i < l.length; i++) {
				int c = l[i] - 1;
				if (c < 0 || c >= total.length) continue;
				if (total[c] > o.maxPerClass() && rnd.nextDouble() * total[c] >= o.maxPerClass()) continue;
				float[] r = new float[f.count()];
				for (int j = 0; j < r.length; j++) r[j] = f.channels()[j][i];
				rows.add(r);
				ys.add(c);
			}
			progress.report(0.8 * ++done / images.size(), "features of training image " + done);
		}
		int d = rows.get(0).length;
		double[][] x = new double[rows.size()][d];
		int[] y = new int[rows.size()];
		for (int i = 0; i < x.length; i++) {
			for (int j = 0; j < d; j++) x[i][j] = rows.get(i)[j];
			y[i] = ys.get(i);
		}
		String[] names = new String[d];
		for (int j = 0; j < d; j++) names[j] = "f" + j;
		DataFrame frame = DataFrame.of(x, names).merge(IntVector.of("y", y));
		RandomForest rf;
		try {
			rf = fit(o, frame, d, 1.0);
		} catch (IllegalArgumentException e) {
			// Smile 2.6 scores each tree on its out-of-bag voxels and fails when those hold two classes but the tree
			// predicts a third; sampling half without replacement puts every class into every out-of-bag set
			if (!String.valueOf(e.getMessage()).contains("binary classification")) throw e;
			rf = fit(o, frame, d, 0.5);
		}
		progress.report(1, "trained on " + x.length + " voxels");
		return new Model(List.copyOf(classes), o, is3d, d, rf, frame.schema());
	}

	private static RandomForest fit(Options o, DataFrame frame, int d, double subsample) {
		// Smile seeds a tree's generator only with a seed > 1; otherwise the trees depend on scheduling
		LongStream seeds = new SplittableRandom(o.seed()).longs(o.trees(), 2, Long.MAX_VALUE);
		return RandomForest.fit(Formula.lhs("y"), frame, o.trees(), Math.max(1, (int) Math.sqrt(d)), SplitRule.GINI, o.maxDepth(),
				Math.max(2, frame.nrows() / 2), 2, subsample, null, seeds);
	}

	/** A trained pixel classifier. Serializable ({@link #toBytes} / {@link #fromBytes}) so a model version can keep it. */
	public static final class Model implements Serializable {
		private static final long serialVersionUID = 1L;
		private final List<String> classes;
		private final Options options;
		private final boolean is3d;
		private final int featureCount;
		private final RandomForest forest;
		private final StructType schema;

		Model(List<String> classes, Options options, boolean is3d, int featureCount, RandomForest forest, StructType schema) {
			this.classes = classes;
			this.options = options;
			this.is3d = is3d;
			this.featureCount = featureCount;
			this.forest = forest;
			this.schema = schema;
		}

		public List<String> classes() { return classes; }
		public Options options() { return options; }
		/** Whether it was trained on 3D features (volumes) rather than 2D (images or single slices). */
		public boolean is3d() { return is3d; }

		/**
		 * Class probabilities of every voxel of {@code image} (each tree's leaf frequencies, averaged).
		 *
		 * @throws IllegalArgumentException when the model was trained in 3D and {@code image} is 2D, or the reverse
		 */
		public ProbabilityMap predict(FloatVolume image, Progress progress) {
			return predict(image, progress, null);
		}

		/**
		 * {@link #predict} and, in the same pass, how much the trees disagree at each voxel: the fraction of trees whose
		 * vote (the class of their leaf's highest frequency) is not the majority's, 0 where every tree votes alike and
		 * at most 1 - 1/classes. The trees are trained on different bootstrap samples of the labelled voxels, so they
		 * are a committee; see {@link SliceChoice}.
		 */
		public Prediction predictWithDisagreement(FloatVolume image, Progress progress) {
			float[] split = new float[image.voxels()];
			return new Prediction(predict(image, progress, split), split);
		}

		private ProbabilityMap predict(FloatVolume image, Progress progress, float[] split) {
			if (image.is3d() != is3d)
				throw new IllegalArgumentException("This classifier was trained on " + (is3d ? "3D volumes" : "2D images") + ", not on a "
						+ (image.is3d() ? "3D volume" : "2D image") + " (" + image.size() + ")");
			Features.Stack f = Features.compute(image, options.features(), progress);
			progress.checkCancelled("prediction");
			int n = image.voxels(), k = classes.size(), d = featureCount;
			float[][] p = new float[k][n];
			DecisionTree[] trees = forest.trees();
			int chunk = 4096, chunks = (n + chunk - 1) / chunk;
			IntStream.range(0, chunks).parallel().forEach(b -> {
				if (progress.isCancelled()) return;
				double[] row = new double[d + 1];
				double[] post = new double[k], sum = new double[k];
				int[] votes = new int[k];
				Tuple t = Tuple.of(row, schema);
				for (int i = b * chunk, end = Math.min(n, i + chunk); i < end; i++) {
					for (int j = 0; j < d; j++) row[j] = f.channels()[j][i];
					java.util.Arrays.fill(sum, 0);
					if (split != null) java.util.Arrays.fill(votes, 0);
					for (DecisionTree tree : trees) {
						tree.predict(t, post);
						for (int c = 0; c < k; c++) sum[c] += post[c];
						if (split == null) continue;
						int vote = 0;
						for (int c = 1; c < k; c++) if (post[c] > post[vote]) vote = c;
						votes[vote]++;
					}
					for (int c = 0; c < k; c++) p[c][i] = (float) (sum[c] / trees.length);
					if (split != null) {
						int most = 0;
						for (int v : votes) most = Math.max(most, v);
						split[i] = 1f - (float) most / trees.length;
					}
				}
			});
			progress.checkCancelled("prediction");
			return new ProbabilityMap(image.width(), image.height(), image.depth(), classes, p);
		}

		/** A prediction and the trees' disagreement at each voxel ({@link #predictWithDisagreement}). */
		public record Prediction(ProbabilityMap map, float[] disagreement) {
			/** The trees' disagreement averaged over the voxels of slice z. */
			public double meanDisagreement(int z) {
				int plane = map.width() * map.height();
				double s = 0;
				for (int i = z * plane; i < (z + 1) * plane; i++) s += disagreement[i];
				return s / plane;
			}
		}

		public byte[] toBytes() {
			ByteArrayOutputStream b = new ByteArrayOutputStream();
			try (ObjectOutputStream out = new ObjectOutputStream(b)) {
				out.writeObject(this);
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
			return b.toByteArray();
		}

		/** @throws IllegalArgumentException when the bytes are not a pixel classifier */
		public static Model fromBytes(byte[] bytes) {
			try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
				return (Model) in.readObject();
			} catch (IOException | ClassNotFoundException | ClassCastException e) {
				throw new IllegalArgumentException("Not a stored pixel classifier: " + e.getMessage(), e);
			}
		}
	}
}
