package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Mask;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;

/** 3D proposals on a synthetic stack whose objects are known voxel for voxel. */
class VolumeProposerTest {

	static int[][] spheres = { { 10, 10, 4, 5 }, { 28, 26, 5, 4 }, { 33, 8, 2, 1 } }; // cx, cy, cz, r

	static boolean inSphere(int x, int y, int z, int[] s) {
		return (x - s[0]) * (x - s[0]) + (y - s[1]) * (y - s[1]) + (z - s[2]) * (z - s[2]) <= s[3] * s[3];
	}

	static ImagePlus stack(boolean brightObjects) {
		Random r = new Random(2);
		ImageStack st = new ImageStack(40, 36);
		for (int z = 0; z < 10; z++) {
			byte[] px = new byte[40 * 36];
			for (int y = 0; y < 36; y++)
				for (int x = 0; x < 40; x++) {
					boolean in = false;
					for (int[] s : spheres) in |= inSphere(x, y, z, s);
					int v = (in == brightObjects ? 180 : 40) + r.nextInt(20);
					px[y * 40 + x] = (byte) v;
				}
			st.addSlice(null, new ByteProcessor(40, 36, px));
		}
		return new ImagePlus("spheres", st);
	}

	static long count(int[] s) {
		long n = 0;
		for (int z = 0; z < 10; z++) for (int y = 0; y < 36; y++) for (int x = 0; x < 40; x++) if (inSphere(x, y, z, s)) n++;
		return n;
	}

	@Test
	void findsEachObjectInThreeDimensionsVoxelForVoxelAndFiltersBySize() {
		List<Mask> all = VolumeProposer.propose(stack(true), new VolumeProposer.Settings("Otsu", 1, 1, 0, ClassicalProposer.Objects.AUTO, 1, Long.MAX_VALUE));
		assertEquals(3, all.size());
		List<Long> sizes = all.stream().map(Mask::voxelCount).sorted(Comparator.reverseOrder()).toList();
		assertEquals(List.of(count(spheres[0]), count(spheres[1]), count(spheres[2])), sizes);
		Mask first = all.stream().max(Comparator.comparingLong(Mask::voxelCount)).orElseThrow();
		for (int z = 0; z < 10; z++)
			for (int y = 0; y < 36; y++)
				for (int x = 0; x < 40; x++) assertEquals(inSphere(x, y, z, spheres[0]), first.contains(x, y, z));
		assertEquals(0, first.minZ()); // the sphere at z 4 with radius 5 is cut by the stack's first slice
		assertEquals(9, first.maxZ());
		// size filter
		assertEquals(2, VolumeProposer.propose(stack(true), new VolumeProposer.Settings("Otsu", 1, 1, 0, ClassicalProposer.Objects.AUTO, 20, Long.MAX_VALUE)).size());
		assertEquals(1, VolumeProposer.propose(stack(true), new VolumeProposer.Settings("Otsu", 1, 1, 0, ClassicalProposer.Objects.AUTO, 20, 400)).size());
		// dark objects on a bright background, found as the smaller phase
		assertEquals(3, VolumeProposer.propose(stack(false), new VolumeProposer.Settings("Otsu", 1, 1, 0, ClassicalProposer.Objects.AUTO, 1, Long.MAX_VALUE)).size());
		// smoothing in 3D keeps the two big ones
		List<Mask> smooth = VolumeProposer.propose(stack(true), new VolumeProposer.Settings("Otsu", 1, 1, 1, ClassicalProposer.Objects.BRIGHT, 100, Long.MAX_VALUE));
		assertEquals(2, smooth.size());
		assertTrue(smooth.stream().allMatch(m -> m.voxelCount() > 100));
	}
}
