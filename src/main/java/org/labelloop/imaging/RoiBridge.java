package org.labelloop.imaging;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Geometry.Kind;
import org.labelloop.core.geom.Plane;

import ij.gui.ImageRoi;
import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import ij.gui.TextRoi;
import ij.process.FloatPolygon;

/**
 * Converts between LabelLoop's {@link Geometry} and ImageJ's {@link Roi}, keeping the kind of shape, sub-pixel
 * coordinates and the plane.
 * <p>
 * ImageJ keeps polygon coordinates as {@code float}, so a geometry survives a round trip exactly when its coordinates
 * are floats (as every coordinate read from a ROI is). A plane other than {@link Plane#ALL} becomes the ROI's
 * hyperstack position (c, z, t); a ROI with only a plain stack position n is read as z = n. Composite shapes are
 * filled even-odd in both worlds, so a ring inside another is a hole whatever its orientation.
 */
public final class RoiBridge {

	private RoiBridge() {
	}

	/** The ImageJ ROI for this geometry, positioned on its plane. */
	public static Roi toRoi(Geometry g) {
		double[] x = g.x(), y = g.y();
		Roi roi = switch (g.kind()) {
			case RECT -> new Roi(x[0], y[0], x[1] - x[0], y[1] - y[0]);
			case OVAL -> new OvalRoi(x[0], y[0], x[1] - x[0], y[1] - y[0]);
			case POLYGON -> new PolygonRoi(floats(x, y), Roi.POLYGON);
			case FREEHAND -> new PolygonRoi(floats(x, y), Roi.FREEROI);
			case TRACED -> new PolygonRoi(floats(x, y), Roi.TRACED_ROI);
			case POLYLINE -> new PolygonRoi(floats(x, y), Roi.POLYLINE);
			case FREELINE -> new PolygonRoi(floats(x, y), Roi.FREELINE);
			case LINE -> new Line(x[0], y[0], x[1], y[1]);
			case POINT -> new PointRoi(floats(x, y));
			case COMPOSITE -> new ShapeRoi(path(x, y, g.parts()));
		};
		Plane p = g.plane();
		if (!p.equals(Plane.ALL)) roi.setPosition(p.c(), p.z(), p.t());
		return roi;
	}

	/**
	 * The geometry of this ROI. Rectangles with rounded corners, ellipses and rotated rectangles become
	 * {@code FREEHAND} outlines, arrows become {@code LINE}s, and a composite of a single ring becomes a
	 * {@code POLYGON}.
	 *
	 * @throws IllegalArgumentException for ROIs that are not shapes (angle, text, image), naming the type
	 */
	public static Geometry toGeometry(Roi roi) {
		if (roi instanceof TextRoi || roi instanceof ImageRoi) throw unsupported(roi);
		Plane plane = plane(roi);
		return switch (roi.getType()) {
			case Roi.RECTANGLE -> roi.getCornerDiameter() > 0 ? vertices(Kind.FREEHAND, roi, plane) : box(Kind.RECT, roi, plane);
			case Roi.OVAL -> box(Kind.OVAL, roi, plane);
			case Roi.POLYGON -> vertices(Kind.POLYGON, roi, plane);
			case Roi.FREEROI -> vertices(Kind.FREEHAND, roi, plane);
			case Roi.TRACED_ROI -> vertices(Kind.TRACED, roi, plane);
			case Roi.POLYLINE -> vertices(Kind.POLYLINE, roi, plane);
			case Roi.FREELINE -> vertices(Kind.FREELINE, roi, plane);
			case Roi.POINT -> vertices(Kind.POINT, roi, plane);
			case Roi.LINE -> {
				Line l = (Line) roi;
				yield new Geometry(Kind.LINE, new double[] { l.x1d, l.x2d }, new double[] { l.y1d, l.y2d }, null, plane);
			}
			case Roi.COMPOSITE -> composite((ShapeRoi) roi, plane);
			default -> throw unsupported(roi);
		};
	}

	private static IllegalArgumentException unsupported(Roi roi) {
		return new IllegalArgumentException("Cannot convert an ImageJ " + roi.getTypeAsString() + " ROI (" + roi.getClass().getSimpleName()
				+ ") to a LabelLoop shape; use an area, line or point selection");
	}

	private static Plane plane(Roi roi) {
		if (roi.hasHyperStackPosition()) return new Plane(roi.getCPosition(), roi.getZPosition(), roi.getTPosition());
		return roi.getPosition() > 0 ? new Plane(0, roi.getPosition(), 0) : Plane.ALL;
	}

	private static Geometry box(Kind kind, Roi roi, Plane plane) {
		double x = roi.getXBase(), y = roi.getYBase();
		return new Geometry(kind, new double[] { x, x + roi.getFloatWidth() }, new double[] { y, y + roi.getFloatHeight() }, null, plane);
	}

	private static Geometry vertices(Kind kind, Roi roi, Plane plane) {
		FloatPolygon p = roi.getFloatPolygon();
		double[] x = new double[p.npoints], y = new double[p.npoints];
		for (int i = 0; i < p.npoints; i++) {
			x[i] = p.xpoints[i];
			y[i] = p.ypoints[i];
		}
		return new Geometry(kind, x, y, null, plane);
	}

	/** Rings from ImageJ's own outline listing (sub-paths separated by NaN; curves flattened). */
	private static Geometry composite(ShapeRoi roi, Plane plane) {
		FloatPolygon p = roi.getSelectionCoordinates();
		List<Integer> parts = new ArrayList<>();
		double[] x = new double[p.npoints], y = new double[p.npoints];
		int n = 0, ringStart = 0;
		for (int i = 0; i <= p.npoints; i++) {
			if (i == p.npoints || Float.isNaN(p.xpoints[i])) {
				if (n - ringStart >= 3) parts.add(ringStart);
				else n = ringStart; // drop degenerate rings (open sub-paths of fewer than 3 vertices)
				ringStart = n;
				continue;
			}
			x[n] = p.xpoints[i];
			y[n++] = p.ypoints[i];
		}
		if (parts.isEmpty()) throw new IllegalArgumentException("The composite ROI " + roi + " has no ring of 3 or more vertices");
		x = Arrays.copyOf(x, n);
		y = Arrays.copyOf(y, n);
		if (parts.size() == 1) return new Geometry(Kind.POLYGON, x, y, null, plane);
		return new Geometry(Kind.COMPOSITE, x, y, parts.stream().mapToInt(Integer::intValue).toArray(), plane);
	}

	private static FloatPolygon floats(double[] x, double[] y) {
		float[] fx = new float[x.length], fy = new float[y.length];
		for (int i = 0; i < x.length; i++) {
			fx[i] = (float) x[i];
			fy[i] = (float) y[i];
		}
		return new FloatPolygon(fx, fy);
	}

	private static Path2D path(double[] x, double[] y, int[] parts) {
		Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
		for (int r = 0; r < parts.length; r++) {
			int from = parts[r], to = r + 1 < parts.length ? parts[r + 1] : x.length;
			path.moveTo(x[from], y[from]);
			for (int i = from + 1; i < to; i++) path.lineTo(x[i], y[i]);
			path.closePath();
		}
		return path;
	}
}
