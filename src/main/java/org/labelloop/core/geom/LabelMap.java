package org.labelloop.core.geom;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * The label-map view of mask objects: a dense volume where each voxel holds the value of the object it belongs to
 * (0 = background), as NIfTI and TIFF label images, atlases and segmentation models give them. Both directions work
 * slice by slice, so a 512×512×300 volume is never held as one int array.
 */
public final class LabelMap {

	/** One object of a label map: its label value and its voxels. */
	public record Labelled(int label, Mask mask) {
	}

	/** How a label map becomes objects. */
	public enum Split {
		/** One object per label value (an atlas: every region one annotation, whatever its parts). */
		BY_VALUE,
		/** One object per 3D connected part (6-connected: faces) of each label value (instance masks). */
		CONNECTED;
	}

	private LabelMap() {
	}

	/**
	 * The objects of a label volume, ordered by label value, then (connected parts) by their first voxel in z, y, x
	 * order.
	 *
	 * @param slice gives slice z (0-based) as {@code width * height} row-major values; it may reuse its array
	 */
	public static List<Labelled> toMasks(int width, int height, int depth, IntFunction<int[]> slice, Split split) {
		return split == Split.BY_VALUE ? byValue(width, height, depth, slice) : connected(width, height, depth, slice);
	}

	private static List<Labelled> byValue(int width, int height, int depth, IntFunction<int[]> slice) {
		Map<Integer, Mask.Builder> builders = new TreeMap<>();
		for (int z = 0; z < depth; z++) {
			int[] v = slice.apply(z);
			check(v, width, height, z);
			for (int y = 0; y < height; y++) {
				int row = y * width;
				for (int x = 0; x < width; x++) {
					int label = v[row + x];
					if (label == 0) continue;
					int xs = x;
					while (x + 1 < width && v[row + x + 1] == label) x++;
					builders.computeIfAbsent(label, k -> Mask.builder()).addRun(z, y, xs, x + 1);
				}
			}
		}
		List<Labelled> out = new ArrayList<>(builders.size());
		builders.forEach((label, b) -> out.add(new Labelled(label, b.build())));
		return out;
	}

	private static void check(int[] v, int width, int height, int z) {
		if (v == null || v.length < (long) width * height)
			throw new IllegalArgumentException("label slice " + z + " holds " + (v == null ? 0 : v.length) + " values, not " + (long) width * height);
	}

	/** Growable int columns for runs. */
	private static final class Runs {
		int n;
		int[] z = new int[1024], y = new int[1024], xs = new int[1024], xe = new int[1024], label = new int[1024], parent = new int[1024];

		int add(int rz, int ry, int rxs, int rxe, int l) {
			if (n == z.length) {
				int c = 2 * n;
				z = Arrays.copyOf(z, c); y = Arrays.copyOf(y, c); xs = Arrays.copyOf(xs, c); xe = Arrays.copyOf(xe, c);
				label = Arrays.copyOf(label, c); parent = Arrays.copyOf(parent, c);
			}
			z[n] = rz; y[n] = ry; xs[n] = rxs; xe[n] = rxe; label[n] = l; parent[n] = n;
			return n++;
		}

		int root(int i) {
			while (parent[i] != i) {
				parent[i] = parent[parent[i]];
				i = parent[i];
			}
			return i;
		}

		void union(int a, int b) {
			int ra = root(a), rb = root(b);
			if (ra != rb) {
				if (ra < rb) parent[rb] = ra;
				else parent[ra] = rb;
			}
		}

		/** Joins runs of the same label that share an x in [a0, a1) and [b0, b1) (both row lists sorted by x). */
		void link(int a0, int a1, int b0, int b1) {
			int i = a0, j = b0;
			while (i < a1 && j < b1) {
				if (xs[i] < xe[j] && xs[j] < xe[i] && label[i] == label[j]) union(i, j);
				if (xe[i] < xe[j]) i++;
				else j++;
			}
		}
	}

	private static List<Labelled> connected(int width, int height, int depth, IntFunction<int[]> slice) {
		Runs r = new Runs();
		int[] prevRows = null; // start index of each row of the previous slice, and one past the end
		for (int z = 0; z < depth; z++) {
			int[] v = slice.apply(z);
			check(v, width, height, z);
			int[] rows = new int[height + 1];
			for (int y = 0; y < height; y++) {
				rows[y] = r.n;
				int row = y * width;
				for (int x = 0; x < width; x++) {
					int label = v[row + x];
					if (label == 0) continue;
					int xs = x;
					while (x + 1 < width && v[row + x + 1] == label) x++;
					r.add(z, y, xs, x + 1, label);
				}
				if (y > 0) r.link(rows[y - 1], rows[y], rows[y], r.n);
				if (prevRows != null) r.link(prevRows[y], prevRows[y + 1], rows[y], r.n);
			}
			rows[height] = r.n;
			prevRows = rows;
		}
		Map<Integer, Mask.Builder> byRoot = new HashMap<>();
		Map<Integer, Integer> labelOfRoot = new HashMap<>();
		for (int i = 0; i < r.n; i++) {
			int root = r.root(i);
			byRoot.computeIfAbsent(root, k -> Mask.builder()).addRun(r.z[i], r.y[i], r.xs[i], r.xe[i]);
			labelOfRoot.putIfAbsent(root, r.label[i]);
		}
		List<Integer> roots = new ArrayList<>(byRoot.keySet());
		// the root is the part's first run (union keeps the smaller index), so this orders parts by first voxel
		roots.sort(Comparator.<Integer>comparingInt(labelOfRoot::get).thenComparingInt(x -> x));
		List<Labelled> out = new ArrayList<>(roots.size());
		for (int root : roots) out.add(new Labelled(labelOfRoot.get(root), byRoot.get(root).build()));
		return out;
	}

	/**
	 * Slice z of the label map of the objects: each object's voxels set to its label, later objects over earlier
	 * ones where they overlap, voxels outside the width × height grid left out.
	 *
	 * @param into a {@code width * height} array to fill (cleared first), or {@code null} for a new one
	 */
	public static int[] slice(List<Labelled> objects, int width, int height, int z, int[] into) {
		int[] out = into == null ? new int[width * height] : into;
		Arrays.fill(out, 0, width * height, 0);
		for (Labelled o : objects)
			if (z >= o.mask().minZ() && z <= o.mask().maxZ()) o.mask().paint(out, width, height, z, o.label());
		return out;
	}

	/** Voxels where two objects overlap (the later wins in {@link #slice}), counted over the slices 0..depth-1. */
	public static long overlaps(List<Labelled> objects, int width, int height, int depth) {
		long n = 0;
		int[] count = new int[width * height];
		for (int z = 0; z < depth; z++) {
			Arrays.fill(count, 0);
			for (Labelled o : objects) {
				if (z < o.mask().minZ() || z > o.mask().maxZ()) continue;
				o.mask().slice(z).forEachRow((y, xs, xe) -> {
					if (y < 0 || y >= height) return;
					for (int x = Math.max(0, xs); x < Math.min(width, xe); x++) count[y * width + x]++;
				});
			}
			for (int c : count) if (c > 1) n += c - 1;
		}
		return n;
	}
}
