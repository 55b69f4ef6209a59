package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.TestData;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.imaging.ClassicalProposer.Objects;
import org.labelloop.imaging.ClassicalProposer.Settings;

import ij.ImagePlus;
import ij.process.ByteProcessor;

class ClassicalProposerTest {

	@Test
	void findsTwoTouchingDiscsOnlyWithWatershed() {
		ByteProcessor bp = new ByteProcessor(100, 60);
		bp.setColor(200);
		bp.fillOval(10, 10, 40, 40);
		bp.fillOval(44, 10, 40, 40); // overlaps the first: one blob without watershed
		ImagePlus imp = new ImagePlus("discs", bp);
		Settings noSplit = new Settings("Otsu", 1, 0, Objects.BRIGHT, false, 10, 1e9, 0, false);
		assertEquals(1, ClassicalProposer.propose(imp, noSplit, 1, 1).size());
		Settings split = new Settings("Otsu", 1, 0, Objects.BRIGHT, true, 10, 1e9, 0, false);
		List<Geometry> two = ClassicalProposer.propose(imp, split, 1, 1);
		assertEquals(2, two.size());
		for (Geometry g : two) {
			assertEquals(Geometry.Kind.TRACED, g.kind());
			assertEquals(Plane.ALL, g.plane());
			assertTrue(g.area() > 1000 && g.area() < 1300, "area " + g.area());
		}
		assertTrue(two.get(0).contains(30, 30) ^ two.get(1).contains(30, 30));
	}

	@Test
	void sizeShapeAndEdgeFilters() {
		ByteProcessor bp = new ByteProcessor(120, 80);
		bp.setColor(255);
		bp.fillOval(20, 20, 30, 30); // round, 700 px
		bp.fill(new ij.gui.Roi(70, 35, 45, 3)); // thin line-like, 135 px
		bp.fillOval(0, 60, 10, 10); // touches the border, ~80 px
		ImagePlus imp = new ImagePlus("shapes", bp);
		assertEquals(3, ClassicalProposer.propose(imp, new Settings("Default", 1, 0, Objects.BRIGHT, false, 0, 1e9, 0, false), 1, 1).size());
		assertEquals(2, ClassicalProposer.propose(imp, new Settings("Default", 1, 0, Objects.BRIGHT, false, 100, 1e9, 0, false), 1, 1).size());
		assertEquals(2, ClassicalProposer.propose(imp, new Settings("Default", 1, 0, Objects.BRIGHT, false, 0, 1e9, 0.5, false), 1, 1).size());
		assertEquals(2, ClassicalProposer.propose(imp, new Settings("Default", 1, 0, Objects.BRIGHT, false, 0, 1e9, 0, true), 1, 1).size());
	}

	@Test
	void findsTheCoinsInScikitImagesCoins() {
		ImagePlus coins = Images.open(TestData.path("microscopy/coins.png"));
		Settings s = new Settings("Li", 1, 2, Objects.BRIGHT, true, 300, 1e9, 0.5, false);
		List<Geometry> found = ClassicalProposer.propose(coins, s, 1, 1);
		// coins.png shows 24 coins; classical thresholding misses a few of the darkest ones.
		assertTrue(found.size() >= 16 && found.size() <= 30, "found " + found.size());
		for (Geometry g : found) assertTrue(g.area() >= 300);
	}

	@Test
	void aFlatImageHasNoObjectsAndBadSettingsAreRefused() {
		ImagePlus flat = new ImagePlus("flat", new ByteProcessor(20, 20));
		assertTrue(ClassicalProposer.propose(flat, Settings.defaults(), 1, 1).isEmpty());
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new Settings("Magic", 1, 0, Objects.AUTO, false, 0, 10, 0, false));
		assertTrue(e.getMessage().contains("Otsu"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> ClassicalProposer.propose(flat, new Settings("Otsu", 2, 0, Objects.AUTO, false, 0, 10, 0, false), 1, 1));
		assertThrows(IllegalArgumentException.class, () -> new Settings("Otsu", 1, 0, Objects.AUTO, false, 10, 5, 0, false));
	}
}
