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

	/**
	 * An unseen class among the labelled embeddings (as shirts lie among T-shirts) is told by the model's hesitation:
	 * with the labelled items' own out-of-fold uncertainty as the scale, items the model is far less sure of than of
	 * labelled items are beyond the range, while items as uncertain as the labelled stay within it.
	 */
	@Test
	void theModelsUncertaintyTellsAnUnseenClassAmongTheLabelled() {
		Random r = new Random(2);
		float[][] labelled = cloud(r, 2000, 0);
		double[] own = r.doubles(2000, 0, 0.5).toArray(); // the labelled items' out-of-fold entropy
		Familiarity both = Familiarity.fit(labelled, own, 5, 0.95), distance = Familiarity.fit(labelled, 5, 0.95);
		assertTrue(both.usesUncertainty() && !distance.usesUncertainty());
		float[][] among = cloud(r, 1000, 0);
		double[] typical = r.doubles(1000, 0, 0.5).toArray(), hesitant = r.doubles(1000, 1.5, 2.3).toArray();
		double[] seen = both.scores(among, typical), unseen = both.scores(among, hesitant);
		assertEquals(0.05, java.util.Arrays.stream(seen).filter(s -> s > both.threshold()).count() / 1000.0, 0.03, "false alarms stay near 5%");
		assertTrue(java.util.Arrays.stream(unseen).filter(s -> s > both.threshold()).count() > 500, "most hesitant items among the labelled are flagged");
		assertTrue(java.util.Arrays.stream(distance.scores(among)).filter(s -> s > distance.threshold()).count() < 100,
				"distance alone flags no more of them than of any items like the labelled");
		assertTrue(Metrics.auroc(concat(seen, unseen), firstHalf(2000, false)) > 0.95);
		assertTrue(both.score(new float[] { 9, 9, 9, 9, 9, 9 }, 0.1) > both.threshold(), "far away is novel however sure the model is");
		assertEquals(distance.score(among[0]), distance.score(among[0], 5.0), 1e-12, "a fit without uncertainties ignores it");
		assertThrows(IllegalStateException.class, () -> both.score(among[0]), "fitted with uncertainties, scored without");
		assertThrows(IllegalArgumentException.class, () -> Familiarity.fit(labelled, new double[3], 5, 0.95));
	}

	@Test
	void ranksGrowPastTheLargestSoFarItemsStayOrdered() {
		double[] ref = { 1, 2, 3, 4 };
		assertEquals(0.0, Familiarity.rank(ref, 0.5), 1e-12);
		assertEquals(0.5, Familiarity.rank(ref, 2), 1e-12, "at or below");
		assertEquals(1.0, Familiarity.rank(ref, 4), 1e-12);
		assertEquals(1.5, Familiarity.rank(ref, 4.5), 1e-12, "past the largest by half the upper half (4 - 3)");
		assertTrue(Familiarity.rank(ref, 40) > Familiarity.rank(ref, 20));
	}

	private static double[] concat(double[] a, double[] b) {
		double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}

	/** The second half novel. */
	private static boolean[] firstHalf(int n, boolean value) {
		boolean[] b = new boolean[n];
		for (int i = 0; i < n; i++) b[i] = i < n / 2 == value;
		return b;
	}
}
