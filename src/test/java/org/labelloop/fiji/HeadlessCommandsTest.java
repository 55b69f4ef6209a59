package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.monai.MonaiLabelBackendTest;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Status;
import org.labelloop.testing.HeadlessBatch;

/**
 * Every menu command of {@code plugins.config} in one headless {@code -batch} run on the demo project (none needs a
 * window), and a command that does need one stopping with a message instead of hanging.
 */
class HeadlessCommandsTest {

	@TempDir
	Path tmp;

	/** Commands tested headless elsewhere: they need a server or a model file (HeadlessMacroTest, ModelCommandsTest, ServerMacroTest, SegmentAtClickMacroTest). */
	static final java.util.Set<String> TESTED_ALONE = java.util.Set.of("Window Preset", "LabelLoop Panel", "Connect MONAI Label", "Propose with Model", "Embedder Model",
			"Connect to Server...", "Share Project...", "Stop Sharing", "Mask Brush", "Segment at Click", "Click Model");

	/** Next Image offers the strategy used last by hand; a macro that leaves it out gets the default, whatever was chosen before. */
	@Test
	void nextImageRemembersTheStrategyForPeopleNotForMacros() {
		String before = ij.Prefs.get(LabelLoopSession.NEXT_STRATEGY_PREF, "");
		try {
			LabelLoopSession.setNextStrategy("margin");
			assertEquals("margin", LabelLoopSession.nextStrategy(true, true));
			assertEquals("unlabelled", LabelLoopSession.nextStrategy(false, true), "margin needs a model");
			assertEquals(org.labelloop.core.al.Strategies.DEFAULT, LabelLoopSession.nextStrategy(true, false), "a macro without strategy=");
			LabelLoopSession.setNextStrategy("sequential");
			assertEquals("sequential", LabelLoopSession.nextStrategy(false, true));
			assertEquals("unlabelled", LabelLoopSession.nextStrategy(false, false));
			LabelLoopSession.setNextStrategy("no-such-strategy");
			assertEquals(org.labelloop.core.al.Strategies.DEFAULT, LabelLoopSession.nextStrategy(true, true));
		} finally {
			ij.Prefs.set(LabelLoopSession.NEXT_STRATEGY_PREF, before);
		}
	}

	/** Every command first checks the ImageJ it runs in: an older one than LabelLoop is tested on gets the version to get. */
	@Test
	void anImageJOlderThanTheOldestTestedOneIsNamedWithTheVersionNeeded() {
		assertEquals(null, LabelLoopCommand.tooOld(ij.IJ.getVersion()), "the ImageJ of this build");
		assertEquals(null, LabelLoopCommand.tooOld("1.53t"), "Debian's imagej package");
		assertEquals(null, LabelLoopCommand.tooOld("1.54a"));
		assertEquals("LabelLoop needs ImageJ 1.53t or later; this is ImageJ 1.52a. Update it with Help > Update ImageJ..., or use Fiji.",
				LabelLoopCommand.tooOld("1.52a"));
		assertTrue(LabelLoopCommand.tooOld("1.53s").contains("this is ImageJ 1.53s"));
		assertTrue(LabelLoopCommand.tooOld(null).contains("this is ImageJ (unknown)"));
	}

