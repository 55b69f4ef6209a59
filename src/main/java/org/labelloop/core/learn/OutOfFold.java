package org.labelloop.core.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.labelloop.core.model.Progress;

/**
 * Out-of-fold probabilities: the labelled items are split into k folds, stratified by class; for each fold a
 * classifier is trained on the other folds and predicts the fold's items. So every labelled item gets probabilities
 * from a model that never saw its label, and is a validation item as well as a training item; {@link Metrics} of
 * these probabilities measure a model honestly, and confident disagreements point at label issues.
 * <p>
 * Needs labels of at least two classes and at least {@code folds} labelled items. A class with a single labelled
 * item is allowed, but that item can never be predicted as its own class (its class is absent when it is held out).
 */
public final class OutOfFold {

	private OutOfFold() {
	}

	/**
	 * Out-of-fold probabilities of every item, in the items' order.
	 *
	 * @param x one vector per labelled item
	 * @param y the label (class index) of each item
	 * @param classes the number of classes k of the project; each probability vector has length k
	 * @param folds number of folds, at least 2
	 * @param seed decides the folds: the same seed gives the same folds and probabilities
	 * @throws IllegalArgumentException if there are fewer items than folds, or labels of fewer than two classes
	 * @throws org.labelloop.core.model.CancelledException if cancelled (between folds)
	 */
	public static double[][] oof(float[][] x, int[] y, int classes, int folds, ClassifierSpec spec, long seed, Progress progress) {
		int[] fold = folds(y, folds, seed);
		double[][] out = new double[y.length][];
		for (int f = 0; f < folds; f++) {
			progress.checkCancelled("Out-of-fold training");
			progress.report((double) f / folds, "Training fold " + (f + 1) + " of " + folds);
			int ff = f;
			int[] train = IntStream.range(0, y.length).filter(i -> fold[i] != ff).toArray();
			int[] held = IntStream.range(0, y.length).filter(i -> fold[i] == ff).toArray();
			TrainedClassifier c = spec.train(Arrays.stream(train).mapToObj(i -> x[i]).toArray(float[][]::new),
					Arrays.stream(train).map(i -> y[i]).toArray(), classes, seed + f);
			double[][] p = c.probabilitiesAll(Arrays.stream(held).mapToObj(i -> x[i]).toArray(float[][]::new));
			for (int j = 0; j < held.length; j++) out[held[j]] = p[j];
		}
		progress.report(1, "Out-of-fold probabilities of " + y.length + " items");
		return out;
	}

	/**
	 * Stratified fold of each item: each class's items are shuffled (seeded) and dealt round-robin, one class after
	 * the other, so every class is spread evenly over the folds and fold sizes differ by at most one.
	 *
	 * @throws IllegalArgumentException if there are fewer items than folds, or labels of fewer than two classes
	 */
	public static int[] folds(int[] y, int folds, long seed) {
		if (folds < 2) throw new IllegalArgumentException("Out-of-fold probabilities need at least 2 folds, not " + folds);
		if (y.length < folds)
			throw new IllegalArgumentException("Out-of-fold probabilities with " + folds + " folds need at least " + folds
					+ " labelled items, with labels of at least 2 classes; there " + (y.length == 1 ? "is 1" : "are " + y.length) + ". Label more items.");
		int[] classes = Arrays.stream(y).distinct().sorted().toArray();
		if (classes.length < 2)
			throw new IllegalArgumentException("A classifier needs labels of at least 2 classes, but all " + y.length
					+ " labelled items have class " + classes[0] + ". Label some items of another class.");
		Random random = new Random(seed);
		int[] fold = new int[y.length];
		int next = 0;
		for (int c : classes) {
			List<Integer> items = new ArrayList<>();
			for (int i = 0; i < y.length; i++)
				if (y[i] == c) items.add(i);
			Collections.shuffle(items, random);
			for (int i : items) fold[i] = next++ % folds;
		}
		return fold;
	}
}
