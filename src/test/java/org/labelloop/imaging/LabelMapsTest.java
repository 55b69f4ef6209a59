package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Plane;
import org.labelloop.imaging.LabelMaps.Region;

import ij.process.FloatProcessor;
import ij.process.ShortProcessor;

class LabelMapsTest {

	@Test
	void eachComponentOfEachLabelIsOnePolygon() {
		ShortProcessor map = new ShortProcessor(60, 40);
		map.setValue(1);
		map.setRoi(5, 5, 10, 10); map.fill();      // label 1, first component: 100 px
		map.setRoi(40, 5, 6, 4); map.fill();       // label 1, second component: 24 px
		map.setValue(2);
		map.setRoi(15, 5, 10, 20); map.fill();     // label 2 touches the first square of label 1: 200 px
		map.resetRoi();
		List<Region> regions = LabelMaps.toGeometries(map);
		assertEquals(3, regions.size());
		assertEquals(1, regions.get(0).label());
		assertEquals(1, regions.get(1).label());
		assertEquals(2, regions.get(2).label());
		double a1 = regions.get(0).geometry().area(), a2 = regions.get(1).geometry().area();
		assertEquals(124, a1 + a2, 1e-9);
		assertEquals(200, regions.get(2).geometry().area(), 1e-9);
		assertTrue(regions.get(2).geometry().contains(20, 15));
		assertTrue(!regions.get(2).geometry().contains(10, 10));
		assertEquals(Plane.ALL, regions.get(0).geometry().plane());
	}

	@Test
	void floatMapsMinimumAreaAndPlane() {
		FloatProcessor map = new FloatProcessor(30, 30);
		map.setValue(3.0);
		map.setRoi(2, 2, 10, 10); map.fill();
		map.setRoi(20, 20, 2, 2); map.fill(); // 4 px: below the minimum
		map.resetRoi();
		map.setf(29, 0, Float.NaN);
		Plane p = new Plane(1, 2, 0);
		List<Region> regions = LabelMaps.toGeometries(map, 10, p);
		assertEquals(1, regions.size());
		assertEquals(3, regions.get(0).label());
		assertEquals(100, regions.get(0).geometry().area(), 1e-9);
		assertEquals(p, regions.get(0).geometry().plane());
		assertTrue(LabelMaps.toGeometries(new FloatProcessor(5, 5)).isEmpty());
	}
}
