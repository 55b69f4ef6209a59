package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import smile.base.cart.SplitRule;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import smile.data.vector.IntVector;

/**
 * {@link TrainedClassifier} over Smile: standardises features with the training set's mean and standard deviation,
 * maps the classes present in the training set onto Smile's contiguous labels and back, and answers with one
 * constant probability vector when only one class was present.
 */
final class SmileClassifier implements TrainedClassifier {

	/** Posterior probabilities of the present classes for a standardised vector. */
	private interface Model {
		void posteriori(double[] z, double[] out);
	}

	private static final double TOLERANCE = 1e-5;

	private final ClassifierSpec spec;
	private final int classes;
	private final float[] mean, invStd;
	/** present[j]: the class of the model's j-th output. */
	private final int[] present;
	private final Model model;

	private SmileClassifier(ClassifierSpec spec, int classes, float[] mean, float[] invStd, int[] present, Model model) {
		this.spec = spec;
		this.classes = classes;
		this.mean = mean;
		this.invStd = invStd;
		this.present = present;
		this.model = model;
	}

	static TrainedClassifier train(ClassifierSpec spec, float[][] x, int[] y, int classes, long seed) {
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

		float[] mean = new float[d], invStd = new float[d];
		for (int j = 0; j < d; j++) {
			double s = 0, s2 = 0;
			for (float[] row : x) { s += row[j]; s2 += (double) row[j] * row[j]; }
			double m = s / x.length, var = s2 / x.length - m * m;
			mean[j] = (float) m;
			invStd[j] = var > 1e-12 ? (float) (1 / Math.sqrt(var)) : 0; // a constant feature carries nothing
		}
		SmileClassifier shell = new SmileClassifier(spec, classes, mean, invStd, present, null);
		double[][] z = new double[x.length][];
		for (int i = 0; i < x.length; i++) z[i] = shell.standardise(x[i]);

		Model model;
		if (present.length == 1) model = (v, out) -> out[0] = 1;
		else if (spec instanceof ClassifierSpec.Logistic l) model = logistic(l, z, labels);
		else model = forest((ClassifierSpec.Forest) spec, z, labels, seed);
		return new SmileClassifier(spec, classes, mean, invStd, present, model);
	}

	private static Model logistic(ClassifierSpec.Logistic spec, double[][] z, int[] labels) {
		LogisticRegression lr = LogisticRegression.fit(z, labels, spec.lambda() * z.length, TOLERANCE, spec.maxIter());
		return (v, out) -> lr.predict(v, out);
	}

	private static Model forest(ClassifierSpec.Forest spec, double[][] z, int[] labels, long seed) {
		int d = z[0].length;
		String[] names = new String[d];
		for (int j = 0; j < d; j++) names[j] = "x" + j;
		DataFrame data = DataFrame.of(z, names).merge(IntVector.of("y", labels));
		StructType schema = data.schema();
		// Smile seeds a tree's thread-local generator only with a seed > 1; otherwise the trees depend on scheduling.
		LongStream seeds = new SplittableRandom(seed).longs(spec.trees(), 2, Long.MAX_VALUE);
		RandomForest rf = RandomForest.fit(Formula.lhs("y"), data, spec.trees(), Math.max(1, (int) Math.sqrt(d)), SplitRule.GINI,
				spec.maxDepth(), Math.max(2, z.length / spec.nodeSize()), spec.nodeSize(), 1.0, null, seeds);
		return (v, out) -> {
			double[] row = Arrays.copyOf(v, d + 1); // the label column is not read when predicting
			rf.predict(Tuple.of(row, schema), out);
		};
	}

	private double[] standardise(float[] v) {
		double[] z = new double[v.length];
		for (int j = 0; j < v.length; j++) z[j] = (v[j] - mean[j]) * invStd[j];
		return z;
	}

	@Override public ClassifierSpec spec() { return spec; }
	@Override public int classes() { return classes; }
	@Override public int dimension() { return mean.length; }

	@Override
	public double[] probabilities(float[] x) {
		if (x.length != mean.length)
			throw new IllegalArgumentException("This classifier was trained on vectors of " + mean.length + " values, not " + x.length);
		double[] post = new double[present.length], p = new double[classes];
		model.posteriori(standardise(x), post);
		for (int j = 0; j < present.length; j++) p[present[j]] = post[j];
		return p;
	}
}
