package org.labelloop.core.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

/** The map's raster: points land where the view says, selected ones on top, zoom keeps the pointer's point still. */
class MapRasterTest {

	private static final int WHITE = 0xffffffff, RED = 0xffff0000, BLUE = 0xff0000ff, BLACK = 0xff000000;

	@Test
	void pointsAreDrawnWhereTheViewPutsThemAndClippedAtTheEdges() {
		float[] x = { 0, 10, -100 }, y = { 0, 5, 0 };
		int w = 40, h = 30;
		int[] px = new int[w * h];
		MapRaster.View v = new MapRaster.View(-2, 8, 2); // data (-2, 8) at pixel (0, 0), 2 pixels per unit, y up
		MapRaster.render(x, y, new int[] { RED, BLUE, RED }, null, px, w, h, v, 1, WHITE);
		assertEquals(RED, px[16 * w + 4], "(0,0) → pixel (4,16)");
		assertEquals(RED, px[17 * w + 5], "a 3×3 square");
		assertEquals(BLUE, px[6 * w + 24], "(10,5) → pixel (24,6)");
		assertEquals(WHITE, px[0]);
		int red = 0;
		for (int p : px) if (p == RED) red++;
		assertEquals(9, red, "the point far outside the view is clipped, not wrapped");
	}

	@Test
	void selectedPointsAreDrawnLargerOnTopWithADarkRim() {
		float[] x = { 0, 0.5f }, y = { 0, 0 };
		int[] px = new int[20 * 20];
		BitSet sel = new BitSet();
		sel.set(0);
		MapRaster.render(x, y, new int[] { RED, BLUE }, sel, px, 20, 20, new MapRaster.View(-5, 5, 2), 1, WHITE);
		assertEquals(RED, px[10 * 20 + 10], "the selected point is on top of its neighbour");
		assertEquals(BLACK, px[7 * 20 + 7], "rim at radius + 2");
	}

	@Test
	void zoomKeepsThePointUnderThePointerAndFitShowsEveryPoint() {
		MapRaster.View v = new MapRaster.View(3, 7, 1.5);
		double dx = v.toDataX(120), dy = v.toDataY(80);
		MapRaster.View z = v.zoom(1.25, 120, 80);
		assertEquals(dx, z.toDataX(120), 1e-9);
		assertEquals(dy, z.toDataY(80), 1e-9);
		assertEquals(1.875, z.scale(), 1e-12);
		MapRaster.View p = v.pan(10, -4);
		assertEquals(v.toDataX(0), p.toDataX(10), 1e-9);
		assertEquals(v.toDataY(0), p.toDataY(-4), 1e-9);
		float[] x = { -3, 4, 10 }, y = { 2, -6, 1 };
		MapRaster.View f = MapRaster.View.fit(x, y, 300, 200);
		for (int i = 0; i < x.length; i++) {
			double px = f.toPixelX(x[i]), py = f.toPixelY(y[i]);
			assertTrue(px >= 0 && px < 300 && py >= 0 && py < 200, px + "," + py);
		}
		MapRaster.View one = MapRaster.View.fit(new float[] { 0 }, new float[] { 0 }, 100, 100);
		assertEquals(50, one.toPixelX(0), 1e-6, "a one-point map: the point in the middle");
	}
}
