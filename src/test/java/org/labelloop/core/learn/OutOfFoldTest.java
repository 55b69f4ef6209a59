package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.labelloop.core.learn.ClassifierTest.Blobs;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Progress;

class OutOfFoldTest {

	@Test
	void neverUsesAnItemsOwnLabel() {
		// Random vectors with random labels: a forest memorises its training items perfectly, so any leak of an
		// item's own label would show as high accuracy; out-of-fold it can only guess.
		Random r = new Random(3);
		int n = 200;
		float[][] x = new float[n][20];
		int[] y = new int[n];
		for (int i = 0; i < n; i++) {
			for (int j = 0; j < 20; j++) x[i][j] = (float) r.nextGaussian();
			y[i] = r.nextInt(2);
		}
		ClassifierSpec forest = new ClassifierSpec.Forest(50, 30, 1);
		double memorised = Metrics.of(forest.train(x, y, 2, 1).probabilitiesAll(x), y, 2).accuracy();
		double outOfFold = Metrics.of(OutOfFold.oof(x, y, 2, 5, forest, 1, Progress.NONE), y, 2).accuracy();
		assertTrue(memorised > 0.95, "in-sample accuracy " + memorised);
		assertTrue(outOfFold < 0.65, "out-of-fold accuracy " + outOfFold);
	}

	@Test
	void learnsWhatThereIsToLearn() {
		Blobs b = Blobs.of(150, 3, 6, 1, 8);
		double[][] p = OutOfFold.oof(b.x(), b.y(), 4, 5, ClassifierSpec.logistic(), 1, Progress.NONE);
		assertEquals(150, p.length);
		assertEquals(4, p[0].length);
		assertTrue(Metrics.of(p, b.y(), 4).accuracy() > 0.95);
	}

	@Test
	void foldsAreStratifiedAndBalanced() {
		int[] y = new int[103];
		for (int i = 0; i < y.length; i++) y[i] = i < 60 ? 0 : i < 90 ? 1 : 2; // 60, 30, 13 items
		int[] fold = OutOfFold.folds(y, 5, 42);
		int[][] perClass = new int[3][5];
		int[] size = new int[5];
		for (int i = 0; i < y.length; i++) {
			perClass[y[i]][fold[i]]++;
			size[fold[i]]++;
		}
		for (int[] counts : perClass)
			assertTrue(Arrays.stream(counts).max().getAsInt() - Arrays.stream(counts).min().getAsInt() <= 1, Arrays.toString(counts));
		assertTrue(Arrays.stream(size).max().getAsInt() - Arrays.stream(size).min().getAsInt() <= 1, Arrays.toString(size));
	}

	@Test
	void theSeedDecidesTheFolds() {
		int[] y = new int[50];
		for (int i = 0; i < y.length; i++) y[i] = i % 2;
		assertArrayEquals(OutOfFold.folds(y, 5, 1), OutOfFold.folds(y, 5, 1));
		assertFalse(Arrays.equals(OutOfFold.folds(y, 5, 1), OutOfFold.folds(y, 5, 2)));
		Blobs b = Blobs.of(60, 2, 4, 3, 9);
		ClassifierSpec forest = new ClassifierSpec.Forest(10, 10, 1);
		assertArrayEquals(OutOfFold.oof(b.x(), b.y(), 2, 3, forest, 5, Progress.NONE), OutOfFold.oof(b.x(), b.y(), 2, 3, forest, 5, Progress.NONE));
	}

