package org.labelloop.fiji;

import java.awt.Color;
import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.labelloop.backend.Backend;
import org.labelloop.backend.MaskStrokes;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.Recorder;
import ij.plugin.tool.PlugInTool;

/**
 * The mask brush, a toolbar tool: drag on a LabelLoop image to paint the brush's class into its mask on the slice
 * shown (alt-drag erases); one stroke is one revision, so Undo Label Change takes it back. The stroke shows while it
 * is drawn; on release it is written through {@link MaskStrokes} (as Paint Mask does), the label layer is redrawn,
 * and the recorder gets the {@code run("Paint Mask", ...)} line that replays it.
 */
public final class BrushTool extends PlugInTool {

	/** What the brush paints: a class, a radius in pixels, erase or paint, and the label layer's opacity. */
	public record Settings(String className, double radius, boolean erase, double opacity) {
		public static final Settings DEFAULT = new Settings(null, 5, false, 0.4);

		public Settings {
			if (!(radius >= 0.5 && radius <= 500)) throw new IllegalArgumentException("The brush radius must lie between 0.5 and 500 pixels, not " + radius);
			if (!(opacity >= 0 && opacity <= 1)) throw new IllegalArgumentException("The label layer's opacity must lie between 0 and 1, not " + opacity);
		}
	}

	private final LabelLoopSession session;
	private final List<int[]> points = new ArrayList<>();
	private Mask stroke = Mask.EMPTY;
	private boolean erasing;

	public BrushTool(LabelLoopSession session) {
		this.session = session;
	}

	@Override
	public String getToolName() {
		return "LabelLoop mask brush";
	}

	@Override
	public String getToolIcon() {
		return "C037O11ffC037F5566";
	}

	@Override
	public void mousePressed(ImagePlus imp, MouseEvent e) {
		points.clear();
		stroke = Mask.EMPTY;
		erasing = e.isAltDown() || session.brush().erase();
		add(imp, e);
	}

	@Override
	public void mouseDragged(ImagePlus imp, MouseEvent e) {
		if (!points.isEmpty()) add(imp, e);
	}

	@Override
	public void mouseReleased(ImagePlus imp, MouseEvent e) {
		if (points.isEmpty()) return;
		List<int[]> path = List.copyOf(points);
		points.clear();
		layer(imp).ifPresent(l -> l.setPending(null, null));
		try {
			Settings s = session.brush();
			paint(session, imp, s.className(), path, s.radius(), erasing, MaskLayer.shownZ(imp));
			if (Recorder.record) Recorder.recordString(macro(s.className(), path, s.radius(), erasing, MaskLayer.shownZ(imp) + 1));
		} catch (LabelLoopException | IllegalArgumentException ex) {
			LabelLoopCommand.error("Mask brush", ex.getMessage());
			imp.draw();
		}
	}

	private void add(ImagePlus imp, MouseEvent e) {
		var ic = imp.getCanvas();
		if (ic == null) return;
		int x = ic.offScreenX(e.getX()), y = ic.offScreenY(e.getY());
		int[] last = points.isEmpty() ? null : points.get(points.size() - 1);
		if (last != null && last[0] == x && last[1] == y) return;
		points.add(new int[] { x, y });
		double r = session.brush().radius();
		int z = MaskLayer.shownZ(imp);
		stroke = stroke.union(MaskStrokes.along(last == null ? List.of(new int[] { x, y }) : List.of(last, new int[] { x, y }), r, z));
		Color c = erasing ? Color.WHITE : colour(session, session.brush().className());
		layer(imp).ifPresent(l -> l.setPending(stroke, c));
		imp.draw();
	}

	private static java.util.Optional<MaskLayer> layer(ImagePlus imp) {
		Overlay o = imp.getOverlay();
		if (o != null) for (Roi r : o) if (r instanceof MaskLayer l) return java.util.Optional.of(l);
		return java.util.Optional.empty();
	}

	private static Color colour(LabelLoopSession session, String className) {
		for (LabelClass c : session.view().classes()) if (c.name().equals(className)) return Color.decode(c.color());
		return Color.GRAY;
	}

