package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.SqlProjectStore;

import com.fasterxml.jackson.databind.JsonNode;

/** COCO RLE masks, compressed exactly as pycocotools' maskApi.c rleToString / rleFrString. */
class CocoRleTest {

	@TempDir
	Path tmp;

	/**
	 * Derived by hand from rleToString: counts 0, 100, 5, 40 (a 29 x 5 mask). 0 → '0'. 100 = 3·32 + 4: low 5 bits 4
	 * with the "more" bit 0x20 → 36 + 48 = 'T', then 3 → '3'. 5 → '5'. The fourth count is written as 40 − 100 =
	 * −60: low 5 bits 4 (−60 = −2·32 + 4), more → 'T'; then −2: low 5 bits 30 (sign bit 0x10 set) and −2 >> 5 = −1,
	 * so no more → 30 + 48 = 'N'.
	 */
	@Test
	void compressedCountsMatchPycocotoolsByHand() {
		assertEquals("0T35TN", CocoRle.toString(new long[] { 0, 100, 5, 40 }));
		assertArrayEquals(new long[] { 0, 100, 5, 40 }, CocoRle.fromString("0T35TN"));
		assertEquals("23111", CocoRle.toString(new long[] { 2, 3, 1, 4, 2 })); // 4 − 3 = 1, 2 − 1 = 1
		// the mask: columns 0-2 full, column 3 rows 0-12 and 18-28, column 4 full
		Mask m = CocoRle.toMask(new long[] { 0, 100, 5, 40 }, 29, 5, 0);
		assertEquals(140, m.voxelCount());
		assertTrue(m.contains(3, 12, 0));
		assertTrue(!m.contains(3, 13, 0) && !m.contains(3, 17, 0));
		assertTrue(m.contains(3, 18, 0) && m.contains(4, 28, 0));
		assertArrayEquals(new long[] { 0, 100, 5, 40 }, CocoRle.fromMask(m, 29, 5));
	}

	@Test
	void randomMasksRoundTripThroughCountsAndStrings() {
		Random r = new Random(5);
		for (int t = 0; t < 200; t++) {
			int h = 1 + r.nextInt(40), w = 1 + r.nextInt(40);
			Mask.Builder b = Mask.builder();
			double p = r.nextDouble();
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if (r.nextDouble() < p) b.addRun(0, y, x, x + 1);
			Mask m = b.build();
			long[] c = CocoRle.fromMask(m, h, w);
			CocoRle.check(c, h, w);
			String s = CocoRle.toString(c);
			assertArrayEquals(c, CocoRle.fromString(s));
			assertEquals(m, CocoRle.toMask(CocoRle.fromString(s), h, w, 0));
		}
		// large counts and large negative differences
		long[] big = { 1_000_000, 3, 7, 2_000_000, 1, 5 };
		assertArrayEquals(big, CocoRle.fromString(CocoRle.toString(big)));
	}