	@Test
	void tooFewLabelsOrOneClassAreRefusedSayingWhatIsNeeded() {
		float[][] x = new float[4][2];
		IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
				() -> OutOfFold.oof(x, new int[] { 0, 1, 0, 1 }, 2, 5, ClassifierSpec.logistic(), 0, Progress.NONE));
		assertTrue(few.getMessage().contains("at least 5 labelled items"), few.getMessage());
		IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
				() -> OutOfFold.oof(x, new int[] { 1, 1, 1, 1 }, 2, 2, ClassifierSpec.logistic(), 0, Progress.NONE));
		assertTrue(one.getMessage().contains("at least 2 classes"), one.getMessage());
	}

	@Test
	void aSingleItemClassIsPredictedWithoutIt() {
		Blobs b = Blobs.of(40, 2, 4, 1, 10);
		int[] y = b.y().clone();
		y[0] = 2; // the only item of class 2
		double[][] p = OutOfFold.oof(b.x(), y, 3, 4, ClassifierSpec.logistic(), 0, Progress.NONE);
		assertEquals(0, p[0][2]);
	}

	@Test
	void reportsProgressAndStopsWhenCancelled() {
		Blobs b = Blobs.of(40, 2, 4, 1, 11);
		List<Double> reported = new ArrayList<>();
		OutOfFold.oof(b.x(), b.y(), 2, 4, ClassifierSpec.logistic(), 0, new Progress() {
			@Override public void report(double fraction, String message) { reported.add(fraction); }
			@Override public boolean isCancelled() { return false; }
		});
		assertEquals(List.of(0.0, 0.25, 0.5, 0.75, 1.0), reported);
		java.util.concurrent.atomic.AtomicInteger reports = new java.util.concurrent.atomic.AtomicInteger();
		assertThrows(CancelledException.class, () -> OutOfFold.oof(b.x(), b.y(), 2, 4, ClassifierSpec.logistic(), 0, new Progress() {
			@Override public void report(double fraction, String message) { reports.incrementAndGet(); }
			@Override public boolean isCancelled() { return reports.get() >= 2; }
		}));
		// folds run side by side: the ones already running finish, no new one starts, and the end is never reported
		assertTrue(reports.get() >= 2 && reports.get() < 5, "reports: " + reports.get());
	}

	/** Property test: over many random groupings (sizes, class mixes, fold counts, seeds), no group is ever split. */
	@Test
	void groupedFoldsNeverSplitAGroupOverRandomGroupings() {
		Random r = new Random(11);
		for (int trial = 0; trial < 300; trial++) {
			int groups = 2 + r.nextInt(40), k = 2 + r.nextInt(4), folds = 2 + r.nextInt(Math.min(groups, 10) - 1);
			List<Integer> yl = new ArrayList<>();
			List<Long> gl = new ArrayList<>();
			for (int g = 0; g < groups; g++) {
				int size = 1 + r.nextInt(r.nextBoolean() ? 3 : 30), main = r.nextInt(k);
				long id = r.nextLong(); // group ids are any numbers
				for (int i = 0; i < size; i++) {
					yl.add(r.nextDouble() < 0.7 ? main : r.nextInt(k));
					gl.add(id);
				}
			}
			if (yl.stream().distinct().count() < 2) continue;
			int[] y = yl.stream().mapToInt(Integer::intValue).toArray();
			long[] g = gl.stream().mapToLong(Long::longValue).toArray();
			int[] fold = OutOfFold.groupedFolds(y, g, folds, trial);
			java.util.Map<Long, Integer> seen = new java.util.HashMap<>();
			for (int i = 0; i < y.length; i++) {
				Integer before = seen.putIfAbsent(g[i], fold[i]);
				assertTrue(before == null || before == fold[i], "trial " + trial + ": group " + g[i] + " in folds " + before + " and " + fold[i]);
				assertTrue(fold[i] >= 0 && fold[i] < folds);
			}
			assertEquals(folds, Arrays.stream(fold).distinct().count(), "trial " + trial + ": every fold holds out some group");
			assertArrayEquals(fold, OutOfFold.groupedFolds(y, g, folds, trial), "the same seed, the same folds");
		}
	}

	@Test
	void groupedFoldsSpreadEachClassOverTheFolds() {
		// 20 images of 10 ROIs, half of class 0 and half of class 1 (by image): each of 5 folds gets 2 of each
		int[] y = new int[200];
		long[] g = new long[200];
		for (int i = 0; i < 200; i++) {
			g[i] = i / 10;
			y[i] = g[i] < 10 ? 0 : 1;
		}
		int[] fold = OutOfFold.groupedFolds(y, g, 5, 1);
		int[][] perClass = new int[2][5];
		for (int i = 0; i < 200; i++) perClass[y[i]][fold[i]]++;
		for (int[] c : perClass) assertArrayEquals(new int[] { 20, 20, 20, 20, 20 }, c, Arrays.deepToString(perClass));
	}

	@Test
	void groupedFoldsNeedAsManyGroupsAsFolds() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> OutOfFold.groupedFolds(new int[] { 0, 1, 0, 1 }, new long[] { 7, 7, 8, 8 }, 3, 1));
		assertTrue(e.getMessage().contains("needs at least 3 groups; there are 2"), e.getMessage());
	}

	/**
	 * The reason for grouping: items of one group are near copies (like ROIs of one image). Ungrouped folds validate a
	 * copy with its twin in training and look far better than the model does on a new group; grouped folds do not.
	 */
	@Test
	void groupedFoldsDoNotLeakNearCopiesOfAGroup() {
		Random r = new Random(5);
		int groups = 40, per = 8;
		float[][] x = new float[groups * per][];
		int[] y = new int[groups * per];
		long[] g = new long[groups * per];
		for (int a = 0; a < groups; a++) {
			float[] centre = new float[10];
			for (int j = 0; j < 10; j++) centre[j] = (float) r.nextGaussian();
			int label = r.nextInt(2); // a group's class has nothing to do with its features
			for (int i = 0; i < per; i++) {
				int n = a * per + i;
				x[n] = new float[10];
				for (int j = 0; j < 10; j++) x[n][j] = centre[j] + 0.05f * (float) r.nextGaussian();
				y[n] = label;
				g[n] = a;
			}
		}
		ClassifierSpec forest = new ClassifierSpec.Forest(50, 20, 1);
		double ungrouped = Metrics.of(OutOfFold.oof(x, y, 2, OutOfFold.folds(y, 5, 1), forest, 1, Progress.NONE), y, 2).accuracy();
		double grouped = Metrics.of(OutOfFold.oof(x, y, 2, OutOfFold.groupedFolds(y, g, 5, 1), forest, 1, Progress.NONE), y, 2).accuracy();
		assertTrue(ungrouped > 0.9, "ungrouped folds leak each group's twins: " + ungrouped);
		assertTrue(grouped < 0.7, "grouped folds see chance on new groups: " + grouped);
	}
}