	/**
	 * Paints (or erases) a stroke, discs of radius {@code r} along {@code path} on slice {@code z} (0-based), into the
	 * class's mask of the image, as one revision, and redraws the image. The one path of the brush, Paint Mask and
	 * Fill Selection into Mask. Returns what it did, for the status line.
	 */
	public static String paint(LabelLoopSession session, ImagePlus imp, String className, List<int[]> path, double r, boolean erase, int z) {
		return write(session, imp, className, MaskStrokes.along(path, r, z), erase);
	}

	/** Writes a stroke mask into the class's mask of the image (see {@link #paint}). */
	public static String write(LabelLoopSession session, ImagePlus imp, String className, Mask stroke, boolean erase) {
		return write(session, imp, className, stroke, erase, false);
	}

	/**
	 * As {@link #write(LabelLoopSession, ImagePlus, String, Mask, boolean)}, for the object a click segmented when
	 * {@code click}: a proposed object that already holds it is accepted ({@link MaskStrokes#click}).
	 */
	public static String write(LabelLoopSession session, ImagePlus imp, String className, Mask stroke, boolean erase, boolean click) {
		Long imageId = LabelLoopSession.imageId(imp);
		if (imageId == null) throw new LabelLoopException("This image is not a LabelLoop image. Use Next Image first.");
		if (className == null || className.isBlank())
			throw new LabelLoopException("The brush has no class yet: choose one with Plugins › LabelLoop › Mask Brush.");
		Backend b = session.backend();
		LabelClass c = b.classes().stream().filter(x -> x.name().equals(className.strip())).findFirst().orElseThrow(() -> new LabelLoopException(
				"No class '" + className + "' in this project; its classes are: " + String.join(", ", b.classes().stream().map(LabelClass::name).toList()) + "."));
		List<Annotation> before = b.annotations(imageId);
		var edit = click && !erase ? MaskStrokes.click(imageId, before, c.id(), stroke, b.user())
				: MaskStrokes.stroke(imageId, before, c.id(), stroke, erase, b.user());
		String what;
		if (edit.isEmpty()) what = "nothing to " + (erase ? "erase" : "paint") + " there";
		else if (edit.get() instanceof Edit.Update u && before.stream().anyMatch(a -> a.id() == u.annotationId() && a.data().mask().equals(u.data().mask()))) {
			b.apply("Accept " + c.name() + " mask (" + u.data().mask().voxelCount() + " px)", List.of(u));
			what = "accepted the proposed " + c.name() + " object (" + u.data().mask().voxelCount() + " px)";
		} else {
			b.apply((erase ? "Erase " : "Paint ") + c.name() + " mask (" + stroke.voxelCount() + " px)", List.of(edit.get()));
			what = (erase ? "erased " : "painted ") + stroke.voxelCount() + " px of " + c.name() + (edit.get() instanceof Edit.Delete ? " (mask deleted: nothing left)" : "");
		}
		AnnotationView.refresh(imp, b);
		IJ.showStatus("LabelLoop: " + what);
		return what;
	}

	/** The macro line that replays a stroke. */
	static String macro(String className, List<int[]> path, double r, boolean erase, int slice) {
		StringBuilder pts = new StringBuilder();
		for (int[] p : path) pts.append(pts.length() == 0 ? "" : " ").append(p[0]).append(',').append(p[1]);
		return String.format(Locale.ROOT, "run(\"Paint Mask\", \"class=[%s] slice=%d radius=%s points=[%s]%s\");\n", className, slice,
				r == Math.rint(r) ? Integer.toString((int) r) : Double.toString(r), pts, erase ? " erase=yes" : "");
	}

	/** Parses {@code "x,y x,y ..."}: the points of a stroke. */
	public static List<int[]> points(String text) {
		List<int[]> out = new ArrayList<>();
		for (String p : text.strip().split("\\s+")) {
			if (p.isEmpty()) continue;
			String[] xy = p.split(",");
			try {
				if (xy.length != 2) throw new NumberFormatException();
				out.add(new int[] { Integer.parseInt(xy[0].strip()), Integer.parseInt(xy[1].strip()) });
			} catch (NumberFormatException e) {
				throw new IllegalArgumentException("The points of a stroke are 'x,y' pairs separated by spaces (e.g. [10,12 14,15]), not '" + p + "'.");
			}
		}
		if (out.isEmpty()) throw new IllegalArgumentException("A stroke needs at least one point 'x,y'.");
		return out;
	}
}
