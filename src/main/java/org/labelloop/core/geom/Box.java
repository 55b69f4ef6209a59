package org.labelloop.core.geom;

/** An axis-aligned box: top-left corner, width and height. */
public record Box(double x, double y, double w, double h) {

	public double area() {
		return w * h;
	}

	public boolean intersects(Box o) {
		return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
	}

	public Box union(Box o) {
		double x0 = Math.min(x, o.x), y0 = Math.min(y, o.y);
		return new Box(x0, y0, Math.max(x + w, o.x + o.w) - x0, Math.max(y + h, o.y + o.h) - y0);
	}

	/** Intersection over union of the two boxes. */
	public double iou(Box o) {
		double iw = Math.min(x + w, o.x + o.w) - Math.max(x, o.x), ih = Math.min(y + h, o.y + o.h) - Math.max(y, o.y);
		if (iw <= 0 || ih <= 0) return 0;
		double inter = iw * ih;
		return inter / (area() + o.area() - inter);
	}
}