	@Test
	void badRlesAreRefused() {
		assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoRle.check(new long[] { 2, 3 }, 2, 2)).getMessage()
				.contains("add up to 5 pixels, not 2 x 2 = 4"));
		assertThrows(IllegalArgumentException.class, () -> CocoRle.fromString("0T")); // cut off after a "more" character
		assertThrows(IllegalArgumentException.class, () -> CocoRle.fromString("0 1"));
	}

	private static final String IMAGES = "'images':[{'id':1,'file_name':'cell.png','width':345,'height':300}],'categories':[{'id':1,'name':'nucleus'}],";

	@Test
	void anRleWhoseCountsDoNotAddUpIsRefusedAndNothingChanges() throws Exception {
		try (SqlProjectStore s = Fixtures.project(tmp.resolve("p"), "a/cell.png")) {
			s.apply("ann", "one", List.of(new Edit.Create(1, AnnotationData.ofMask(Mask.disc(10, 10, 3, 0), null, Origin.human("ann"), Status.ACCEPTED, null))));
			List<String> before = Fixtures.snapshot(s);
			Path f = Fixtures.write(tmp, "bad.json", ("{" + IMAGES + "'annotations':[{'image_id':1,'category_id':1,'iscrowd':1,"
					+ "'segmentation':{'size':[300,345],'counts':[100,20,30]}}]}").replace('\'', '"'));
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> new CocoFormat().importLabels(s, "bob", f));
			assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("annotations[0].segmentation.counts")
					&& e.getMessage().contains("add up to 150 pixels, not 300 x 345 = 103500") && e.getMessage().endsWith("Nothing was imported."), e.getMessage());
			Path g = Fixtures.write(tmp, "bad2.json", ("{" + IMAGES + "'annotations':[{'image_id':1,'category_id':1,"
					+ "'segmentation':{'size':[300,345],'counts':'0T35TN'}}]}").replace('\'', '"'));
			e = assertThrows(LabelLoopException.class, () -> new CocoFormat().importLabels(s, "bob", g));
			assertTrue(e.getMessage().contains("add up to 145 pixels"), e.getMessage());
			Path wrongSize = Fixtures.write(tmp, "bad3.json", ("{" + IMAGES + "'annotations':[{'image_id':1,'category_id':1,"
					+ "'segmentation':{'size':[29,5],'counts':'0T35TN'}}]}").replace('\'', '"'));
			e = assertThrows(LabelLoopException.class, () -> new CocoFormat().importLabels(s, "bob", wrongSize));
			assertTrue(e.getMessage().contains("RLE size [29, 5] (height, width) is not the size of image 'cell.png' (300, 345)"), e.getMessage());
			assertEquals(before, Fixtures.snapshot(s));
			assertEquals(0, s.classes().size());
		}
	}

	@Test
	void uncompressedCountsImportAsAMask() throws Exception {
		try (SqlProjectStore s = Fixtures.project(tmp.resolve("p"), "a/cell.png")) {
			// column 2 (x = 2), rows 5..7
			Path f = Fixtures.write(tmp, "ok.json", ("{" + IMAGES + "'annotations':[{'image_id':1,'category_id':1,'iscrowd':1,"
					+ "'segmentation':{'size':[300,345],'counts':[605,3," + (300 * 345 - 608) + "]}}]}").replace('\'', '"'));
			assertEquals(1, new CocoFormat().importLabels(s, "bob", f).added());
			Mask m = s.annotations(1).get(0).data().mask();
			assertEquals(3, m.voxelCount());
			assertTrue(m.contains(2, 5, 0) && m.contains(2, 7, 0));
		}
	}

	@Test
	void maskAnnotationsExportAsCompressedRleAndComeBackExactly() throws Exception {
		try (SqlProjectStore s = Fixtures.project(tmp.resolve("p"), "a/cell.png")) {
			long cls = Fixtures.cls(s, "nucleus").id();
			Mask flat = Mask.disc(40, 30, 6, 0);
			Mask deep = Mask.disc(100, 100, 5, 1).union(Mask.disc(103, 100, 5, 2)); // two slices
			s.apply("ann", "masks", List.of(new Edit.Create(1, AnnotationData.ofMask(flat, cls, Origin.human("ann"), Status.ACCEPTED, null)),
					new Edit.Create(1, new AnnotationData(null, cls, Origin.model("v1"), Status.PROPOSED, 0.8, Map.of(cls, 0.8), deep))));
			Path out = tmp.resolve("coco.json");
			new CocoFormat().export(s, out);
			JsonNode anns = Json.MAPPER.readTree(out.toFile()).get("annotations");
			JsonNode seg = anns.get(0).get("segmentation");
			assertEquals("[300,345]", seg.get("size").toString());
			assertEquals(flat, CocoRle.toMask(CocoRle.fromString(seg.get("counts").asText()), 300, 345, 0));
			assertEquals(flat.voxelCount(), anns.get(0).get("area").asLong());
			assertEquals("[34.0,24.0,13.0,13.0]", anns.get(0).get("bbox").toString());
			// a 3D mask's segmentation is its projection; labelloop_mask keeps it exactly
			assertEquals(deep.slice(1).toMask().union(Mask.disc(103, 100, 5, 1)).voxelCount(), anns.get(1).get("area").asLong());
			try (SqlProjectStore t = Fixtures.project(tmp.resolve("q"), "a/cell.png")) {
				new CocoFormat().importLabels(t, "ann", out);
				assertEquals(Fixtures.snapshot(s), Fixtures.snapshot(t));
			}
		}
	}
}
