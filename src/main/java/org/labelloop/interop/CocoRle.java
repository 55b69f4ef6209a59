package org.labelloop.interop;

import java.util.Arrays;

import org.labelloop.core.geom.Mask;

/**
 * COCO run-length masks as pycocotools writes them ({@code maskApi.c}): an h × w mask in column-major order (pixel
 * (x, y) at index {@code x * h + y}), counts of alternating runs starting with background (so the first count may be
 * 0); in JSON either the plain {@code counts} list or the compressed string of {@link #toString(long[])} /
 * {@link #fromString(String)}.
 */
final class CocoRle {

	private CocoRle() {
	}

	/** An RLE that cannot be read, with the reason. */
	static final class BadRle extends IllegalArgumentException {
		private static final long serialVersionUID = 1L;

		BadRle(String why) {
			super(why);
		}
	}

	/**
	 * pycocotools' {@code rleToString}: "similar to LEB128 but using 6 bits/char and ascii chars 48-111". Each count
	 * from the third on is written as the difference to the count two before it; 5 value bits per character, bit
	 * 0x20 = more characters follow, the sign taken from bit 0x10 of the last one.
	 */
	static String toString(long[] cnts) {
		StringBuilder s = new StringBuilder(cnts.length * 2);
		for (int i = 0; i < cnts.length; i++) {
			long x = cnts[i];
			if (i > 2) x -= cnts[i - 2];
			boolean more = true;
			while (more) {
				long c = x & 0x1f;
				x >>= 5;
				more = (c & 0x10) != 0 ? x != -1 : x != 0;
				if (more) c |= 0x20;
				c += 48;
				s.append((char) c);
			}
		}
		return s.toString();
	}

	/** pycocotools' {@code rleFrString}, the inverse of {@link #toString(long[])}; refuses characters outside 48..111 and a cut-off count. */
	static long[] fromString(String s) {
		long[] cnts = new long[Math.max(4, s.length())];
		int m = 0, p = 0;
		while (p < s.length()) {
			long x = 0;
			int k = 0;
			boolean more = true;
			while (more) {
				if (p >= s.length()) throw new BadRle("the compressed counts end in the middle of a number");
				int c = s.charAt(p) - 48;
				if (c < 0 || c > 63) throw new BadRle("character '" + s.charAt(p) + "' at " + p + " is not part of a compressed RLE (ASCII 48-111)");
				if (k > 12) throw new BadRle("a count at " + p + " is too long");
				x |= (long) (c & 0x1f) << 5 * k;
				more = (c & 0x20) != 0;
				p++;
				k++;
				if (!more && (c & 0x10) != 0) x |= -1L << 5 * k;
			}
			if (m > 2) x += cnts[m - 2];
			cnts[m++] = x;
		}
		return Arrays.copyOf(cnts, m);
	}

	/** Checks that counts are whole, not negative, and add up to h × w. */
	static void check(long[] cnts, int h, int w) {
		long total = 0;
		for (int i = 0; i < cnts.length; i++) {
			if (cnts[i] < 0) throw new BadRle("count " + i + " is negative (" + cnts[i] + ")");
			total += cnts[i];
		}
		if (total != (long) h * w)
			throw new BadRle("the RLE counts add up to " + total + " pixels, not " + h + " x " + w + " = " + (long) h * w);
	}

	/** The mask of an h × w RLE on slice z. */
	static Mask toMask(long[] cnts, int h, int w, int z) {
		check(cnts, h, w);
		Mask.Builder b = Mask.builder();
		long pos = 0;
		for (int i = 0; i < cnts.length; i++) {
			long end = pos + cnts[i];
			if (i % 2 == 1) // foreground: column-major, so a run goes down columns
				for (long q = pos; q < end;) {
					int x = (int) (q / h), y = (int) (q % h);
					int len = (int) Math.min(end - q, h - y);
					for (int yy = y; yy < y + len; yy++) b.addRun(z, yy, x, x + 1);
					q += len;
				}
			pos = end;
		}
		return b.build();
	}

	/** The RLE of a mask's voxels on every slice together (its projection along z), clipped to h × w. */
	static long[] fromMask(Mask m, int h, int w) {
		boolean[] on = new boolean[h * w]; // column-major
		for (int z : m.slices())
			m.slice(z).forEachRow((y, xs, xe) -> {
				if (y < 0 || y >= h) return;
				for (int x = Math.max(0, xs); x < Math.min(w, xe); x++) on[x * h + y] = true;
			});
		long[] cnts = new long[16];
		int n = 0;
		boolean cur = false;
		long run = 0;
		for (boolean v : on) {
			if (v != cur) {
				if (n == cnts.length) cnts = Arrays.copyOf(cnts, 2 * n);
				cnts[n++] = run;
				run = 0;
				cur = v;
			}
			run++;
		}
		if (n == cnts.length) cnts = Arrays.copyOf(cnts, n + 1);
		cnts[n++] = run;
		return Arrays.copyOf(cnts, n);
	}

	/** Pixels set in the RLE: the odd-numbered counts. */
	static long area(long[] cnts) {
		long a = 0;
		for (int i = 1; i < cnts.length; i += 2) a += cnts[i];
		return a;
	}
}
