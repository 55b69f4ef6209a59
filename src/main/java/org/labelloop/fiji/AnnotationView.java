package org.labelloop.fiji;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.labelloop.backend.Backend;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.RoiBridge;

import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.plugin.Zoom;
import ij.plugin.frame.Recorder;
import ij.plugin.frame.RoiManager;

/**
 * Shows a project image's annotations: an overlay coloured by class, with a label "class" or "class 0.82" beside
 * each shape, and the same shapes in the ROI Manager where the user edits them.
 * <p>
 * Every ROI LabelLoop adds carries the properties {@value #ID}, {@value #REV}, {@value #CLASS} and {@value #IMAGE}
 * (labels and the image-level banner carry {@value #MARK} instead of being editable). Refreshing removes and re-adds
 * only such ROIs: the user's own overlay ROIs and ROI Manager entries are never touched ({@code rm.reset()} and
 * {@code overlay.clear()} are never called).
 * <p>
 * Over 400 lines on purpose: it is the one place that knows which ROIs and overlay items are LabelLoop's (the
 * properties above), so drawing them, the ROI Manager entries, the prediction banner and removing them all stay
 * here; a second class drawing overlay items would be a second copy of that rule. The look (stroke, font, banner fit)
 * is the nested {@code Style}; the label rules themselves are in {@code core.model}.
 */
public final class AnnotationView {

	/** ROI property: annotation id. */
	public static final String ID = "labelloop.id";
	/** ROI property: the annotation revision the ROI shows (the base of an edit). */
	public static final String REV = "labelloop.rev";
	/** ROI property: class name; on a ROI without id it asks Save to create an annotation of that class. */
	public static final String CLASS = "labelloop.class";
	/** ROI property: project image id. */
	public static final String IMAGE = "labelloop.image";
	/** ROI property on LabelLoop's non-editable overlay items (labels, image-level banner). */
	public static final String MARK = "labelloop.mark";

	/** Image property (a string, {@code Property.get} in a macro): the image model's prediction shown, or "". */
	public static final String PREDICTION_PROPERTY = "labelloop.prediction";

	/** {@value #MARK} of the image-level prediction banner. */
	public static final String PREDICTION = "prediction";

	/** Appended to the name and label of annotations with an open question-label flag (Comment, Review Label Issues). */
	public static final String FLAG_MARK = " \u2691";

	/** Property {@code yes} on the shapes and labels of flagged annotations. */
	public static final String FLAGGED = "labelloop.flagged";

	/** Below this confidence a proposal is drawn dashed. */
	public static final double LOW_CONFIDENCE = 0.5;

	/** Numbers each {@link #refresh} look at the project, so an older one never draws over a newer one. */
	private static final AtomicLong LOOKS = new AtomicLong();
	/** Image property: the number of the look the image shows. */
	private static final String LOOK = "labelloop.look";

	private AnnotationView() {
	}

	/** Whether LabelLoop added this ROI (it may be removed and re-added on refresh). */
	public static boolean isOurs(Roi roi) {
		return roi != null && (roi.getProperty(ID) != null || roi.getProperty(MARK) != null);
	}

