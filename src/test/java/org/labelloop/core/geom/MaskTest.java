package org.labelloop.core.geom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link Mask} and its {@link MaskCodec} against a dense boolean volume as the reference. */
class MaskTest {

	/** A dense reference volume with an origin, for comparing voxel by voxel. */
	static final class Dense {
		final int ox, oy, oz, w, h, d;
		final boolean[] v;

		Dense(int ox, int oy, int oz, int w, int h, int d) {
			this.ox = ox; this.oy = oy; this.oz = oz; this.w = w; this.h = h; this.d = d;
			v = new boolean[w * h * d];
		}

		boolean get(int x, int y, int z) {
			x -= ox; y -= oy; z -= oz;
			return x >= 0 && y >= 0 && z >= 0 && x < w && y < h && z < d && v[x + w * (y + h * z)];
		}

		void set(int x, int y, int z, boolean b) {
			v[(x - ox) + w * ((y - oy) + h * (z - oz))] = b;
		}

		long count() {
			long n = 0;
			for (boolean b : v) if (b) n++;
			return n;
		}

		Mask toMask() {
			Mask.Builder b = Mask.builder();
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						if (v[x + w * (y + h * z)]) b.addRun(oz + z, oy + y, ox + x, ox + x + 1);
			return b.build();
		}
	}

	static Dense random(Random r, int ox, int oy, int oz) {
		Dense d = new Dense(ox, oy, oz, 1 + r.nextInt(20), 1 + r.nextInt(20), 1 + r.nextInt(5));
		double p = r.nextDouble();
		// blobs, noise, or nothing: exercise runs crossing rows, single voxels, empty slices in the middle
		int kind = r.nextInt(3);
		for (int z = 0; z < d.d; z++) {
			boolean skip = r.nextInt(4) == 0;
			for (int y = 0; y < d.h; y++)
				for (int x = 0; x < d.w; x++) {
					boolean on = switch (kind) {
						case 0 -> r.nextDouble() < p;
						case 1 -> Math.hypot(x - d.w / 2.0, y - d.h / 2.0) < d.w / 3.0;
						default -> (x + y + z) % 3 == 0;
					};
					d.set(ox + x, oy + y, oz + z, on && !skip);
				}
		}
		return d;
	}

	static void assertSame(Dense d, Mask m) {
		assertEquals(d.count(), m.voxelCount());
		for (int z = d.oz - 1; z <= d.oz + d.d; z++)
			for (int y = d.oy - 1; y <= d.oy + d.h; y++)
				for (int x = d.ox - 1; x <= d.ox + d.w; x++)
					assertEquals(d.get(x, y, z), m.contains(x, y, z), "voxel " + x + "," + y + "," + z);
	}

	@Test
	void randomMasksRoundTripThroughTheCodecVoxelForVoxel() {
		Random r = new Random(14);
		for (int t = 0; t < 300; t++) {
			Dense d = random(r, r.nextInt(41) - 20, r.nextInt(41) - 20, r.nextInt(9) - 4);
			Mask m = d.toMask();
			assertSame(d, m);
			Mask back = Mask.decode(m.encode());
			assertEquals(m, back);
			assertEquals(m.hashCode(), back.hashCode());
			assertSame(d, back);
			// tight box
			if (!m.isEmpty()) {
				boolean minX = false, maxX = false;
				for (int z = m.minZ(); z <= m.maxZ(); z++)
					for (int y = m.minY(); y <= m.maxY(); y++) {
						minX |= m.contains(m.minX(), y, z);
						maxX |= m.contains(m.maxX(), y, z);
					}
				assertTrue(minX && maxX, "box is tight in x");
				assertFalse(m.slice(m.minZ()).isEmpty());
				assertFalse(m.slice(m.maxZ()).isEmpty());
			}
		}
	}

