package org.labelloop.core.geom;

import java.io.ByteArrayOutputStream;

/**
 * The one byte form of a {@link Mask}: what the project store keeps (a SQLite blob), what the lab server's wire and
 * the COCO extension field carry (base64). Varint-delta run lengths, slice by slice, so one slice is found and
 * decoded without decoding the others:
 *
 * <pre>
 * byte     version (1)
 * zigzag   z0            first slice (0-based voxel z)
 * varint   depth         number of slices from z0 (0 for an empty mask)
 * depth ×  varint length of the slice's block, then the block (length 0: no voxels on that slice):
 *          zigzag x0, zigzag y0, varint w, varint h    the slice's tight bounding box
 *          varint n                                     number of runs
 *          n × (varint gap, varint length)              runs of set voxels in the box, row-major index
 *                                                       (x - x0) + (y - y0) * w; gap from the end of the previous
 *                                                       run (from 0 for the first), at least 1 after the first
 * </pre>
 *
 * The form is canonical: first and last slices are not empty, every box is tight, runs are maximal. So two masks
 * are equal exactly when their bytes are. {@link #check} refuses anything else with the reason, so damaged bytes
 * never become a wrong mask. No deflate on top: a blob-like object costs about 3 bytes per row per slice already
 * (see docs/benchmarks.md), and inflating would have to decode the whole volume to reach one slice.
 */
public final class MaskCodec {

	public static final int VERSION = 1;

	private MaskCodec() {
	}

	/** A corrupt or non-canonical mask blob. */
	public static final class CorruptMaskException extends IllegalArgumentException {
		private static final long serialVersionUID = 1L;

		CorruptMaskException(String why) {
			super("mask data are corrupt: " + why);
		}
	}

	/** The slice table of a checked blob: where each slice's block starts and ends, and the overall box. */
	record Index(int z0, int depth, int[] start, int[] end, int minX, int minY, int maxX, int maxY) {
	}

	/** Reads varints from a byte array. */
	static final class Reader {
		final byte[] b;
		int p;
		final int limit;

		Reader(byte[] b, int from, int limit) {
			this.b = b;
			this.p = from;
			this.limit = limit;
		}

		long varint() {
			long v = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				if (p >= limit) throw new CorruptMaskException("it ends in the middle of a number (byte " + p + ")");
				int c = b[p++] & 0xff;
				v |= (long) (c & 0x7f) << shift;
				if ((c & 0x80) == 0) return v;
			}
			throw new CorruptMaskException("a number is longer than 10 bytes (byte " + p + ")");
		}

		int uint(String what) {
			long v = varint();
			if (v < 0 || v > Integer.MAX_VALUE) throw new CorruptMaskException(what + " " + v + " is out of range");
			return (int) v;
		}

