package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Ellipse2D;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Geometry.Kind;
import org.labelloop.core.geom.Plane;

import ij.gui.EllipseRoi;
import ij.gui.ImageRoi;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.gui.TextRoi;
import ij.io.RoiDecoder;
import ij.io.RoiEncoder;
import ij.process.ByteProcessor;
import ij.process.FloatPolygon;
import ij.process.ImageProcessor;
import ij.process.ImageStatistics;

class RoiBridgeTest {

	private static final Plane P = new Plane(2, 3, 4);

	/** One geometry of every kind, with sub-pixel (float-exact) coordinates and mixed planes. */
	static List<Geometry> everyKind() {
		double[] px = { 10.25, 40.5, 35.75, 12 }, py = { 5.5, 8.125, 30, 28.25 };
		return List.of(Geometry.rect(1.5, 2.25, 10.5, 7.75, P), Geometry.oval(3.25, 4.5, 20, 9.75, Plane.ALL),
				new Geometry(Kind.POLYGON, px, py, null, P), new Geometry(Kind.FREEHAND, px, py, null, new Plane(0, 7, 0)),
				new Geometry(Kind.TRACED, new double[] { 0, 10, 10, 0 }, new double[] { 0, 0, 5, 5 }, null, new Plane(1, 0, 0)),
				new Geometry(Kind.LINE, new double[] { 1.5, 30.25 }, new double[] { 2.75, 9 }, null, new Plane(0, 0, 2)),
				new Geometry(Kind.POLYLINE, px, py, null, P), new Geometry(Kind.FREELINE, px, py, null, Plane.ALL),
				new Geometry(Kind.POINT, new double[] { 1.5, 7.25, 9 }, new double[] { 2.5, 3, 4.75 }, null, P),
				Geometry.point(4.5, 6.5, Plane.ALL), compositeWithHole(P));
	}

	/** 50×40 square with a 20×20 hole: 1600 px. The hole runs the same way round as the outer ring. */
	static Geometry compositeWithHole(Plane plane) {
		return new Geometry(Kind.COMPOSITE, new double[] { 10, 60, 60, 10, 20, 40, 40, 20 },
				new double[] { 10, 10, 50, 50, 20, 20, 40, 40 }, new int[] { 0, 4 }, plane);
	}

	private static final int[] TYPES = { Roi.RECTANGLE, Roi.OVAL, Roi.POLYGON, Roi.FREEROI, Roi.TRACED_ROI, Roi.LINE,
			Roi.POLYLINE, Roi.FREELINE, Roi.POINT, Roi.POINT, Roi.COMPOSITE };

	@Test
	void geometryToRoiAndBackIsTheSameGeometry() {
		List<Geometry> all = everyKind();
		assertEquals(Kind.values().length, all.stream().map(Geometry::kind).distinct().count(), "every kind is covered");
		for (int i = 0; i < all.size(); i++) {
			Geometry g = all.get(i);
			Roi roi = RoiBridge.toRoi(g);
			assertEquals(TYPES[i], roi.getType(), g.toString());
			assertEquals(g, RoiBridge.toGeometry(roi), g.toString());
		}
	}

	@Test
	void roiToGeometryAndBackIsTheSameRoi() {
		FloatPolygon poly = new FloatPolygon(new float[] { 1.1f, 20.7f, 15.3f }, new float[] { 2.2f, 3.9f, 18.45f });
		List<Roi> rois = List.of(new Roi(1.1, 2.2, 30.3, 4.4), new Roi(3, 4, 5, 6), new OvalRoi(0.5, 1.5, 7.1, 9.3),
				new PolygonRoi(poly, Roi.POLYGON), new PolygonRoi(poly, Roi.FREEROI), new PolygonRoi(poly, Roi.TRACED_ROI),
				new PolygonRoi(poly, Roi.POLYLINE), new PolygonRoi(poly, Roi.FREELINE), new Line(0.1, 0.2, 30.3, 40.4),
				new PointRoi(poly), RoiBridge.toRoi(compositeWithHole(Plane.ALL)));
		for (Roi roi : rois) {
			roi.setPosition(1, 2, 3);
			Roi back = RoiBridge.toRoi(RoiBridge.toGeometry(roi));
			assertSameRoi(roi, back);
		}
	}

	private static void assertSameRoi(Roi want, Roi got) {
		String what = want.toString();
		assertSame(want.getClass(), got.getClass(), what);
		assertEquals(want.getType(), got.getType(), what);
		assertEquals(want.getFloatBounds(), got.getFloatBounds(), what);
		FloatPolygon a = want.getFloatPolygon(), b = got.getFloatPolygon();
		assertEquals(a.npoints, b.npoints, what);
		for (int i = 0; i < a.npoints; i++) {
			assertEquals(a.xpoints[i], b.xpoints[i], 0, what + " x" + i);
			assertEquals(a.ypoints[i], b.ypoints[i], 0, what + " y" + i);
		}
		assertEquals(want.getCPosition(), got.getCPosition(), what);
		assertEquals(want.getZPosition(), got.getZPosition(), what);
		assertEquals(want.getTPosition(), got.getTPosition(), what);
		assertEquals(want.getPosition(), got.getPosition(), what);
	}

	@Test
	void nothingIsLostInARoiFile() {
		for (Geometry g : everyKind()) {
			Roi roi = RoiBridge.toRoi(g);
			Roi decoded = RoiDecoder.openFromByteArray(RoiEncoder.saveAsByteArray(roi));
			assertSameRoi(roi, decoded);
			assertEquals(g, RoiBridge.toGeometry(decoded), g.toString());
		}
	}

