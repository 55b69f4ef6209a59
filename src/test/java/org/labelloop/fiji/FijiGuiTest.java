package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Status;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * LabelLoop in the real ImageJ 1 GUI, under Xvfb: child JVMs run {@link GuiDriver} scenarios (the plugin jar in
 * their plugins folder holds only {@code plugins.config}, so ImageJ builds the menu as it does in Fiji), and this
 * test checks what they saw and what they wrote to the projects. Screenshots and logs go to
 * {@code target/gui-artifacts/}.
 */
class FijiGuiTest {

	private static final Path ARTIFACTS = Path.of("target", "gui-artifacts").toAbsolutePath();
	private static final Path WORK = Path.of("target", "gui-work").toAbsolutePath();
	private static final String TEST_DATA = Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath().toString();

	private static VirtualDisplay display;
	private static Path sessionProject, recordProject, replayProject, modelsProject;
	private static Map<String, Object> session, record, replay, models;
	private static final Map<String, Double> seconds = new LinkedHashMap<>();

	@BeforeAll
	static void runScenarios() throws Exception {
		display = VirtualDisplay.start();
		deleteTree(WORK);
		Files.createDirectories(WORK);
		Files.createDirectories(ARTIFACTS);
		Path home = WORK.resolve("home"); // GuiScenario puts the plugin's menu there
		sessionProject = WORK.resolve("session-project");
		recordProject = WORK.resolve("recorded-project");
		replayProject = WORK.resolve("replayed-project");
		session = child("session", home, "-Dgui.project=" + sessionProject, "-Dgui.screenshot=" + ARTIFACTS.resolve("overlay.png"));
		record = child("record", home, "-Dgui.project=" + recordProject);
		String recorded = (String) record.get("recorded");
		assertNotNull(recorded, "the recorder child recorded nothing");
		Files.writeString(ARTIFACTS.resolve("recorded.ijm"), recorded);
		Path macro = WORK.resolve("replay.ijm");
		Files.writeString(macro, recorded.replace(recordProject.toString(), replayProject.toString()));
		replay = child("replay", home, "-Dgui.macro=" + macro, "-Dgui.reopen=" + sessionProject);
		modelsProject = WORK.resolve("models-project");
		models = child("models", home, "-Dgui.project=" + modelsProject);
		Files.writeString(ARTIFACTS.resolve("timings.txt"), seconds.toString());
	}

	@AfterAll
	static void stopDisplay() {
		if (display != null) display.close();
	}

	/** Runs one scenario in a child JVM with the display, and returns its results (failing on a crash or timeout). */
	private static Map<String, Object> child(String scenario, Path home, String... props) throws Exception {
		long t0 = System.nanoTime();
		Map<String, Object> r = GuiScenario.run(display, scenario, home.getParent(), 420, props);
		seconds.put(scenario, (System.nanoTime() - t0) / 1e9);
		return r;
	}

	// ---- a: menu ---------------------------------------------------------------------------------------------

	@Test
	void theLabelLoopMenuHoldsEveryCommandInOrder() {
		List<String> expected = List.of("New Project", "Open Project", "Add Images", "Edit Classes", "LabelLoop Panel", "-", "Next Image", "Previous Image",
				"Show Annotations", "-", "Accept All", "Accept Selected", "Set Class", "Reject Selected", "Label Whole Image", "Mask Brush", "Paint Mask",
				"Fill Selection into Mask", "Segment at Click", "Click Model", "Window Preset", "-",
				"Save Labels", "Undo Label Change", "Redo Label Change", "-", "Export Labels", "Import Labels", "-", "Propose Objects", "Propose with Model", "Embedder Model", "Retrain",
				"Learning Curve", "Model Versions", "-", "Review Label Issues", "Comment", "Comments", "Label Quality", "Set Role", "-", "Similar Items...",
				"Embedding Map", "-", "Connect to Server...", "Share Project...", "Stop Sharing", "Connect MONAI Label");
		assertEquals(expected, session.get("menu"));
		@SuppressWarnings("unchecked")
		Map<String, String> commands = (Map<String, String>) session.get("commands");
		assertEquals(expected.stream().filter(s -> !s.equals("-")).sorted().toList(), commands.keySet().stream().sorted().toList());
		// the class is the label without spaces and a trailing "..." (a dialog follows), case aside: "Connect to Server..." → ConnectToServer
		commands.forEach((name, cls) -> assertTrue(("org.labelloop.fiji.commands." + name.replace(" ", "").replace("...", "")).equalsIgnoreCase(cls), name + " → " + cls));
		// no clash with ImageJ's own commands (File>Save, Edit>Undo...) and no jar error
		assertFalse(String.valueOf(session.get("log")).contains("Duplicate command"), String.valueOf(session.get("log")));
		assertTrue(step(session, "new").get("dialogs").toString().equals("[]"), () -> "dialogs at start: " + session.get("dialogs"));
	}

