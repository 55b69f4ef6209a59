package org.labelloop.core.learn;

import java.util.Arrays;
import java.util.Comparator;

import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;

/** Shape features of an area region, for {@link FeatureEmbedder}; see its documentation for the list. */
final class Shape {

	private Shape() {
	}

	/**
	 * Writes the {@value FeatureEmbedder#SHAPE} shape features of {@code region}; the mask (null: all of the w×h crop)
	 * gives the second moments.
	 */
	static int features(Geometry region, boolean[] mask, int w, int h, float[] out, int at) {
		double area = region.area(), perimeter = perimeter(region);
		Box b = region.bounds();
		out[at++] = (float) Math.log1p(area);
		out[at++] = (float) Math.log1p(perimeter);
		out[at++] = perimeter > 0 ? (float) Math.min(1, 4 * Math.PI * area / (perimeter * perimeter)) : 0;
		out[at++] = b.area() > 0 ? (float) (area / b.area()) : 0;
		double hull = hullArea(region);
		out[at++] = hull > 0 ? (float) Math.min(1, area / hull) : 0;
		out[at++] = Math.max(b.w(), b.h()) > 0 ? (float) (Math.min(b.w(), b.h()) / Math.max(b.w(), b.h())) : 0;
		out[at++] = (float) elongation(mask, w, h);
		return at;
	}

	/** Length of the outline: exact for rectangles and polygons, Ramanujan's approximation for ellipses. */
	static double perimeter(Geometry g) {
		Box b = g.bounds();
		return switch (g.kind()) {
			case RECT -> 2 * (b.w() + b.h());
			case OVAL -> {
				double a = b.w() / 2, c = b.h() / 2;
				yield Math.PI * (3 * (a + c) - Math.sqrt((3 * a + c) * (a + 3 * c)));
			}
			default -> {
				int[] parts = g.parts() == null ? new int[] { 0 } : g.parts();
				double len = 0;
				for (int r = 0; r < parts.length; r++) {
					int from = parts[r], to = r + 1 < parts.length ? parts[r + 1] : g.size();
					for (int i = from; i < to; i++) {
						int j = i + 1 < to ? i + 1 : from;
						len += Math.hypot(g.x(j) - g.x(i), g.y(j) - g.y(i));
					}
				}
				yield len;
			}
		};
	}

	/** Area of the convex hull of the region (rectangles and ellipses are their own hull). */
	static double hullArea(Geometry g) {
		if (g.kind() == Geometry.Kind.RECT || g.kind() == Geometry.Kind.OVAL) return g.area();
		Integer[] order = new Integer[g.size()];
		for (int i = 0; i < order.length; i++) order[i] = i;
		Arrays.sort(order, Comparator.<Integer>comparingDouble(g::x).thenComparingDouble(g::y));
		int[] hull = new int[2 * order.length];
		int k = 0;
		for (int pass = 0; pass < 2; pass++) { // Andrew's monotone chain: lower hull, then upper hull
			int start = k;
			for (int n = 0; n < order.length; n++) {
				int p = order[pass == 0 ? n : order.length - 1 - n];
				while (k >= start + 2 && cross(g, hull[k - 2], hull[k - 1], p) <= 0) k--;
				hull[k++] = p;
			}
			k--; // the last point starts the other chain
		}
		double a = 0;
		for (int i = 0; i < k; i++) {
			int p = hull[i], q = hull[(i + 1) % k];
			a += g.x(p) * g.y(q) - g.x(q) * g.y(p);
		}
		return Math.abs(a) / 2;
	}

	private static double cross(Geometry g, int o, int a, int b) {
		return (g.x(a) - g.x(o)) * (g.y(b) - g.y(o)) - (g.y(a) - g.y(o)) * (g.x(b) - g.x(o));
	}

	/** sqrt(small / large eigenvalue) of the covariance of the mask's pixel positions: 1 round, toward 0 elongated. */
	static double elongation(boolean[] mask, int w, int h) {
		double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				if (mask != null && !mask[y * w + x]) continue;
				n++; sx += x; sy += y; sxx += (double) x * x; syy += (double) y * y; sxy += (double) x * y;
			}
		double mx = sx / n, my = sy / n, vxx = sxx / n - mx * mx, vyy = syy / n - my * my, vxy = sxy / n - mx * my;
		double tr = vxx + vyy, det = vxx * vyy - vxy * vxy, disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
		double large = tr / 2 + disc, small = Math.max(0, tr / 2 - disc);
		return large > 0 ? Math.sqrt(small / large) : 1;
	}
}