	@Test
	void unionAndSubtractMatchTheDenseReference() {
		Random r = new Random(7);
		for (int t = 0; t < 200; t++) {
			Dense a = random(r, 0, 0, 0), b = random(r, r.nextInt(11) - 5, r.nextInt(11) - 5, r.nextInt(5) - 2);
			int x0 = Math.min(a.ox, b.ox), y0 = Math.min(a.oy, b.oy), z0 = Math.min(a.oz, b.oz);
			int x1 = Math.max(a.ox + a.w, b.ox + b.w), y1 = Math.max(a.oy + a.h, b.oy + b.h), z1 = Math.max(a.oz + a.d, b.oz + b.d);
			Dense u = new Dense(x0, y0, z0, x1 - x0, y1 - y0, z1 - z0), s = new Dense(x0, y0, z0, x1 - x0, y1 - y0, z1 - z0);
			for (int z = z0; z < z1; z++)
				for (int y = y0; y < y1; y++)
					for (int x = x0; x < x1; x++) {
						u.set(x, y, z, a.get(x, y, z) || b.get(x, y, z));
						s.set(x, y, z, a.get(x, y, z) && !b.get(x, y, z));
					}
			Mask ma = a.toMask(), mb = b.toMask();
			Mask mu = ma.union(mb), ms = ma.subtract(mb);
			assertSame(u, mu);
			assertSame(s, ms);
			// canonical: the same voxels built another way give equal masks and bytes
			assertEquals(u.toMask(), mu);
			assertEquals(s.toMask(), ms);
			assertArrayEquals(s.toMask().encode(), ms.encode());
		}
	}

	@Test
	void aBrushStrokeAddsAndErasesADiscOnOneSliceOnly() {
		Mask sphere = sphere(30, 30, 5, 10);
		Mask disc = Mask.disc(45, 30, 4, 5);
		assertEquals(49, disc.voxelCount()); // rows of 9, 7, 7, 5, 1 voxels
		long expected = 0;
		for (int dy = -4; dy <= 4; dy++) for (int dx = -4; dx <= 4; dx++) if (dx * dx + dy * dy <= 16) expected++;
		assertEquals(expected, disc.voxelCount());
		Mask painted = sphere.union(disc);
		assertTrue(painted.contains(49, 30, 5));
		assertFalse(sphere.contains(49, 30, 5));
		for (int z = sphere.minZ(); z <= sphere.maxZ(); z++)
			if (z != 5) assertEquals(sphere.slice(z).count(), painted.slice(z).count());
		Mask erased = painted.subtract(disc);
		assertFalse(erased.contains(45, 30, 5));
		assertTrue(erased.contains(40, 30, 5)); // the sphere's own voxel next to the erased disc (41..49) stays
		assertTrue(erased.contains(30, 30, 5));
		// erasing everything leaves the empty mask
		assertTrue(disc.subtract(Mask.disc(45, 30, 5, 5)).isEmpty());
		assertEquals(Mask.EMPTY, disc.subtract(disc));
	}

