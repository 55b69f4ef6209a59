package org.labelloop.core.map;

import java.util.Arrays;

import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;

/**
 * A uniform grid over the points of a 2D map, so that the map window answers hover ("which point is nearest the
 * mouse?"), lasso ("which points lie in this polygon?") and viewport ("which points are visible?") questions at
 * 100,000 points without looking at all of them. Coordinates are those of the layout; the window converts from
 * screen coordinates. Immutable and safe to share between threads.
 * <p>
 * About four points per cell on average; points are stored cell by cell (compressed rows), so a query reads only the
 * cells its area touches.
 */
public final class MapIndex {

	private final float[] x, y;
	private final double minX, minY, cellW, cellH;
	private final int gx, gy;
	private final int[] cellStart; // gx*gy + 1 offsets into order
	private final int[] order; // point indices, cell by cell

	public MapIndex(float[] x, float[] y) {
		if (x.length != y.length) throw new IllegalArgumentException("One x and one y per point");
		this.x = x.clone();
		this.y = y.clone();
		int n = x.length;
		double x0 = Double.POSITIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
		for (int i = 0; i < n; i++) {
			if (!Float.isFinite(x[i]) || !Float.isFinite(y[i])) throw new IllegalArgumentException("Point " + i + " is not finite");
			x0 = Math.min(x0, x[i]);
			x1 = Math.max(x1, x[i]);
			y0 = Math.min(y0, y[i]);
			y1 = Math.max(y1, y[i]);
		}
		if (n == 0) x0 = y0 = x1 = y1 = 0;
		int side = (int) Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(n / 4.0))));
		gx = side;
		gy = side;
		minX = x0;
		minY = y0;
		cellW = x1 > x0 ? (x1 - x0) / gx : 1;
		cellH = y1 > y0 ? (y1 - y0) / gy : 1;
		int[] count = new int[gx * gy + 1];
		int[] cellOf = new int[n];
		for (int i = 0; i < n; i++) {
			cellOf[i] = cell(cx(x[i]), cy(y[i]));
			count[cellOf[i] + 1]++;
		}
		for (int c = 0; c < gx * gy; c++) count[c + 1] += count[c];
		cellStart = count.clone();
		order = new int[n];
		int[] fill = Arrays.copyOf(count, count.length);
		for (int i = 0; i < n; i++) order[fill[cellOf[i]]++] = i;
	}

	public int size() {
		return x.length;
	}

	private int cx(double px) {
		return (int) Math.max(0, Math.min(gx - 1, Math.floor((px - minX) / cellW)));
	}

	private int cy(double py) {
		return (int) Math.max(0, Math.min(gy - 1, Math.floor((py - minY) / cellH)));
	}

	private int cell(int i, int j) {
		return j * gx + i;
	}

	/** The index of the point nearest (px, py) (the lowest index among equally near ones), or -1 if there are none. */
	public int nearest(double px, double py) {
		return nearest(px, py, Double.POSITIVE_INFINITY);
	}

	/** The nearest point no farther than {@code maxDistance} (e.g. a few pixels, in layout units), or -1. */
	public int nearest(double px, double py, double maxDistance) {
		if (x.length == 0) return -1;
		int ci = cx(px), cj = cy(py);
		double minCell = Math.min(cellW, cellH);
		int best = -1;
		double bestD = maxDistance == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : maxDistance * maxDistance;
		int maxRing = Math.max(gx, gy);
		for (int r = 0; r <= maxRing; r++) {
			// every cell of ring r lies at least (r - 1) cells away from the point
			double lower = Math.max(0, r - 1) * minCell;
			if (lower * lower > bestD) break;
			for (int j = cj - r; j <= cj + r; j++) {
				if (j < 0 || j >= gy) continue;
				boolean edgeRow = j == cj - r || j == cj + r;
				for (int i = ci - r; i <= ci + r; i += edgeRow ? 1 : Math.max(1, 2 * r)) {
					if (i < 0 || i >= gx) continue;
					int c = cell(i, j);
					for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
						int p = order[k];
						double dx = x[p] - px, dy = y[p] - py, d = dx * dx + dy * dy;
						if (d < bestD || (d == bestD && best >= 0 && p < best) || (d == bestD && best < 0)) {
							bestD = d;
							best = p;
						}
					}
				}
			}
		}
		return best;
	}

	/** Indices (ascending) of the points inside an area (a lasso polygon, a rectangle, an oval…), by {@link Geometry#contains}. */
	public int[] inside(Geometry area) {
		if (!area.kind().isArea() || x.length == 0) return new int[0];
		Box b = area.bounds();
		int i0 = cx(b.x()), i1 = cx(b.x() + b.w()), j0 = cy(b.y()), j1 = cy(b.y() + b.h());
		int[] out = new int[16];
		int n = 0;
		for (int j = j0; j <= j1; j++)
			for (int i = i0; i <= i1; i++) {
				int c = cell(i, j);
				for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
					int p = order[k];
					if (x[p] < b.x() || x[p] > b.x() + b.w() || y[p] < b.y() || y[p] > b.y() + b.h()) continue;
					if (area.contains(x[p], y[p])) {
						if (n == out.length) out = Arrays.copyOf(out, n * 2);
						out[n++] = p;
					}
				}
			}
		out = Arrays.copyOf(out, n);
		Arrays.sort(out);
		return out;
	}

	/** Indices (ascending) of the points with {@code x0 <= x <= x1} and {@code y0 <= y <= y1}: what a viewport shows. */
	public int[] inRect(double x0, double y0, double x1, double y1) {
		if (x.length == 0 || x1 < x0 || y1 < y0) return new int[0];
		int[] out = new int[16];
		int n = 0;
		for (int j = cy(y0); j <= cy(y1); j++)
			for (int i = cx(x0); i <= cx(x1); i++) {
				int c = cell(i, j);
				for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
					int p = order[k];
					if (x[p] >= x0 && x[p] <= x1 && y[p] >= y0 && y[p] <= y1) {
						if (n == out.length) out = Arrays.copyOf(out, n * 2);
						out[n++] = p;
					}
				}
			}
		out = Arrays.copyOf(out, n);
		Arrays.sort(out);
		return out;
	}
}
