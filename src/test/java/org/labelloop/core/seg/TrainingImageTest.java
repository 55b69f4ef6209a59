package org.labelloop.core.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.labelloop.core.geom.Mask;

/** Which voxels of a training image are labels: complete slices, scribbled slices, both. */
class TrainingImageTest {

	static Mask run(int z, int y, int xs, int xe) {
		return Mask.builder().addRun(z, y, xs, xe).build();
	}

	@Test
	void aScribbledSliceLabelsOnlyItsStrokesAndACompleteSliceEveryVoxel() {
		FloatVolume image = new FloatVolume(4, 2, 3, new float[24]);
		// class 1 ("nucleus"): a run on slice 0 and one on slice 1; background strokes (index 0) on slice 1 only
		List<List<Mask>> perClass = List.of(List.of(run(1, 1, 0, 2)), List.of(run(0, 0, 1, 3), run(1, 0, 2, 4)));
		TrainingImage t = TrainingImage.of(image, new int[] { 0, 1 }, new int[] { 1 }, perClass);
		assertArrayEquals(new int[] {
				1, 2, 2, 1, 1, 1, 1, 1, // slice 0 complete: the mask is class 1 (label 2), the rest background (label 1)
				0, 0, 2, 2, 1, 1, 0, 0, // slice 1 scribbled: the nucleus stroke, the background stroke, the rest unlabelled
				0, 0, 0, 0, 0, 0, 0, 0 }, // slice 2 not labelled
				t.labels());
		assertArrayEquals(TrainingImage.ofLabelledSlices(image, new int[] { 0, 1 }, perClass).labels(),
				TrainingImage.of(image, new int[] { 0, 1 }, new int[0], perClass).labels(), "no scribbled slice: as before");
		assertThrows(IllegalArgumentException.class, () -> TrainingImage.of(image, new int[] { 0 }, new int[] { 3 }, perClass));
	}
}
