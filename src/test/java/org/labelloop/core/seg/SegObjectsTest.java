package org.labelloop.core.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Objects of a label map ({@link SegObjects#fromLabels}): face-connected per label, across slices, small ones dropped. */
class SegObjectsTest {

	@Test
	void eachConnectedObjectOfEachLabelIsOneMask() {
		// 4×3×2: label 1 in the column x=0 of both slices plus (1,1) of slice 0, which touches (0,1) by a face: one 3D
		// object of 7 voxels; label 1 alone at (3,0) of slice 0: a second object; label 2 one voxel at (2,2) of slice 1
		int[] labels = {
				1, 0, 0, 1, //
				1, 1, 0, 0, //
				1, 0, 0, 0, //

				1, 0, 0, 0, //
				1, 0, 0, 0, //
				1, 0, 2, 0 };
		List<SegObject> objects = SegObjects.fromLabels(labels, 4, 3, 2, 2, List.of("nucleus"));
		assertEquals(1, objects.size(), "the single voxels (label 1 at (3,0), label 2) are below 2 voxels: " + objects);
		SegObject column = objects.get(0);
		assertEquals(7, column.voxels());
		assertEquals(2, column.mask().depth(), "one object across both slices");
		assertEquals("nucleus", column.className());
		assertEquals(1.0, column.confidence());

		List<SegObject> all = SegObjects.fromLabels(labels, 4, 3, 2, 1, List.of());
		all = all.stream().sorted(Comparator.comparingInt(SegObject::classIndex).thenComparingLong(SegObject::voxels)).toList();
		assertEquals(List.of(1L, 7L, 1L), all.stream().map(SegObject::voxels).toList());
		assertEquals("label 2", all.get(2).className(), "past the names: 'label k'");
		assertTrue(all.get(0).mask().contains(3, 0, 0));

		assertTrue(assertThrows(IllegalArgumentException.class, () -> SegObjects.fromLabels(new int[5], 2, 2, 1, 1, List.of())).getMessage()
				.contains("needs 4 labels, got 5"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> SegObjects.fromLabels(new int[] { 0, -1, 0, 0 }, 2, 2, 1, 1, List.of()))
				.getMessage().contains("got -1"));
		assertEquals(List.of(), SegObjects.fromLabels(new int[4], 2, 2, 1, 1, List.of()), "nothing labelled: no objects");
	}
}
