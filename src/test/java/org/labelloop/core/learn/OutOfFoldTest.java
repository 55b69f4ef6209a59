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
		int[] folds = { 0 };
		assertThrows(CancelledException.class, () -> OutOfFold.oof(b.x(), b.y(), 2, 4, ClassifierSpec.logistic(), 0, new Progress() {
			@Override public void report(double fraction, String message) { folds[0]++; }
			@Override public boolean isCancelled() { return folds[0] >= 2; }
		}));
		assertEquals(2, folds[0]);
	}
}
