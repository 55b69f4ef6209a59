package org.labelloop.core.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import org.labelloop.core.model.Progress;

/**
 * Out-of-fold probabilities: the labelled items are split into k folds, stratified by class (and, where items come in
 * groups, never splitting a group: {@link #groupedFolds}); for each fold a
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
		return oof(x, y, classes, folds(y, folds, seed), spec, seed, progress);
	}

	/**
	 * Out-of-fold probabilities of every item, with the folds given ({@link #folds} or {@link #groupedFolds}): fold
	 * {@code fold[i]} of item i, folds numbered from 0.
	 */
	public static double[][] oof(float[][] x, int[] y, int classes, int[] fold, ClassifierSpec spec, long seed, Progress progress) {
		int folds = Arrays.stream(fold).max().orElse(0) + 1;
		double[][] out = new double[y.length][];
		java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
		progress.report(0, "Training " + folds + " folds");
		// Folds are independent: train them side by side (each fold writes only its own held-out rows).
		IntStream.range(0, folds).parallel().forEach(f -> {
			progress.checkCancelled("Out-of-fold training");
			int[] train = IntStream.range(0, y.length).filter(i -> fold[i] != f).toArray();
			int[] held = IntStream.range(0, y.length).filter(i -> fold[i] == f).toArray();
			TrainedClassifier c = spec.train(Arrays.stream(train).mapToObj(i -> x[i]).toArray(float[][]::new),
					Arrays.stream(train).map(i -> y[i]).toArray(), classes, seed + f);
			double[][] p = c.probabilitiesAll(Arrays.stream(held).mapToObj(i -> x[i]).toArray(float[][]::new));
			for (int j = 0; j < held.length; j++) out[held[j]] = p[j];
			synchronized (done) { // fractions stay in order when folds finish together
				int n = done.incrementAndGet();
				if (n < folds) progress.report((double) n / folds, "Trained fold " + n + " of " + folds);
			}
		});
		progress.checkCancelled("Out-of-fold training");
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

	/**
	 * Stratified folds that never split a group (the image of ROIs, the volume of slices, the patient of images): a
	 * group's items all land in one fold, so no item is validated by a model that saw another item of its group.
	 * Groups are dealt largest first (ties in a seeded order), each to the fold where it leaves the classes' fold
	 * shares nearest their overall shares, ties going to the smaller fold (as scikit-learn's StratifiedGroupKFold).
	 *
	 * @param groups the group of each item (any numbers)
	 * @throws IllegalArgumentException if there are fewer groups than folds, or labels of fewer than two classes
	 */
	public static int[] groupedFolds(int[] y, long[] groups, int folds, long seed) {
		if (groups.length != y.length) throw new IllegalArgumentException("one group per item: " + groups.length + " groups for " + y.length + " items");
		if (folds < 2) throw new IllegalArgumentException("Out-of-fold probabilities need at least 2 folds, not " + folds);
		int k = Arrays.stream(y).max().orElse(0) + 1;
		if (Arrays.stream(y).distinct().count() < 2)
			throw new IllegalArgumentException("A classifier needs labels of at least 2 classes, but all " + y.length + " labelled items have one class. Label some items of another class.");
		java.util.Map<Long, int[]> perGroup = new java.util.LinkedHashMap<>();
		for (int i = 0; i < y.length; i++) perGroup.computeIfAbsent(groups[i], g -> new int[k])[y[i]]++;
		if (perGroup.size() < folds)
			throw new IllegalArgumentException("Grouped out-of-fold validation with " + folds + " folds needs at least " + folds + " groups; there "
					+ (perGroup.size() == 1 ? "is 1" : "are " + perGroup.size()) + ".");
		List<Long> order = new ArrayList<>(perGroup.keySet());
		Collections.shuffle(order, new Random(seed));
		order.sort(java.util.Comparator.comparingInt((Long g) -> -Arrays.stream(perGroup.get(g)).sum()));
		int[] total = new int[k];
		for (int c : y) total[c]++;
		int[][] inFold = new int[folds][k];
		int[] size = new int[folds];
		java.util.Map<Long, Integer> foldOf = new java.util.HashMap<>();
		for (long g : order) {
			int[] counts = perGroup.get(g);
			int best = -1;
			double bestCost = Double.MAX_VALUE;
			for (int f = 0; f < folds; f++) {
				double cost = 0;
				for (int c = 0; c < k; c++) {
					if (total[c] == 0) continue;
					// the spread of class c's share over the folds, were the group put in fold f
					double mean = (double) total[c] / folds, spread = 0;
					for (int h = 0; h < folds; h++) {
						double d = inFold[h][c] + (h == f ? counts[c] : 0) - mean;
						spread += d * d;
					}
					cost += spread / ((double) total[c] * total[c]);
				}
				if (cost < bestCost - 1e-12 || (Math.abs(cost - bestCost) <= 1e-12 && size[f] < size[best])) {
					bestCost = cost;
					best = f;
				}
			}
			foldOf.put(g, best);
			for (int c = 0; c < k; c++) inFold[best][c] += counts[c];
			size[best] += Arrays.stream(counts).sum();
		}
		int[] fold = new int[y.length];
		for (int i = 0; i < y.length; i++) fold[i] = foldOf.get(groups[i]);
		// a fold left empty (fewer groups with items than folds cannot happen here) would have no held-out items
		return fold;
	}
}