	static Mask sphere(int cx, int cy, int cz, int r) {
		Mask.Builder b = Mask.builder();
		for (int z = cz - r; z <= cz + r; z++)
			for (int y = cy - r; y <= cy + r; y++)
				for (int x = cx - r; x <= cx + r; x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) + (z - cz) * (z - cz) <= r * r) b.addRun(z, y, x, x + 1);
		return b.build();
	}

	@Test
	void fillHolesFillsEnclosedBackgroundPerSliceButNotOpenBays() {
		// a ring with a hole on slice 2, and a "C" open to the outside on slice 3
		int[] ring = new int[10 * 10], c = new int[10 * 10];
		for (int y = 0; y < 10; y++)
			for (int x = 0; x < 10; x++) {
				boolean edge = x == 2 || x == 7 || y == 2 || y == 7;
				boolean inBox = x >= 2 && x <= 7 && y >= 2 && y <= 7;
				ring[x + 10 * y] = inBox && edge ? 1 : 0;
				c[x + 10 * y] = inBox && edge && !(x == 7 && y >= 4 && y <= 5) ? 1 : 0;
			}
		Mask m = Mask.fromLabels(ring, 10, 10, 2, 1).union(Mask.fromLabels(c, 10, 10, 3, 1));
		Mask f = m.fillHoles();
		assertEquals(36, f.slice(2).count());
		assertTrue(f.contains(4, 4, 2));
		assertEquals(m.slice(3).count(), f.slice(3).count());
		assertFalse(f.contains(4, 4, 3));
	}

	@Test
	void labelSlicesConvertBothWays() {
		Random r = new Random(3);
		int w = 37, h = 23;
		int[] labels = new int[w * h];
		for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(4);
		int[] back = new int[w * h];
		for (int v = 1; v < 4; v++) Mask.fromLabels(labels, w, h, 6, v).paint(back, w, h, 6, v);
		assertArrayEquals(labels, back);
		// painting clips at the grid's edge
		int[] small = new int[4 * 4];
		Mask.disc(0, 0, 2, 0).paint(small, 4, 4, 0, 9);
		assertEquals(9, small[0]);
		assertEquals(9, small[2]);
		assertEquals(0, small[3]);
		assertEquals(0, small[3 * 4 + 3]);
	}

	@Test
	void corruptBlobsAreRefusedWithTheReason() {
		Mask m = sphere(10, 10, 3, 3);
		byte[] good = m.encode();
		assertEquals(m, Mask.decode(good));
		assertThrows(IllegalArgumentException.class, () -> Mask.decode(new byte[0]));
		assertMessage("unknown version 7", () -> Mask.decode(new byte[] { 7, 0, 0 }));
		assertMessage("cut off", () -> Mask.decode(Arrays.copyOf(good, good.length - 3)));
		assertMessage("after the last slice", () -> Mask.decode(Arrays.copyOf(good, good.length + 1)));
		byte[] huge = good.clone();
		huge[2] = 100; // depth
		assertThrows(MaskCodec.CorruptMaskException.class, () -> Mask.decode(huge));
		// a run beyond its box: one slice, box 2x1, one run of 5
		byte[] beyond = MaskCodec.assemble(0, new byte[][] { MaskCodec.block(0, 0, 2, 1, new int[] { 0, 5 }, 1) });
		assertMessage("beyond the box", () -> Mask.decode(beyond));
		byte[] loose = MaskCodec.assemble(0, new byte[][] { MaskCodec.block(0, 0, 4, 1, new int[] { 1, 2 }, 1) });
		assertMessage("not tight", () -> Mask.decode(loose));
		byte[] unmerged = MaskCodec.assemble(0, new byte[][] { MaskCodec.block(0, 0, 4, 1, new int[] { 0, 2, 2, 2 }, 2) });
		assertMessage("not merged", () -> Mask.decode(unmerged));
	}

	private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
		IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
		assertTrue(x.getMessage().startsWith("mask data are corrupt") && x.getMessage().contains(part), x.getMessage());
	}

	@Test
	void shapesRasteriseByPixelCentresAsIouCountsThem() {
		assertEquals(20, Mask.of(Geometry.rect(2, 3, 4, 5, null), 7).voxelCount());
		assertEquals(new Box(2, 3, 4, 5), Mask.of(Geometry.rect(2, 3, 4, 5, null), 7).bounds());
		assertEquals(7, Mask.of(Geometry.rect(2, 3, 4, 5, null), 7).minZ());
		Geometry tri = Geometry.polygon(new double[] { 1, 30, 4 }, new double[] { 2, 9, 25 }, null);
		Mask t = Mask.of(tri, 0);
		for (int y = 0; y < 30; y++)
			for (int x = 0; x < 35; x++) assertEquals(tri.contains(x + 0.5, y + 0.5), t.contains(x, y, 0));
		Geometry a = Geometry.oval(10, 10, 20, 14, null), b = Geometry.rect(18, 12, 15, 9, null);
		assertEquals(a.iou(b), Mask.of(a, 0).iou(Mask.of(b, 0)), 1e-12);
		assertTrue(Mask.of(Geometry.point(3, 3, null), 0).isEmpty());
		assertEquals(1.0, t.iou(t), 0);
		assertEquals(0.0, Mask.EMPTY.iou(Mask.EMPTY), 0);
	}

	@Test
	void emptyMasksAndSlicesOutsideAreHarmless() {
		assertTrue(Mask.EMPTY.isEmpty());
		assertEquals(0, Mask.EMPTY.voxelCount());
		assertEquals(Mask.EMPTY, Mask.builder().build());
		assertTrue(Mask.EMPTY.slice(3).isEmpty());
		Mask d = Mask.disc(5, 5, 1, 2);
		assertTrue(d.slice(1).isEmpty());
		assertArrayEquals(new int[] { 2 }, d.slices());
		assertEquals(d, d.union(Mask.EMPTY));
		assertNotEquals(d, Mask.disc(5, 5, 1, 3));
		assertEquals(new Box(4, 4, 3, 3), d.bounds());
	}
}
