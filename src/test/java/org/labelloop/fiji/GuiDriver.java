package org.labelloop.fiji;

import org.labelloop.fiji.commands.Comments;
import org.labelloop.fiji.commands.LabelQuality;
import org.labelloop.fiji.commands.ConfusionPlot;
import java.awt.Component;
import java.awt.Container;
import java.awt.EventQueue;
import java.awt.Label;
import java.awt.Menu;
import java.awt.MenuBar;
import java.awt.MenuItem;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextComponent;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.event.MouseEvent;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.labelloop.backend.Backend;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.NextMode;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ij.Executer;
import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.Menus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageCanvas;
import ij.gui.Roi;
import ij.gui.Toolbar;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

/**
 * Runs in a child JVM with a display (Xvfb): starts the real ImageJ 1 GUI with LabelLoop's menu, plays a scenario
 * (macros, or a user's clicks and keys), and writes what it saw to {@code results.json} in the output folder for
 * {@link FijiGuiTest} to check. Unexpected dialogs are closed and recorded, so a failing command cannot hang it.
 * <p>
 * Scenarios: {@code session} (menu, the commands from a macro, the user's own ROIs, screenshot), {@code record}
 * (the commands done the way a user does them, with the macro recorder on), {@code replay} (runs a recorded macro on
 * a new project, then opens the session's project).
 */
public final class GuiDriver {

	private final Path out;
	private final Map<String, Object> results = Collections.synchronizedMap(new LinkedHashMap<>());
	private final List<Map<String, String>> dialogs = Collections.synchronizedList(new ArrayList<>());
	private final Set<String> drivenDialogs = Collections.synchronizedSet(new HashSet<>());
	private final List<Map<String, Object>> steps = new ArrayList<>();

	private GuiDriver(Path out) {
		this.out = out;
	}

