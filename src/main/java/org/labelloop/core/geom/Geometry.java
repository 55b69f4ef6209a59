package org.labelloop.core.geom;

import java.util.Arrays;
import java.util.Locale;

/**
 * A shape on one image plane, free of any ImageJ type. Vertices are in pixel coordinates (x right, y down).
 * <ul>
 * <li>{@code RECT}, {@code OVAL}: two vertices, the top-left and bottom-right corner of the bounding box;</li>
 * <li>{@code POLYGON}, {@code FREEHAND}, {@code TRACED}: a closed ring;</li>
 * <li>{@code LINE}: two vertices; {@code POLYLINE}, {@code FREELINE}: an open path;</li>
 * <li>{@code POINT}: one or more points;</li>
 * <li>{@code COMPOSITE}: several closed rings filled even-odd (holes, several parts); {@code parts} holds the
 * index of each ring's first vertex.</li>
 * </ul>
 * The kind keeps what the user drew, so a round trip through ImageJ gives back the same kind of ROI.
 */
public record Geometry(Kind kind, double[] x, double[] y, int[] parts, Plane plane) {

	public enum Kind {
		RECT, OVAL, POLYGON, FREEHAND, TRACED, LINE, POLYLINE, FREELINE, POINT, COMPOSITE;

		public boolean isArea() {
			return this == RECT || this == OVAL || this == POLYGON || this == FREEHAND || this == TRACED || this == COMPOSITE;
		}

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	public Geometry {
		if (kind == null) throw new IllegalArgumentException("Geometry kind is missing");
		if (x == null || y == null || x.length != y.length)
			throw new IllegalArgumentException("Geometry needs as many x as y coordinates");
		int min = switch (kind) {
			case RECT, OVAL, LINE -> 2;
			case POINT -> 1;
			case POLYLINE, FREELINE -> 2;
			default -> 3;
		};
		if (x.length < min) throw new IllegalArgumentException(kind.key() + " needs at least " + min + " vertices, got " + x.length);
		if ((kind == Kind.RECT || kind == Kind.OVAL || kind == Kind.LINE) && x.length != 2)
			throw new IllegalArgumentException(kind.key() + " needs exactly 2 vertices, got " + x.length);
		for (int i = 0; i < x.length; i++)
			if (!Double.isFinite(x[i]) || !Double.isFinite(y[i]))
				throw new IllegalArgumentException("Geometry vertex " + i + " is not a finite number");
		if (kind == Kind.COMPOSITE) {
			if (parts == null || parts.length == 0 || parts[0] != 0)
				throw new IllegalArgumentException("A composite geometry needs parts starting at vertex 0");
			for (int i = 1; i < parts.length; i++)
				if (parts[i] <= parts[i - 1] || parts[i] > x.length - 3)
					throw new IllegalArgumentException("Composite parts must be increasing rings of 3 or more vertices");
		} else if (parts != null && parts.length > 0) {
			throw new IllegalArgumentException("Only composite geometries have parts");
		} else {
			parts = null;
		}
		x = x.clone();
		y = y.clone();
		if (parts != null) parts = parts.clone();
		if (plane == null) plane = Plane.ALL;
		if (kind == Kind.RECT || kind == Kind.OVAL) {
			double x0 = Math.min(x[0], x[1]), x1 = Math.max(x[0], x[1]);
			double y0 = Math.min(y[0], y[1]), y1 = Math.max(y[0], y[1]);
			x = new double[] { x0, x1 };
			y = new double[] { y0, y1 };
		}
	}

	public static Geometry rect(double x, double y, double w, double h, Plane p) {
		return new Geometry(Kind.RECT, new double[] { x, x + w }, new double[] { y, y + h }, null, p);
	}

	public static Geometry oval(double x, double y, double w, double h, Plane p) {
		return new Geometry(Kind.OVAL, new double[] { x, x + w }, new double[] { y, y + h }, null, p);
	}

	public static Geometry polygon(double[] x, double[] y, Plane p) {
		return new Geometry(Kind.POLYGON, x, y, null, p);
	}

	public static Geometry point(double x, double y, Plane p) {
		return new Geometry(Kind.POINT, new double[] { x }, new double[] { y }, null, p);
	}

	@Override public double[] x() { return x.clone(); }
	@Override public double[] y() { return y.clone(); }
	@Override public int[] parts() { return parts == null ? null : parts.clone(); }

	/** The same kind, plane and vertices (within 0.01 pixel): what a person who did not reshape it leaves. */
	public static boolean sameShape(Geometry a, Geometry b) {
		if (a == null || b == null) return a == b;
		if (a.kind() != b.kind() || a.size() != b.size() || !a.plane().equals(b.plane())) return false;
		for (int i = 0; i < a.size(); i++)
			if (Math.abs(a.x(i) - b.x(i)) > 0.01 || Math.abs(a.y(i) - b.y(i)) > 0.01) return false;
		return true;
	}

	public int size() {
		return x.length;
	}

