package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 14's brush in the real ImageJ GUI under Xvfb ({@link GuiDriver}'s {@code brush} scenario): Mask Brush selects
 * the tool, three strokes through real mouse events on the canvas paint slices 2, 4 and 6 of the MRI volume into one
 * mask, Undo Label Change takes the last stroke back. A screenshot of the label layer goes to
 * {@code target/gui-artifacts/mask-brush.png}.
 */
class MaskBrushGuiTest {

	private static final Path WORK = Path.of("target", "gui-work-brush").toAbsolutePath();

	@Test
	@SuppressWarnings("unchecked")
	void threeStrokesOnThreeSlicesThroughMouseEventsAndUndoOne() throws Exception {
		try (VirtualDisplay display = VirtualDisplay.start()) {
			Map<String, Object> r = GuiScenario.run(display, "brush", WORK, 300, "-Dgui.project=" + WORK.resolve("brush-project-" + System.nanoTime()));

			assertEquals(8, r.get("slices"));
			assertEquals("LabelLoop mask brush", r.get("tool"), "Mask Brush selects the brush tool");
			assertEquals(List.of(1, 3, 5), r.get("paintedSlices"), "one mask, painted on ImageJ slices 2, 4 and 6");
			for (Object n : (List<Object>) r.get("paintedOnSlice"))
				assertTrue(((Number) n).intValue() >= 25, "a stroke of radius 3 along a line covers its pixels: " + r.get("paintedOnSlice"));
			assertEquals(1, r.get("layer"), "the label layer draws the mask");
			assertEquals(List.of(1, 3), r.get("undoneSlices"), "Undo Label Change takes back the last stroke only");
			assertTrue(String.valueOf(r.get("stored")).contains("human:erin"), String.valueOf(r.get("stored")));
			assertEquals("[]", String.valueOf(r.get("dialogs")), "no error or unexpected dialog");
		}
	}

	@Test
	void aClickAddsTheCoinAShiftClickCutsItsEdgeAndBothAreRecorded() throws Exception {
		try (VirtualDisplay display = VirtualDisplay.start()) {
			Map<String, Object> r = GuiScenario.run(display, "click", WORK, 300, "-Dgui.project=" + WORK.resolve("click-project-" + System.nanoTime()));
			assertEquals(null, r.get("exception"), String.valueOf(r.get("exception")));
			assertEquals("LabelLoop click to segment", r.get("tool"), "Mask Brush with tool=click selects the click tool");
			assertTrue(((Number) r.get("clickedIoU")).doubleValue() >= 0.8, "the clicked coin against Otsu's: IoU " + r.get("clickedIoU"));
			assertEquals(true, r.get("refinedKeepsClick"), "the shift-click keeps the part that was clicked");
			assertEquals(true, r.get("refinedLosesEdge"), "and takes the side of the shift-click away");
			assertEquals(true, r.get("undoneBack"), "Undo Label Change takes the shift-click back");
			String rec = String.valueOf(r.get("recorded"));
			assertTrue(rec.matches("(?s).*run\\(\"Segment at Click\", \"x=\\d+ y=\\d+ slice=1 class=\\[coin\\] negative=\\[\\]\"\\);.*"), rec);
			assertTrue(rec.matches("(?s).*negative=\\[\\d+,\\d+\\] refine=yes\"\\);.*"), rec);
			assertEquals("[]", String.valueOf(r.get("dialogs")), "no error or unexpected dialog");
		}
	}
}