	@Test
	void positionsAreHyperstackPositions() {
		Roi roi = RoiBridge.toRoi(Geometry.point(1, 2, new Plane(0, 5, 0)));
		assertTrue(roi.hasHyperStackPosition());
		assertEquals(5, roi.getZPosition());
		assertEquals(0, roi.getCPosition());
		Roi everywhere = RoiBridge.toRoi(Geometry.point(1, 2, Plane.ALL));
		assertEquals(0, everywhere.getPosition());
		assertTrue(!everywhere.hasHyperStackPosition());
		Roi stackOnly = new Roi(0, 0, 4, 4);
		stackOnly.setPosition(6);
		assertEquals(new Plane(0, 6, 0), RoiBridge.toGeometry(stackOnly).plane());
	}

	@Test
	void compositeWithAHoleHasTheAreaImageJMeasures() {
		Geometry g = compositeWithHole(Plane.ALL);
		Roi roi = RoiBridge.toRoi(g);
		assertTrue(roi instanceof ShapeRoi);
		ByteProcessor image = new ByteProcessor(80, 80);
		image.setRoi(roi);
		ImageStatistics stats = image.getStats();
		assertEquals(1600, stats.pixelCount);
		assertEquals(1600, g.area(), 1e-9);
		ImageProcessor mask = roi.getMask();
		assertEquals(0, mask.get(25 - 10, 25 - 10), "the hole is empty");
		assertEquals(255, mask.get(15 - 10, 15 - 10), "the ring is filled");
		assertTrue(roi.containsPoint(15.5, 15.5) && !roi.containsPoint(30.5, 30.5), "even-odd in the shape itself, too");
		// also for sub-pixel rings: ImageJ's mask and Geometry.contains agree pixel by pixel (pixel centres)
		Geometry sub = new Geometry(Kind.COMPOSITE, new double[] { 2.3, 30.6, 28.1, 3.7, 10.2, 20.9, 15.4 },
				new double[] { 1.9, 4.4, 25.8, 22.1, 8.3, 9.6, 17.2 }, new int[] { 0, 4 }, Plane.ALL);
		Roi subRoi = RoiBridge.toRoi(sub);
		ImageProcessor subMask = subRoi.getMask();
		java.awt.Rectangle r = subRoi.getBounds();
		int count = 0;
		for (int y = 0; y < 40; y++)
			for (int x = 0; x < 40; x++) {
				boolean inMask = r.contains(x, y) && subMask.get(x - r.x, y - r.y) != 0;
				assertEquals(sub.contains(x + 0.5, y + 0.5), inMask, "pixel " + x + "," + y);
				if (inMask) count++;
			}
		image.setRoi(subRoi);
		assertEquals(count, image.getStats().pixelCount);
	}

	@Test
	void shapeRoisFromImageJBecomeRingsOrPolygons() {
		ShapeRoi square = new ShapeRoi(new Roi(5, 5, 10, 10));
		Geometry single = RoiBridge.toGeometry(square);
		assertEquals(Kind.POLYGON, single.kind());
		assertEquals(100, single.area(), 1e-9);
		ShapeRoi twoParts = new ShapeRoi(new Roi(0, 0, 10, 10)).or(new ShapeRoi(new Roi(20, 0, 5, 5)));
		Geometry two = RoiBridge.toGeometry(twoParts);
		assertEquals(Kind.COMPOSITE, two.kind());
		assertEquals(2, two.parts().length);
		assertEquals(125, two.area(), 1e-9);
		Geometry curved = RoiBridge.toGeometry(new ShapeRoi(new Ellipse2D.Double(0, 0, 40, 20)));
		assertEquals(Kind.POLYGON, curved.kind());
		assertEquals(Math.PI * 20 * 10, curved.area(), 10, "flattened ellipse");
	}

	@Test
	void otherAreaRoisBecomeFreehandOutlines() {
		Roi rounded = new Roi(0, 0, 20, 10, 6);
		Geometry g = RoiBridge.toGeometry(rounded);
		assertEquals(Kind.FREEHAND, g.kind());
		assertTrue(g.area() < 200 && g.area() > 190, "rounded corners cut a little: " + g.area());
		Geometry ellipse = RoiBridge.toGeometry(new EllipseRoi(0, 10, 40, 10, 0.5));
		assertEquals(Kind.FREEHAND, ellipse.kind());
	}

	@Test
	void unsupportedRoisAreRefusedByName() {
		PolygonRoi angle = new PolygonRoi(new float[] { 0, 10, 10 }, new float[] { 0, 0, 10 }, Roi.ANGLE);
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoiBridge.toGeometry(angle));
		assertTrue(e.getMessage().contains("Angle"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> RoiBridge.toGeometry(new TextRoi(1, 2, "hello")));
		assertTrue(e.getMessage().contains("TextRoi"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> RoiBridge.toGeometry(new ImageRoi(0, 0, new ByteProcessor(4, 4))));
		assertTrue(e.getMessage().contains("ImageRoi"), e.getMessage());
	}

	@Test
	void subPixelPolygonKeepsFloatCoordinates() {
		Geometry g = new Geometry(Kind.POLYGON, new double[] { 0.1f, 10.3f, 5.7f }, new double[] { 0.2f, 0.9f, 8.05f }, null, Plane.ALL);
		Roi roi = RoiBridge.toRoi(g);
		assertTrue(roi.subPixelResolution());
		assertArrayEquals(new float[] { 0.1f, 10.3f, 5.7f }, java.util.Arrays.copyOf(roi.getFloatPolygon().xpoints, 3));
		assertEquals(g, RoiBridge.toGeometry(RoiDecoder.openFromByteArray(RoiEncoder.saveAsByteArray(roi))));
	}
}
