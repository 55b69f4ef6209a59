package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 4's "done when" in the real ImageJ GUI under Xvfb ({@link GuiDriver}'s {@code similar} scenario on the demo
 * project): the Embedding Map lasso labels a cluster in one go, Similar Items on a ROI with two negatives and the
 * "not reviewed" filter labels its answer in bulk, and Undo Label Change takes back each. Screenshots of both windows
 * go to {@code target/gui-artifacts/}.
 */
class SimilarGuiTest {

	private static final Path WORK = Path.of("target", "gui-work-similar").toAbsolutePath();

	@Test
	@SuppressWarnings("unchecked")
	void lassoOnTheMapAndSimilarItemsWithNegativesLabelInBulkAndUndo() throws Exception {
		try (VirtualDisplay display = VirtualDisplay.start()) {
			Map<String, Object> r = GuiScenario.run(display, "similar", WORK, 420, "-Dgui.project=" + WORK.resolve("similar-project-" + System.nanoTime()));

			// the map: every image placed; the lasso labelled its cluster in one go (weak), persons' labels kept
			assertTrue(((Number) r.get("mapPoints")).intValue() > 20, r.get("mapPoints").toString());
			String legend = (String) r.get("mapLegend");
			for (String label : (List<String>) r.get("mapLabels"))
				assertTrue(legend.matches("(?s).*\u25a0</font> " + java.util.regex.Pattern.quote(label) + " \\(\\d+\\)<br>.*"), "the legend names " + label + ": " + legend);
			List<String> lassoed = (List<String>) r.get("mapSelection");
			assertFalse(lassoed.isEmpty(), "the lasso caught points");
			Map<String, String> before = (Map<String, String>) r.get("beforeMap"), after = (Map<String, String>) r.get("afterMap");
			int weak = 0;
			for (String item : lassoed) {
				if (before.get(item).equals("-")) {
					assertTrue(after.get(item).matches("artefact proposed weak:map lasso of \\d+"), item + " " + after.get(item));
					weak++;
				} else assertEquals(before.get(item), after.get(item), "a weak label never overwrites a person's: " + item);
			}
			assertTrue(weak >= 2, "a cluster of unlabelled images: " + after);
			assertTrue(String.valueOf(r.get("mapStatus")).contains(weak + " item(s) labelled"), String.valueOf(r.get("mapStatus")));
			// the map's filter keeps the weak labels: they alone are lassoed; a malformed filter is named; clearing shows all
			int passing = ((Number) r.get("mapFilterPassing")).intValue();
			assertEquals(((Number) r.get("mapFilterWeak")).intValue(), passing, String.valueOf(r.get("mapFilterStatus")));
			assertTrue(passing >= weak, "at least the lasso's weak labels pass: " + r.get("mapFilterStatus"));
			assertTrue(String.valueOf(r.get("mapFilterStatus")).startsWith(passing + " of " + r.get("mapPoints") + " pass the filter [status:proposed origin:weak]"),
					String.valueOf(r.get("mapFilterStatus")));
			Map<String, String> filtered = (Map<String, String>) r.get("mapFilterSelection");
			assertFalse(filtered.isEmpty(), "the same lasso catches the weak labels");
			assertTrue(filtered.values().stream().allMatch(l -> l.contains("proposed weak:")), "only items that pass are lassoed: " + filtered);
			assertTrue(String.valueOf(r.get("mapFilterError")).contains("'many', which is not a number"), String.valueOf(r.get("mapFilterError")));
			assertEquals(r.get("mapPoints"), r.get("mapFilterCleared"), "an empty filter: every point");
			assertTrue(String.valueOf(r.get("hoverName")).endsWith(".png"), String.valueOf(r.get("hoverName")));
			assertTrue(String.valueOf(r.get("hover")).startsWith("<html>" + r.get("hoverName") + "<br>"), "the hovered image by name: " + r.get("hover"));
			// the selection now is the last lasso's, drawn with the filter on: the items that passed it
			assertEquals(new java.util.HashSet<>(filtered.keySet()), new java.util.HashSet<>((List<String>) r.get("gallery")), "the lasso as a gallery");
			List<Number> zoom = (List<Number>) r.get("zoom"), pan = (List<Number>) r.get("pan");
			assertTrue(zoom.get(1).doubleValue() > 1.5 * zoom.get(0).doubleValue(), "three wheel notches in: points further apart " + zoom);
			assertTrue(zoom.get(2).doubleValue() <= 2, "the point under the pointer stays there " + zoom);
			assertEquals(List.of(60, 20), pan.stream().map(Number::intValue).toList(), "a right-drag moves the map with the mouse");

			// Similar Items on a ROI: two negatives, then "not reviewed"; the answer labelled accepted
			String example = (String) r.get("example");
			assertEquals(List.of(example), r.get("positives"));
			assertEquals("Like: ROI " + example.substring(4) + " on coins.png    Unlike: —", r.get("examplesLine"), "examples by name, not id");
			List<String> first = (List<String>) r.get("firstAnswer"), negatives = (List<String>) r.get("negatives");
			assertEquals(2, negatives.size(), "the two marked negatives");
			assertEquals(first.get(0), negatives.get(0), "the first answer, marked unlike");
			List<String> answer = (List<String>) r.get("notReviewed");
			assertFalse(answer.isEmpty());
			assertTrue(answer.stream().allMatch(i -> i.startsWith("roi:")) && !answer.contains(example) && answer.stream().noneMatch(negatives::contains));
			Map<String, String> answerBefore = (Map<String, String>) r.get("answerBefore"), afterSimilar = (Map<String, String>) r.get("afterSimilar");
			for (String item : answer) {
				assertTrue(answerBefore.get(item).contains(" proposed "), "not reviewed: " + answerBefore.get(item));
				assertTrue(afterSimilar.get(item).matches("coin (accepted|corrected) human:erin"), item + " " + afterSimilar.get(item));
			}
			assertTrue(String.valueOf(r.get("similarStatus")).startsWith(answer.size() + " item(s) labelled as coin"), String.valueOf(r.get("similarStatus")));
			// a volume shown at slice 4: Similar Items asks for that slice, its answers are slices, and a slice's tile opens the volume at it
			String[] volume = String.valueOf(r.get("volume")).split(" ", 2);
			assertEquals(List.of("slice:" + volume[0] + ":4"), r.get("slicePositives"));
			assertTrue(String.valueOf(r.get("sliceExamplesLine")).startsWith("Like: slice 4 of " + volume[1]), String.valueOf(r.get("sliceExamplesLine")));
			List<String> sliceAnswer = (List<String>) r.get("sliceAnswer");
			assertTrue(sliceAnswer.stream().filter(i -> i.startsWith("slice:")).count() >= 3, "slices answer a slice: " + sliceAnswer);
			assertTrue(sliceAnswer.contains("slice:" + volume[0] + ":3") || sliceAnswer.contains("slice:" + volume[0] + ":5"), "a neighbouring slice: " + sliceAnswer);
			assertTrue(String.valueOf(r.get("sliceOpened")).matches("ch2_crop\\.nii(\\.gz)? z=\\d"), String.valueOf(r.get("sliceOpened")));
			// undo takes back the Similar Items label, then the map's
			Map<String, String> undoSimilar = (Map<String, String>) r.get("undoSimilar");
			assertEquals(answerBefore, undoSimilar);
			assertEquals(after, r.get("undoSimilarMap"), "the first undo leaves the map's labels");
			assertEquals(before, r.get("undoMap"));
			// Flag… on the gallery's selection: a question-label thread on exactly that item
			String flagged = (String) r.get("flaggedItem");
			String target = flagged.startsWith("roi:") ? "annotation:" + flagged.substring(4) : flagged;
			assertEquals(List.of("question-label " + target + " Is this really a coin?"), r.get("flagThreads"));
			assertEquals("1 flag(s) raised: Is this really a coin?", r.get("flagStatus"));
			String opened = (String) r.get("opened");
			assertTrue(opened.startsWith("coins.png") && opened.endsWith(" " + ((String) r.get("openItem")).substring(4)), "double-click opened " + opened);
			assertTrue(String.valueOf(r.get("noEmbedding")).contains("Run Retrain to compute it"), String.valueOf(r.get("noEmbedding")));
			assertEquals(Boolean.TRUE, r.get("retrainOffered"));
			assertTrue(Files.size(GuiScenario.ARTIFACTS.resolve("embedding-map.png")) > 5000);
			assertTrue(Files.size(GuiScenario.ARTIFACTS.resolve("similar-items.png")) > 5000);
		}
	}
}