	@Test
	void connectMonaiLabelRunsHeadlessAgainstAServerAndExplainsWhatItLacks() throws Exception {
		byte[] image = Files.readAllBytes(TestData.path("microscopy/cell.png"));
		List<String> paths = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
		try (okhttp3.mockwebserver.MockWebServer server = new okhttp3.mockwebserver.MockWebServer()) {
			server.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
				@Override
				public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest r) {
					paths.add(r.getMethod() + " " + r.getPath());
					String p = r.getPath();
					if (p.equals("/info/")) return MonaiLabelBackendTest.json(MonaiLabelBackendTest.fixture("info.json"));
					if (p.equals("/datastore/?output=all")) return MonaiLabelBackendTest.json(MonaiLabelBackendTest.fixture("datastore.json"));
					if (p.equals("/activelearning/random")) return MonaiLabelBackendTest.json(MonaiLabelBackendTest.fixture("activelearning-random.json"));
					if (p.startsWith("/datastore/image?")) return new okhttp3.mockwebserver.MockResponse().setBody(new okio.Buffer().write(image));
					if (p.startsWith("/infer/")) return new okhttp3.mockwebserver.MockResponse().setBody(new okio.Buffer().write(MonaiLabelBackendTest.mask()));
					if (p.startsWith("/datastore/label?")) return MonaiLabelBackendTest.json(MonaiLabelBackendTest.fixture("label.json"));
					return new okhttp3.mockwebserver.MockResponse().setResponseCode(404);
				}
			});
			server.start();
			Path file = tmp.resolve("monai.ijm");
			Files.writeString(file, "run(\"Connect MONAI Label\", \"url=" + server.url("/") + " user=ann\");\n"
					+ "run(\"Next Image\", \"strategy=random\");\n"
					+ "print(\"shown: \" + getTitle() + \" \" + Overlay.size);\n"
					+ "run(\"Accept All\");\n"
					+ "run(\"Comments\", \"show=all\");\n"
					+ "print(\"NOT REACHED\");\n");
			String out = HeadlessBatch.run(tmp, file, null);
			assertTrue(out.contains("LabelLoop: connected to MONAI Label 'MONAILabel - Nuclei 2D' (model segmentation_nuclei): 3 images, 2 classes"), out);
			assertTrue(out.contains("shown: cell_b.png"), out);
			assertTrue(out.contains("LabelLoop: accepted 2 proposal(s)"), out);
			assertTrue(out.contains("LabelLoop error (Comments): MONAI Label has no comments or flags. This needs a LabelLoop project"), out);
			assertFalse(out.contains("NOT REACHED"), out);
			assertFalse(out.contains("Exception"), out);
			assertTrue(paths.contains("PUT /datastore/label?image=cell_b&tag=final"), paths::toString);

			// a command whose facet is missing says so before its dialog, from the missing facet
			Files.writeString(file, "run(\"Connect MONAI Label\", \"url=" + server.url("/") + " user=ann\");\n"
					+ "run(\"Similar Items...\", \"k=5\");\n"
					+ "print(\"NOT REACHED\");\n");
			out = HeadlessBatch.run(tmp, file, null);
			assertTrue(out.contains("LabelLoop error (Similar Items): MONAI Label has no similarity search or embeddings. This needs a LabelLoop project"), out);
			assertFalse(out.contains("NOT REACHED"), out);
		}
	}

	@Test
	void everyMenuCommandRunsHeadless() throws Exception {
		Path demo = tmp.resolve("demo");
		DemoProject.create(TestData.folder(), demo, "demo");
		String td = TestData.folder().toString();
		String macro = "run(\"Open Project\", \"folder=[" + demo + "] user=ann\");\n"
				+ "run(\"Add Images\", \"path=[" + td + "/microscopy/cell.png]\");\n"
				+ "run(\"Edit Classes\", \"action=add class=fibre color=#00aa00 hotkey=f\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");\n"
				+ "print(\"first: \" + getTitle() + \" \" + Overlay.size);\n"
				+ "run(\"Show Annotations\");\n"
				+ "Overlay.activateSelection(0);\n"
				+ "run(\"Accept Selected\");\n"
				+ "Overlay.activateSelection(1);\n"
				+ "run(\"Set Class\", \"class=coin\");\n"
				// the last unclassified proposal (the overlay also holds the class tags of labelled ROIs)
				+ "for (i = Overlay.size - 1; i >= 0; i--) { Overlay.activateSelection(i); id = Roi.getProperty(\"labelloop.id\"); c = Roi.getProperty(\"labelloop.class\"); if (id != \"\" && c == \"\") i = -1; }\n"
				+ "run(\"Reject Selected\");\n"
				+ "run(\"Accept All\");\n"
				+ "run(\"Save Labels\");\n"
				+ "run(\"Undo Label Change\");\n"
				+ "run(\"Redo Label Change\");\n"
				+ "run(\"Label Whole Image\", \"class=cell\");\n"
				+ "run(\"Paint Mask\", \"class=coin slice=1 radius=6 points=[40,40 60,44]\");\n"
				+ "makeRectangle(100, 100, 20, 10);\n"
				+ "run(\"Fill Selection into Mask\", \"class=coin erase=no\");\n"
				+ "run(\"Paint Mask\", \"class=coin slice=1 radius=3 points=[105,105] erase=yes\");\n"
				+ "run(\"Propose Objects\", \"method=Otsu channel=1 sigma=1 objects=auto watershed=yes min_area=20 max_area=Infinity circularity=0 exclude_edges=no images=current replace=no\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");\n"
				+ "run(\"Previous Image\");\n"
				+ "print(\"back: \" + getTitle());\n"
				+ "run(\"Export Labels\", \"format=coco file=[" + tmp.resolve("labels.json") + "]\");\n"
				+ "run(\"Add Images\", \"path=[" + td + "/fashion]\");\n" // pictures with image labels, for the image model
				+ "run(\"Import Labels\", \"format=csv file=[" + td + "/fashion/labels.csv]\");\n"
				+ "run(\"Retrain\", \"classifier=logistic task=image\");\n"
				+ "run(\"Learning Curve\", \"task=image\");\n"
				+ "run(\"Model Versions\", \"version=v1\");\n"
				+ "run(\"Review Label Issues\", \"task=image action=list\");\n"
				+ "run(\"Comment\", \"kind=note text=[looks fine]\");\n"
				+ "run(\"Comments\", \"show=all\");\n"
				+ "run(\"Label Quality\", \"task=image save_plot=[" + tmp.resolve("quality.png") + "]\");\n"
				+ "run(\"Similar Items...\", \"k=5\");\n"
				+ "run(\"Embedding Map\", \"task=image colour=class\");\n"
				+ "run(\"Set Role\", \"user=rita role=reviewer\");\n"
				+ "run(\"New Project\", \"folder=[" + tmp.resolve("fresh") + "] name=fresh user=ann\");\n"
				+ "print(\"SWEEP DONE\");\n";
		Map<String, String> commands = HeadlessImageJ.commands();
		List<String> untried = commands.keySet().stream().filter(c -> !macro.contains("run(\"" + c + "\"") && !TESTED_ALONE.contains(c)).toList();
		assertEquals(List.of(), untried, "every command in plugins.config is tried headless here (or, if it needs a window, calls requireWindow "
				+ "and is tested like WindowOnlyCommand below)");
		Path file = tmp.resolve("sweep.ijm");
		Files.writeString(file, macro);
		String out = HeadlessBatch.run(tmp, file, null);
		assertTrue(out.contains("SWEEP DONE"), out);
		assertFalse(out.contains("LabelLoop error"), out);
		assertFalse(out.contains("Exception"), out);
		assertTrue(out.contains("first: coins.png 21"), out);
		assertTrue(out.contains("back: coins.png"), out);
		assertTrue(out.contains("nothing accepted: the 18 proposal(s) on coins.png have no class yet; give them one (Set Class or a class hotkey), or reject them"), out);
		assertTrue(Files.size(tmp.resolve("labels.json")) > 0);
		assertTrue(Files.size(tmp.resolve("quality.png")) > 0, "the confusion matrix is saved headless");
		assertTrue(out.matches("(?s).*LabelLoop: Embedding map of \\d+ item\\(s\\), model v1 .*"), out);
		assertTrue(out.contains("rita is now reviewer"), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			long coins = b.images().stream().filter(i -> i.name().equals("coins.png")).findFirst().orElseThrow().id();
			List<Annotation> a = b.annotations(coins);
			Map<Status, Long> byStatus = a.stream().filter(x -> !x.data().isImageLevel() && !x.data().isMask())
					.collect(Collectors.groupingBy(x -> x.data().status(), Collectors.counting()));
			// Paint Mask, Fill Selection into Mask and an erasing stroke: one coin mask holding what they left
			org.labelloop.core.geom.Mask painted = org.labelloop.backend.MaskStrokes.along(List.of(new int[] { 40, 40 }, new int[] { 60, 44 }), 6, 0)
					.union(org.labelloop.core.geom.Mask.of(org.labelloop.core.geom.Geometry.rect(100, 100, 20, 10, org.labelloop.core.geom.Plane.ALL), 0))
					.subtract(org.labelloop.core.geom.Mask.disc(105, 105, 3, 0));
			assertEquals(List.of(painted), a.stream().filter(x -> x.data().isMask()).map(x -> x.data().mask()).toList());
			assertEquals(1, byStatus.get(Status.REJECTED), byStatus::toString);
			// Accept All accepted what had a class; the proposals without one stayed proposed, as it said
			assertEquals(2, byStatus.getOrDefault(Status.ACCEPTED, 0L) + byStatus.getOrDefault(Status.CORRECTED, 0L), byStatus::toString);
			assertEquals(18, byStatus.get(Status.PROPOSED), byStatus::toString);
			assertEquals(1, a.stream().filter(x -> x.data().isImageLevel() && x.data().origin().toString().equals("human:ann")).count());
			assertEquals(1, b.threads(false).size());
			assertTrue(b.classes().stream().anyMatch(c -> c.name().equals("fibre")));
			assertEquals(32, b.images().size(), "cell.png from test-data was added");
		}
		assertTrue(Files.exists(tmp.resolve("fresh/labelloop.db")));
	}

	@Test
	void aCommandThatNeedsAWindowSaysSoHeadlessAndStopsTheMacro() throws Exception {
		Path file = tmp.resolve("window.ijm");
		Files.writeString(file, "call(\"ij.IJ.runPlugIn\", \"org.labelloop.fiji.WindowOnlyCommand\", \"\");\nprint(\"NOT REACHED\");\n");
		String out = HeadlessBatch.run(tmp, file, null);
		assertTrue(out.contains("LabelLoop error (Window Only): Window Only needs a window; in a headless run use Next Image with strategy=more-of-class."), out);
		assertFalse(out.contains("window shown"), out);
		assertFalse(out.contains("NOT REACHED"), "the macro stops:\n" + out);
	}
}
