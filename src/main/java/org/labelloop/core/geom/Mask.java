package org.labelloop.core.geom;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A binary mask of one object on one slice or across slices (3D), in voxel coordinates: x right, y down, z the
 * 0-based slice index (ImageJ slice {@code z + 1}), all in the image's pixel grid. Immutable; kept in its canonical
 * {@link MaskCodec} form, so a slice is decoded on its own when asked for ({@link #slice}) and two masks are equal
 * exactly when they hold the same voxels. Coordinates may be negative (a brush stroke over the image's edge); the
 * image's bounds are the caller's to enforce.
 */
public final class Mask {

	public static final Mask EMPTY = decode(MaskCodec.assemble(0, new byte[0][]));

	private final byte[] code;
	private final MaskCodec.Index index;
	private volatile long voxels = -1;

	private Mask(byte[] code, MaskCodec.Index index) {
		this.code = code;
		this.index = index;
	}

	/**
	 * The mask a blob holds.
	 *
	 * @throws MaskCodec.CorruptMaskException (an {@link IllegalArgumentException}) naming what is wrong
	 */
	public static Mask decode(byte[] bytes) {
		byte[] c = bytes == null ? null : bytes.clone();
		return new Mask(c, MaskCodec.check(c));
	}

	/** Its canonical bytes ({@link MaskCodec}). */
	public byte[] encode() {
		return code.clone();
	}

	public int encodedSize() {
		return code.length;
	}

	public boolean isEmpty() {
		return index.depth() == 0;
	}

	public int minX() { return index.minX(); }
	public int minY() { return index.minY(); }
	public int minZ() { return index.z0(); }
	/** Inclusive. */
	public int maxX() { return index.maxX(); }
	/** Inclusive. */
	public int maxY() { return index.maxY(); }
	/** Inclusive; {@code minZ() - 1} when empty. */
	public int maxZ() { return index.z0() + index.depth() - 1; }
	public int width() { return isEmpty() ? 0 : maxX() - minX() + 1; }
	public int height() { return isEmpty() ? 0 : maxY() - minY() + 1; }
	public int depth() { return index.depth(); }

	/** The 2D bounding box over all slices (pixel edges: a one-voxel mask at (3, 4) is the box 3, 4, 1, 1). */
	public Box bounds() {
		return new Box(minX(), minY(), width(), height());
	}

	/** Number of set voxels. */
	public long voxelCount() {
		long v = voxels;
		if (v < 0) {
			v = 0;
			for (int z = minZ(); z <= maxZ(); z++) v += slice(z).count();
			voxels = v;
		}
		return v;
	}

	public boolean contains(int x, int y, int z) {
		if (isEmpty() || z < minZ() || z > maxZ() || x < minX() || x > maxX() || y < minY() || y > maxY()) return false;
		return slice(z).contains(x, y);
	}

	/** The voxels on slice {@code z} (empty outside the mask's slices); only this slice is decoded. */
	public Slice slice(int z) {
		if (isEmpty() || z < minZ() || z > maxZ()) return Slice.empty(z);
		int k = z - minZ();
		int from = index.start()[k], to = index.end()[k];
		if (from == to) return Slice.empty(z);
		MaskCodec.Reader r = new MaskCodec.Reader(code, from, to);
		int x0 = r.zigzag("x"), y0 = r.zigzag("y"), w = r.uint("width"), h = r.uint("height"), n = r.uint("run count");
		int[] runs = new int[2 * n];
		long pos = 0;
		for (int i = 0; i < n; i++) {
			runs[2 * i] = (int) (pos + r.varint());
			runs[2 * i + 1] = (int) r.varint();
			pos = (long) runs[2 * i] + runs[2 * i + 1];
		}
		return new Slice(z, x0, y0, w, h, runs);
	}

	/** Slice {@code from} of this mask as a one-slice mask on slice {@code to} (empty when that slice is). */
	public Mask sliceMoved(int from, int to) {
		Builder b = builder();
		slice(from).forEachRow((y, xs, xe) -> b.addRun(to, y, xs, xe));
		return b.build();
	}

	/** The slices that hold voxels, in order. */
	public int[] slices() {
		int[] out = new int[depth()];
		int n = 0;
		for (int k = 0; k < depth(); k++)
			if (index.end()[k] > index.start()[k]) out[n++] = minZ() + k;
		return Arrays.copyOf(out, n);
	}

	/** The block bytes of slice z (empty array when it has no voxels). */
	private byte[] block(int z) {
		if (isEmpty() || z < minZ() || z > maxZ()) return new byte[0];
		int k = z - minZ();
		return Arrays.copyOfRange(code, index.start()[k], index.end()[k]);
	}

	private boolean hasSlice(int z) {
		return !isEmpty() && z >= minZ() && z <= maxZ() && index.end()[z - minZ()] > index.start()[z - minZ()];
	}

	// ------------------------------------------------------------------------------------------------ operations

	/** Voxels in this mask or the other (a brush stroke that adds). Slices the other does not touch are copied as they are. */
	public Mask union(Mask other) {
		return combine(other, true);
	}

	/** Voxels in this mask and not in the other (a brush stroke that erases). */
	public Mask subtract(Mask other) {
		return combine(other, false);
	}

	private Mask combine(Mask o, boolean union) {
		if (o.isEmpty()) return this;
		if (isEmpty()) return union ? o : this;
		int z0 = union ? Math.min(minZ(), o.minZ()) : minZ();
		int z1 = union ? Math.max(maxZ(), o.maxZ()) : maxZ();
		byte[][] blocks = new byte[z1 - z0 + 1][];
		for (int z = z0; z <= z1; z++) {
			boolean a = hasSlice(z), b = o.hasSlice(z);
			if (!b) blocks[z - z0] = block(z);
			else if (!a) blocks[z - z0] = union ? o.block(z) : null;
			else blocks[z - z0] = Slice.combine(slice(z), o.slice(z), union);
		}
		return fromCode(MaskCodec.assemble(z0, blocks));
	}

	/** The same mask with every hole filled, slice by slice: background not 4-connected to the outside of the slice's box becomes set. */
	public Mask fillHoles() {
		if (isEmpty()) return this;
		byte[][] blocks = new byte[depth()][];
		for (int z = minZ(); z <= maxZ(); z++) {
			if (!hasSlice(z)) continue;
			Slice s = slice(z);
			int w = s.w() + 2, h = s.h() + 2;
			boolean[] in = new boolean[w * h];
			s.forEachRow((y, xs, xe) -> {
				for (int x = xs; x < xe; x++) in[(y - s.y0() + 1) * w + (x - s.x0() + 1)] = true;
			});
			boolean[] outside = new boolean[w * h];
			ArrayDeque<Integer> todo = new ArrayDeque<>();
			todo.add(0);
			outside[0] = true;
			while (!todo.isEmpty()) {
				int p = todo.poll(), x = p % w, y = p / w;
				int[] next = { x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1 };
				for (int q : next)
					if (q >= 0 && !in[q] && !outside[q]) {
						outside[q] = true;
						todo.add(q);
					}
			}
			for (int i = 0; i < in.length; i++) in[i] = !outside[i];
			blocks[z - minZ()] = Slice.denseBlock(s.x0() - 1, s.y0() - 1, w, h, in);
		}
		return fromCode(MaskCodec.assemble(minZ(), blocks));
	}

	private static Mask fromCode(byte[] c) {
		return new Mask(c, MaskCodec.check(c));
	}

	// ------------------------------------------------------------------------------------------------ making masks

	/** A disc on slice z: the voxels (x, y) with (x - cx)² + (y - cy)² ≤ r² — a round brush of radius r at (cx, cy). */
	public static Mask disc(int cx, int cy, double r, int z) {
		if (!(r >= 0) || r > 1 << 20) throw new IllegalArgumentException("A disc's radius must be between 0 and 2^20, not " + r);
		Builder b = builder();
		int ri = (int) Math.floor(r);
		for (int dy = -ri; dy <= ri; dy++) {
			int half = (int) Math.floor(Math.sqrt(r * r - (double) dy * dy) + 1e-9);
			b.addRun(z, cy + dy, cx - half, cx + half + 1);
		}
		return b.build();
	}

	/**
	 * The pixels of an area shape on slice z: those whose centre (x + 0.5, y + 0.5) lies inside it, the rule of
	 * {@link Geometry#iou} (a rectangle 2, 3, 4 × 5 gives its 20 pixels). Lines and points give an empty mask.
	 */
	public static Mask of(Geometry g, int z) {
		if (!g.kind().isArea()) return EMPTY;
		Box b = g.bounds();
		int x0 = (int) Math.floor(b.x()), y0 = (int) Math.floor(b.y());
		int x1 = (int) Math.ceil(b.x() + b.w()), y1 = (int) Math.ceil(b.y() + b.h());
		Builder out = builder();
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) {
				if (!g.contains(x + 0.5, y + 0.5)) continue;
				int xs = x;
				while (x + 1 < x1 && g.contains(x + 1.5, y + 0.5)) x++;
				out.addRun(z, y, xs, x + 1);
			}
		return out.build();
	}

	/** Intersection over union of the voxels of two masks (0 when both are empty). */
	public double iou(Mask other) {
		long a = voxelCount(), b = other.voxelCount();
		if (a == 0 && b == 0) return 0;
		long inter = a - subtract(other).voxelCount();
		return (double) inter / (a + b - inter);
	}

	/** The voxels of slice z of a dense row-major label map ({@code labels[x + y * width]}) that equal {@code value}. */
	public static Mask fromLabels(int[] labels, int width, int height, int z, int value) {
		if (labels.length < (long) width * height) throw new IllegalArgumentException("a " + width + "x" + height + " label slice needs " + (long) width * height + " values, not " + labels.length);
		Builder b = builder();
		b.addLabelSlice(labels, width, height, z, value);
		return b.build();
	}

	/**
	 * Sets {@code value} into a dense row-major label slice wherever this mask has a voxel on slice z; voxels
	 * outside the width × height grid are left out.
	 */
	public void paint(int[] labels, int width, int height, int z, int value) {
		slice(z).forEachRow((y, xs, xe) -> {
			if (y < 0 || y >= height) return;
			int from = Math.max(0, xs), to = Math.min(width, xe);
			if (from < to) Arrays.fill(labels, y * width + from, y * width + to, value);
		});
	}

	public static Builder builder() {
		return new Builder();
	}

	/** Collects row runs, in any order and overlapping as they may; {@link #build} merges them into a mask. */
	public static final class Builder {
		private final TreeMap<Integer, int[]> rows = new TreeMap<>(); // z → packed (y, xs, xe) triples
		private final Map<Integer, Integer> sizes = new HashMap<>();

		/** Sets the voxels x in [xs, xe) of row y on slice z. */
		public Builder addRun(int z, int y, int xs, int xe) {
			if (xe <= xs) return this;
			int n = sizes.getOrDefault(z, 0);
			int[] a = rows.get(z);
			if (a == null) rows.put(z, a = new int[48]);
			else if (a.length < 3 * n + 3) rows.put(z, a = Arrays.copyOf(a, 2 * a.length));
			a[3 * n] = y;
			a[3 * n + 1] = xs;
			a[3 * n + 2] = xe;
			sizes.put(z, n + 1);
			return this;
		}

		/** Adds the voxels of a dense row-major label slice that equal {@code value}. */
		public Builder addLabelSlice(int[] labels, int width, int height, int z, int value) {
			for (int y = 0; y < height; y++) {
				int row = y * width;
				for (int x = 0; x < width; x++) {
					if (labels[row + x] != value) continue;
					int xs = x;
					while (x < width && labels[row + x] == value) x++;
					addRun(z, y, xs, x);
				}
			}
			return this;
		}

		public Mask build() {
			if (rows.isEmpty()) return EMPTY;
			int z0 = rows.firstKey(), z1 = rows.lastKey();
			if ((long) z1 - z0 + 1 > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("a mask spans too many slices");
			byte[][] blocks = new byte[z1 - z0 + 1][];
			for (Map.Entry<Integer, int[]> e : rows.entrySet())
				blocks[e.getKey() - z0] = Slice.rowBlock(e.getValue(), sizes.get(e.getKey()));
			return fromCode(MaskCodec.assemble(z0, blocks));
		}
	}

	// ------------------------------------------------------------------------------------------------ one slice

	/** Receives the runs of a slice row by row: voxels x in [xs, xe) of row y. */
	@FunctionalInterface
	public interface RowRuns {
		void run(int y, int xs, int xe);
	}

	/**
	 * One slice of a mask: its tight box and the runs of set voxels in it (start, length pairs of the row-major
	 * index {@code (x - x0) + (y - y0) * w}).
	 */
	public static final class Slice {
		private final int z, x0, y0, w, h;
		private final int[] runs;

		Slice(int z, int x0, int y0, int w, int h, int[] runs) {
			this.z = z;
			this.x0 = x0;
			this.y0 = y0;
			this.w = w;
			this.h = h;
			this.runs = runs;
		}

		static Slice empty(int z) {
			return new Slice(z, 0, 0, 0, 0, new int[0]);
		}

		public int z() { return z; }
		public int x0() { return x0; }
		public int y0() { return y0; }
		public int w() { return w; }
		public int h() { return h; }
		public boolean isEmpty() { return runs.length == 0; }
		/** Start, length pairs (a copy). */
		public int[] runs() { return runs.clone(); }

		public long count() {
			long n = 0;
			for (int i = 1; i < runs.length; i += 2) n += runs[i];
			return n;
		}

		public boolean contains(int x, int y) {
			if (x < x0 || y < y0 || x >= x0 + w || y >= y0 + h) return false;
			int p = (x - x0) + (y - y0) * w;
			int lo = 0, hi = runs.length / 2 - 1;
			while (lo <= hi) { // last run starting at or before p
				int mid = (lo + hi) >>> 1;
				if (runs[2 * mid] <= p) lo = mid + 1;
				else hi = mid - 1;
			}
			return hi >= 0 && p < runs[2 * hi] + runs[2 * hi + 1];
		}

		/** Calls {@code f} for every row piece of every run, top to bottom. */
		public void forEachRow(RowRuns f) {
			for (int i = 0; i < runs.length; i += 2) {
				int s = runs[i], e = runs[i] + runs[i + 1];
				while (s < e) {
					int row = s / w, rowEnd = Math.min(e, (row + 1) * w);
					f.run(y0 + row, x0 + s - row * w, x0 + rowEnd - row * w);
					s = rowEnd;
				}
			}
		}

		/** This slice as a mask. */
		public Mask toMask() {
			if (isEmpty()) return EMPTY;
			return fromCode(MaskCodec.assemble(z, new byte[][] { MaskCodec.block(x0, y0, w, h, runs, runs.length / 2) }));
		}

		static byte[] combine(Slice a, Slice b, boolean union) {
			int x0 = Math.min(a.x0, b.x0), y0 = Math.min(a.y0, b.y0);
			int w = Math.max(a.x0 + a.w, b.x0 + b.w) - x0, h = Math.max(a.y0 + a.h, b.y0 + b.h) - y0;
			if ((long) w * h > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("the two masks' slices span too large a box");
			boolean[] px = new boolean[w * h];
			a.forEachRow((y, xs, xe) -> Arrays.fill(px, (y - y0) * w + xs - x0, (y - y0) * w + xe - x0, true));
			b.forEachRow((y, xs, xe) -> Arrays.fill(px, (y - y0) * w + xs - x0, (y - y0) * w + xe - x0, union));
			return denseBlock(x0, y0, w, h, px);
		}

		/** The block of the set pixels of a dense box (null when none is set). */
		static byte[] denseBlock(int x0, int y0, int w, int h, boolean[] px) {
			int minX = w, minY = h, maxX = -1, maxY = -1;
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if (px[y * w + x]) {
						if (x < minX) minX = x;
						if (x > maxX) maxX = x;
						if (y < minY) minY = y;
						maxY = y;
					}
			if (maxX < 0) return null;
			int tw = maxX - minX + 1, th = maxY - minY + 1;
			int[] runs = new int[16];
			int n = 0;
			for (int y = minY; y <= maxY; y++)
				for (int x = minX; x <= maxX; x++) {
					if (!px[y * w + x]) continue;
					int xs = x;
					while (x <= maxX && px[y * w + x]) x++;
					int start = (y - minY) * tw + xs - minX, len = x - xs;
					if (n > 0 && runs[2 * n - 2] + runs[2 * n - 1] == start) runs[2 * n - 1] += len;
					else {
						if (runs.length < 2 * n + 2) runs = Arrays.copyOf(runs, 2 * runs.length);
						runs[2 * n] = start;
						runs[2 * n + 1] = len;
						n++;
					}
				}
			return MaskCodec.block(x0 + minX, y0 + minY, tw, th, runs, n);
		}

		/** The block of packed (y, xs, xe) row runs in any order, overlapping or not. */
		static byte[] rowBlock(int[] packed, int n) {
			Integer[] order = new Integer[n];
			for (int i = 0; i < n; i++) order[i] = i;
			Arrays.sort(order, (p, q) -> packed[3 * p] != packed[3 * q] ? Integer.compare(packed[3 * p], packed[3 * q])
					: Integer.compare(packed[3 * p + 1], packed[3 * q + 1]));
			// merge per row
			int[] my = new int[n], ms = new int[n], me = new int[n];
			int m = 0;
			for (int k = 0; k < n; k++) {
				int i = order[k], y = packed[3 * i], xs = packed[3 * i + 1], xe = packed[3 * i + 2];
				if (m > 0 && my[m - 1] == y && xs <= me[m - 1]) me[m - 1] = Math.max(me[m - 1], xe);
				else {
					my[m] = y;
					ms[m] = xs;
					me[m] = xe;
					m++;
				}
			}
			int minX = Integer.MAX_VALUE, maxX = Integer.MIN_VALUE;
			for (int i = 0; i < m; i++) {
				minX = Math.min(minX, ms[i]);
				maxX = Math.max(maxX, me[i]);
			}
			int y0 = my[0], h = my[m - 1] - y0 + 1;
			long wl = (long) maxX - minX;
			if (wl * h > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("a mask slice spans too large a box");
			int w = (int) wl;
			int[] runs = new int[2 * m];
			int r = 0;
			for (int i = 0; i < m; i++) {
				int start = (my[i] - y0) * w + ms[i] - minX, len = me[i] - ms[i];
				if (r > 0 && runs[2 * r - 2] + runs[2 * r - 1] == start) runs[2 * r - 1] += len;
				else {
					runs[2 * r] = start;
					runs[2 * r + 1] = len;
					r++;
				}
			}
			return MaskCodec.block(minX, y0, w, h, runs, r);
		}
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Mask m && Arrays.equals(code, m.code);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(code);
	}

	@Override
	public String toString() {
		return isEmpty() ? "mask[empty]"
				: "mask[x " + minX() + ".." + maxX() + ", y " + minY() + ".." + maxY() + ", z " + minZ() + ".." + maxZ() + "; " + voxelCount() + " voxels]";
	}
}