	// ---- b: commands from a macro, checked in the store --------------------------------------------------------

	@Test
	void macroCommandsWriteExactlyTheExpectedAnnotations() {
		try (LocalBackend b = LocalBackend.open(sessionProject, "tester")) {
			assertEquals("gui session", b.projectName());
			assertEquals(List.of("cell.png", "coins.png", "ihc.png", "0000_ankle_boot.png"), b.images().stream().map(ImageRecord::name).toList());
			assertEquals(List.of("nucleus #ff3b30 n", "background #2f80ed b"),
					b.classes().stream().map(c -> c.name() + " " + c.color() + " " + c.hotkey()).toList());
			ImageRecord cell = b.images().get(0);
			Map<String, Annotation> byKey = new LinkedHashMap<>();
			for (Annotation a : b.annotations(cell.id())) byKey.put(key(b, a), a);
			assertEquals(7, byKey.size(), byKey::toString);
			// the model's confident proposal, moved by the user in the ROI Manager and saved: corrected
			Annotation moved = only(byKey, "model:v1 nucleus rect[165.0, 225.0][160.0, 210.0]");
			assertEquals(Status.CORRECTED, moved.data().status());
			assertEquals(2, moved.revision());
			assertEquals(0.82, moved.data().confidence());
			// the unsure proposal: accepted by Accept All, then Undo brought it back (a new revision, nothing erased)
			Annotation unsure = only(byKey, "model:v1 background polygon[260.0, 330.0, 320.0, 250.0][420.0, 430.0, 500.0, 480.0]");
			assertEquals(Status.PROPOSED, unsure.data().status());
			assertEquals(3, unsure.revision());
			assertEquals(List.of(Status.PROPOSED, Status.ACCEPTED, Status.PROPOSED),
					b.history(unsure.id()).stream().map(r -> r.data().status()).toList());
			// drawn with makeRectangle/makeOval/makePolygon + Set Class
			for (String k : List.of("human:alice nucleus rect[10.0, 70.0][20.0, 60.0]", "human:alice background oval[100.0, 150.0][120.0, 160.0]",
					"human:alice nucleus polygon[300.0, 360.0, 330.0][300.0, 310.0, 370.0]",
					// tagged with Roi.setProperty("labelloop.class", ...) and created by Save
					"human:alice background rect[200.0, 230.0][40.0, 70.0]")) {
				Annotation a = only(byKey, k);
				assertEquals(Status.ACCEPTED, a.data().status(), k);
				assertEquals(1, a.revision(), k);
			}
			// Label Whole Image twice: one image-level label, updated (not a second one)
			Annotation whole = only(byKey, "human:alice nucleus whole");
			assertEquals(2, whole.revision());
			assertEquals(Status.CORRECTED, whole.data().status());
			assertEquals(List.of("background", "nucleus"), b.history(whole.id()).stream().map(r -> className(b, r.data().classId())).toList());
			for (ImageRecord other : b.images().subList(1, 4)) assertEquals(List.of(), b.annotations(other.id()), other.name());
			// the last step undid Accept All; Save wrote its two edits as one step
			List<ChangeSet> sets = b.store().changeSets(4);
			assertEquals(sets.get(1).id(), sets.get(0).undoes(), sets::toString);
			assertEquals("Accept all on cell.png", sets.get(1).description());
			assertEquals(1, sets.get(1).edits());
			assertEquals("Save cell.png", sets.get(2).description());
			assertEquals(2, sets.get(2).edits());
		}
	}

