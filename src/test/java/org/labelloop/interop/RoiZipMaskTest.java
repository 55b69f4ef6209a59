package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.imaging.MaskRois;
import org.labelloop.imaging.RoiZip;

import ij.gui.Roi;

/** Masks in ImageJ ROI sets: one ROI per slice at its slice position, back as one mask voxel for voxel. */
class RoiZipMaskTest {

	@TempDir
	Path tmp;

	static Mask ringStack() {
		Mask outer = Mask.disc(50, 40, 10, 2).union(Mask.disc(52, 40, 9, 3)).union(Mask.disc(54, 41, 6, 5)); // slice 4 empty
		return outer.subtract(Mask.disc(50, 40, 3, 2)).union(Mask.disc(80, 40, 2, 2)); // a hole, and a second part
	}

	@Test
	void masksAndShapesKeepTheirSlicesThroughRoiSets() throws Exception {
		try (SqlProjectStore s = Fixtures.project(tmp.resolve("p"), "a/cell.png")) {
			long cls = Fixtures.cls(s, "nucleus").id();
			s.apply("ann", "labels", List.of(new Edit.Create(1, AnnotationData.ofMask(ringStack(), cls, Origin.human("ann"), Status.CORRECTED, null)),
					new Edit.Create(1, AnnotationData.human(Geometry.rect(3, 4, 5, 6, new Plane(0, 4, 0)), cls, "ann"))));
			Path out = tmp.resolve("rois");
			assertEquals(4, new RoiZipFormat().export(s, out).annotations()); // 3 slices of the mask + the rectangle
			List<Roi> rois = RoiZip.read(out.resolve("cell.zip"));
			assertEquals(List.of(3, 4, 6, 4), rois.stream().map(r -> r.hasHyperStackPosition() ? r.getZPosition() : r.getPosition()).toList());
			try (SqlProjectStore t = Fixtures.project(tmp.resolve("q"), "a/cell.png")) {
				Fixtures.cls(t, "nucleus");
				new RoiZipFormat().importLabels(t, "ann", out);
				assertEquals(Fixtures.snapshot(s), Fixtures.snapshot(t));
			}
		}
	}

	@Test
	void randomMasksSurviveRoisVoxelForVoxel() {
		Random r = new Random(11);
		for (int t = 0; t < 100; t++) {
			Mask.Builder b = Mask.builder();
			for (int z = 0; z < 3; z++)
				for (int y = 0; y < 15; y++)
					for (int x = 0; x < 15; x++)
						if (r.nextInt(3) == 0) b.addRun(z, y + 5, x + 7, x + 8);
			Mask m = b.build();
			assertEquals(m, MaskRois.toMask(MaskRois.toRois(m)));
		}
		assertTrue(MaskRois.toRois(Mask.EMPTY).isEmpty());
	}
}
