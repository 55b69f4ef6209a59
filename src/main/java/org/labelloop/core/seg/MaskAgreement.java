package org.labelloop.core.seg;

import java.util.List;

import org.labelloop.core.geom.Mask;

/**
 * How well a predicted class map agrees with one labelled object: the IoU of the object's voxels and the voxels
 * predicted as its class near it. "Near" is the object's box on each slice grown by a quarter of its size (at least
 * {@link #MIN_MARGIN} pixels), so a prediction that spills over the outline counts against it, while objects
 * elsewhere on the image do not; voxels of the other labelled objects (of any class) are left out, so two touching
 * objects are each judged on their own. Summed over the object's slices that were predicted.
 * <p>
 * An IoU near 0 says the model finds no such object there; between, that its outline differs from the label's.
 */
public final class MaskAgreement {

	/** The least margin around an object's box, in pixels. */
	public static final int MIN_MARGIN = 4;

	private MaskAgreement() {
	}

	/** Intersection and union voxel counts, to be summed over slices (and folds) before dividing. */
	public record Counts(long intersection, long union) {
		public Counts plus(Counts o) {
			return new Counts(intersection + o.intersection, union + o.union);
		}

		/** The IoU; 1 for an empty union (nothing labelled, nothing predicted). */
		public double iou() {
			return union == 0 ? 1 : (double) intersection / union;
		}
	}

	/**
	 * The counts of one slice of an object.
	 *
	 * @param object the object's voxels (only slice {@code z} is read)
	 * @param guess  the predicted class of each voxel, row-major, slice after slice
	 * @param cls    the object's class index in {@code guess}
	 * @param others the other labelled objects of the image (their voxels on slice z are left out)
	 */
	public static Counts slice(Mask object, int[] guess, int width, int height, int z, int cls, List<Mask> others) {
		Mask.Slice s = object.slice(z);
		if (s.isEmpty()) return new Counts(0, 0);
		int margin = Math.max(MIN_MARGIN, Math.max(s.w(), s.h()) / 4);
		int x0 = Math.max(0, s.x0() - margin), y0 = Math.max(0, s.y0() - margin);
		int x1 = Math.min(width, s.x0() + s.w() + margin), y1 = Math.min(height, s.y0() + s.h() + margin);
		List<Mask.Slice> near = others.stream().map(o -> o.slice(z)).filter(o -> !o.isEmpty() && o.x0() < x1 && o.y0() < y1
				&& o.x0() + o.w() > x0 && o.y0() + o.h() > y0).toList();
		long inter = 0, union = 0;
		long plane = (long) width * height;
		for (int y = y0; y < y1; y++)
			for (int x = x0; x < x1; x++) {
				boolean in = s.contains(x, y);
				boolean predicted = guess[(int) (z * plane + (long) y * width + x)] == cls;
				if (!in && predicted)
					for (Mask.Slice o : near)
						if (o.contains(x, y)) {
							predicted = false; // another object's voxel: judged with that object
							break;
						}
				if (in && predicted) inter++;
				if (in || predicted) union++;
			}
		return new Counts(inter, union);
	}
}