	@Test
	void overlayAndRoiManagerCarryTheAnnotationsWithTheirRevisions() {
		Map<String, Object> s = step(session, "undo");
		List<Map<String, Object>> rm = rois(s, "roiManager").stream().filter(r -> r.get("id") != null).toList();
		// ROI Manager entries say class, annotation id and confidence, so entries of one class can be told apart
		assertEquals(List.of("nucleus 0.82", "background 0.35", "nucleus", "background", "nucleus", "background"),
				rm.stream().map(r -> String.valueOf(r.get("name")).replace(" #" + r.get("id"), "")).toList());
		assertTrue(rm.stream().allMatch(r -> String.valueOf(r.get("name")).contains(" #" + r.get("id"))), rm::toString);
		for (Map<String, Object> r : rm) {
			assertNotNull(r.get("rev"), r::toString);
			assertNotNull(r.get("class"), r::toString);
			assertEquals(String.valueOf(s.get("imageId")), r.get("image"), r::toString);
		}
		assertEquals("3", rm.get(1).get("rev"));
		List<Map<String, Object>> overlay = rois(s, "overlay");
		Map<String, Object> unsure = overlay.stream().filter(r -> r.get("id") != null && ("background #" + r.get("id") + " 0.35").equals(r.get("name"))).findFirst().orElseThrow();
		Map<String, Object> sure = overlay.stream().filter(r -> r.get("id") != null && ("nucleus #" + r.get("id") + " 0.82").equals(r.get("name"))).findFirst().orElseThrow();
		assertEquals(true, unsure.get("dashed"), "low confidence is drawn dashed");
		assertEquals(false, sure.get("dashed"));
		assertEquals("#ff3b30", sure.get("color"));
		assertEquals("#2f80ed", unsure.get("color"));
		assertEquals(6, overlay.stream().filter(r -> "label".equals(r.get("mark"))).count(), "one label per shape");
		assertEquals(1, overlay.stream().filter(r -> "image-label".equals(r.get("mark"))).count(), "one image-level banner");
	}

	// ---- d: the user's own ROIs survive --------------------------------------------------------------------

	@Test
	void theUsersOwnRoisSurviveEveryCommand() {
		boolean afterNext = false, afterOverlay = false;
		for (Map<String, Object> s : steps(session)) {
			String name = (String) s.get("step");
			afterNext |= name.equals("next");
			afterOverlay |= name.equals("userOverlay");
			if (afterNext) {
				assertEquals(1, rois(s, "roiManager").stream().filter(r -> "user-rm".equals(r.get("name"))).count(), "ROI Manager after " + name);
				assertTrue(((List<?>) s.get("images")).contains("mine"), "the user's image after " + name);
			}
			if (afterOverlay && !name.equals("next2"))
				assertEquals(1, rois(s, "overlay").stream().filter(r -> "user-overlay".equals(r.get("name"))).count(), "overlay after " + name);
		}
		assertTrue(afterOverlay);
		// moving on keeps the image that holds the user's overlay (without LabelLoop's ROIs), and coming back reuses it
		Map<String, Object> next2 = step(session, "next2");
		assertEquals("coins.png", next2.get("title"));
		List<Map<String, Object>> windows = windows(next2);
		Map<String, Object> kept = windows.stream().filter(w -> "cell.png".equals(w.get("title"))).findFirst().orElseThrow();
		assertEquals(List.of("user-overlay"), rois(kept, "overlay").stream().map(r -> r.get("name")).toList());
		assertEquals(List.of("user-rm"), rois(next2, "roiManager").stream().map(r -> r.get("name")).toList());
		Map<String, Object> back = step(session, "previous");
		assertEquals(List.of("mine", "cell.png"), back.get("images"), "no pile of windows");
		assertEquals(1, rois(back, "overlay").stream().filter(r -> "user-overlay".equals(r.get("name"))).count());
		assertEquals(7, rois(back, "roiManager").size(), "user-rm and the 6 shapes");
	}

	@Test
	void aUserErrorIsAMessageWithoutStackTrace() {
		@SuppressWarnings("unchecked")
		List<Map<String, String>> dialogs = (List<Map<String, String>>) step(session, "badClass").get("dialogs");
		assertEquals(1, dialogs.size(), dialogs::toString);
		String text = dialogs.get(0).get("text");
		assertTrue(text.contains("There is no class 'no such class'. Classes: nucleus, background."), text);
		assertFalse(text.contains("Exception") || text.contains("\tat "), text);
		assertEquals(1, ((List<?>) session.get("dialogs")).size(), "no other dialog in the whole session: " + session.get("dialogs"));
	}

	// ---- c: macro recorder, replayed ------------------------------------------------------------------------