	public static void main(String[] args) throws Exception {
		GuiDriver d = new GuiDriver(Path.of(args[1]));
		Files.createDirectories(d.out);
		int limit = Integer.getInteger("gui.timeout", 400);
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(limit * 1000L);
			} catch (InterruptedException e) {
				return;
			}
			d.results.put("timeout", "scenario did not finish in " + limit + " s\n" + threadDump());
			d.write();
			Runtime.getRuntime().halt(3);
		}, "driver watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		long t0 = System.nanoTime();
		try {
			d.startImageJ();
			switch (args[0]) {
				case "session" -> d.session();
				case "record" -> d.record();
				case "replay" -> d.replay();
				case "models" -> d.models();
				case "similar" -> d.similar();
				case "brush" -> d.brush();
				case "click" -> d.click();
				case "panel" -> d.panel();
				default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
			}
		} catch (Throwable t) {
			d.results.put("exception", stackTrace(t));
		} finally {
			d.results.put("seconds", (System.nanoTime() - t0) / 1e9);
			d.results.put("steps", d.steps);
			d.results.put("dialogs", d.dialogs);
			d.results.put("log", IJ.getLog() == null ? "" : IJ.getLog());
			try {
				LabelLoopSession.get().close(); // what quitting ImageJ does through the shutdown hook
			} catch (Throwable t) {
				d.results.put("closeException", stackTrace(t));
			}
			d.write();
			Runtime.getRuntime().halt(0); // the project is closed; ImageJ's windows need no orderly end
		}
	}

	private void write() {
		try {
			Map<String, Object> copy;
			synchronized (results) {
				copy = new LinkedHashMap<>(results);
			}
			new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), copy);
		} catch (Exception e) {
			e.printStackTrace();
		}
	}

	// ---- scenarios -----------------------------------------------------------------------------------------

	/** a, b, d, f: menu; commands from a macro; user ROIs survive; screenshot. */
	private void session() throws Exception {
		menu();
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData");
		step("new", "run(\"New Project\", \"folder=[" + project + "] name=[gui session] user=alice\");");
		step("add", "run(\"Add Images\", \"path=[" + td + "/microscopy]\");\n"
				+ "run(\"Add Images\", \"path=[" + td + "/fashion/0000_ankle_boot.png]\");");
		step("classes", "run(\"Edit Classes\", \"action=add class=nucleus color=#ff3b30 hotkey=n\");\n"
				+ "run(\"Edit Classes\", \"action=add class=background color=#2f80ed hotkey=b\");");
		results.put("proposals", proposeLikeAModel());
		// the user's own image with a ROI Manager entry, before LabelLoop shows anything
		step("userRm", "newImage(\"mine\", \"8-bit ramp\", 120, 90, 1);\n"
				+ "makeRectangle(5, 6, 30, 20);\nroiManager(\"Add\");\nroiManager(\"select\", roiManager(\"count\")-1);\n"
				+ "roiManager(\"rename\", \"user-rm\");\nroiManager(\"deselect\");\nrun(\"Select None\");");
		step("next", "run(\"Next Image\", \"mode=sequential\");");
		step("userOverlay", "makeOval(420, 30, 50, 50);\nRoi.setName(\"user-overlay\");\nOverlay.addSelection(\"#ffff00\", 3);\nrun(\"Select None\");");
		step("draw", "makeRectangle(10, 20, 60, 40);\nrun(\"Set Class\", \"class=nucleus\");\n"
				+ "makeOval(100, 120, 50, 40);\nrun(\"Set Class\", \"class=background\");\n"
				+ "makePolygon(300, 300, 360, 310, 330, 370);\nrun(\"Set Class\", \"class=nucleus\");");
		step("whole", "run(\"Label Whole Image\", \"class=background\");\nrun(\"Label Whole Image\", \"class=nucleus\");");
		// ROI Manager entries are named class #id confidence: the nucleus the model gave 0.82
		step("save", "i = -1;\nfor (k = 0; k < RoiManager.size; k++) { n = RoiManager.getName(k); if (startsWith(n, \"nucleus #\") && endsWith(n, \" 0.82\")) i = k; }\n"
				+ "roiManager(\"select\", i);\n"
				+ "getSelectionBounds(x, y, w, h);\nsetSelectionLocation(x + 15, y + 10);\nroiManager(\"update\");\nrun(\"Select None\");\n"
				+ "makeRectangle(200, 40, 30, 30);\nRoi.setProperty(\"labelloop.class\", \"background\");\nroiManager(\"Add\");\nrun(\"Select None\");\n"
				+ "run(\"Save Labels\");");
		step("show", "run(\"Show Annotations\");");
		step("accept", "run(\"Accept All\");");
		step("undo", "run(\"Undo Label Change\");");
		screenshot(System.getProperty("gui.screenshot"));
		step("next2", "run(\"Next Image\", \"mode=sequential\");");
		step("previous", "run(\"Previous Image\");");
		step("badClass", "run(\"Set Class\", \"class=[no such class]\");");
	}

	/** c: the same kind of work done like a user (menus, dialogs, mouse, hotkeys) with the recorder on. */
	private void record() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData");
		onEdt(() -> new Recorder(true));
		waitFor("recorder", () -> Recorder.getInstance() != null);
		userCommand("New Project", List.of(project, "rec", "bob"), List.of());
		userCommand("Add Images", List.of(td + "/microscopy/coins.png"), List.of());
		userCommand("Add Images", List.of(td + "/microscopy/cell.png"), List.of());
		userCommand("Edit Classes", List.of("nucleus", "", "#ff3b30", "n"), List.of("add"));
		userCommand("Edit Classes", List.of("background", "", "#2f80ed", "b"), List.of("add"));
		userCommand("Next Image", List.of(), List.of("sequential"));
		ImagePlus imp = waitForImage("coins.png");
		snapshot("shown");
		setTool(Toolbar.RECTANGLE);
		drag(imp, 20, 30, 80, 70);
		key(imp, 'n');
		setTool(Toolbar.OVAL);
		drag(imp, 120, 40, 170, 90);
		userCommand("Set Class", List.of(), List.of("background"));
		setTool(Toolbar.POLYGON);
		polygon(imp, new int[] { 200, 260, 230 }, new int[] { 150, 160, 220 });
		key(imp, 'n');
		userCommand("Label Whole Image", List.of(), List.of("background"));
		snapshot("labelled");
		selectInRoiManager(0);
		userCommand("Reject Selected", null, null);
		selectInRoiManager(1);
		key(imp, 'b');
		userCommand("Save Labels", null, null);
		userCommand("Undo Label Change", null, null);
		userCommand("Redo Label Change", null, null);
		snapshot("done");
		results.put("recorded", onEdt(() -> Recorder.getInstance().getText()));
	}

	/** c (second half) and e: replays a recorded macro on a new project, then opens the session's project. */
	private void replay() throws Exception {
		String macro = Files.readString(Path.of(System.getProperty("gui.macro")));
		step("replay", macro);
		step("open", "run(\"Open Project\", \"folder=[" + System.getProperty("gui.reopen") + "] user=carol\");");
		results.put("reopened", dump(LabelLoopSession.get().require(org.labelloop.backend.LabelLoopBackend.class)));
	}

	/** The model loop: Retrain (menu click, recorded), predictions on screen, Learning Curve, Model Versions, Propose Objects. */
	private void models() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData");
		results.put("demo", mixedDemo(td, project, "dora"));
		step("open", "run(\"Open Project\", \"folder=[" + project + "] user=dora\");\n"
				+ "run(\"Import Labels\", \"format=csv file=[" + td + "/fashion/labels.csv]\");\n"
				+ "run(\"Next Image\", \"mode=sequential\");");
		onEdt(() -> new Recorder(true));
		waitFor("recorder", () -> Recorder.getInstance() != null);
		userCommand("Retrain", List.of(), List.of("logistic", "both"));
		snapshot("retrained");
		step("retrain2", "run(\"Retrain\", \"classifier=forest task=image\");");
		step("curve", "run(\"Learning Curve\", \"task=image\");");
		userCommand("Model Versions", List.of(), List.of("v1"));
		snapshot("versions");
		step("propose", "run(\"Propose Objects\", \"method=Li channel=1 sigma=2 objects=bright watershed=yes min_area=300 max_area=Infinity"
				+ " circularity=0.5 exclude_edges=yes images=current replace=yes\");");
		// review: the first label issue, flagged; the Comments window; a reply and the thread resolved; Label Quality
		userCommand("Review Label Issues", List.of(), List.of("image", "next"));
		snapshot("review-next");
		// on the image the dialog offers action=decide: one run per issue
		userCommand("Review Label Issues", List.of("Is this right?"), List.of("image", "decide", "flag"));
		snapshot("review-flag");
		userCommand("Comments", List.of("0", "0"), List.of("all"));
		results.put("commentsWindow", onEdt(() -> WindowManager.getFrame(Comments.WINDOW) instanceof ij.text.TextWindow tw ? tw.getTextPanel().getText() : null));
		step("review-reply", "run(\"Comment\", \"kind=note text=[Checked: it is] reply=1\");");
		step("review-resolve", "run(\"Comments\", \"show=all resolve=1\");");
		step("review-quality", "run(\"Label Quality\", \"task=image\");");
		results.put("qualityTable", onEdt(() -> WindowManager.getWindow(LabelQuality.TABLE + " (image)") != null));
		// the confusion-matrix plot: a click on a red (confused) cell opens the first item behind it
		ImagePlus plot = onEdt(() -> WindowManager.getImage("LabelLoop confusion matrix (image)"));
		results.put("qualityPlot", plot != null);
		results.put("qualityReliability", onEdt(() -> WindowManager.getImage("LabelLoop reliability (image)") != null));
		if (plot != null) {
			int[] red = null;
			int k = (plot.getWidth() - ConfusionPlot.LEFT - 12) / ConfusionPlot.CELL;
			for (int i = 0; i < k && red == null; i++)
				for (int j = 0; j < k && red == null; j++) {
					int[] px = plot.getPixel(ConfusionPlot.LEFT + j * ConfusionPlot.CELL + 3, ConfusionPlot.TOP + i * ConfusionPlot.CELL + 3);
					if (i != j && px[0] == 255 && px[1] < 255) red = new int[] { ConfusionPlot.LEFT + j * ConfusionPlot.CELL + 3, ConfusionPlot.TOP + i * ConfusionPlot.CELL + 3 };
				}
			results.put("qualityPlotConfusedCell", red != null);
			if (red != null) {
				int[] at = red;
				onEdt(() -> {
					var c = plot.getCanvas();
					c.dispatchEvent(new java.awt.event.MouseEvent(c, java.awt.event.MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0, c.screenX(at[0]),
							c.screenY(at[1]), 1, false));
					return null;
				});
				waitFor("a confused item opened", () -> String.valueOf(IJ.getLog()).contains("LabelLoop: labelled ")
						&& WindowManager.getCurrentImage() != null && !WindowManager.getCurrentImage().getTitle().startsWith("LabelLoop "));
				results.put("confusedOpened", onEdt(() -> WindowManager.getCurrentImage().getTitle()));
			}
		}
		// Edit Classes lists the project's 15 classes in its dialog: it must still fit a 1280×800 screen
		userCommand("Edit Classes", List.of("fibre", "", "", ""), List.of("add"));
		results.put("recorded", onEdt(() -> Recorder.getInstance().getText()));
	}

	/**
	 * Issue 4's "done when" on the demo project: open the map, lasso a cluster, label it in one go (weak); open Similar
	 * Items on a ROI, mark two negatives, filter to "not reviewed", bulk-label the result (accepted); undo both.
	 */
	/**
	 * Issue 19: click to segment on the coins image through real mouse events, with the recorder on: Mask Brush selects
	 * the click tool, a click inside a coin adds that coin, a shift-click near its edge takes that side away, Undo
	 * Label Change takes the shift-click back. The truth is the Otsu-threshold coin under the click.
	 */
	private void click() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData"), shots = System.getProperty("gui.shots");
		onEdt(() -> new Recorder(true));
		waitFor("recorder", () -> Recorder.getInstance() != null);
		step("open", "run(\"New Project\", \"folder=[" + project + "] name=click user=cleo\");\n"
				+ "run(\"Add Images\", \"path=[" + td + "/microscopy/coins.png]\");\n"
				+ "run(\"Edit Classes\", \"action=add class=coin color=#e6194b hotkey=1\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");");
		step("tool", "run(\"Mask Brush\", \"class=coin radius=3 erase=no opacity=0.5 tool=click\");");
		results.put("tool", onEdt(() -> Toolbar.getToolName()));
		ImagePlus imp = LabelLoopSession.get().currentImage();
		org.labelloop.core.geom.Mask coin = org.labelloop.testing.OtsuObjects.of(imp.getProcessor()).stream()
				.filter(m -> m.minY() > 151 && m.maxY() < 226).toList().get(1); // a coin of the third row
		int cx = (coin.minX() + coin.maxX()) / 2, cy = (coin.minY() + coin.maxY()) / 2;
		org.labelloop.backend.LabelLoopBackend b = LabelLoopSession.get().require(org.labelloop.backend.LabelLoopBackend.class);
		long image = LabelLoopSession.imageId(imp);
		java.util.function.Supplier<org.labelloop.core.geom.Mask> mask = () -> b.annotations(image).stream().filter(a -> a.data().isMask()).findFirst()
				.map(a -> a.data().mask()).orElse(org.labelloop.core.geom.Mask.EMPTY);
		click(imp, cx, cy, 0);
		waitFor("the clicked coin", () -> !mask.get().isEmpty());
		org.labelloop.core.geom.Mask clicked = mask.get();
		results.put("clickedIoU", clicked.iou(coin));
		screenshot(shots == null ? null : Path.of(shots, "click-to-segment.png").toString());
		click(imp, coin.maxX() - 5, cy, InputEvent.SHIFT_DOWN_MASK);
		waitFor("the shift-click", () -> mask.get().voxelCount() < clicked.voxelCount());
		org.labelloop.core.geom.Mask refined = mask.get();
		results.put("refinedKeepsClick", refined.contains(cx, cy, 0));
		results.put("refinedLosesEdge", !refined.contains(coin.maxX() - 5, cy, 0));
		step("undo", "run(\"Undo Label Change\");");
		results.put("undoneBack", mask.get().equals(clicked));
		results.put("recorded", onEdt(() -> Recorder.getInstance().getText()));
	}

	private static void click(ImagePlus imp, int x, int y, int extraMods) throws Exception {
		ImageCanvas c = imp.getCanvas();
		onEdt(() -> {
			int sx = c.screenX(x), sy = c.screenY(y);
			long t = System.currentTimeMillis();
			c.dispatchEvent(new MouseEvent(c, MouseEvent.MOUSE_MOVED, t, extraMods, sx, sy, 0, false, MouseEvent.NOBUTTON));
			c.dispatchEvent(new MouseEvent(c, MouseEvent.MOUSE_PRESSED, t, extraMods | InputEvent.BUTTON1_DOWN_MASK, sx, sy, 1, false, MouseEvent.BUTTON1));
			c.dispatchEvent(new MouseEvent(c, MouseEvent.MOUSE_RELEASED, t, extraMods, sx, sy, 1, false, MouseEvent.BUTTON1));
			return null;
		});
		Thread.sleep(300);
	}

	/**
	 * Issue 14: on the brain MRI volume, the mask brush paints one stroke on each of three slices through real mouse
	 * events on the canvas, Undo Label Change takes the last one back; the label layer follows the slice slider.
	 */
	private void brush() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData"), shots = System.getProperty("gui.shots");
		Path images = Path.of(project).resolveSibling("brush-images");
		Files.createDirectories(images);
		Files.copy(Path.of(td, "mri/ch2_crop.nii"), images.resolve("ch2_crop.nii"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		try (org.labelloop.backend.LocalBackend b = org.labelloop.backend.LocalBackend.create(Path.of(project), "brush", "erin")) {
			b.addImages(List.of(images), org.labelloop.core.model.Progress.NONE);
			b.addClass("cortex", "#e6194b", "1");
		}
		step("open", "run(\"Open Project\", \"folder=[" + project + "] user=erin\");\nrun(\"Next Image\", \"mode=sequential\");");
		step("brush", "run(\"Mask Brush\", \"class=cortex radius=3 erase=no opacity=0.5\");");
		ImagePlus imp = LabelLoopSession.get().currentImage();
		results.put("slices", imp.getNSlices());
		results.put("tool", onEdt(() -> Toolbar.getToolName()));
		org.labelloop.backend.LabelLoopBackend b = LabelLoopSession.get().require(org.labelloop.backend.LabelLoopBackend.class);
		long image = LabelLoopSession.imageId(imp);
		int[][] strokes = { { 2, 10, 10, 30, 14 }, { 4, 24, 30, 24, 44 }, { 6, 8, 40, 16, 40 } };
		for (int[] st : strokes) {
			onEdt(() -> {
				imp.setSlice(st[0]);
				return null;
			});
			long before = b.annotations(image).stream().filter(a -> a.data().isMask()).mapToLong(a -> a.revision()).sum();
			drag(imp, st[1], st[2], st[3], st[4]);
			waitFor("stroke on slice " + st[0], () -> b.annotations(image).stream().filter(a -> a.data().isMask()).mapToLong(a -> a.revision()).sum() > before);
		}
		org.labelloop.core.geom.Mask painted = b.annotations(image).stream().filter(a -> a.data().isMask()).findFirst().orElseThrow().data().mask();
		results.put("paintedSlices", java.util.Arrays.stream(painted.slices()).boxed().toList());
		results.put("paintedOnSlice", java.util.Arrays.stream(painted.slices()).mapToObj(z -> painted.slice(z).count()).toList());
		results.put("layer", onEdt(() -> {
			for (Roi r : imp.getOverlay()) if (r instanceof MaskLayer l) return l.size();
			return 0;
		}));
		onEdt(() -> {
			imp.setSlice(4);
			return null;
		});
		screenshot(shots == null ? null : Path.of(shots, "mask-brush.png").toString());
		step("undo", "run(\"Undo Label Change\");");
		org.labelloop.core.geom.Mask undone = b.annotations(image).stream().filter(a -> a.data().isMask()).findFirst().orElseThrow().data().mask();
		results.put("undoneSlices", java.util.Arrays.stream(undone.slices()).boxed().toList());
		results.put("stored", GuiDriver.dump(b));
	}

	private void similar() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData"), shots = System.getProperty("gui.shots");
		results.put("demo", mixedDemo(td, project, "erin"));
		labelSomeCoins(project, "erin");
		step("open", "run(\"Open Project\", \"folder=[" + project + "] user=erin\");\n"
				+ "run(\"Retrain\", \"classifier=logistic task=both\");\n"
				+ "run(\"Next Image\", \"mode=sequential\");");
		org.labelloop.backend.LabelLoopBackend b = LabelLoopSession.get().require(org.labelloop.backend.LabelLoopBackend.class);
		results.put("models", b.models().stream().map(m -> m.task() + " " + m.name()).toList());
		similarSteps(b, shots);
	}

	/** The demo with the Fashion-MNIST pictures added (half labelled): image labels and coins in one project. */
	private static String mixedDemo(String td, String project, String user) {
		String made = DemoProject.create(Path.of(td), Path.of(project), user);
		try (org.labelloop.backend.LocalBackend b = org.labelloop.backend.LocalBackend.open(Path.of(project), user)) {
			DemoProject.addFashion(b, Path.of(td));
		}
		return made;
	}

	/** Six coins accepted and six patches of background drawn on coins.png, so there is a ROI model to train. */
	private static void labelSomeCoins(String project, String user) {
		try (org.labelloop.backend.LocalBackend b = org.labelloop.backend.LocalBackend.open(Path.of(project), user)) {
			ImageRecord coins = b.images().stream().filter(i -> i.name().equals("coins.png")).findFirst().orElseThrow();
			long coin = classId(b, "coin"), background = classId(b, "background");
			List<Edit> edits = new ArrayList<>();
			List<Annotation> proposed = b.annotations(coins.id());
			for (Annotation a : proposed.subList(0, 6)) edits.add(new Edit.Update(a.id(), a.revision(), a.data().withClass(coin).withStatus(Status.ACCEPTED)));
			int[][] boxes = { { 0, 0, 20, 20 }, { 360, 0, 20, 20 }, { 0, 280, 20, 20 }, { 360, 280, 20, 20 }, { 170, 140, 16, 12 }, { 100, 0, 30, 10 } };
			for (int[] x : boxes) edits.add(new Edit.Create(coins.id(), AnnotationData.human(Geometry.rect(x[0], x[1], x[2], x[3], null), background, user)));
			b.apply("label some coins", edits);
		}
	}

	private void similarSteps(org.labelloop.backend.LabelLoopBackend b, String shots) throws Exception {

		// the map: lasso the unlabelled images around one of them, label them weak in one go
		step("map", "run(\"Embedding Map\", \"task=image colour=class\");");
		waitFor("map window", () -> org.labelloop.fiji.ui.EmbeddingMapWindow.current() != null);
		org.labelloop.fiji.ui.EmbeddingMapWindow map = org.labelloop.fiji.ui.EmbeddingMapWindow.current();
		waitFor("map loaded", () -> map.loaded() && map.idle());
		Thread.sleep(300);
		results.put("mapPoints", map.points());
		results.put("mapLegend", onEdt(map::legendText));
		results.put("mapLabels", map.mapLayout().points().stream().map(p -> p.label() == null ? "no label" : p.label()).distinct().sorted().toList());
		// the centre of the lasso: the unlabelled image with the most unlabelled images near it on the screen
		java.awt.Point c = onEdt(() -> {
			List<java.awt.Point> open = map.mapLayout().points().stream().filter(p -> p.label() == null).map(p -> map.pixelOf(p.item())).toList();
			java.awt.Point best = open.get(0);
			long most = 0;
			for (java.awt.Point p : open) {
				long n = open.stream().filter(q -> q.distance(p) < 90).count();
				if (n > most) {
					most = n;
					best = p;
				}
			}
			return best;
		});
		List<int[]> lasso = new ArrayList<>();
		for (int i = 0; i <= 24; i++) lasso.add(new int[] { (int) (c.x + 95 * Math.cos(i * Math.PI / 12)), (int) (c.y + 95 * Math.sin(i * Math.PI / 12)) });
		drag(map.canvas(), lasso);
		List<String> lassoed = onEdt(map::selection);
		results.put("mapSelection", lassoed);
		results.put("beforeMap", labelsOf(b, lassoed));
		onEdt(() -> {
			named(map, "class", javax.swing.JComboBox.class).setSelectedItem("artefact");
			named(map, "as", javax.swing.JComboBox.class).setSelectedItem("weak");
			named(map, "label", javax.swing.JButton.class).doClick();
			return null;
		});
		Thread.sleep(200);
		waitFor("map label", () -> map.idle());
		results.put("mapStatus", onEdt(map::statusText));
		results.put("afterMap", labelsOf(b, lassoed));
		windowShot(map, shots == null ? null : Path.of(shots, "embedding-map.png"));
		// the filter: only the weak labels just given pass; the rest are faint and out of the lasso
		onEdt(() -> {
			map.filter("origin:weak status:proposed");
			return null;
		});
		waitFor("map filter", () -> map.idle() && map.statusText().contains("pass the filter"));
		results.put("mapFilterStatus", onEdt(map::statusText));
		results.put("mapFilterPassing", onEdt(map::passingPoints));
		results.put("mapFilterWeak", labelsOf(b, map.mapLayout().points().stream().map(p -> p.item()).toList()).values().stream()
				.filter(l -> l.contains("proposed weak:")).count());
		drag(map.canvas(), lasso);
		results.put("mapFilterSelection", labelsOf(b, onEdt(map::selection)));
		windowShot(map, shots == null ? null : Path.of(shots, "embedding-map-filter.png"));
		onEdt(() -> {
			map.filter("area>many");
			return null;
		});
		waitFor("map filter error", () -> map.idle() && map.statusText().contains("many"));
		results.put("mapFilterError", onEdt(map::statusText));
		onEdt(() -> {
			map.filter("");
			return null;
		});
		results.put("mapFilterCleared", onEdt(map::passingPoints));
		// hover shows the item; "Open as gallery" shows the selection in the Similar Items window
		java.awt.Point h = onEdt(() -> map.pixelOf(lassoed.get(0)));
		onEdt(() -> {
			map.canvas().dispatchEvent(new MouseEvent(map.canvas(), MouseEvent.MOUSE_MOVED, System.currentTimeMillis(), 0, h.x, h.y, 0, false, MouseEvent.NOBUTTON));
			return null;
		});
		String hoverName = b.image(org.labelloop.backend.Similar.parse(lassoed.get(0)).id()).name();
		results.put("hoverName", hoverName);
		waitFor("hover", () -> map.previewText().contains(hoverName + "<br>"));
		results.put("hover", onEdt(map::previewText));
		// the wheel zooms around the pointer, a right-drag pans
		String p1 = lassoed.get(0), p2 = lassoed.get(lassoed.size() - 1);
		double before = onEdt(() -> map.pixelOf(p1).distance(map.pixelOf(p2)));
		onEdt(() -> {
			map.canvas().dispatchEvent(new java.awt.event.MouseWheelEvent(map.canvas(), MouseEvent.MOUSE_WHEEL, System.currentTimeMillis(), 0, h.x, h.y, 0,
					false, java.awt.event.MouseWheelEvent.WHEEL_UNIT_SCROLL, 1, -3));
			return null;
		});
		java.awt.Point zoomed = onEdt(() -> map.pixelOf(p1));
		double after = onEdt(() -> map.pixelOf(p1).distance(map.pixelOf(p2)));
		drag(map.canvas(), List.of(new int[] { 100, 100 }, new int[] { 130, 110 }, new int[] { 160, 120 }), InputEvent.BUTTON3_DOWN_MASK, MouseEvent.BUTTON3);
		java.awt.Point panned = onEdt(() -> map.pixelOf(p1));
		results.put("zoom", List.of(before, after, zoomed.distance(h)));
		results.put("pan", List.of(panned.x - zoomed.x, panned.y - zoomed.y));
		onEdt(() -> {
			named(map, "gallery", javax.swing.JButton.class).doClick();
			return null;
		});
		waitFor("gallery", () -> org.labelloop.fiji.ui.SimilarItemsWindow.current() != null && org.labelloop.fiji.ui.SimilarItemsWindow.current().idle()
				&& !org.labelloop.fiji.ui.SimilarItemsWindow.current().items().isEmpty());
		results.put("gallery", org.labelloop.fiji.ui.SimilarItemsWindow.current().items());

		// Similar Items on a proposed coin: two negatives, "not reviewed", label the answer (accepted)
		ImagePlus imp = LabelLoopSession.get().currentImage();
		Long coinRoi = onEdt(() -> {
			for (Roi r : imp.getOverlay().toArray()) {
				Object id = r.getProperty(AnnotationView.ID);
				if (id == null) continue;
				Annotation a = b.annotation(Long.parseLong(id.toString())).orElse(null);
				if (a != null && a.data().status() == Status.PROPOSED) {
					imp.setRoi((Roi) r.clone());
					return a.id();
				}
			}
			return null;
		});
		results.put("example", "roi:" + coinRoi);
		step("similar", "run(\"Similar Items...\", \"k=12\");");
		waitFor("similar window", () -> org.labelloop.fiji.ui.SimilarItemsWindow.current() != null);
		org.labelloop.fiji.ui.SimilarItemsWindow sim = org.labelloop.fiji.ui.SimilarItemsWindow.current();
		waitFor("similar items", () -> sim.idle() && !sim.items().isEmpty());
		results.put("firstAnswer", sim.items());
		results.put("positives", sim.positives());
		results.put("examplesLine", onEdt(sim::examplesText));
		for (int i = 0; i < 2; i++) {
			String item = sim.items().get(i);
			onEdt(() -> {
				named(sim, "minus:" + item, javax.swing.JButton.class).doClick();
				return null;
			});
			Thread.sleep(200);
			waitFor("requery", () -> sim.idle() && !sim.items().contains(item));
		}
		results.put("negatives", sim.negatives());
		onEdt(() -> {
			named(sim, "filter", javax.swing.JTextField.class).setText("not reviewed");
			named(sim, "search", javax.swing.JButton.class).doClick();
			return null;
		});
		Thread.sleep(200);
		waitFor("filtered", sim::idle);
		List<String> answer = sim.items();
		results.put("notReviewed", answer);
		results.put("answerBefore", labelsOf(b, answer));
		onEdt(() -> {
			named(sim, "selectAll", javax.swing.JButton.class).doClick();
			named(sim, "class", javax.swing.JComboBox.class).setSelectedItem("coin");
			named(sim, "as", javax.swing.JComboBox.class).setSelectedItem("accepted");
			return null;
		});
		windowShot(sim, shots == null ? null : Path.of(shots, "similar-items.png"));
		onEdt(() -> {
			named(sim, "label", javax.swing.JButton.class).doClick();
			return null;
		});
		Thread.sleep(300);
		waitFor("similar label", sim::idle);
		results.put("similarStatus", onEdt(sim::statusText));
		results.put("afterSimilar", labelsOf(b, answer));

		step("undo", "run(\"Undo Label Change\");");
		results.put("undoSimilar", labelsOf(b, answer));
		results.put("undoSimilarMap", labelsOf(b, lassoed));
		step("undo2", "run(\"Undo Label Change\");");
		results.put("undoMap", labelsOf(b, lassoed));

		// a researcher flags one item of the gallery with a question: a question-label thread on it
		String flagged = sim.items().get(0);
		drivenDialogs.add("Flag label(s)");
		onEdt(() -> {
			named(sim, "selectNone", javax.swing.JButton.class).doClick();
			javax.swing.JLabel thumb = named(sim, "thumb:" + flagged, javax.swing.JLabel.class);
			thumb.dispatchEvent(new MouseEvent(thumb, MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0, 5, 5, 1, false, MouseEvent.BUTTON1));
			return null;
		});
		javax.swing.SwingUtilities.invokeLater(() -> named(sim, "flag", javax.swing.JButton.class).doClick());
		AtomicReference<javax.swing.JDialog> ask = new AtomicReference<>();
		waitFor("flag question", () -> {
			for (Window w : Window.getWindows())
				if (w instanceof javax.swing.JDialog d && d.isShowing() && "Flag label(s)".equals(d.getTitle())) {
					ask.set(d);
					return true;
				}
			return false;
		});
		Thread.sleep(500);
		onEdt(() -> {
			javax.swing.JOptionPane pane = (javax.swing.JOptionPane) ask.get().getContentPane().getComponent(0);
			pane.setInputValue("Is this really a coin?");
			pane.setValue(javax.swing.JOptionPane.OK_OPTION);
			return null;
		});
		waitFor("flag raised", () -> sim.statusText().contains("flag(s) raised"));
		results.put("flagStatus", sim.statusText());
		results.put("flagThreads", b.threads(true).stream().map(t -> t.kind().key() + " " + t.target().kind() + ":" + t.target().id() + " " + t.text()).toList());
		results.put("flaggedItem", flagged);

		// double-click a tile: its image opens with the overlay and the ROI selected
		String open = sim.items().get(0);
		results.put("openItem", open);
		onEdt(() -> {
			javax.swing.JLabel thumb = named(sim, "thumb:" + open, javax.swing.JLabel.class);
			thumb.dispatchEvent(new MouseEvent(thumb, MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0, 5, 5, 2, false, MouseEvent.BUTTON1));
			return null;
		});
		waitFor("opened", () -> {
			ImagePlus now = WindowManager.getCurrentImage();
			return now != null && now.getRoi() != null && open.equals("roi:" + now.getRoi().getProperty(AnnotationView.ID));
		});
		results.put("opened", onEdt(() -> WindowManager.getCurrentImage().getTitle() + " " + WindowManager.getCurrentImage().getRoi().getProperty(AnnotationView.ID)));

		// a ROI drawn after Retrain has no embedding yet: the window says so and offers Retrain
		step("draw", "makeRectangle(5, 5, 40, 40);\nrun(\"Set Class\", \"class=coin\");");
		long drawn = b.annotations(LabelLoopSession.get().currentImageId().orElseThrow()).stream().mapToLong(Annotation::id).max().orElseThrow();
		step("similarNew", "run(\"Similar Items...\", \"item=roi:" + drawn + " k=5\");");
		Thread.sleep(300);
		waitFor("no embedding", () -> sim.idle() && sim.statusText().contains("no embedding yet"));
		results.put("noEmbedding", onEdt(sim::statusText));
		results.put("retrainOffered", onEdt(() -> named(sim, "retrain", javax.swing.JButton.class).isVisible()));

		// a volume at slice 4: Similar Items asks for that slice; a double-click on a slice's tile opens its volume at it
		org.labelloop.core.model.ImageRecord volume = b.images().stream().filter(i -> i.slices() > 1).findFirst().orElseThrow();
		results.put("volume", volume.id() + " " + volume.name());
		ImagePlus shown = LabelLoopSession.get().show(volume);
		onEdt(() -> {
			shown.setPosition(1, 4, 1);
			return null;
		});
		step("similarSlice", "run(\"Similar Items...\", \"k=6\");");
		String asked = "slice:" + volume.id() + ":4";
		waitFor("similar slice", () -> org.labelloop.fiji.ui.SimilarItemsWindow.current() != null && org.labelloop.fiji.ui.SimilarItemsWindow.current().idle()
				&& org.labelloop.fiji.ui.SimilarItemsWindow.current().positives().equals(List.of(asked))
				&& !org.labelloop.fiji.ui.SimilarItemsWindow.current().items().isEmpty());
		org.labelloop.fiji.ui.SimilarItemsWindow slices = org.labelloop.fiji.ui.SimilarItemsWindow.current();
		results.put("slicePositives", slices.positives());
		results.put("sliceAnswer", slices.items());
		results.put("sliceExamplesLine", onEdt(slices::examplesText));
		windowShot(slices, shots == null ? null : Path.of(shots, "similar-slices.png"));
		String aSlice = slices.items().stream().filter(i -> i.startsWith("slice:")).findFirst().orElseThrow();
		onEdt(() -> {
			WindowManager.getCurrentImage().setPosition(1, 1, 1);
			javax.swing.JLabel thumb = named(slices, "thumb:" + aSlice, javax.swing.JLabel.class);
			thumb.dispatchEvent(new MouseEvent(thumb, MouseEvent.MOUSE_CLICKED, System.currentTimeMillis(), 0, 5, 5, 2, false, MouseEvent.BUTTON1));
			return null;
		});
		org.labelloop.backend.Similar.ItemRef ref = org.labelloop.backend.Similar.parse(aSlice);
		String wanted = b.image(ref.target().imageId()).name() + " z=" + ref.z();
		waitFor("slice opened", () -> {
			ImagePlus now = WindowManager.getCurrentImage();
			return now != null && wanted.equals(now.getTitle() + " z=" + now.getZ());
		});
		results.put("sliceOpened", wanted);
	}

	/**
	 * Issue 16 item 4: the LabelLoop panel on the demo project. Open Project opens it; Next through its button shows
	 * an image and why it was chosen; a row of its list selects the ROI Manager entry; a class click sets the class
	 * (Set Class) and the class count grows; Reject and Accept all through its buttons; the recorder has the lines.
	 */
	private void panel() throws Exception {
		String project = System.getProperty("gui.project"), td = System.getProperty("labelloop.testData"), shots = System.getProperty("gui.shots");
		results.put("demo", DemoProject.create(Path.of(td), Path.of(project), "erin"));
		labelSomeCoins(project, "erin");
		onEdt(() -> new Recorder(true));
		waitFor("recorder", () -> Recorder.getInstance() != null);
		step("open", "run(\"Open Project\", \"folder=[" + project + "] user=erin\");");
		waitFor("the panel", () -> org.labelloop.fiji.ui.LabelLoopPanel.current() != null);
		org.labelloop.fiji.ui.LabelLoopPanel p = org.labelloop.fiji.ui.LabelLoopPanel.current();
		waitFor("panel loaded", () -> p.idle() && !p.model().classes().isEmpty());
		results.put("before", panelState(p));
		javax.swing.JComboBox<?> strategy = named(p.getContentPane(), "strategy", javax.swing.JComboBox.class);
		onEdt(() -> {
			strategy.setSelectedItem("sequential");
			named(p.getContentPane(), "next", javax.swing.JButton.class).doClick();
			return null;
		});
		waitFor("Next through the panel", () -> p.idle() && !p.model().image().isEmpty() && !p.model().labels().isEmpty());
		results.put("afterNext", panelState(p));
		results.put("reasonLabel", onEdt(() -> named(p.getContentPane(), "reason", javax.swing.JLabel.class).getText()));
		results.put("shownImage", onEdt(() -> WindowManager.getCurrentImage() == null ? null : WindowManager.getCurrentImage().getTitle()));
		// a row of the list selects its ROI Manager entry
		javax.swing.JTable labels = named(p.getContentPane(), "labels", javax.swing.JTable.class);
		int first = firstProposed(p, 0);
		onEdt(() -> {
			labels.setRowSelectionInterval(first, first);
			return null;
		});
		Thread.sleep(500);
		results.put("rowId", p.model().labels().get(first).id());
		results.put("managerSelected", onEdt(() -> {
			RoiManager rm = RoiManager.getInstance();
			List<String> ids = new ArrayList<>();
			for (int i : rm.getSelectedIndexes()) ids.add(rm.getRoi(i).getProperty(AnnotationView.ID));
			return ids;
		}));
		// a class click: the selected proposal gets the class
		javax.swing.JTable classes = named(p.getContentPane(), "classes", javax.swing.JTable.class);
		int coinRow = p.model().classes().stream().map(c -> c.name()).toList().indexOf("coin");
		onEdt(() -> {
			Rectangle cell = classes.getCellRect(coinRow, 2, true);
			long t = System.currentTimeMillis();
			for (int id : new int[] { MouseEvent.MOUSE_PRESSED, MouseEvent.MOUSE_RELEASED, MouseEvent.MOUSE_CLICKED })
				classes.dispatchEvent(new MouseEvent(classes, id, t, 0, cell.x + 5, cell.y + 5, 1, false, MouseEvent.BUTTON1));
			return null;
		});
		long coinsBefore = classCount(p, "coin");
		waitFor("the coin count grows", () -> p.idle() && classCount(p, "coin") > coinsBefore);
		results.put("afterClass", panelState(p));
		// Reject the next proposal through the panel, then Accept all
		int proposedBefore = proposed(p), second = firstProposed(p, 0);
		onEdt(() -> {
			labels.setRowSelectionInterval(second, second);
			return null;
		});
		Thread.sleep(500);
		onEdt(() -> {
			named(p.getContentPane(), "reject", javax.swing.JButton.class).doClick();
			return null;
		});
		waitFor("a proposal rejected", () -> p.idle() && proposed(p) < proposedBefore);
		results.put("afterReject", panelState(p));
		onEdt(() -> {
			named(p.getContentPane(), "acceptAll", javax.swing.JButton.class).doClick();
			return null;
		});
		Thread.sleep(300);
		waitFor("accept all", () -> p.idle());
		results.put("acceptStatus", onEdt(p::statusText));
		// a click inside a proposed coin (rectangle tool, real mouse events) selects it; its hotkey then labels it
		ImagePlus coins = WindowManager.getCurrentImage();
		String target = String.valueOf(p.model().labels().get(firstProposed(p, 0)).id());
		Rectangle box = onEdt(() -> {
			for (ij.gui.Roi r : coins.getOverlay())
				if (target.equals(r.getProperty(AnnotationView.ID)) && r.getProperty(AnnotationView.MARK) == null) return r.getBounds();
			return null;
		});
		setTool(Toolbar.RECTANGLE);
		onEdt(() -> {
			coins.deleteRoi();
			return null;
		});
		mouse(coins.getCanvas(), MouseEvent.MOUSE_MOVED, box.x + box.width / 2, box.y + box.height / 2, 0);
		mouse(coins.getCanvas(), MouseEvent.MOUSE_PRESSED, box.x + box.width / 2, box.y + box.height / 2, 1);
		mouse(coins.getCanvas(), MouseEvent.MOUSE_RELEASED, box.x + box.width / 2, box.y + box.height / 2, 1);
		mouse(coins.getCanvas(), MouseEvent.MOUSE_CLICKED, box.x + box.width / 2, box.y + box.height / 2, 1);
		Thread.sleep(300);
		results.put("clickTarget", target);
		results.put("clickSelected", onEdt(() -> coins.getRoi() == null ? null : coins.getRoi().getProperty(AnnotationView.ID)));
		long coinsBeforeKey = classCount(p, "coin");
		key(coins, '5');
		waitFor("the hotkey labels the clicked coin", () -> p.idle() && classCount(p, "coin") > coinsBeforeKey);
		results.put("clickLabelled", p.model().labels().stream().filter(r -> String.valueOf(r.id()).equals(target)).map(r -> r.className() + " " + r.status())
				.findFirst().orElse(null));
		results.put("recorded", onEdt(() -> Recorder.getInstance().getText()));
		// a Retrain of the ROI model: the panel shows it with its accuracy, and the proposals get its class and confidence
		step("retrain", "run(\"Retrain\", \"classifier=logistic task=roi\");");
		waitFor("the model in the panel", () -> p.idle() && p.model().models().stream().anyMatch(l -> l.startsWith("roi model v1"))
				&& p.model().labels().stream().anyMatch(r -> r.origin().equals("model:v1")));
		results.put("afterRetrain", panelState(p));
		// the screenshot: ImageJ, the image, the ROI Manager and the panel on a 1280×800 screen
		onEdt(() -> {
			if (Recorder.getInstance() != null) Recorder.getInstance().close();
			IJ.getInstance().setLocation(0, 0);
			ImagePlus imp = WindowManager.getCurrentImage();
			imp.getWindow().setLocation(10, 110);
			RoiManager rm = RoiManager.getInstance();
			if (rm != null) rm.setLocation(10 + imp.getWindow().getWidth() + 10, 110);
			java.awt.Frame log = WindowManager.getFrame("Log");
			if (log != null) log.setVisible(false);
			p.setBounds(1280 - 540, 0, 540, 800);
			p.toFront();
			return null;
		});
		Thread.sleep(1200);
		if (shots != null) {
			BufferedImage shot = new Robot().createScreenCapture(new Rectangle(0, 0, 1280, 800));
			ImageIO.write(shot, "png", Path.of(shots, "panel.png").toFile());
			results.put("shot", List.of(shot.getWidth(), shot.getHeight()));
		}
		// the menu's Next Image offers the strategy used last (the panel's sequential), not the default
		userCommand("Next Image", List.of(), List.of());
	}

	private static Map<String, Object> panelState(org.labelloop.fiji.ui.LabelLoopPanel p) throws Exception {
		return onEdt(() -> {
			Map<String, Object> m = new LinkedHashMap<>();
			var model = p.model();
			m.put("image", model.image());
			m.put("reason", model.reason());
			m.put("prediction", model.prediction());
			m.put("progress", model.progress());
			m.put("models", model.models());
			m.put("comments", model.comments());
			m.put("classes", model.classes().stream().map(c -> c.name() + " " + c.labels()).toList());
			m.put("labels", model.labels().stream().map(r -> r.id() + " " + r.kind() + " " + r.className() + " " + r.status() + " " + r.origin()).toList());
			m.put("status", p.statusText());
			return m;
		});
	}

	private static long classCount(org.labelloop.fiji.ui.LabelLoopPanel p, String name) {
		return p.model().classes().stream().filter(c -> c.name().equals(name)).mapToLong(c -> c.labels()).sum();
	}

	/** The list's first row from {@code from} on that is a proposal. */
	private static int firstProposed(org.labelloop.fiji.ui.LabelLoopPanel p, int from) {
		var rows = p.model().labels();
		for (int i = from; i < rows.size(); i++) if (rows.get(i).status().equals("proposed")) return i;
		throw new IllegalStateException("no proposal listed: " + rows);
	}

	private static int proposed(org.labelloop.fiji.ui.LabelLoopPanel p) {
		return (int) p.model().labels().stream().filter(r -> r.status().equals("proposed")).count();
	}

	/** class/status/origin of items now: {@code image:3 -> "artefact proposed weak:..."} ({@code "-"} when unlabelled). */
	private static Map<String, String> labelsOf(Backend b, List<String> items) {
		Map<String, String> out = new LinkedHashMap<>();
		Map<Long, String> names = new java.util.HashMap<>();
		for (LabelClass c : b.classes()) names.put(c.id(), c.name());
		for (String item : items) {
			org.labelloop.backend.Similar.ItemRef r = org.labelloop.backend.Similar.parse(item);
			Annotation a = r.isImage()
					? b.annotations(r.id()).stream().filter(x -> x.data().isImageLevel() && x.data().status() != Status.REJECTED)
							.max(java.util.Comparator.comparingLong(Annotation::id)).orElse(null)
					: b.annotation(r.id()).orElse(null);
			out.put(item, a == null ? "-" : names.get(a.data().classId()) + " " + a.data().status().key() + " " + a.data().origin());
		}
		return out;
	}

	private static <T extends Component> T named(Container root, String name, Class<T> type) {
		for (Component k : root.getComponents()) {
			if (name.equals(k.getName()) && type.isInstance(k)) return type.cast(k);
			if (k instanceof Container sub) {
				T t = namedOrNull(sub, name, type);
				if (t != null) return t;
			}
		}
		throw new IllegalStateException("no " + type.getSimpleName() + " named " + name);
	}

	private static <T extends Component> T namedOrNull(Container root, String name, Class<T> type) {
		try {
			return named(root, name, type);
		} catch (IllegalStateException e) {
			return null;
		}
	}

	/** Presses, drags along the points and releases the left button on a Swing component. */
	private static void drag(javax.swing.JComponent target, List<int[]> points) throws Exception {
		drag(target, points, InputEvent.BUTTON1_DOWN_MASK, MouseEvent.BUTTON1);
	}

	private static void drag(javax.swing.JComponent target, List<int[]> points, int downMask, int button) throws Exception {
		int[] p0 = points.get(0);
		onEdt(() -> {
			long t = System.currentTimeMillis();
			target.dispatchEvent(new MouseEvent(target, MouseEvent.MOUSE_PRESSED, t, downMask, p0[0], p0[1], 1, false, button));
			for (int[] p : points.subList(1, points.size()))
				target.dispatchEvent(new MouseEvent(target, MouseEvent.MOUSE_DRAGGED, t, downMask, p[0], p[1], 0, false, MouseEvent.NOBUTTON));
			int[] pn = points.get(points.size() - 1);
			target.dispatchEvent(new MouseEvent(target, MouseEvent.MOUSE_RELEASED, t, 0, pn[0], pn[1], 1, false, button));
			return null;
		});
	}

	/** A screen capture of a window (what a user sees), for the docs and target/. */
	private void windowShot(Window w, Path path) throws Exception {
		if (path == null) return;
		onEdt(() -> {
			w.toFront();
			w.repaint();
			return null;
		});
		Rectangle bounds = onEdt(w::getBounds);
		BufferedImage shot = capture(bounds);
		Files.createDirectories(path.getParent());
		ImageIO.write(shot, "png", path.toFile());
		results.put("shot:" + path.getFileName(), List.of(bounds.width, bounds.height));
	}

	// ---- helpers: ImageJ ------------------------------------------------------------------------------------

	private void startImageJ() throws Exception {
		Thread dialogCloser = new Thread(this::closeUnexpectedDialogs, "driver dialog closer");
		dialogCloser.setDaemon(true);
		dialogCloser.start();
		new ImageJ(ImageJ.STANDALONE);
		waitFor("ImageJ window", () -> IJ.getInstance() != null && IJ.getInstance().isShowing());
	}

	/** Closes (and records) any dialog the scenario does not drive: error messages, macro errors. */
	private void closeUnexpectedDialogs() {
		// A dialog disposed before its modal loop has started can leave that loop waiting forever (seen on a loaded
		// machine), so a dialog is closed only once it has been showing for a while, as a person would.
		Map<Window, Long> firstSeen = new java.util.WeakHashMap<>();
		while (true) {
			for (Window w : Window.getWindows()) {
				if (!(w instanceof java.awt.Dialog d) || !d.isShowing() || drivenDialogs.contains(d.getTitle())) continue;
				long seen = firstSeen.computeIfAbsent(w, k -> System.currentTimeMillis());
				if (System.currentTimeMillis() - seen < 500) continue;
				firstSeen.remove(w);
				Map<String, String> m = new LinkedHashMap<>();
				m.put("title", d.getTitle());
				m.put("text", text(d));
				dialogs.add(m);
				EventQueue.invokeLater(d::dispose);
			}
			try {
				Thread.sleep(100);
			} catch (InterruptedException e) {
				return;
			}
		}
	}

	private void menu() throws Exception {
		Map<String, String> ours = new LinkedHashMap<>();
		Menus.getCommands().forEach((k, v) -> {
			if (String.valueOf(v).startsWith("org.labelloop.")) ours.put(String.valueOf(k), String.valueOf(v));
		});
		results.put("commands", ours);
		results.put("menu", onEdt(() -> {
			MenuBar bar = Menus.getMenuBar();
			for (int i = 0; i < bar.getMenuCount(); i++) {
				Menu m = bar.getMenu(i);
				if (!m.getLabel().equals("Plugins")) continue;
				for (int j = 0; j < m.getItemCount(); j++)
					if (m.getItem(j) instanceof Menu sub && sub.getLabel().equals("LabelLoop")) {
						List<String> items = new ArrayList<>();
						for (int k = 0; k < sub.getItemCount(); k++) {
							MenuItem it = sub.getItem(k);
							items.add(it.getLabel());
						}
						return items;
					}
			}
			return List.of();
		}));
	}

	/** Runs a macro the way ImageJ's Macros>Run does (on this thread), then records the state. */
	private void step(String name, String macro) throws Exception {
		long t0 = System.nanoTime();
		int dialogsBefore = dialogs.size();
		String result = IJ.runMacro(macro);
		waitForHotkeys();
		Map<String, Object> s = snapshot(name);
		s.put("macroResult", result);
		s.put("ms", (System.nanoTime() - t0) / 1_000_000);
		synchronized (dialogs) {
			s.put("dialogs", new ArrayList<>(dialogs.subList(dialogsBefore, dialogs.size())));
		}
	}

	private Map<String, Object> snapshot(String name) throws Exception {
		Thread.sleep(100);
		Map<String, Object> s = onEdt(() -> {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("step", name);
			ImagePlus imp = WindowManager.getCurrentImage();
			m.put("title", imp == null ? null : imp.getTitle());
			m.put("prediction", imp == null ? null : AnnotationView.prediction(imp));
			m.put("imageId", imp == null ? null : imp.getProperty(LabelLoopSession.IMAGE_ID));
			m.put("images", WindowManager.getImageTitles() == null ? List.of() : List.of(WindowManager.getImageTitles()));
			List<Map<String, Object>> images = new ArrayList<>();
			for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
				ImagePlus i = WindowManager.getImage(id);
				Map<String, Object> im = new LinkedHashMap<>();
				im.put("title", i.getTitle());
				im.put("prediction", AnnotationView.prediction(i));
				im.put("labelloop", i.getProperty(LabelLoopSession.IMAGE_ID) != null);
				im.put("overlay", rois(i.getOverlay() == null ? new Roi[0] : i.getOverlay().toArray()));
				images.add(im);
			}
			m.put("windows", images);
			m.put("overlay", imp == null || imp.getOverlay() == null ? List.of() : rois(imp.getOverlay().toArray()));
			RoiManager rm = RoiManager.getInstance();
			m.put("roiManager", rm == null ? List.of() : rois(rm.getRoisAsArray()));
			m.put("selection", imp == null || imp.getRoi() == null ? null : imp.getRoi().getTypeAsString());
			return m;
		});
		steps.add(s);
		return s;
	}

	private static List<Map<String, Object>> rois(Roi[] rois) {
		List<Map<String, Object>> list = new ArrayList<>();
		for (Roi r : rois) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("name", r.getName());
			m.put("type", r.getTypeAsString());
			for (String p : List.of(AnnotationView.ID, AnnotationView.REV, AnnotationView.CLASS, AnnotationView.IMAGE, AnnotationView.MARK,
					AnnotationView.FLAGGED))
				if (r.getProperty(p) != null) m.put(p.substring("labelloop.".length()), r.getProperty(p));
			Rectangle b = r.getBounds();
			m.put("bounds", List.of(b.x, b.y, b.width, b.height));
			m.put("color", r.getStrokeColor() == null ? null : String.format("#%06x", r.getStrokeColor().getRGB() & 0xffffff));
			m.put("dashed", r.getStroke() != null && r.getStroke().getDashArray() != null);
			list.add(m);
		}
		return list;
	}

	/** Proposals as a model would write them: one confident, one not. */
	private List<Long> proposeLikeAModel() {
		org.labelloop.backend.LabelLoopBackend b = LabelLoopSession.get().require(org.labelloop.backend.LabelLoopBackend.class);
		ImageRecord first = b.next(null, NextMode.SEQUENTIAL).orElseThrow();
		long nucleus = classId(b, "nucleus"), background = classId(b, "background");
		var cs = b.apply("model v1 proposals", List.of(
				new Edit.Create(first.id(), new AnnotationData(Geometry.rect(150, 150, 60, 50, Plane.ALL), nucleus, Origin.model("v1"),
						Status.PROPOSED, 0.82, Map.of(nucleus, 0.82, background, 0.18))),
				new Edit.Create(first.id(), new AnnotationData(Geometry.polygon(new double[] { 260, 330, 320, 250 },
						new double[] { 420, 430, 500, 480 }, Plane.ALL), background, Origin.model("v1"), Status.PROPOSED, 0.35,
						Map.of(nucleus, 0.65, background, 0.35)))));
		results.put("firstImage", first.path());
		return b.annotations(first.id()).stream().map(Annotation::id).toList();
	}

	private static long classId(Backend b, String name) {
		return b.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().id();
	}

	/** Every annotation of every image, with its history length, as another JVM sees the project. */
	static List<Map<String, Object>> dump(org.labelloop.backend.LabelLoopBackend b) {
		Map<Long, String> classes = new LinkedHashMap<>();
		for (LabelClass c : b.classes()) classes.put(c.id(), c.name());
		List<Map<String, Object>> list = new ArrayList<>();
		for (ImageRecord img : b.images())
			for (Annotation a : b.annotations(img.id())) {
				Map<String, Object> m = new LinkedHashMap<>();
				m.put("id", a.id());
				m.put("image", img.name());
				m.put("revision", a.revision());
				m.put("history", b.history(a.id()).size());
				m.put("class", a.data().classId() == null ? null : classes.get(a.data().classId()));
				m.put("status", a.data().status().key());
				m.put("origin", a.data().origin().toString());
				m.put("geometry", a.data().geometry() == null ? null : a.data().geometry().kind().key() + java.util.Arrays.toString(a.data().geometry().x())
						+ java.util.Arrays.toString(a.data().geometry().y()));
				list.add(m);
			}
		return list;
	}

	// ---- helpers: acting like a user ------------------------------------------------------------------------

	/**
	 * Runs a menu command as a click on it does (an {@link Executer} on a thread of its own, so the recorder
	 * records it) and fills its dialog like a user: string fields in order, then choices in order, then OK.
	 * {@code strings == null}: the command has no dialog.
	 */
	private void userCommand(String command, List<String> strings, List<String> choices) throws Exception {
		drivenDialogs.add(command);
		try {
			Thread t = new Thread(() -> new Executer(command).run(), command);
			t.start();
			if (strings != null) {
				AtomicReference<GenericDialog> found = new AtomicReference<>();
				waitFor("dialog " + command, () -> {
					for (Window w : Window.getWindows())
						if (w instanceof GenericDialog gd && gd.isShowing() && command.equals(gd.getTitle())) {
							found.set(gd);
							return true;
						}
					return false;
				});
				GenericDialog gd = found.get();
				Thread.sleep(500); // let its modal loop start, as a person would take a moment (see closeUnexpectedDialogs)
				onEdt(() -> {
					List<?> fields = gd.getStringFields() == null ? List.of() : gd.getStringFields();
					for (int i = 0; i < strings.size(); i++) ((TextField) fields.get(i)).setText(strings.get(i));
					List<?> ch = gd.getChoices() == null ? List.of() : gd.getChoices();
					results.put("dialog:" + command, ch.stream().map(c -> ((java.awt.Choice) c).getSelectedItem()).toList()); // as offered
					results.put("dialogSize:" + command, List.of(gd.getWidth(), gd.getHeight()));
					for (int i = 0; i < choices.size(); i++) ((java.awt.Choice) ch.get(i)).select(choices.get(i));
					gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK"));
					return null;
				});
				// On a loaded machine AWT can lose a dispose that races the modal loop's start: press OK again
				// while the dialog still shows.
				for (int tries = 0; tries < 10 && gd.isShowing(); tries++) {
					Thread.sleep(500);
					if (gd.isShowing()) onEdt(() -> {
						gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK"));
						return null;
					});
				}
			}
			t.join(120_000); // commands such as Retrain train a model: slow on a busy 2-core machine
			if (t.isAlive()) throw new IllegalStateException(command + " did not finish:\n" + threadDump());
		} finally {
			drivenDialogs.remove(command);
		}
	}

	private ImagePlus waitForImage(String title) throws Exception {
		waitFor("image " + title, () -> WindowManager.getImage(title) != null && WindowManager.getImage(title).getCanvas() != null);
		ImagePlus imp = WindowManager.getImage(title);
		waitFor("window shown", () -> imp.getWindow().isShowing());
		return imp;
	}

	private static void setTool(int tool) throws Exception {
		onEdt(() -> {
			Toolbar.getInstance().setTool(tool);
			return null;
		});
	}

	/** Presses, drags and releases the mouse on the canvas, from image pixel (x0, y0) to (x1, y1). */
	private static void drag(ImagePlus imp, int x0, int y0, int x1, int y1) throws Exception {
		ImageCanvas c = imp.getCanvas();
		mouse(c, MouseEvent.MOUSE_MOVED, x0, y0, 0);
		mouse(c, MouseEvent.MOUSE_PRESSED, x0, y0, 1);
		for (int i = 1; i <= 5; i++)
			mouse(c, MouseEvent.MOUSE_DRAGGED, x0 + (x1 - x0) * i / 5, y0 + (y1 - y0) * i / 5, 1);
		mouse(c, MouseEvent.MOUSE_RELEASED, x1, y1, 1);
		Thread.sleep(50);
	}

	/** Clicks the polygon's vertices, then its first vertex again to close it. */
	private static void polygon(ImagePlus imp, int[] x, int[] y) throws Exception {
		ImageCanvas c = imp.getCanvas();
		for (int i = 0; i <= x.length; i++) {
			int px = x[i % x.length], py = y[i % x.length];
			mouse(c, MouseEvent.MOUSE_MOVED, px, py, 0);
			mouse(c, MouseEvent.MOUSE_PRESSED, px, py, 1);
			mouse(c, MouseEvent.MOUSE_RELEASED, px, py, 1);
			Thread.sleep(250); // not a double click
		}
	}

	private static void mouse(ImageCanvas c, int id, int ox, int oy, int clicks) throws Exception {
		onEdt(() -> {
			int sx = c.screenX(ox), sy = c.screenY(oy);
			int mods = id == MouseEvent.MOUSE_MOVED || id == MouseEvent.MOUSE_RELEASED ? 0 : InputEvent.BUTTON1_DOWN_MASK;
			int button = id == MouseEvent.MOUSE_MOVED || id == MouseEvent.MOUSE_DRAGGED ? MouseEvent.NOBUTTON : MouseEvent.BUTTON1;
			c.dispatchEvent(new MouseEvent(c, id, System.currentTimeMillis(), mods, sx, sy, clicks, false, button));
			return null;
		});
	}

	/** Types a key on the image canvas (a class hotkey) and waits for the command it starts. */
	private static void key(ImagePlus imp, char ch) throws Exception {
		ImageCanvas c = imp.getCanvas();
		onEdt(() -> {
			int code = KeyEvent.getExtendedKeyCodeForChar(ch);
			c.dispatchEvent(new KeyEvent(c, KeyEvent.KEY_PRESSED, System.currentTimeMillis(), 0, code, ch));
			c.dispatchEvent(new KeyEvent(c, KeyEvent.KEY_TYPED, System.currentTimeMillis(), 0, KeyEvent.VK_UNDEFINED, ch));
			c.dispatchEvent(new KeyEvent(c, KeyEvent.KEY_RELEASED, System.currentTimeMillis(), 0, code, ch));
			return null;
		});
		Thread.sleep(100);
		waitForHotkeys();
	}

	private static void selectInRoiManager(int index) throws Exception {
		onEdt(() -> {
			RoiManager.getInstance().select(index);
			return null;
		});
		Thread.sleep(100);
	}

	private static void waitForHotkeys() throws InterruptedException {
		for (Thread t : Thread.getAllStackTraces().keySet())
			if (t.getName().startsWith("LabelLoop hotkey")) t.join(20_000);
	}

	/**
	 * The screen inside {@code bounds} once the window there has been painted: on a busy machine a window brought to
	 * the front can take seconds to paint, and until then Xvfb shows its black root window. Waits 700 ms, then
	 * captures again (up to 15 s) while more than half of the capture is pure black.
	 */
	private static BufferedImage capture(Rectangle bounds) throws Exception {
		long end = System.currentTimeMillis() + 15_000;
		while (true) {
			Thread.sleep(700);
			BufferedImage shot = new Robot().createScreenCapture(bounds);
			long black = 0;
			for (int y = 0; y < shot.getHeight(); y++)
				for (int x = 0; x < shot.getWidth(); x++) if ((shot.getRGB(x, y) & 0xffffff) == 0) black++;
			if (black * 2 < (long) shot.getWidth() * shot.getHeight() || System.currentTimeMillis() > end) return shot;
		}
	}

	private void screenshot(String path) throws Exception {
		if (path == null) return;
		ImagePlus imp = WindowManager.getCurrentImage();
		onEdt(() -> {
			imp.getWindow().toFront();
			imp.getCanvas().repaint();
			return null;
		});
		Rectangle bounds = onEdt(() -> imp.getWindow().getBounds());
		BufferedImage shot = capture(bounds);
		Files.createDirectories(Path.of(path).getParent());
		ImageIO.write(shot, "png", Path.of(path).toFile());
		Map<String, Object> info = new LinkedHashMap<>();
		info.put("path", path);
		info.put("bounds", List.of(bounds.x, bounds.y, bounds.width, bounds.height));
		info.put("magnification", imp.getCanvas().getMagnification());
		results.put("screenshot", info);
	}

	// ---- helpers: plumbing ----------------------------------------------------------------------------------

	private static <T> T onEdt(Callable<T> c) throws Exception {
		AtomicReference<T> r = new AtomicReference<>();
		AtomicReference<Exception> e = new AtomicReference<>();
		EventQueue.invokeAndWait(() -> {
			try {
				r.set(c.call());
			} catch (Exception ex) {
				e.set(ex);
			}
		});
		if (e.get() != null) throw e.get();
		return r.get();
	}

	private static void waitFor(String what, Supplier<Boolean> condition) throws InterruptedException {
		long end = System.currentTimeMillis() + 60_000;
		while (!condition.get()) {
			if (System.currentTimeMillis() > end) throw new IllegalStateException("Timed out waiting for " + what + "\n" + threadDump());
			Thread.sleep(50);
		}
	}

	private static String text(Container c) {
		StringBuilder sb = new StringBuilder();
		for (Component k : c.getComponents()) {
			if (k instanceof Label l) sb.append(l.getText()).append('\n');
			else if (k instanceof TextComponent t) sb.append(t.getText()).append('\n');
			else if (k instanceof ij.gui.MultiLineLabel ml) {
				try {
					Field f = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
					f.setAccessible(true);
					for (String s : (String[]) f.get(ml)) sb.append(s).append('\n');
				} catch (ReflectiveOperationException e) {
					sb.append(ml).append('\n');
				}
			}
			if (k instanceof Container sub) sb.append(text(sub));
		}
		return sb.toString();
	}

	private static String stackTrace(Throwable t) {
		StringWriter sw = new StringWriter();
		t.printStackTrace(new PrintWriter(sw));
		return sw.toString();
	}

	private static String threadDump() {
		StringBuilder sb = new StringBuilder();
		Thread.getAllStackTraces().forEach((t, st) -> {
			sb.append('"').append(t.getName()).append("\"\n");
			for (int i = 0; i < Math.min(st.length, 12); i++) sb.append("    at ").append(st[i]).append('\n');
		});
		return sb.toString();
	}
}