	/** Reloads the image's annotations from the backend and shows them in the overlay and the ROI Manager. */
	public static void refresh(ImagePlus imp, Backend backend) {
		Long imageId = LabelLoopSession.imageId(imp);
		if (imageId == null) return;
		long look = LOOKS.incrementAndGet(); // before reading: a later look reads a state at least as new
		List<Annotation> annotations = backend.annotations(imageId);
		List<LabelClass> all = backend.classes();
		Map<Long, LabelClass> classes = all.stream()
				.collect(Collectors.toMap(LabelClass::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
		Set<Long> flagged = new HashSet<>();
		boolean imageFlagged = false;
		// a backend without comments (a MONAI Label server) has no flags to show
		List<Comment> threads = backend.facet(Backend.Comments.class).map(c -> c.threads(true)).orElse(List.of());
		for (Comment t : threads) {
			if (!t.isFlag()) continue;
			if (t.target().isImage()) imageFlagged |= t.target().id() == imageId;
			else flagged.add(t.target().id());
		}
		for (Annotation a : annotations)
			if (imageFlagged && a.data().isImageLevel()) flagged.add(a.id());
		Optional<Prediction> p = backend.imagePrediction(imageId);
		ModelVersion model = p.isEmpty() ? null : backend.models().stream().filter(m -> m.id() == p.get().modelId()).findFirst().orElse(null);
		String name = backend.image(imageId).name();
		inOrder(imp, look, () -> {
			show(imp, imageId, annotations, classes, flagged);
			showPrediction(imp, name, model == null ? null : p.get(), model, classes);
		});
	}

	/**
	 * Draws one look at the project unless a later look is already on screen. Refreshes come from several threads
	 * (a command, the live-update poll, a mouse stroke on the event thread); without this, a poll that read the
	 * project just before Retrain committed could draw the old model's prediction over the new one, and two
	 * interleaved redraws could double the ROIs. Drawing happens on the event thread (headless: under a lock), one
	 * look at a time, and the newest look read wins.
	 */
	private static void inOrder(ImagePlus imp, long look, Runnable draw) {
		Runnable once = () -> {
			if (imp.getProperty(LOOK) instanceof Long drawn && drawn > look) return;
			imp.setProperty(LOOK, look);
			draw.run();
		};
		if (GraphicsEnvironment.isHeadless()) {
			synchronized (LOOKS) {
				once.run();
			}
		} else onEventThread(once);
	}

	/**
	 * Shows what the active image model says about the image: a banner in the top-left corner, and the text
	 * {@code model v3: coat 0.82} as the image property {@value #PREDICTION_PROPERTY} (a macro reads it with
	 * {@code Property.get("labelloop.prediction")} or {@link MacroFunctions#prediction()}; the LabelLoop panel shows
	 * it). Below {@link #LOW_CONFIDENCE} the banner is grey and the text ends with "?". The window title stays the file
	 * name, so macros that use {@code getTitle()} or {@code selectWindow} keep working whatever the model says.
	 */
	static void showPrediction(ImagePlus imp, String name, Prediction p, ModelVersion model, Map<Long, LabelClass> classes) {
		Overlay o = imp.getOverlay();
		if (o != null)
			for (int i = o.size() - 1; i >= 0; i--)
				if (PREDICTION.equals(o.get(i).getProperty(MARK))) o.remove(i);
		if (!name.equals(imp.getTitle())) imp.setTitle(name);
		if (p == null || p.predictedClass() == null) {
			imp.setProp(PREDICTION_PROPERTY, "");
			imp.draw();
			return;
		}
		String text = predictionText(p, model, classes.get(p.predictedClass()));
		imp.setProp(PREDICTION_PROPERTY, text);
		if (o == null) {
			o = new Overlay();
			imp.setOverlay(o);
		}
		LabelClass c = classes.get(p.predictedClass());
		String brief = guess(p, c) + (unsure(p, model) ? "?" : "");
		o.add(new Style(imp).prediction(text, brief, unsure(p, model) ? null : c));
		imp.draw();
	}

	/** The image model's prediction shown on {@code imp} ({@code model v3: coat 0.82}), or "" when none. */
	public static String prediction(ImagePlus imp) {
		String p = imp == null ? null : imp.getProp(PREDICTION_PROPERTY);
		return p == null ? "" : p;
	}

	/**
	 * {@code model v3: coat 0.82}, or {@code model v3: coat 0.42?} when unsure, or {@code model v3: coat 0.97? (unlike
	 * anything labelled)} when the image lies beyond the labelled ones ({@link ModelVersion#isNovel}): a confident class
	 * there is a guess, so it is marked unsure. "class confidence" always follows the colon, so macros parse every form.
	 */
	public static String predictionText(Prediction p, ModelVersion model, LabelClass c) {
		return "model " + model.name() + ": " + guess(p, c) + (unsure(p, model) ? "?" : "") + (model.isNovel(p.target()) ? " (unlike anything labelled)" : "");
	}

	/** {@code coat 0.82}: the predicted class and its confidence. */
	private static String guess(Prediction p, LabelClass c) {
		return (c == null ? "class " + p.predictedClass() : c.name()) + String.format(Locale.ROOT, " %.2f", p.confidence());
	}

	/** A prediction below {@link #LOW_CONFIDENCE} or on an item unlike anything labelled: a {@code ?} and a grey banner. */
	static boolean unsure(Prediction p, ModelVersion model) {
		return p.confidence() < LOW_CONFIDENCE || model.isNovel(p.target());
	}

	/** Shows the given annotations (rejected ones are not drawn) on {@code imp}, replacing LabelLoop's earlier ROIs. */
	static void show(ImagePlus imp, long imageId, List<Annotation> annotations, Map<Long, LabelClass> classes) {
		show(imp, imageId, annotations, classes, Set.of());
	}

	/** As {@link #show(ImagePlus, long, List, Map)}, marking the annotations in {@code flagged} with {@link #FLAG_MARK}. */
	static void show(ImagePlus imp, long imageId, List<Annotation> annotations, Map<Long, LabelClass> classes, Set<Long> flagged) {
		removeOurs(imp, null);
		Overlay overlay = imp.getOverlay() == null ? new Overlay() : imp.getOverlay();
		Style style = new Style(imp, flagged);
		List<Roi> forManager = new ArrayList<>();
		List<MaskLayer.Painted> masks = new ArrayList<>();
		int banner = 0;
		for (Annotation a : annotations) {
			if (a.data().status() == Status.REJECTED) continue;
			LabelClass c = a.data().classId() == null ? null : classes.get(a.data().classId());
			if (a.data().isImageLevel()) {
				overlay.add(style.banner(a, c, banner++));
				continue;
			}
			if (a.data().isMask()) { // masks have no ROI: the label layer draws them
				masks.add(new MaskLayer.Painted(a.data().mask(), c == null ? java.awt.Color.GRAY : java.awt.Color.decode(c.color())));
				continue;
			}
			Roi shape = style.shape(a, c, imageId);
			overlay.add(shape);
			// an unclassified proposal without a score has nothing to say: its grey outline is enough
			if (c != null || a.data().confidence() != null) overlay.add(style.label(a, c, shape));
			forManager.add(style.shape(a, c, imageId));
		}
		if (!masks.isEmpty()) overlay.add(new MaskLayer(imp, masks, LabelLoopSession.get().brush().opacity()));
		imp.setOverlay(overlay);
		RoiManager rm = roiManager(!forManager.isEmpty());
		if (rm != null) onEventThread(() -> {
			for (Roi r : forManager) rm.add(imp, r, -1);
			rm.repaint();
		});
		imp.draw();
	}

	/**
	 * Removes LabelLoop's ROIs from the image (overlay, selection) and the ROI Manager, leaving the user's own. The
	 * image stays linked to its project image by {@value LabelLoopSession#DETACHED_ID}, so showing that image again
	 * reuses the window.
	 */
	public static void detach(ImagePlus imp) {
		Long imageId = LabelLoopSession.imageId(imp);
		removeOurs(imp, imageId);
		imp.setProperty(LabelLoopSession.DETACHED_ID, imageId);
		imp.setProperty(LabelLoopSession.IMAGE_ID, null);
		imp.draw();
	}

	/** Removes the ROI Manager entries LabelLoop added for an image (called when the image closes). */
	public static void forgetRoiManagerEntries(long imageId) {
		RoiManager rm = existingRoiManager();
		if (rm == null) return;
		onEventThread(() -> {
			for (int i = rm.getCount() - 1; i >= 0; i--) {
				Roi r = rm.getRoi(i);
				if (isOurs(r) && String.valueOf(imageId).equals(r.getProperty(IMAGE))) rm.delete(i);
			}
		});
	}

	/** Whether the image's overlay holds ROIs the user added (anything LabelLoop did not add). */
	public static boolean hasUserOverlay(ImagePlus imp) {
		Overlay o = imp.getOverlay();
		if (o == null) return false;
		for (Roi r : o)
			if (!isOurs(r)) return true;
		return false;
	}

	/**
	 * Removes LabelLoop's ROIs: from the overlay and selection of {@code imp}, and from the ROI Manager those of
	 * image {@code onlyImage} (all LabelLoop entries when {@code null}: one image is shown at a time).
	 */
	private static void removeOurs(ImagePlus imp, Long onlyImage) {
		Overlay o = imp.getOverlay();
		if (o != null) {
			for (int i = o.size() - 1; i >= 0; i--)
				if (isOurs(o.get(i))) o.remove(i);
		}
		if (isOurs(imp.getRoi())) imp.deleteRoi();
		RoiManager rm = existingRoiManager();
		if (rm != null) onEventThread(() -> {
			for (int i = rm.getCount() - 1; i >= 0; i--) {
				Roi r = rm.getRoi(i);
				if (isOurs(r) && (onlyImage == null || onlyImage.toString().equals(r.getProperty(IMAGE)))) rm.delete(i);
			}
		});
	}

	/**
	 * Changes the ROI Manager on the event thread (its list is a Swing model) with recording suspended there, so
	 * LabelLoop's own bookkeeping does not show up in the macro recorder as {@code roiManager("Deselect")} lines.
	 */
	private static void onEventThread(Runnable r) {
		Runnable quiet = () -> {
			Recorder.suspendRecording();
			try {
				r.run();
			} finally {
				Recorder.resumeRecording();
			}
		};
		if (EventQueue.isDispatchThread()) {
			quiet.run();
			return;
		}
		try {
			EventQueue.invokeAndWait(quiet);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		} catch (InvocationTargetException e) {
			throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
		}
	}

	/** The ROI Manager, opened if {@code create}; {@code null} headless (it is an AWT window there is no room for). */
	static RoiManager roiManager(boolean create) {
		if (GraphicsEnvironment.isHeadless()) return null;
		RoiManager rm = RoiManager.getInstance();
		if (rm == null && create) rm = RoiManager.getRoiManager();
		return rm;
	}

	static RoiManager existingRoiManager() {
		return roiManager(false);
	}

	/** Small images (Fashion-MNIST is 28×28) open zoomed so shapes and labels can be seen. */
	static void zoomSmallImage(ImagePlus imp) {
		ImageCanvas canvas = imp.getCanvas();
		int size = Math.max(imp.getWidth(), imp.getHeight());
		if (canvas == null || size >= 256 || canvas.getMagnification() != 1) return;
		double mag = Math.min(16, Math.floor(320.0 / size));
		if (mag > 1) Zoom.set(imp, mag);
	}

	/**
	 * The text shown for an annotation: its class name ("proposed" for a proposal without one, "unclassified" for
	 * anything else without one), and the confidence when a model gave one.
	 */
	public static String text(Annotation a, LabelClass c) {
		String name = c != null ? c.name() : a.data().status() == Status.PROPOSED ? "proposed" : "unclassified";
		Double conf = a.data().confidence();
		return conf == null ? name : name + String.format(Locale.ROOT, " %.2f", conf);
	}

	/**
	 * An annotation's ROI name (the ROI Manager's list): its text with the annotation id, so entries of one class can
	 * be told apart ({@code coin #12 0.91}, {@code proposed #30}).
	 */
	public static String roiName(Annotation a, LabelClass c) {
		String t = text(a, c);
		int space = t.lastIndexOf(' ');
		boolean scored = a.data().confidence() != null;
		return scored ? t.substring(0, space) + " #" + a.id() + t.substring(space) : t + " #" + a.id();
	}

	/** Colours, stroke widths and fonts sized to the image and its zoom. */
	private static final class Style {
		/** Image pixels: below this a banner drops its "model v1:" prefix rather than shrink further. */
		private static final int LEGIBLE = 8, MIN_FONT = 3;
		private final float stroke;
		private final Font font;
		private final int width, height;
		private final Set<Long> flagged;

		Style(ImagePlus imp) {
			this(imp, Set.of());
		}

		Style(ImagePlus imp, Set<Long> flagged) {
			this.flagged = flagged;
			int min = Math.min(imp.getWidth(), imp.getHeight());
			width = imp.getWidth();
			height = imp.getHeight();
			stroke = Math.max(1f, Math.round(min / 256f));
			double mag = imp.getCanvas() == null ? 1 : imp.getCanvas().getMagnification();
			// about 13 screen pixels tall at the opening zoom, never more than a sixth of the image
			int size = (int) Math.round(Math.max(MIN_FONT, Math.min(13 / mag, Math.max(MIN_FONT, min / 6.0))));
			font = new Font("SansSerif", Font.BOLD, size);
		}

		/** The annotation's text, with {@link #FLAG_MARK} when it is flagged. */
		String text(Annotation a, LabelClass c) {
			return AnnotationView.text(a, c) + (flagged.contains(a.id()) ? FLAG_MARK : "");
		}

		private Roi flag(Annotation a, Roi r) {
			if (flagged.contains(a.id())) r.setProperty(FLAGGED, "yes");
			return r;
		}

		Roi shape(Annotation a, LabelClass c, long imageId) {
			Roi r = RoiBridge.toRoi(a.data().geometry());
			r.setName(roiName(a, c) + (flagged.contains(a.id()) ? FLAG_MARK : ""));
			r.setStrokeColor(color(c));
			Double conf = a.data().confidence();
			if (conf != null && conf < LOW_CONFIDENCE) {
				float w = Math.max(1f, stroke * 0.75f);
				r.setStroke(new BasicStroke(w, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 4 * w, 3 * w }, 0f));
			} else {
				r.setStrokeWidth(stroke);
			}
			r.setProperty(ID, Long.toString(a.id()));
			r.setProperty(REV, Long.toString(a.revision()));
			r.setProperty(IMAGE, Long.toString(imageId));
			if (c != null) r.setProperty(CLASS, c.name());
			return flag(a, r);
		}

		Roi label(Annotation a, LabelClass c, Roi shape) {
			java.awt.Rectangle b = shape.getBounds();
			double h = font.getSize() * 1.3;
			double y = b.y >= h ? b.y - h : b.y + b.height;
			TextRoi t = new TextRoi(Math.max(0, Math.min(b.x, width - 1)), y, text(a, c), font);
			decorate(t, c);
			if (shape.hasHyperStackPosition()) t.setPosition(shape.getCPosition(), shape.getZPosition(), shape.getTPosition());
			else if (shape.getPosition() > 0) t.setPosition(shape.getPosition());
			t.setProperty(MARK, "label");
			return flag(a, t);
		}

		/** Image-level labels go in the bottom-left corner, where they hide least of what is drawn. */
		Roi banner(Annotation a, LabelClass c, int line) {
			String text = "image: " + text(a, c);
			Font f = fitting(text, text);
			TextRoi t = new TextRoi(1, height - 1 - (line + 1) * f.getSize() * 1.45, fits(text, f) ? text : text(a, c), f);
			decorate(t, c);
			t.setProperty(MARK, "image-label");
			t.setProperty(ID, Long.toString(a.id()));
			t.setProperty(REV, Long.toString(a.revision()));
			return flag(a, t);
		}

		/**
		 * The image model's prediction, top-left, as one strip across the image at most: {@code text} in the usual font
		 * when it fits, else in a smaller one down to {@link #LEGIBLE} pixels, else {@code brief} (the class and
		 * confidence, on a 28×28 picture) as large as fits. {@code c == null} (unsure) draws it grey.
		 */
		Roi prediction(String text, String brief, LabelClass c) {
			Font f = fitting(text, brief);
			TextRoi t = new TextRoi(1, 1, fits(text, f) ? text : brief, f);
			decorate(t, c);
			t.setProperty(MARK, PREDICTION);
			return t;
		}

		/** The font for a banner: {@code text} shrunk to fit the width if that stays legible, else {@code brief} fitted. */
		Font fitting(String text, String brief) {
			double w = width(text, font);
			if (w <= width - 2) return font;
			double size = font.getSize() * (width - 2) / w;
			if (size >= LEGIBLE || text.equals(brief)) return font.deriveFont((float) Math.max(MIN_FONT, Math.floor(size)));
			return fitting(brief, brief);
		}

		boolean fits(String text, Font f) {
			return width(text, f) <= width - 2;
		}

		/** The width of {@code text} in image pixels (TextRoi sizes its font in image pixels); works headless. */
		private static double width(String text, Font f) {
			return f.getStringBounds(text, new java.awt.font.FontRenderContext(null, true, true)).getWidth() + 2;
		}

		private void decorate(TextRoi t, LabelClass c) {
			Color bg = color(c);
			t.setFillColor(new Color(bg.getRed(), bg.getGreen(), bg.getBlue(), 210));
			t.setStrokeColor(luminance(bg) > 140 ? Color.black : Color.white);
			t.setAntiAlias(true);
		}
	}

	static Color color(LabelClass c) {
		return c == null ? Color.lightGray : Color.decode(c.color());
	}

	private static double luminance(Color c) {
		return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
	}
}