	@Test
	void theRecorderRecordsEveryCommandWithItsOptions() {
		String rec = (String) record.get("recorded");
		String project = quoted(recordProject.toString());
		for (String line : List.of("run(\"New Project\", \"folder=" + project + " name=rec user=bob\");",
				"run(\"Add Images\", \"path=" + quoted(TEST_DATA + "/microscopy/coins.png") + "\");",
				"run(\"Edit Classes\", \"action=add class=nucleus name=[] color=#ff3b30 hotkey=n\");",
				"run(\"Edit Classes\", \"action=add class=background name=[] color=#2f80ed hotkey=b\");",
				"run(\"Next Image\", \"strategy=sequential class=[] other=[] unit=auto filter=[] task=auto\");",
				"makeRectangle(20, 30, 60, 40);\nrun(\"Set Class\", \"class=[nucleus]\");", // the hotkey
				"makeOval(120, 40, 50, 50);\nrun(\"Set Class\", \"class=background\");", // the menu command's dialog
				"makePolygon(200,150,260,160,230,220);\nrun(\"Set Class\", \"class=[nucleus]\");",
				"run(\"Label Whole Image\", \"class=background\");",
				"roiManager(\"Select\", 0);\nrun(\"Reject Selected\");",
				"roiManager(\"Select\", 1);\nrun(\"Set Class\", \"class=[background]\");",
				"run(\"Save Labels\");\nrun(\"Undo Label Change\");\nrun(\"Redo Label Change\");"))
			assertTrue(rec.contains(line), () -> "recorded macro lacks:\n" + line + "\n--- recorded:\n" + rec);
		assertFalse(rec.contains("roiManager(\"Deselect\")"), "LabelLoop's own ROI Manager bookkeeping is not recorded:\n" + rec);
	}

	@Test
	void replayingTheRecordedMacroGivesTheSameAnnotations() {
		List<String> recorded, replayed;
		try (LocalBackend b = LocalBackend.open(recordProject, "tester")) {
			recorded = summary(b);
			Map<String, Annotation> byKey = new LinkedHashMap<>();
			ImageRecord coins = b.images().get(0);
			assertEquals("coins.png", coins.name());
			for (Annotation a : b.annotations(coins.id())) byKey.put(key(b, a), a);
			assertEquals(Status.REJECTED, only(byKey, "human:bob nucleus rect[20.0, 80.0][30.0, 70.0]").data().status());
			assertEquals(Status.ACCEPTED, only(byKey, "human:bob background oval[120.0, 170.0][40.0, 90.0]").data().status());
			Annotation poly = only(byKey, "human:bob background polygon[200.0, 260.0, 230.0][150.0, 160.0, 220.0]");
			assertEquals(Status.CORRECTED, poly.data().status());
			assertEquals(4, poly.revision(), "set, re-classed, undone, redone");
			assertEquals(Status.ACCEPTED, only(byKey, "human:bob background whole").data().status());
			assertEquals(4, byKey.size());
		}
		try (LocalBackend b = LocalBackend.open(replayProject, "tester")) {
			replayed = summary(b);
		}
		assertEquals(recorded, replayed);
		assertTrue(((List<?>) replay.get("dialogs")).isEmpty(), () -> "replay: " + replay.get("dialogs"));
	}

	// ---- e: a second JVM reopens the project -------------------------------------------------------------------

	@Test
	void aSecondJvmFindsEveryLabelAndRevision() throws IOException {
		Object reopened = replay.get("reopened");
		try (LocalBackend b = LocalBackend.open(sessionProject, "tester")) {
			ObjectMapper json = new ObjectMapper();
			assertEquals(json.readValue(json.writeValueAsString(GuiDriver.dump(b)), List.class), reopened);
			int revisions = 0;
			for (ImageRecord img : b.images())
				for (Annotation a : b.annotations(img.id())) {
					List<AnnotationRevision> h = b.history(a.id());
					assertEquals(a.revision(), h.size());
					revisions += h.size();
				}
			assertEquals(11, revisions, "7 annotations: 2+3 revisions for the proposals, 2 for the image label, 1 for 4 others");
		}
	}

	// ---- h: the model loop ---------------------------------------------------------------------------------------

