package org.labelloop.core.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.issues.RoiIssues.Kind;
import org.labelloop.core.issues.RoiIssues.RoiIssue;

class RoiIssuesTest {

	static Geometry box(double x, double y) {
		return Geometry.rect(x, y, 10, 10, Plane.ALL);
	}

	@Test
	void missingAndSpuriousObjects() {
		List<Geometry> labels = List.of(box(0, 0), box(50, 50), box(100, 0));
		List<Geometry> proposals = List.of(box(1, 1), box(50, 52), box(200, 200), box(300, 300));
		double[] conf = { 0.9, 0.8, 0.95, 0.3 };
		// proposal 2 is a confident unlabelled object; proposal 3 is not confident enough; label 2 has nothing under it
		assertEquals(List.of(new RoiIssue(Kind.MISSING, 2, 0.95)), RoiIssues.missing(labels, proposals, conf, 0.3, 0.5));
		assertEquals(List.of(new RoiIssue(Kind.SPURIOUS, 2, 1.0)), RoiIssues.spurious(labels, proposals, 0.3));
	}

	@Test
	void mismatchedConfidencesAreRefused() {
		assertThrows(IllegalArgumentException.class, () -> RoiIssues.missing(List.of(), List.of(box(0, 0)), new double[0], 0.3, 0.5));
	}
}
