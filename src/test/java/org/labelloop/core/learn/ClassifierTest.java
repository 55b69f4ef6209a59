package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Both Smile classifiers behind {@link ClassifierSpec}: learning, probabilities, missing classes, bad input. */
class ClassifierTest {

	static final ClassifierSpec LOGISTIC = ClassifierSpec.logistic(), FOREST = new ClassifierSpec.Forest(30, 10, 1);

	/** n items of {@code classes} Gaussian blobs in d dimensions; labels cycle through the classes. */
	record Blobs(float[][] x, int[] y) {
		static Blobs of(int n, int classes, int d, double spread, long seed) {
			Random r = new Random(seed), centres = new Random(99);
			double[][] c = new double[classes][d];
			for (double[] row : c)
				for (int j = 0; j < d; j++) row[j] = centres.nextGaussian() * 3;
			float[][] x = new float[n][d];
			int[] y = new int[n];
			for (int i = 0; i < n; i++) {
				y[i] = i % classes;
				// features on very different scales: standardisation must cope
				for (int j = 0; j < d; j++) x[i][j] = (float) ((c[y[i]][j] + r.nextGaussian() * spread) * (j % 2 == 0 ? 1000 : 0.001));
			}
			return new Blobs(x, y);
		}
	}

	static double accuracy(TrainedClassifier c, Blobs test) {
		double[][] p = c.probabilitiesAll(test.x());
		return Metrics.of(p, test.y(), c.classes()).accuracy();
	}

	@Test
	void bothKindsLearnSeparableClasses() {
		Blobs train = Blobs.of(300, 3, 8, 1, 1), test = Blobs.of(300, 3, 8, 1, 2);
		for (ClassifierSpec spec : new ClassifierSpec[] { LOGISTIC, FOREST }) {
			TrainedClassifier c = spec.train(train.x(), train.y(), 3, 7);
			assertEquals(3, c.classes());
			assertEquals(8, c.dimension());
			assertTrue(accuracy(c, test) > 0.95, spec.id() + " accuracy " + accuracy(c, test));
			for (double[] p : c.probabilitiesAll(test.x())) assertEquals(1, Arrays.stream(p).sum(), 1e-9);
		}
	}

	@Test
	void twoClassesUseTheBinomialModel() {
		Blobs train = Blobs.of(200, 2, 5, 1, 3), test = Blobs.of(200, 2, 5, 1, 4);
		assertTrue(accuracy(LOGISTIC.train(train.x(), train.y(), 2, 0), test) > 0.95);
	}

	@Test
	void aClassWithoutTrainingItemsGetsProbabilityZero() {
		Blobs b = Blobs.of(300, 3, 6, 1, 5);
		int[] y = Arrays.stream(b.y()).map(l -> l == 1 ? 3 : l).toArray(); // classes 0, 2, 3 of 5; 1 and 4 absent
		for (ClassifierSpec spec : new ClassifierSpec[] { LOGISTIC, FOREST }) {
			TrainedClassifier c = spec.train(b.x(), y, 5, 1);
			double[] p = c.probabilities(b.x()[1]);
			assertEquals(5, p.length);
			assertEquals(0, p[1]);
			assertEquals(0, p[4]);
			assertEquals(3, Metrics.argmax(p), spec.id());
			assertEquals(1, Arrays.stream(p).sum(), 1e-9);
		}
	}

	@Test
	void oneClassGivesThatClassWithCertainty() {
		float[][] x = { { 1, 2 }, { 3, 4 } };
		assertArrayEquals(new double[] { 0, 0, 1 }, LOGISTIC.train(x, new int[] { 2, 2 }, 3, 0).probabilities(new float[] { 5, 6 }));
	}

	@Test
	void forestIsReproducibleWithASeed() {
		Blobs b = Blobs.of(200, 3, 6, 2, 6);
		double[][] p1 = FOREST.train(b.x(), b.y(), 3, 11).probabilitiesAll(b.x()), p2 = FOREST.train(b.x(), b.y(), 3, 11).probabilitiesAll(b.x());
		assertArrayEquals(p1, p2);
	}

	@Test
	void badInputIsRefusedWithAMessage() {
		float[][] x = { { 1, 2 }, { 3, 4 } };
		assertThrows(IllegalArgumentException.class, () -> LOGISTIC.train(new float[0][], new int[0], 2, 0));
		assertThrows(IllegalArgumentException.class, () -> LOGISTIC.train(x, new int[] { 0 }, 2, 0));
		assertThrows(IllegalArgumentException.class, () -> LOGISTIC.train(x, new int[] { 0, 2 }, 2, 0));
		assertThrows(IllegalArgumentException.class, () -> LOGISTIC.train(new float[][] { { 1 }, { 1, 2 } }, new int[] { 0, 1 }, 2, 0));
		TrainedClassifier c = LOGISTIC.train(x, new int[] { 0, 1 }, 2, 0);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.probabilities(new float[3]));
		assertTrue(e.getMessage().contains("2 values"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> new ClassifierSpec.Logistic(-1, 10));
	}

	@Test
	void idsNameTheSettings() {
		assertEquals("logistic(lambda=0.5,iter=20)", new ClassifierSpec.Logistic(0.5, 20).id());
		assertEquals("random-forest(trees=30,depth=10,node=1)", FOREST.id());
	}
}
