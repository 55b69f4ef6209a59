package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class FamiliarityTest {

	private static float[][] cloud(Random r, int n, float centre) {
		float[][] x = new float[n][6];
		for (float[] v : x) for (int j = 0; j < v.length; j++) v[j] = centre + (float) r.nextGaussian();
		return x;
	}

	@Test
	void itemsLikeTheLabelledStayWithinAndFarOnesAreNovel() {
		Random r = new Random(1);
		Familiarity f = Familiarity.fit(cloud(r, 2000, 0), 5, 0.95);
		double[] same = f.scores(cloud(r, 2000, 0)), far = f.scores(cloud(r, 500, 6));
		long falseAlarms = java.util.Arrays.stream(same).filter(s -> s > f.threshold()).count();
		assertEquals(0.05, falseAlarms / 2000.0, 0.025, "the threshold holds about 95% of items like the labelled ones");
		assertTrue(java.util.Arrays.stream(far).allMatch(s -> s > f.threshold()), "a cloud six standard deviations away is novel");
		boolean[] novel = new boolean[2500];
		double[] all = new double[2500];
		for (int i = 0; i < 2500; i++) {
			novel[i] = i >= 2000;
			all[i] = i < 2000 ? same[i] : far[i - 2000];
		}
		assertTrue(Metrics.auroc(all, novel) > 0.99);
		assertTrue(f.isNovel(new float[] { 9, 9, 9, 9, 9, 9 }));
	}

	@Test
	void aConstantFeatureIsIgnoredAndBadInputIsRefused() {
		float[][] x = { { 1, 0 }, { 2, 0 }, { 3, 0 }, { 4, 0 } };
		Familiarity f = Familiarity.fit(x, 1, 0.5);
		assertEquals(f.score(new float[] { 2, 0 }), f.score(new float[] { 2, 100 }), 1e-9, "the constant second feature carries no distance");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> f.score(new float[] { 1 })).getMessage().contains("embedding of 1 values"));
		assertThrows(IllegalArgumentException.class, () -> Familiarity.fit(x, 4, 0.9));
		assertThrows(IllegalArgumentException.class, () -> Familiarity.fit(x, 1, 1.0));
	}
}
