package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import smile.base.cart.SplitRule;
import smile.classification.LogisticRegression;
import smile.classification.DecisionTree;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.data.vector.IntVector;

/**
 * {@link TrainedClassifier} over Smile. Maps the classes present in the training set onto Smile's contiguous labels
 * and back, and answers with one constant probability vector when only one class was present.
 * <p>
 * Logistic regression is fitted on standardised features (mean 0, standard deviation 1 over the training set) by
 * {@link FloatLogistic} (Smile's L-BFGS on a single-precision objective computed on all cores), or by Smile's own
 * {@code LogisticRegression} ({@link Solver#SMILE}, the reference: same objective, same optimiser, double precision,
 * 3–5× slower); the standardisation is then folded into the weights, so predicting is one small matrix-vector product on the
 * raw vector. Random forests need no standardisation (a tree's splits do not change under per-feature scaling).
 */
final class SmileClassifier implements TrainedClassifier {

	/** Posterior probabilities of the present classes for a vector. */
	private interface Model {
		void posteriori(float[] x, double[] out);
	}

	private static final double TOLERANCE = 1e-5;

	private final ClassifierSpec spec;
	private final int classes, dimension;
	/** present[j]: the class of the model's j-th output. */
	private final int[] present;
	private final Model model;

	private SmileClassifier(ClassifierSpec spec, int classes, int dimension, int[] present, Model model) {
		this.spec = spec;
		this.classes = classes;
		this.dimension = dimension;
		this.present = present;
		this.model = model;
	}

	static TrainedClassifier train(ClassifierSpec spec, float[][] x, int[] y, int classes, long seed) {
		return train(spec, x, y, classes, seed, Solver.FLOAT);
	}

	/** Which implementation fits logistic regression; both minimise the same objective with Smile's L-BFGS. */
	enum Solver {
		/** {@link FloatLogistic}: single-precision objective over row blocks on all cores (the default). */
		FLOAT,
		/** Smile's own {@code LogisticRegression.fit} in double precision: the reference, for benchmarks and tests. */
		SMILE
	}

	static TrainedClassifier train(ClassifierSpec spec, float[][] x, int[] y, int classes, long seed, Solver solver) {
		if (x.length == 0) throw new IllegalArgumentException("Nothing to train on: no labelled items");
		if (x.length != y.length) throw new IllegalArgumentException(x.length + " vectors but " + y.length + " labels");
		int d = x[0].length;
		boolean[] seen = new boolean[classes];
		for (int i = 0; i < x.length; i++) {
			if (x[i].length != d) throw new IllegalArgumentException("Vector " + i + " has " + x[i].length + " values, the first " + d);
			if (y[i] < 0 || y[i] >= classes) throw new IllegalArgumentException("Label " + y[i] + " of item " + i + " is not a class index in [0, " + classes + ")");
			seen[y[i]] = true;
		}
		int[] present = IntStream.range(0, classes).filter(c -> seen[c]).toArray();
		int[] index = new int[classes];
		for (int j = 0; j < present.length; j++) index[present[j]] = j;
		int[] labels = Arrays.stream(y).map(c -> index[c]).toArray();

		Model model;
		if (present.length == 1) model = (v, out) -> out[0] = 1;
		else if (spec instanceof ClassifierSpec.Logistic l) model = logistic(l, x, labels, present.length, solver);
		else model = forest((ClassifierSpec.Forest) spec, x, labels, seed);
		return new SmileClassifier(spec, classes, d, present, model);
	}

