package org.labelloop.fiji;

import java.awt.event.MouseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.labelloop.backend.Backend;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.djl.SamPrompter;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.seg.ClickSegmenter;
import org.labelloop.core.seg.FloatVolume;
import org.labelloop.core.seg.ProbabilityMap;
import org.labelloop.imaging.FloatVolumes;

import ij.ImagePlus;
import ij.plugin.frame.Recorder;
import ij.plugin.tool.PlugInTool;

/**
 * Click to segment, a toolbar tool (chosen in Mask Brush): a click inside an object adds that object to the brush
 * class's mask on the slice shown, at once; more clicks add more; a shift-click takes away from the object clicked
 * last what that negative click separates from it. Each click is one revision (Undo Label Change takes it back) and
 * is recorded as the {@code run("Segment at Click", ...)} line that replays it.
 * <p>
 * With a promptable click model set in this Fiji (Click Model: a SAM encoder/decoder pair, {@link SamPrompter}) the
 * object comes from it (the first click on a slice encodes the slice, later clicks run only the decoder); else, with
 * a segmentation model that knows the class ({@link Backend.PixelModel}), from the model's probability map (the first
 * click on a slice predicts it, later clicks reuse it); otherwise from the image's own intensities
 * ({@link ClickSegmenter#fromIntensity}). The status line says which.
 */
public final class ClickTool extends PlugInTool {

	private final LabelLoopSession session;
	private Long image;
	private int slice = -1;
	private String className;
	private int[] last;
	private final List<int[]> negatives = new ArrayList<>();

	public ClickTool(LabelLoopSession session) {
		this.session = session;
	}

	@Override
	public String getToolName() {
		return "LabelLoop click to segment";
	}

	@Override
	public String getToolIcon() {
		return "C037O22ccC037L5a5aL8888";
	}

	@Override
	public void mousePressed(ImagePlus imp, MouseEvent e) {
		var ic = imp.getCanvas();
		if (ic == null) return;
		int x = ic.offScreenX(e.getX()), y = ic.offScreenY(e.getY()), z = MaskLayer.shownZ(imp);
		String cls = session.brush().className();
		try {
			if (e.isShiftDown()) {
				if (last == null || !Objects.equals(image, LabelLoopSession.imageId(imp)) || slice != z || !Objects.equals(className, cls))
					throw new LabelLoopException("A shift-click takes away from the object clicked last on this slice: click inside an object first.");
				negatives.add(new int[] { x, y });
			} else {
				image = LabelLoopSession.imageId(imp);
				slice = z;
				className = cls;
				last = new int[] { x, y };
				negatives.clear();
			}
			boolean refine = e.isShiftDown();
			segmentAt(session, imp, cls, last[0], last[1], z, negatives, refine);
			if (Recorder.record) Recorder.recordString(macro(cls, last[0], last[1], z + 1, negatives, refine));
		} catch (LabelLoopException | IllegalArgumentException ex) {
			LabelLoopCommand.error("Click to segment", ex.getMessage());
		}
	}

	/**
	 * The one path of the tool and of Segment at Click: the object under the positive click (x, y) on slice z
	 * (0-based) minus what the negative clicks separate from it, added to the class's mask; with {@code refine}, what
	 * the negative clicks take away from the object of the positive click alone is erased instead. Returns what it did.
	 */
	public static String segmentAt(LabelLoopSession session, ImagePlus imp, String className, int x, int y, int z, List<int[]> negatives,
			boolean refine) {
		List<ClickSegmenter.Click> clicks = new ArrayList<>(List.of(ClickSegmenter.Click.positive(x, y, z)));
		for (int[] p : negatives) clicks.add(ClickSegmenter.Click.negative(p[0], p[1], z));
		FloatVolume image = FloatVolumes.from(imp);
		ClickSegmenter.Result r = segment(session, imp, image, className, clicks);
		if (!refine) {
			if (r.isEmpty()) throw new IllegalArgumentException(r.message());
			return BrushTool.write(session, imp, className, r.mask(), false, true) + ", " + r.message();
		}
		if (negatives.isEmpty()) throw new IllegalArgumentException("Refining an object needs at least one negative click.");
		Mask whole = segment(session, imp, image, className, clicks.subList(0, 1)).mask();
		Mask cut = whole.subtract(r.mask());
		if (cut.isEmpty()) return "the negative clicks take nothing away from the object";
		return BrushTool.write(session, imp, className, cut, true) + ", " + r.message();
	}

	/** The object under the clicks: from the segmentation model's probabilities when it knows the class, else from intensities. */
	static ClickSegmenter.Result segment(LabelLoopSession session, ImagePlus imp, FloatVolume image, String className, List<ClickSegmenter.Click> clicks) {
		ClickSegmenter.Options o = ClickSegmenter.Options.standard();
		Long id = LabelLoopSession.imageId(imp);
		int z = clicks.get(0).z();
		Optional<SamPrompter> sam = session.clickModel();
		if (sam.isPresent() && z >= 0 && z < image.depth()) return prompted(sam.get(), id == null ? imp.getTitle() : id, image, z, clicks);
		Optional<Backend.PixelModel> model = session.backend().facet(Backend.PixelModel.class);
		if (id != null && model.isPresent() && className != null && z >= 0 && z < image.depth()) {
			Optional<ProbabilityMap> map = model.get().segmentationProbabilities(id, image, z);
			int k = map.map(m -> m.classes().indexOf(className.strip())).orElse(-1);
			if (k > 0) {
				List<ClickSegmenter.Click> flat = clicks.stream().map(c -> new ClickSegmenter.Click(c.x(), c.y(), 0, c.positive())).toList();
				ClickSegmenter.Result r = ClickSegmenter.withModel(map.get(), k, flat, o);
				return new ClickSegmenter.Result(r.mask().sliceMoved(0, z), r.message());
			}
		}
		return ClickSegmenter.fromIntensity(image, clicks, o);
	}

	/** The object under the clicks from the promptable click model: one encoder run per slice, a decoder run per click. */
	static ClickSegmenter.Result prompted(SamPrompter sam, Object image, FloatVolume volume, int z, List<ClickSegmenter.Click> clicks) {
		List<SamPrompter.Point> points = clicks.stream().map(c -> new SamPrompter.Point(c.x(), c.y(), c.positive())).toList();
		SamPrompter.Result r = sam.segment(image + "/" + z, FloatImage.gray(volume.width(), volume.height(), volume.slice(z)), points);
		int[] labels = new int[r.mask().length];
		for (int i = 0; i < labels.length; i++) labels[i] = r.mask()[i] ? 1 : 0;
		Mask m = Mask.fromLabels(labels, r.width(), r.height(), z, 1);
		String how = String.format(Locale.ROOT, "click model (%s; predicted IoU %.2f)", r.encoded() ? "slice encoded" : "decoder only", r.predictedIou());
		return new ClickSegmenter.Result(m, m.isEmpty() ? "the click model found no object at the click, " + how : r.area() + " pixels from the " + how);
	}

	/** The macro line that replays a click (slice 1-based). */
	static String macro(String className, int x, int y, int slice, List<int[]> negatives, boolean refine) {
		StringBuilder neg = new StringBuilder();
		for (int[] p : negatives) neg.append(neg.length() == 0 ? "" : " ").append(p[0]).append(',').append(p[1]);
		return String.format(Locale.ROOT, "run(\"Segment at Click\", \"x=%d y=%d slice=%d class=[%s] negative=[%s]%s\");\n", x, y, slice, className, neg,
				refine ? " refine=yes" : "");
	}
}