	@Test
	void retrainShowsPredictionsPlotsTheLearningCurveAndModelVersionsRollsBack() {
		assertEquals(List.of(), models.get("dialogs"), () -> "no error or unexpected dialog: " + models.get("dialogs") + "\n" + models.get("log"));
		String recorded = (String) models.get("recorded");
		for (String line : List.of("run(\"Retrain\", \"classifier=logistic task=both embedder=features\");", "run(\"Model Versions\", \"version=v1\");"))
			assertTrue(recorded.contains(line), () -> "recorded macro lacks " + line + ":\n" + recorded);
		// the image shown gets the image model's prediction as a banner and an image property (the panel shows it);
		// its title stays the file name, for macros that use getTitle()
		Map<String, Object> retrained = step(models, "retrained");
		assertEquals("coins.png", retrained.get("title"));
		assertTrue(String.valueOf(retrained.get("prediction")).matches("model v1: \\S+ \\d\\.\\d\\d\\??( \\(unlike anything labelled\\))?"), () -> "prediction: " + retrained.get("prediction"));
		assertEquals(1, rois(retrained, "overlay").stream().filter(r -> "prediction".equals(r.get("mark"))).count(), "one prediction banner");
		assertTrue(String.valueOf(step(models, "retrain2").get("prediction")).startsWith("model v2: "), "the second version's prediction");
		assertTrue(((List<?>) step(models, "curve").get("images")).contains("LabelLoop learning curve (image)"), () -> "a Plot window: " + step(models, "curve").get("images"));
		assertTrue(((List<?>) step(models, "versions").get("windows")).stream().map(w -> (Map<?, ?>) w)
				.anyMatch(w -> "coins.png".equals(w.get("title")) && String.valueOf(w.get("prediction")).startsWith("model v1: ")),
				() -> "rolled back to v1: " + step(models, "versions").get("windows"));
		assertTrue(String.valueOf(models.get("log")).contains("roi: not trained: The ROI model needs labels"), String.valueOf(models.get("log")));
		try (LocalBackend b = LocalBackend.open(modelsProject, "tester")) {
			assertEquals(List.of("v1 image ready true", "v2 image ready false"),
					b.models().stream().map(m -> m.name() + " " + m.task() + " " + m.state().key() + " " + m.active()).toList());
			for (ImageRecord im : b.images()) assertTrue(b.imagePrediction(im.id()).isPresent(), im.name());
			assertEquals(b.models().get(0).id(), b.imagePrediction(b.images().get(0).id()).orElseThrow().modelId());
			ImageRecord coins = b.images().get(0);
			assertEquals("coins.png", coins.name());
			List<Annotation> proposals = b.annotations(coins.id());
			assertTrue(proposals.size() > 10 && proposals.stream().allMatch(a -> a.data().status() == Status.PROPOSED && a.revision() == 1
					&& a.data().origin().toString().startsWith("weak:classical:Li")), proposals::toString);
		}
	}

	/** Every dialog a person opened in the scenarios fits a 1280×800 screen, Edit Classes with 15 classes too. */
	@Test
	@SuppressWarnings("unchecked")
	void dialogsFitA1280By800Screen() {
		assertTrue(models.containsKey("dialogSize:Edit Classes"), models::toString);
		for (Map<String, Object> r : List.of(models, session))
			for (var e : r.entrySet())
				if (e.getKey().startsWith("dialogSize:")) {
					List<Number> size = (List<Number>) e.getValue();
					assertTrue(size.get(0).intValue() <= 1280 && size.get(1).intValue() <= 800, e.toString());
				}
	}

	// ---- i: review -----------------------------------------------------------------------------------------------

	@Test
	void reviewLabelIssuesFlagsCommentsAndLabelQuality() {
		assertEquals(List.of(), models.get("dialogs"), () -> "no error or unexpected dialog: " + models.get("dialogs") + "\n" + models.get("log"));
		String log = String.valueOf(models.get("log"));
		assertTrue(log.matches("(?s).*LabelLoop: issue 1/\\d+: image \\S+ annotation \\d+: labelled \\S+, model v1 says .*"), log);
		assertEquals("decide", ((List<?>) models.get("dialog:Review Label Issues")).get(1), "on the issue shown, Review offers to decide it");
		Map<String, Object> next = step(models, "review-next");
		Map<String, Object> flagged = step(models, "review-flag");
		assertEquals(next.get("imageId"), flagged.get("imageId"), "decide works on the issue shown");
		assertTrue(rois(flagged, "overlay").stream().anyMatch(r -> "image-label".equals(r.get("mark")) && "yes".equals(r.get("flagged"))),
				() -> "the flagged image label is marked: " + rois(flagged, "overlay"));
		assertTrue(String.valueOf(models.get("commentsWindow")).contains("question-label"), () -> "Comments window: " + models.get("commentsWindow"));
		assertTrue(rois(step(models, "review-resolve"), "overlay").stream().noneMatch(r -> "yes".equals(r.get("flagged"))), "resolved: no mark");
		assertTrue(log.contains("LabelLoop: thread 1 resolved by dora"), log);
		assertEquals(Boolean.TRUE, models.get("qualityTable"), "Label Quality shows its table");
		assertEquals(Boolean.TRUE, models.get("qualityPlot"), "Label Quality shows the confusion-matrix plot");
		assertEquals(Boolean.TRUE, models.get("qualityReliability"), "and the reliability diagram");
		assertEquals(Boolean.TRUE, models.get("qualityPlotConfusedCell"), "20 labels, out-of-fold: some items are confused");
		assertTrue(log.matches("(?s).*LabelLoop: labelled .+ → .+: .*"), () -> "a click lists the items behind the cell: " + models.get("log"));
		assertTrue(String.valueOf(models.get("confusedOpened")).contains(".png"), () -> "and opens the first: " + models.get("confusedOpened"));
		String recorded = (String) models.get("recorded");
		for (String line : List.of("run(\"Review Label Issues\", \"task=image action=next", "run(\"Comments\", \"show=all"))
			assertTrue(recorded.contains(line), () -> "recorded macro lacks " + line + ":\n" + recorded);
	}