	private static Model logistic(ClassifierSpec.Logistic spec, float[][] x, int[] labels, int k, Solver solver) {
		int d = x[0].length;
		double[] mean = new double[d], invStd = new double[d];
		for (float[] row : x)
			for (int j = 0; j < d; j++) {
				mean[j] += row[j];
				invStd[j] += (double) row[j] * row[j];
			}
		for (int j = 0; j < d; j++) {
			mean[j] /= x.length;
			double var = invStd[j] / x.length - mean[j] * mean[j];
			invStd[j] = var > 1e-12 ? 1 / Math.sqrt(var) : 0; // a constant feature carries nothing
		}
		double[][] rows;
		if (solver == Solver.FLOAT) {
			float[][] z = new float[x.length][d];
			IntStream.range(0, x.length).parallel().forEach(i -> {
				for (int j = 0; j < d; j++) z[i][j] = (float) ((x[i][j] - mean[j]) * invStd[j]);
			});
			rows = new FloatLogistic(z, labels, k, spec.lambda() * x.length).fit(TOLERANCE, spec.maxIter());
		} else {
			double[][] z = new double[x.length][d];
			for (int i = 0; i < x.length; i++)
				for (int j = 0; j < d; j++) z[i][j] = (x[i][j] - mean[j]) * invStd[j];
			LogisticRegression lr = LogisticRegression.fit(z, labels, spec.lambda() * x.length, TOLERANCE, spec.maxIter());
			rows = lr instanceof LogisticRegression.Binomial b ? new double[][] { b.coefficients() }
					: ((LogisticRegression.Multinomial) lr).coefficients();
		}
		// Both solvers' logits: binomial w·z for class 1 against class 0; multinomial w_c·z for c < k-1 against class k-1.
		int reference = k == 2 ? 0 : k - 1;
		double[][] w = new double[rows.length][d];
		double[] bias = new double[rows.length];
		for (int r = 0; r < rows.length; r++) {
			bias[r] = rows[r][d];
			for (int j = 0; j < d; j++) {
				w[r][j] = rows[r][j] * invStd[j];
				bias[r] -= w[r][j] * mean[j];
			}
		}
		return (v, out) -> {
			double max = 0;
			for (int c = 0, r = 0; c < k; c++) {
				if (c == reference) { out[c] = 0; continue; }
				double logit = bias[r];
				double[] wr = w[r++];
				for (int j = 0; j < d; j++) logit += wr[j] * v[j];
				out[c] = logit;
				max = Math.max(max, logit);
			}
			double sum = 0;
			for (int c = 0; c < k; c++) sum += out[c] = Math.exp(out[c] - max);
			for (int c = 0; c < k; c++) out[c] /= sum;
		};
	}

	private static Model forest(ClassifierSpec.Forest spec, float[][] x, int[] labels, long seed) {
		int d = x[0].length;
		double[][] data = new double[x.length][d];
		for (int i = 0; i < x.length; i++)
			for (int j = 0; j < d; j++) data[i][j] = x[i][j];
		String[] names = new String[d];
		for (int j = 0; j < d; j++) names[j] = "x" + j;
		DataFrame frame = DataFrame.of(data, names).merge(IntVector.of("y", labels));
		StructType schema = frame.schema();
		RandomForest rf;
		try {
			rf = fitForest(spec, frame, d, x.length, seed, 1.0);
		} catch (IllegalArgumentException e) {
			// Smile 2.6 measures each tree on its out-of-bag items; when those hold exactly two classes it uses binary
			// metrics, which throw if the tree predicts a third class. Frequent with few labels. Sampling half of each
			// class without replacement puts every class with two or more items into every out-of-bag set.
			if (!String.valueOf(e.getMessage()).contains("binary classification")) throw e;
			try {
				rf = fitForest(spec, frame, d, x.length, seed, 0.5);
			} catch (IllegalArgumentException again) {
				if (!String.valueOf(again.getMessage()).contains("binary classification")) throw again;
				throw new IllegalArgumentException("A random forest cannot be trained on so few labels per class; label more items or use logistic regression", again);
			}
		}
		RandomForest forest = rf;
		return (v, out) -> {
			double[] row = new double[d + 1]; // the last, the label column, is not read when predicting
			for (int j = 0; j < d; j++) row[j] = v[j];
			Tuple t = Tuple.of(row, schema);
			forest.predict(t, out);
			double sum = 0;
			for (double v2 : out) sum += v2;
			if (!(Math.abs(sum - 1) < 1e-6)) {
				// Smile weights each tree by its out-of-bag accuracy, which is NaN when a tree has no out-of-bag items
				// (few labels): then every tree counts the same
				java.util.Arrays.fill(out, 0);
				double[] p = new double[out.length];
				DecisionTree[] trees = forest.trees();
				for (DecisionTree tree : trees) {
					tree.predict(t, p);
					for (int c = 0; c < out.length; c++) out[c] += p[c] / trees.length;
				}
			}
		};
	}

	private static RandomForest fitForest(ClassifierSpec.Forest spec, DataFrame frame, int d, int n, long seed, double subsample) {
		// Smile seeds a tree's thread-local generator only with a seed > 1; otherwise the trees depend on scheduling.
		LongStream seeds = new SplittableRandom(seed).longs(spec.trees(), 2, Long.MAX_VALUE);
		return RandomForest.fit(Formula.lhs("y"), frame, spec.trees(), Math.max(1, (int) Math.sqrt(d)), SplitRule.GINI,
				spec.maxDepth(), Math.max(2, n / spec.nodeSize()), spec.nodeSize(), subsample, null, seeds);
	}

	@Override public ClassifierSpec spec() { return spec; }
	@Override public int classes() { return classes; }
	@Override public int dimension() { return dimension; }

	@Override
	public double[] probabilities(float[] x) {
		if (x.length != dimension)
			throw new IllegalArgumentException("This classifier was trained on vectors of " + dimension + " values, not " + x.length);
		double[] post = new double[present.length], p = new double[classes];
		model.posteriori(x, post);
		for (int j = 0; j < present.length; j++) p[present[j]] = post[j];
		return p;
	}
}