	public double x(int i) { return x[i]; }
	public double y(int i) { return y[i]; }

	public Box bounds() {
		double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
		for (int i = 0; i < x.length; i++) {
			x0 = Math.min(x0, x[i]); x1 = Math.max(x1, x[i]);
			y0 = Math.min(y0, y[i]); y1 = Math.max(y1, y[i]);
		}
		return new Box(x0, y0, x1 - x0, y1 - y0);
	}

	/** Area in square pixels (0 for lines and points); rings of a composite are combined even-odd. */
	public double area() {
		return switch (kind) {
			case RECT -> bounds().area();
			case OVAL -> Math.PI * bounds().w() * bounds().h() / 4;
			case POLYGON, FREEHAND, TRACED -> Math.abs(signedArea(0, x.length));
			case COMPOSITE -> compositeArea();
			default -> 0;
		};
	}

	private double compositeArea() {
		// Even-odd: a ring inside an odd number of other rings is a hole. Rings are assumed not to cross.
		double total = 0;
		for (int r = 0; r < parts.length; r++) {
			int from = parts[r], to = r + 1 < parts.length ? parts[r + 1] : x.length;
			int depth = 0;
			for (int s = 0; s < parts.length; s++)
				if (s != r && ringContains(s, x[from], y[from])) depth++;
			double a = Math.abs(signedArea(from, to));
			total += depth % 2 == 0 ? a : -a;
		}
		return total;
	}

	private double signedArea(int from, int to) {
		double a = 0;
		for (int i = from; i < to; i++) {
			int j = i + 1 < to ? i + 1 : from;
			a += x[i] * y[j] - x[j] * y[i];
		}
		return a / 2;
	}

	private boolean ringContains(int ring, double px, double py) {
		int from = parts[ring], to = ring + 1 < parts.length ? parts[ring + 1] : x.length;
		return ringContains(from, to, px, py);
	}

	private boolean ringContains(int from, int to, double px, double py) {
		boolean inside = false;
		for (int i = from, j = to - 1; i < to; j = i++) {
			if ((y[i] > py) != (y[j] > py) && px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i]) inside = !inside;
		}
		return inside;
	}

	/** Whether the point lies inside this area (even-odd rule); always false for lines and points. */
	public boolean contains(double px, double py) {
		Box b = bounds();
		return switch (kind) {
			case RECT -> px >= b.x() && px < b.x() + b.w() && py >= b.y() && py < b.y() + b.h();
			case OVAL -> {
				double rx = b.w() / 2, ry = b.h() / 2, dx = (px - b.x() - rx) / rx, dy = (py - b.y() - ry) / ry;
				yield rx > 0 && ry > 0 && dx * dx + dy * dy <= 1;
			}
			case POLYGON, FREEHAND, TRACED -> ringContains(0, x.length, px, py);
			case COMPOSITE -> {
				boolean in = false;
				for (int r = 0; r < parts.length; r++)
					if (ringContains(r, px, py)) in = !in;
				yield in;
			}
			default -> false;
		};
	}

	/** Same shape moved by (dx, dy). */
	public Geometry translate(double dx, double dy) {
		double[] nx = x.clone(), ny = y.clone();
		for (int i = 0; i < nx.length; i++) { nx[i] += dx; ny[i] += dy; }
		return new Geometry(kind, nx, ny, parts, plane);
	}

	/**
	 * Intersection over union of two areas, computed on the pixel grid of their joint bounding box (pixel centres),
	 * which is exact for what ImageJ measures and fast for object-sized shapes.
	 */
	public double iou(Geometry other) {
		if (!kind.isArea() || !other.kind.isArea()) return 0;
		Box a = bounds(), b = other.bounds();
		if (!a.intersects(b)) return 0;
		Box u = a.union(b);
		long inter = 0, union = 0;
		int x0 = (int) Math.floor(u.x()), y0 = (int) Math.floor(u.y());
		int x1 = (int) Math.ceil(u.x() + u.w()), y1 = (int) Math.ceil(u.y() + u.h());
		for (int yy = y0; yy < y1; yy++)
			for (int xx = x0; xx < x1; xx++) {
				boolean ia = contains(xx + 0.5, yy + 0.5), ib = other.contains(xx + 0.5, yy + 0.5);
				if (ia && ib) inter++;
				if (ia || ib) union++;
			}
		return union == 0 ? 0 : (double) inter / union;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Geometry g && kind == g.kind && Arrays.equals(x, g.x) && Arrays.equals(y, g.y)
				&& Arrays.equals(parts, g.parts) && plane.equals(g.plane);
	}

	@Override
	public int hashCode() {
		return (((kind.hashCode() * 31 + Arrays.hashCode(x)) * 31 + Arrays.hashCode(y)) * 31 + Arrays.hashCode(parts)) * 31 + plane.hashCode();
	}

	@Override
	public String toString() {
		return kind.key() + bounds() + "@" + plane;
	}
}
