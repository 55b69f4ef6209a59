package org.labelloop.core.learn;

import java.util.Locale;

/**
 * What classifier to train on embeddings, with its settings. Two kinds, both Smile 2.6, both pure Java:
 * <ul>
 * <li>{@link Logistic}: multinomial logistic regression (binomial for two classes) fitted by Smile's L-BFGS with an
 * L2 penalty {@code lambda}, on an objective LabelLoop computes in single precision on all cores; fast to train and to
 * apply, well calibrated;</li>
 * <li>{@link Forest}: a random forest of CART trees (Gini), {@code sqrt(dimension)} features tried per split.</li>
 * </ul>
 * Logistic regression sees standardised features (mean 0, standard deviation 1 over the training set); trees do not
 * need them.
 */
public sealed interface ClassifierSpec permits ClassifierSpec.Logistic, ClassifierSpec.Forest {

	enum Kind { LOGISTIC, RANDOM_FOREST }

	Kind kind();

	/** Names the classifier and its settings, e.g. {@code logistic(lambda=0.01,iter=200)}; stored with a model version. */
	String id();

	/**
	 * Trains on labelled vectors.
	 *
	 * @param x one vector per item, all the same length
	 * @param y class index of each item, in {@code [0, classes)}; classes without items get probability 0
	 * @param classes the number of classes k: every probability vector has length k
	 * @param seed makes training reproducible where it draws random numbers
	 * @throws IllegalArgumentException if there are no items, vectors differ in length, or a label is out of range
	 */
	default TrainedClassifier train(float[][] x, int[] y, int classes, long seed) {
		return SmileClassifier.train(this, x, y, classes, seed);
	}

	/**
	 * The logistic regression used unless a project says otherwise: {@code lambda = 0.01}, 40 iterations. On
	 * Fashion-MNIST with {@link FeatureEmbedder} features this strong penalty and early stop tested as well as weaker
	 * penalties and more iterations, in a fraction of the time (see docs/benchmarks.md).
	 */
	static Logistic logistic() {
		return new Logistic(0.01, 40);
	}

	/**
	 * Logistic regression.
	 *
	 * @param lambda L2 penalty on the weights per training item: the fit minimises the mean log-loss plus
	 *        {@code lambda/2·|w|²} (Smile's penalty is {@code lambda · items}), so a setting means the same for 50 items
	 *        as for 50,000
	 * @param maxIter most L-BFGS iterations
	 */
	record Logistic(double lambda, int maxIter) implements ClassifierSpec {
		public Logistic {
			if (!(lambda >= 0) || maxIter <= 0) throw new IllegalArgumentException("Logistic regression needs lambda >= 0 and maxIter > 0");
		}

		@Override public Kind kind() { return Kind.LOGISTIC; }

		@Override
		public String id() {
			return String.format(Locale.ROOT, "logistic(lambda=%s,iter=%d)", lambda, maxIter);
		}

		/**
		 * Trains as {@link #train} does, but with Smile's own {@code LogisticRegression.fit} (double precision, its
		 * objective one item at a time) in place of LabelLoop's single-precision objective: the same objective, penalty,
		 * tolerance and L-BFGS, so the same model up to rounding, only slower. The reference for benchmarks and tests.
		 */
		public TrainedClassifier trainWithSmile(float[][] x, int[] y, int classes) {
			return SmileClassifier.train(this, x, y, classes, 0, SmileClassifier.Solver.SMILE);
		}
	}

	/**
	 * Random forest.
	 *
	 * @param trees number of trees
	 * @param maxDepth deepest a tree may grow
	 * @param nodeSize fewest items a leaf may hold
	 */
	record Forest(int trees, int maxDepth, int nodeSize) implements ClassifierSpec {
		public Forest {
			if (trees <= 0 || maxDepth <= 0 || nodeSize <= 0) throw new IllegalArgumentException("A random forest needs trees, maxDepth and nodeSize > 0");
		}

		@Override public Kind kind() { return Kind.RANDOM_FOREST; }

		@Override
		public String id() {
			return String.format(Locale.ROOT, "random-forest(trees=%d,depth=%d,node=%d)", trees, maxDepth, nodeSize);
		}
	}
}
