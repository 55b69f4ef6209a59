package org.labelloop.core.issues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KappaTest {

	@Test
	void twoClassesByHand() {
		// p_o = 7/10; a: 5×0 5×1, b: 6×0 4×1 → p_e = .5·.6 + .5·.4 = .5; κ = (.7 − .5) / .5 = .4
		int[] a = { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, b = { 0, 0, 0, 0, 1, 1, 1, 1, 0, 0 };
		assertEquals(0.4, Kappa.kappa(a, b, 2), 1e-12);
		assertEquals(0.4, Kappa.kappa(a, b, 2, 0), 1e-12);
		assertEquals(0.4, Kappa.kappa(a, b, 2, 1), 1e-12);
	}

	@Test
	void threeClassesAndOneVsRestByHand() {
		int[] a = { 0, 0, 1, 1, 2, 2 }, b = { 0, 1, 1, 1, 2, 0 };
		// p_o = 4/6; p_a = (2,2,2)/6, p_b = (2,3,1)/6 → p_e = (4+6+2)/36 = 1/3; κ = (2/3 − 1/3)/(2/3) = 0.5
		assertEquals(0.5, Kappa.kappa(a, b, 3), 1e-12);
		// class 1 vs rest: a = 001100, b = 011100 → p_o = 5/6; p_a1 = 2/6, p_b1 = 3/6 → p_e = 1/6 + 2/6 = 1/2; κ = (5/6 − 1/2)/(1/2) = 2/3
		assertEquals(2.0 / 3, Kappa.kappa(a, b, 3, 1), 1e-12);
		// class 2 vs rest: a = 000011, b = 000010 → p_o = 5/6; p_a2 = 2/6, p_b2 = 1/6 → p_e = 2/36 + 20/36 = 11/18; κ = (15/18 − 11/18)/(7/18) = 4/7
		assertEquals(4.0 / 7, Kappa.kappa(a, b, 3, 2), 1e-12);
	}

	@Test
	void perfectAgreementIsOneAndNoItemsIsNaN() {
		assertEquals(1.0, Kappa.kappa(new int[] { 1, 1 }, new int[] { 1, 1 }, 2));
		assertTrue(Double.isNaN(Kappa.kappa(new int[0], new int[0], 2)));
	}
}
