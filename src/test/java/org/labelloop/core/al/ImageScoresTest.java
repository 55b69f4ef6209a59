package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.labelloop.core.al.ImageScores.Aggregation;

class ImageScoresTest {

	// image 1: one very uncertain ROI; image 2: many mildly uncertain ROIs; image 3: one certain ROI
	static final long[] IMAGE = { 1, 2, 2, 2, 2, 3, 1 };
	static final double[] U = { 0.9, 0.4, 0.4, 0.4, 0.4, 0.05, 0.1 };

	@Test
	void maxMeanAndSumRankImagesDifferently() {
		ImageScores max = ImageScores.aggregate(IMAGE, U, Aggregation.MAX, "entropy");
		assertArrayEquals(new long[] { 1, 2, 3 }, max.imageIds());
		assertArrayEquals(new double[] { 0.9, 0.4, 0.05 }, max.scores(), 1e-12);
		ImageScores mean = ImageScores.aggregate(IMAGE, U, Aggregation.MEAN, "entropy");
		assertArrayEquals(new double[] { 0.5, 0.4, 0.05 }, mean.scores(), 1e-12);
		ImageScores sum = ImageScores.aggregate(IMAGE, U, Aggregation.SUM, "entropy");
		assertArrayEquals(new double[] { 1.0, 1.6, 0.05 }, sum.scores(), 1e-12);
		assertEquals(4, sum.roiCount(2));
		assertEquals(0, sum.roiCount(9));
		assertTrue(Double.isNaN(sum.score(9)));

		assertEquals(1, max.top(1, Set.of()).get(0).id());
		assertEquals(2, sum.top(1, Set.of()).get(0).id());
		List<Selection> s = sum.top(5, Set.of());
		assertEquals(3, s.size());
		assertEquals("sum ROI entropy 1.60 over 4 ROIs — rank 1 of 3 images", s.get(0).reason());
		assertEquals("sum ROI entropy 0.0500 over 1 ROI — rank 3 of 3 images", s.get(2).reason());
		assertEquals(List.of(1L, 3L), max.top(5, Set.of(2L)).stream().map(Selection::id).toList());
		assertEquals(Aggregation.SUM, Aggregation.parse(" Sum"));
		assertThrows(IllegalArgumentException.class, () -> Aggregation.parse("median"));
	}

	@Test
	void fromProbabilitiesUsesTheMeasure() {
		float[][] p = { { .5f, .5f }, { 1, 0 }, { .9f, .1f } };
		ImageScores s = ImageScores.aggregate(new long[] { 7, 7, 8 }, p, Uncertainty.MARGIN, Aggregation.MEAN);
		assertEquals((1.0 + 0.0) / 2, s.score(7), 1e-6);
		assertEquals(1 - 0.8, s.score(8), 1e-6);
		ImageScores e = ImageScores.aggregate(new long[] { 7, 7, 8 }, p, Uncertainty.ENTROPY, Aggregation.MAX);
		assertEquals(Math.log(2), e.score(7), 1e-6);
		assertThrows(IllegalArgumentException.class, () -> ImageScores.aggregate(new long[] { 1 }, p, Uncertainty.ENTROPY, Aggregation.MAX));
	}

	@Test
	void fastEntropyAndTopKAgreeWithTheSlowWay() {
		SplittableRandom r = new SplittableRandom(3);
		for (int t = 0; t < 100_000; t++) {
			float x = (float) Math.pow(10, -30 * r.nextDouble()) ;
			assertEquals(Math.log(x), Uncertainty.fastLn(x), 2e-6 * Math.max(1, Math.abs(Math.log(x))), "ln " + x);
		}
		float[][] p = Pools.probabilities(2000, 7, 5);
		for (float[] row : p) assertEquals(Uncertainty.ENTROPY.of(row), Uncertainty.fastEntropy(row), 1e-5);
		double[] v = new double[5000];
		for (int i = 0; i < v.length; i++) v[i] = r.nextInt(300); // many ties
		TopK top = new TopK(40);
		for (int i = 0; i < v.length; i++) top.offer(v[i], i);
		Integer[] all = new Integer[v.length];
		for (int i = 0; i < all.length; i++) all[i] = i;
		Arrays.sort(all, (a, b) -> v[a] != v[b] ? Double.compare(v[b], v[a]) : Integer.compare(a, b));
		assertArrayEquals(Arrays.stream(all).limit(40).mapToInt(Integer::intValue).toArray(), top.drain());
	}
}
