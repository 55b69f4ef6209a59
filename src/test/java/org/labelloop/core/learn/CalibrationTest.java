package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class CalibrationTest {

	/** Items whose true class has probability q, reported by a model that says q^(1/3)-ish: over-confident. */
	private static double[][] overConfident(int n, int[] y, Random r) {
		double[][] p = new double[n][];
		for (int i = 0; i < n; i++) {
			double q = 0.5 + 0.45 * r.nextDouble(); // the real chance that class 0 is right
			y[i] = r.nextDouble() < q ? 0 : 1;
			double[] honest = { q, 1 - q };
			p[i] = Calibration.scale(honest, 0.4); // sharpened: T = 0.4 undoes it
		}
		return p;
	}

	@Test
	void temperatureScalingUndoesOverConfidenceAndKeepsThePredictedClass() {
		Random r = new Random(2);
		int n = 20000;
		int[] y = new int[n];
		double[][] p = overConfident(n, y, r);
		double t = Calibration.fit(p, y);
		assertEquals(1 / 0.4, t, 0.15, "the temperature that undoes a sharpening by 0.4");
		double[][] c = Calibration.scale(p, t);
		double before = Metrics.of(p, y, 2).ece(), after = Metrics.of(c, y, 2).ece();
		assertTrue(before > 0.1, "over-confident: ECE " + before);
		assertTrue(after < 0.02, "calibrated: ECE " + after);
		for (int i = 0; i < n; i++) assertEquals(p[i][0] > p[i][1], c[i][0] > c[i][1], "the predicted class stays");
	}

	@Test
	void aTemperatureOfOneChangesNothingAndZeroStaysNearZero() {
		assertArrayEquals(new double[] { 0.7, 0.2, 0.1 }, Calibration.scale(new double[] { 0.7, 0.2, 0.1 }, 1), 1e-12);
		double[] s = Calibration.scale(new double[] { 0.9, 0.1, 0 }, 3);
		assertTrue(s[2] < 1e-3 && Math.abs(s[0] + s[1] + s[2] - 1) < 1e-12, java.util.Arrays.toString(s));
	}

	@Test
	void crossFittedCalibrationScalesEachFoldByTheOthersTemperature() {
		Random r = new Random(4);
		int n = 4000;
		int[] y = new int[n], fold = new int[n];
		double[][] p = overConfident(n, y, r);
		for (int i = 0; i < n; i++) fold[i] = i % 4;
		double[][] c = Calibration.outOfFold(p, y, fold);
		assertTrue(Metrics.of(c, y, 2).ece() < 0.03, "ECE " + Metrics.of(c, y, 2).ece());
		// fold 0 alone scaled by the temperature of folds 1-3
		int[] rest = java.util.stream.IntStream.range(0, n).filter(i -> fold[i] != 0).toArray();
		double t = Calibration.fit(java.util.Arrays.stream(rest).mapToObj(i -> p[i]).toArray(double[][]::new), java.util.Arrays.stream(rest).map(i -> y[i]).toArray());
		assertArrayEquals(Calibration.scale(p[0], t), c[0], 1e-12);
	}

	@Test
	void theReliabilityDiagramBinsConfidencesAndItsEceIsTheMetric() {
		Random r = new Random(6);
		int n = 3000;
		int[] y = new int[n];
		double[][] p = overConfident(n, y, r);
		Metrics.Reliability d = Metrics.reliability(p, y);
		assertEquals(Metrics.ECE_BINS, d.count().length);
		assertEquals(n, java.util.Arrays.stream(d.count()).sum());
		assertEquals(Metrics.of(p, y, 2).ece(), d.ece(), 1e-12);
		for (int b = 0; b < d.count().length; b++)
			if (d.count()[b] > 30 && d.meanConfidence()[b] > 0.75) assertTrue(d.accuracy()[b] < d.meanConfidence()[b] - 0.03, "over-confident bins lie below the diagonal: bin " + b);
	}

	@Test
	void aFewItemsAllPredictedRightAreNotMadeCertain() {
		// fifteen items, each right at 0.7: hard labels would drive T to its floor and every probability to 1
		double[][] p = new double[15][];
		int[] y = new int[15];
		for (int i = 0; i < 15; i++) {
			y[i] = i % 2;
			p[i] = y[i] == 0 ? new double[] { 0.7, 0.3 } : new double[] { 0.3, 0.7 };
		}
		double t = Calibration.fit(p, y);
		double conf = Calibration.scale(p[0], t)[0];
		assertTrue(t < 1, "all right: sharpened, T " + t);
		assertEquals(16.0 / 17, conf, 0.01, "right 15 of 15: confident as Platt's targets, not certain (T " + t + ")");
		assertTrue(t > Calibration.MIN_T * 2, "T stays off its floor: " + t);
	}
}
