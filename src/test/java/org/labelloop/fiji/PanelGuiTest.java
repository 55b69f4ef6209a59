package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The LabelLoop panel in the real ImageJ GUI under Xvfb ({@link GuiDriver}'s {@code panel} scenario on the demo
 * project): Open Project opens it, its Next button shows an image with the reason, a row selects the ROI Manager
 * entry, a class click labels the selection and the count grows, Reject and Accept all through its buttons, and
 * the recorder holds the menu's lines. Its screenshot becomes {@code docs/images/panel.png}.
 */
class PanelGuiTest {

	private static final Path WORK = Path.of("target", "gui-work-panel").toAbsolutePath();

	@Test
	@SuppressWarnings("unchecked")
	void thePanelRunsTheLoopThroughItsButtons() throws Exception {
		try (VirtualDisplay display = VirtualDisplay.start()) {
			Map<String, Object> r = GuiScenario.run(display, "panel", WORK, 300, "-Dgui.project=" + WORK.resolve("panel-project-" + System.nanoTime()));
			Map<String, Object> before = (Map<String, Object>) r.get("before"), next = (Map<String, Object>) r.get("afterNext");
			assertEquals("", before.get("image"), "no image before Next");
			assertTrue(String.valueOf(before.get("progress")).matches("\\d+ of \\d+ images labelled \u00b7 \\d+ remaining \u00b7 \\d+ proposals to review"),
					String.valueOf(before.get("progress")));
			assertNotEquals(before.get("image"), next.get("image"), "Next changed the image");
			assertEquals("coins.png", next.get("image"));
			assertEquals("coins.png", r.get("shownImage"), "the image window's title is the file name");
			assertEquals("next in project order", next.get("reason"));
			assertEquals("Chosen: next in project order", r.get("reasonLabel"));
			assertEquals(List.of(String.valueOf(r.get("rowId"))), r.get("managerSelected"), "the list's row selects its ROI Manager entry");
			List<String> classesBefore = (List<String>) next.get("classes"), classesAfter = (List<String>) ((Map<String, Object>) r.get("afterClass")).get("classes");
			assertTrue(classesBefore.contains("coin 6"), "the demo's six coins and six background patches: " + classesBefore);
			assertTrue(classesAfter.contains("coin 7"), "the class click labelled the selected proposal: " + classesAfter);
			assertTrue(classesBefore.stream().noneMatch(c -> c.startsWith("shirt")), "no clothing classes among the coins: " + classesBefore);
			List<String> labelsAfter = (List<String>) ((Map<String, Object>) r.get("afterClass")).get("labels");
			assertTrue(labelsAfter.stream().anyMatch(l -> l.startsWith(r.get("rowId") + " ") && l.contains(" coin accepted ")), labelsAfter.toString());
			assertTrue(String.valueOf(((Map<String, Object>) r.get("afterReject")).get("status")).contains("reject"),
					String.valueOf(((Map<String, Object>) r.get("afterReject")).get("status")));
			assertTrue(String.valueOf(r.get("acceptStatus")).matches("nothing accepted: the \\d+ proposal\\(s\\) on coins.png have no class yet; give them one .*"),
					"Accept All says why it accepted nothing: " + r.get("acceptStatus"));
			assertEquals(r.get("clickTarget"), r.get("clickSelected"), "a click inside a proposed coin selects it");
			assertEquals("coin accepted", r.get("clickLabelled"), "and its hotkey labels it");
			String recorded = (String) r.get("recorded");
			for (String line : List.of("run(\"Next Image\", \"strategy=sequential\");", "run(\"Set Class\", \"class=[coin]\");",
					"run(\"Reject Selected\");", "run(\"Accept All\");"))
				assertTrue(recorded.contains(line), () -> "recorded macro lacks " + line + ":\n" + recorded);
			assertEquals(1, recorded.split("run\\(\"Next Image\"", -1).length - 1, "recorded once:\n" + recorded);
			Map<String, Object> retrained = (Map<String, Object>) r.get("afterRetrain");
			assertTrue(((List<String>) retrained.get("models")).stream().anyMatch(l -> l.matches("roi model v1: out-of-fold accuracy \\d\\.\\d\\d, trained on \\d+ labels · .*")),
					String.valueOf(retrained.get("models")));
			List<String> predicted = ((List<String>) retrained.get("labels")).stream().filter(l -> l.endsWith(" proposed model:v1")).toList();
			assertTrue(!predicted.isEmpty() && predicted.stream().allMatch(l -> l.matches("\\d+ \\S+ (coin|background) proposed model:v1")),
					"the ROI model's class on each proposal left: " + retrained.get("labels"));
			assertEquals("", retrained.get("prediction"), "no image model in this demo, so no image banner");
			assertEquals("sequential", ((List<String>) r.get("dialog:Next Image")).get(0), "Next Image remembers the strategy used last");
			Path shot = GuiScenario.ARTIFACTS.resolve("panel.png");
			assertTrue(Files.size(shot) > 5000);
			Files.createDirectories(Path.of("docs", "images"));
			Files.copy(shot, Path.of("docs", "images", "panel.png"), StandardCopyOption.REPLACE_EXISTING);
		}
	}
}
