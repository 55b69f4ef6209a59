package org.labelloop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.bench.AlBenchmark.StrategyResult;

class AlBenchmarkTest {

	static final int[] GRID = { 100, 200, 300, 400, 500 };

	@Test
	void labelsToLevelsAndEfficiencyComeFromTheMeanCurve() {
		double full = 0.80; // 95%: 0.76, 98%: 0.784
		double[][][] acc = {
				{ { .60, .70, .76, .78, .79 }, { .62, .70, .76, .78, .785 } }, // random: 95% at 300, 98% at 500 (mean .7875)
				{ { .70, .77, .79, .80, .80 }, { .70, .75, .78, .80, .80 } }, // good: 95% at 200 (mean .76), 98% at 300 (.785)
				{ { .50, .55, .60, .65, .70 }, { .50, .55, .60, .65, .70 } }, // bad: never
		};
		List<StrategyResult> r = AlBenchmark.summarise(List.of("random", "good", "bad"), GRID, acc, full, new double[3]);
		assertEquals(300, r.get(0).labelsTo95());
		assertEquals(500, r.get(0).labelsTo98());
		assertEquals(1.0, r.get(0).efficiency95());
		assertEquals(200, r.get(1).labelsTo95());
		assertEquals(300, r.get(1).labelsTo98());
		assertEquals(1.5, r.get(1).efficiency95(), 1e-12);
		assertEquals(500 / 300.0, r.get(1).efficiency98(), 1e-12);
		assertFalse(r.get(1).efficiency98LowerBound());
		assertNull(r.get(2).labelsTo95());
		assertNull(r.get(2).efficiency95());
		assertEquals(Math.sqrt(0.0002), r.get(1).sd()[1], 1e-9); // sd of .77 and .75, n − 1 in the denominator
		assertEquals(0.7875, r.get(0).mean()[4], 1e-12);
	}

	@Test
	void whenRandomNeverGetsThereTheEfficiencyIsALowerBound() {
		double[][][] acc = { { { .5, .5, .5, .5, .5 } }, { { .5, .7, .8, .8, .8 } } };
		List<StrategyResult> r = AlBenchmark.summarise(List.of("random", "margin"), GRID, acc, 0.8, new double[2]);
		assertNull(r.get(0).labelsTo98());
		assertEquals(300, r.get(1).labelsTo98());
		assertEquals(501 / 300.0, r.get(1).efficiency98(), 1e-12);
		assertTrue(r.get(1).efficiency98LowerBound());
	}

	@Test
	void configRefusesNonsense() {
		assertThrows(IllegalArgumentException.class, () -> new AlBenchmark.Config(List.of("random"), 0, 100, 10, 10, 50, 8, 1, 10, 1));
		assertThrows(IllegalArgumentException.class, () -> new AlBenchmark.Config(List.of("random"), 1, 100, 60, 10, 50, 8, 1, 10, 1));
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new AlBenchmark.Config(List.of("oracle"), 1, 100, 10, 10, 50, 8, 1, 10, 1));
		assertTrue(e.getMessage().contains("Unknown active-learning strategy 'oracle'"), e.getMessage());
	}
}
