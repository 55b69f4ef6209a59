package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.labelloop.testing.ChildJvm;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue 14's brush in the real ImageJ GUI under Xvfb ({@link GuiDriver}'s {@code brush} scenario): Mask Brush selects
 * the tool, three strokes through real mouse events on the canvas paint slices 2, 4 and 6 of the MRI volume into one
 * mask, Undo Label Change takes the last stroke back. A screenshot of the label layer goes to
 * {@code target/gui-artifacts/mask-brush.png}.
 */
class MaskBrushGuiTest {

	private static final Path ARTIFACTS = Path.of("target", "gui-artifacts").toAbsolutePath();
	private static final Path WORK = Path.of("target", "gui-work-brush").toAbsolutePath();

	@Test
	@SuppressWarnings("unchecked")
	void threeStrokesOnThreeSlicesThroughMouseEventsAndUndoOne() throws Exception {
		try (VirtualDisplay display = VirtualDisplay.start()) {
			Path home = WORK.resolve("home");
			Files.createDirectories(home.resolve("plugins"));
			Files.createDirectories(ARTIFACTS);
			try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(home.resolve("plugins/LabelLoop_.jar")))) {
				jar.putNextEntry(new JarEntry("plugins.config"));
				jar.write(Files.readAllBytes(Path.of("plugins.config")));
				jar.closeEntry();
			}
			Path project = WORK.resolve("brush-project-" + System.nanoTime());
			Path out = WORK.resolve("brush");
			List<String> jvm = new ArrayList<>(List.of("-Dplugins.dir=" + home, "-Duser.home=" + home,
					"-Dlabelloop.testData=" + Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath(), "-Djava.awt.headless=false",
					"-Dgui.project=" + project, "-Dgui.shots=" + ARTIFACTS));
			ProcessBuilder pb = ChildJvm.builder(jvm, GuiDriver.class, "brush", out.toString());
			pb.environment().put("DISPLAY", display.display());
			pb.environment().put("HOME", home.toString());
			Path log = ARTIFACTS.resolve("brush.log");
			pb.redirectErrorStream(true).redirectOutput(log.toFile());
			Process p = pb.start();
			if (!p.waitFor(300, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				fail("the brush scenario did not finish; see " + log);
			}
			Path results = out.resolve("results.json");
			if (!Files.exists(results)) fail("no results (exit " + p.exitValue() + "):\n" + Files.readString(log));
			Map<String, Object> r = new ObjectMapper().readValue(results.toFile(), Map.class);
			Files.copy(results, ARTIFACTS.resolve("brush.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			assertNull(r.get("timeout"), () -> String.valueOf(r.get("timeout")));
			assertNull(r.get("exception"), () -> r.get("exception") + "\nlog:\n" + r.get("log"));
			assertNull(r.get("closeException"), () -> String.valueOf(r.get("closeException")));

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
}