	// ---- f: screenshot --------------------------------------------------------------------------------------

	@Test
	void theScreenshotShowsClassColouredShapesAndLabels() throws IOException {
		BufferedImage shot = ImageIO.read(ARTIFACTS.resolve("overlay.png").toFile());
		assertNotNull(shot);
		assertTrue(shot.getWidth() >= 550 && shot.getHeight() >= 660, shot.getWidth() + "x" + shot.getHeight());
		int red = 0, blue = 0, yellow = 0;
		for (int y = 0; y < shot.getHeight(); y++)
			for (int x = 0; x < shot.getWidth(); x++) {
				int rgb = shot.getRGB(x, y);
				if (near(rgb, 0xff3b30)) red++;
				if (near(rgb, 0x2f80ed)) blue++;
				if (near(rgb, 0xffff00)) yellow++;
			}
		// label backgrounds are filled with the class colour: thousands of pixels, not just thin outlines
		assertTrue(red > 1500, "nucleus-coloured pixels: " + red);
		assertTrue(blue > 1500, "background-coloured pixels: " + blue);
		assertTrue(yellow > 100, "the user's own yellow overlay ROI: " + yellow);
	}

	// ---- helpers --------------------------------------------------------------------------------------------

	private static boolean near(int rgb, int target) {
		int d = 0;
		for (int shift = 0; shift <= 16; shift += 8) d += Math.abs(((rgb >> shift) & 0xff) - ((target >> shift) & 0xff));
		return d < 90; // label backgrounds are drawn slightly transparent
	}

	private static String quoted(String s) {
		return s.contains(" ") ? "[" + s + "]" : s;
	}

	private static String key(LocalBackend b, Annotation a) {
		Geometry g = a.data().geometry();
		return a.data().origin() + " " + className(b, a.data().classId()) + " "
				+ (g == null ? "whole" : g.kind().key() + java.util.Arrays.toString(g.x()) + java.util.Arrays.toString(g.y()));
	}

	private static String className(LocalBackend b, Long id) {
		return b.classes().stream().filter(c -> id != null && c.id() == id).map(LabelClass::name).findFirst().orElse("none");
	}

	private static Annotation only(Map<String, Annotation> byKey, String key) {
		Annotation a = byKey.get(key);
		assertNotNull(a, () -> "no annotation " + key + " among\n" + String.join("\n", byKey.keySet()));
		return a;
	}

	/** Image, shape, class, status, origin and revision of every annotation, in a stable order. */
	private static List<String> summary(LocalBackend b) {
		List<String> list = new ArrayList<>();
		for (ImageRecord img : b.images())
			for (Annotation a : b.annotations(img.id()))
				list.add(img.name() + " " + key(b, a) + " " + a.data().status().key() + " r" + a.revision());
		list.sort(Comparator.naturalOrder());
		return list;
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> steps(Map<String, Object> results) {
		return (List<Map<String, Object>>) results.get("steps");
	}

	private static Map<String, Object> step(Map<String, Object> results, String name) {
		return steps(results).stream().filter(s -> name.equals(s.get("step"))).findFirst().orElseThrow(() -> new AssertionError("no step " + name));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> rois(Map<String, Object> step, String where) {
		return (List<Map<String, Object>>) step.get(where);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> windows(Map<String, Object> step) {
		return (List<Map<String, Object>>) step.get("windows");
	}

	private static void deleteTree(Path p) throws IOException {
		if (!Files.exists(p)) return;
		try (Stream<Path> s = Files.walk(p)) {
			for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
		}
	}
}
