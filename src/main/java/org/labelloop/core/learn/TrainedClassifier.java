package org.labelloop.core.learn;

import java.util.stream.IntStream;

/** A classifier trained on embeddings: class probabilities for any vector of the training dimension. Thread-safe. */
public interface TrainedClassifier {

	ClassifierSpec spec();

	/** The number of classes k; every probability vector has this length. */
	int classes();

	/** The vector length it was trained on. */
	int dimension();

	/**
	 * Probabilities of the k classes for one vector, summing to 1; 0 for classes it had no training items of.
	 *
	 * @throws IllegalArgumentException if the vector's length is not {@link #dimension()}
	 */
	double[] probabilities(float[] x);

	/** {@link #probabilities(float[])} of many vectors, in parallel, in order. */
	default double[][] probabilitiesAll(float[][] x) {
		double[][] p = new double[x.length][];
		IntStream.range(0, x.length).parallel().forEach(i -> p[i] = probabilities(x[i]));
		return p;
	}
}
