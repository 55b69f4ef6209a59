package org.labelloop.core.issues;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.labelloop.core.issues.LabelIssueFinder.LabelIssue;
import org.labelloop.core.issues.LabelIssueFinder.Method;
import org.labelloop.core.issues.LabelIssueFinder.Ranking;

class LabelIssueFinderTest {

	@Test
	void thresholdsAreTheMeanSelfConfidencePerClass() {
		double[][] p = { { 0.9, 0.1 }, { 0.7, 0.3 }, { 0.2, 0.8 }, { 0.4, 0.6 } };
		assertArrayEquals(new double[] { 0.8, 0.7 }, LabelIssueFinder.thresholds(p, new int[] { 0, 0, 1, 1 }, 2), 1e-12);
	}

	@Test
	void aHandMadeCase() {
		// Class 0 items: thresholds t0 = mean(0.9, 0.8, 0.1) = 0.6; class 1: t1 = mean(0.9, 0.8, 0.7) = 0.8.
		double[][] p = { { 0.9, 0.1 }, { 0.8, 0.2 }, { 0.1, 0.9 }, { 0.1, 0.9 }, { 0.2, 0.8 }, { 0.3, 0.7 } };
		int[] y = { 0, 0, 0, 1, 1, 1 };
		List<LabelIssue> issues = LabelIssueFinder.find(p, y, 2, Method.CONFIDENT_JOINT, Ranking.SELF_CONFIDENCE);
		// item 2 is labelled 0 but p1 = 0.9 ≥ t1: flagged. Item 5 (p1 = 0.7 < 0.8, p0 = 0.3 < 0.6) is not confident: not flagged.
		assertEquals(List.of(new LabelIssue(2, 0, 1, 0.1)), issues);
		assertEquals(List.of(2), LabelIssueFinder.find(p, y, 2, Method.BOTH, Ranking.NORMALIZED_MARGIN).stream().map(LabelIssue::item).toList());
	}

	@Test
	void findsMostFlippedLabelsOfANoisyDatasetAndFewCleanOnes() {
		int n = 5000, k = 10;
		Random r = new Random(7);
		int[] truth = new int[n], given = new int[n];
		double[][] p = new double[n][k];
		Set<Integer> flipped = new HashSet<>();
		for (int i = 0; i < n; i++) {
			truth[i] = r.nextInt(k);
			given[i] = truth[i];
			if (r.nextDouble() < 0.1) {
				given[i] = (truth[i] + 1 + r.nextInt(k - 1)) % k;
				flipped.add(i);
			}
			// an imperfect but calibrated model: the true class gets most mass; 5% of the time it is wrong, and then
			// less sure of itself
			double sum = 0;
			for (int j = 0; j < k; j++) sum += p[i][j] = r.nextDouble() * 0.3;
			boolean wrong = r.nextDouble() < 0.05;
			int peak = wrong ? (truth[i] + 1 + r.nextInt(k - 1)) % k : truth[i];
			double mass = wrong ? 1.0 : 2.5;
			p[i][peak] += mass;
			sum += mass;
			for (int j = 0; j < k; j++) p[i][j] /= sum;
		}
		List<LabelIssue> issues = LabelIssueFinder.find(p, given, k, Method.BOTH, Ranking.SELF_CONFIDENCE);
		long hits = issues.stream().filter(x -> flipped.contains(x.item())).count();
		double precision = (double) hits / issues.size(), recall = (double) hits / flipped.size();
		assertTrue(precision >= 0.8, "precision " + precision);
		assertTrue(recall >= 0.7, "recall " + recall);
		for (int i = 1; i < issues.size(); i++) assertTrue(issues.get(i - 1).quality() <= issues.get(i).quality(), "ranked by quality");
		LabelIssue top = issues.get(0);
		assertEquals(truth[top.item()], top.suggested(), "the suggestion is the true class");
	}

	@Test
	void badInputIsRefusedWithAReason() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> LabelIssueFinder.find(new double[][] { { 1 } }, new int[] { 0 }, 1, Method.BOTH, Ranking.SELF_CONFIDENCE));
		assertTrue(e.getMessage().contains("at least 2 classes"));
		assertThrows(IllegalArgumentException.class,
				() -> LabelIssueFinder.find(new double[][] { { 0.5, 0.5 } }, new int[] { 2 }, 2, Method.BOTH, Ranking.SELF_CONFIDENCE));
		assertThrows(IllegalArgumentException.class,
				() -> LabelIssueFinder.find(new double[][] { { 0.5, 0.5 } }, new int[] { 0, 1 }, 2, Method.BOTH, Ranking.SELF_CONFIDENCE));
	}
}