		int zigzag(String what) {
			long v = varint();
			long d = (v >>> 1) ^ -(v & 1);
			if (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) throw new CorruptMaskException(what + " " + d + " is out of range");
			return (int) d;
		}
	}

	static void varint(ByteArrayOutputStream out, long v) {
		while ((v & ~0x7fL) != 0) {
			out.write((int) ((v & 0x7f) | 0x80));
			v >>>= 7;
		}
		out.write((int) v);
	}

	/** Zigzag of a 32-bit value as an unsigned 33-bit number. */
	static long zig(int v) {
		return v >= 0 ? 2L * v : -2L * v - 1;
	}

	/** Checks a whole blob, every run of every slice, and returns its slice table. */
	static Index check(byte[] b) {
		if (b == null || b.length == 0) throw new CorruptMaskException("the blob is empty");
		if ((b[0] & 0xff) != VERSION)
			throw new CorruptMaskException("unknown version " + (b[0] & 0xff) + " (this LabelLoop reads version " + VERSION + ")");
		Reader r = new Reader(b, 1, b.length);
		int z0 = r.zigzag("first slice");
		int depth = r.uint("depth");
		if (depth > 0 && (long) z0 + depth - 1 > Integer.MAX_VALUE) throw new CorruptMaskException("slices beyond the largest index");
		if (depth > b.length) throw new CorruptMaskException("depth " + depth + " is more than the blob can hold");
		int[] start = new int[depth], end = new int[depth];
		long minX = Long.MAX_VALUE, minY = Long.MAX_VALUE, maxX = Long.MIN_VALUE, maxY = Long.MIN_VALUE;
		for (int k = 0; k < depth; k++) {
			int len = r.uint("slice block length");
			if (len > r.limit - r.p) throw new CorruptMaskException("slice " + (z0 + k) + " is cut off (block of " + len + " bytes, " + (r.limit - r.p) + " left)");
			start[k] = r.p;
			end[k] = r.p + len;
			if (len == 0) {
				if (k == 0 || k == depth - 1) throw new CorruptMaskException("its first or last slice is empty");
				continue;
			}
			int[] box = checkBlock(b, start[k], end[k], z0 + k);
			minX = Math.min(minX, box[0]);
			minY = Math.min(minY, box[1]);
			maxX = Math.max(maxX, (long) box[0] + box[2] - 1);
			maxY = Math.max(maxY, (long) box[1] + box[3] - 1);
			r.p = end[k];
		}
		if (r.p != b.length) throw new CorruptMaskException((b.length - r.p) + " bytes after the last slice");
		if (depth == 0) {
			if (z0 != 0) throw new CorruptMaskException("an empty mask must start at slice 0");
			return new Index(0, 0, start, end, 0, 0, -1, -1);
		}
		if (maxX > Integer.MAX_VALUE || maxY > Integer.MAX_VALUE) throw new CorruptMaskException("the box reaches beyond the largest index");
		return new Index(z0, depth, start, end, (int) minX, (int) minY, (int) maxX, (int) maxY);
	}

	/** Checks one non-empty slice block; returns {x0, y0, w, h}. */
	private static int[] checkBlock(byte[] b, int from, int to, int z) {
		Reader r = new Reader(b, from, to);
		int x0 = r.zigzag("x"), y0 = r.zigzag("y"), w = r.uint("width"), h = r.uint("height");
		String at = "slice " + z + ": ";
		if (w == 0 || h == 0) throw new CorruptMaskException(at + "a non-empty slice has an empty box");
		long area = (long) w * h;
		if (area > Integer.MAX_VALUE) throw new CorruptMaskException(at + "box " + w + "x" + h + " is too large");
		int n = r.uint("run count");
		if (n == 0) throw new CorruptMaskException(at + "a non-empty slice has no runs");
		long pos = 0;
		int minCol = Integer.MAX_VALUE, maxCol = -1;
		long firstRow = -1, lastRow = -1;
		for (int i = 0; i < n; i++) {
			long gap = r.varint(), len = r.varint();
			if (i > 0 && gap == 0) throw new CorruptMaskException(at + "run " + i + " touches the previous one (not merged)");
			if (len == 0) throw new CorruptMaskException(at + "run " + i + " is empty");
			long s = pos + gap, e = s + len; // [s, e)
			if (gap < 0 || len < 0 || e > area)
				throw new CorruptMaskException(at + "run " + i + " ends at " + e + ", beyond the box of " + area + " voxels (" + w + "x" + h + ")");
			long sr = s / w, er = (e - 1) / w;
			int sc = (int) (s % w), ec = (int) ((e - 1) % w);
			if (firstRow < 0) firstRow = sr;
			lastRow = er;
			if (sr != er) {
				minCol = 0;
				maxCol = w - 1;
			} else {
				minCol = Math.min(minCol, sc);
				maxCol = Math.max(maxCol, ec);
			}
			pos = e;
		}
		if (r.p != to) throw new CorruptMaskException(at + (to - r.p) + " bytes after the runs");
		if (firstRow != 0 || lastRow != h - 1 || minCol != 0 || maxCol != w - 1)
			throw new CorruptMaskException(at + "the box " + w + "x" + h + " is not tight around the runs");
		return new int[] { x0, y0, w, h };
	}

	/** Encodes one slice's box and runs (start, length pairs; sorted, maximal) as a block. */
	static byte[] block(int x0, int y0, int w, int h, int[] runs, int n) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 3 * n);
		varint(out, zig(x0));
		varint(out, zig(y0));
		varint(out, w);
		varint(out, h);
		varint(out, n);
		long pos = 0;
		for (int i = 0; i < n; i++) {
			varint(out, runs[2 * i] - pos);
			varint(out, runs[2 * i + 1]);
			pos = (long) runs[2 * i] + runs[2 * i + 1];
		}
		return out.toByteArray();
	}

	/** Assembles a blob from per-slice blocks (null or empty = no voxels), dropping empty slices at both ends. */
	static byte[] assemble(int z0, byte[][] blocks) {
		int first = 0, last = blocks.length - 1;
		while (first <= last && (blocks[first] == null || blocks[first].length == 0)) first++;
		while (last >= first && (blocks[last] == null || blocks[last].length == 0)) last--;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(VERSION);
		if (first > last) {
			varint(out, 0);
			varint(out, 0);
			return out.toByteArray();
		}
		varint(out, zig(z0 + first));
		varint(out, last - first + 1);
		for (int k = first; k <= last; k++) {
			byte[] bl = blocks[k] == null ? new byte[0] : blocks[k];
			varint(out, bl.length);
			out.write(bl, 0, bl.length);
		}
		return out.toByteArray();
	}
}
