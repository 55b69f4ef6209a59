package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metrics against small cases worked out by hand. */
class MetricsTest {

	private static double[] two(double p1) {
		return new double[] { 1 - p1, p1 };
	}

	@Test
	void aucCountsTiedScoresAsOneHalf() {
		// class-1 scores: positives 0.9, 0.5; negatives 0.5, 0.1.
		// Pairs (pos, neg): (0.9,0.5)=1, (0.9,0.1)=1, (0.5,0.5)=1/2, (0.5,0.1)=1 -> 3.5 / 4
		double[][] p = { two(0.9), two(0.5), two(0.5), two(0.1) };
		int[] y = { 1, 1, 0, 0 };
		assertEquals(0.875, Metrics.auc(p, y, 1), 1e-12);
		assertEquals(0.875, Metrics.auc(p, y, 0), 1e-12); // p0 = 1 - p1 ranks the other way round
	}

	@Test
	void aucOfAllTiedScoresIsOneHalfAndUndefinedWithoutNegatives() {
		double[][] p = { two(0.5), two(0.5), two(0.5) };
		assertEquals(0.5, Metrics.auc(p, new int[] { 1, 0, 1 }, 1), 1e-12);
		assertTrue(Double.isNaN(Metrics.auc(p, new int[] { 1, 1, 1 }, 1)));
	}

	@Test
	void eceOfASmallCase() {
		// Confidences 0.95, 0.95 (one right) fall in bin (14/15, 1]: |0.5 - 0.95| = 0.45, weight 2/4.
		// Confidences 0.6 (right) and 0.6 (wrong) fall in bin (8/15, 9/15]: |0.5 - 0.6| = 0.1, weight 2/4.
		double[][] p = { two(0.95), two(0.95), two(0.6), { 0.6, 0.4 } };
		int[] y = { 1, 0, 1, 1 };
		assertEquals(0.5 * 0.45 + 0.5 * 0.1, Metrics.ece(p, y), 1e-12);
	}

	@Test
	void perfectlyCalibratedBinsHaveNoError() {
		// four items at confidence 0.75, three of them right
		double[][] p = { two(0.75), two(0.75), two(0.75), two(0.75) };
		assertEquals(0, Metrics.ece(p, new int[] { 1, 1, 1, 0 }), 1e-12);
	}

	@Test
	void accuracyF1AndConfusion() {
		double[][] p = { { 0.8, 0.1, 0.1 }, { 0.2, 0.7, 0.1 }, { 0.1, 0.6, 0.3 }, { 0.1, 0.2, 0.7 }, { 0.5, 0.3, 0.2 } };
		int[] y = { 0, 1, 2, 2, 0 };
		Metrics m = Metrics.of(p, y, 3);
		assertEquals(5, m.n());
		assertEquals(0.8, m.accuracy(), 1e-12);
		assertArrayEquals(new int[][] { { 2, 0, 0 }, { 0, 1, 0 }, { 0, 1, 1 } }, m.confusion());
		// F1: class 0 = 1, class 1 = 2*1/(1+2) = 2/3, class 2 = 2*1/(2+1) = 2/3
		assertEquals((1 + 2.0 / 3 + 2.0 / 3) / 3, m.macroF1(), 1e-12);
		assertEquals(1.0, m.auc()[0], 1e-12);
		assertTrue(m.meanAuc() > 0.8);
	}

	@Test
	void classesWithoutLabelsOrPredictionsDoNotCountInMacroF1() {
		Metrics m = Metrics.of(new double[][] { { 0.9, 0.1, 0 }, { 0.1, 0.9, 0 } }, new int[] { 0, 1 }, 3);
		assertEquals(1.0, m.macroF1(), 1e-12);
		assertTrue(Double.isNaN(m.auc()[2]));
		assertEquals(1.0, m.meanAuc(), 1e-12);
	}

	@Test
	void mismatchedInputIsRefused() {
		assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[][] { two(0.5) }, new int[] { 0, 1 }, 2));
		assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[][] { two(0.5) }, new int[] { 2 }, 2));
		assertThrows(IllegalArgumentException.class, () -> Metrics.of(new double[][] { two(0.5) }, new int[] { 0 }, 3));
	}

	/**
	 * The ECE noise floor: items of confidence 0.7 whose labels are drawn with those odds are calibrated, yet 100 of
	 * them show an ECE of a few hundredths (|Binomial(100, 0.7)/100 − 0.7| ≈ 0.037 on average); 10,000 of them a
	 * tenth of that. A floor falls as 1/√n.
	 */
	@Test
	void theNoiseFloorIsTheEceOfACalibratedModelOnSoFewItems() {
		double[][] few = new double[100][], many = new double[10_000][];
		for (int i = 0; i < many.length; i++) many[i] = new double[] { 0.7, 0.3 };
		for (int i = 0; i < few.length; i++) few[i] = new double[] { 0.7, 0.3 };
		double small = Metrics.eceNoiseFloor(many, 100, 1), large = Metrics.eceNoiseFloor(few, 400, 1);
		assertEquals(Math.sqrt(0.21 / 100) * Math.sqrt(2 / Math.PI), large, 0.005, "mean |binomial deviation| of 100 items");
		assertEquals(Math.sqrt(0.21 / 10_000) * Math.sqrt(2 / Math.PI), small, 0.0015);
		assertEquals(large, Metrics.eceNoiseFloor(few, 400, 1), 0, "seeded: the same every run");
		assertThrows(IllegalArgumentException.class, () -> Metrics.eceNoiseFloor(few, 0, 1));
	}
}
