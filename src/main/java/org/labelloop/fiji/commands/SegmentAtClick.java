package org.labelloop.fiji.commands;

import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.model.LabelClass;
import org.labelloop.core.seg.ClickSegmenter;
import org.labelloop.fiji.BrushTool;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.MaskLayer;
import org.labelloop.imaging.FloatVolumes;

/**
 * Plugins>LabelLoop>Segment at Click: the object under a click ({@link ClickSegmenter}, seeded region growing on the
 * image's own intensities), optionally minus what negative clicks take away, added to the class's mask on that slice
 * as a human-accepted stroke (one revision, undoable). Macro: {@code run("Segment at Click", "x=215 y=51 slice=1
 * class=coin negative=[]");}. Works headless.
 */
public class SegmentAtClick extends LabelLoopCommand {

	@Override protected String title() { return "Segment at Click"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		String cls = session.brush().className() != null ? session.brush().className() : names.isEmpty() ? "" : names.get(0);
		Dialog d = new Dialog(title()).addNumber("X", 0).addNumber("Y", 0).addNumber("Slice", MaskLayer.shownZ(imp) + 1).addString("Class", cls).addString("Negative", "");
		if (!d.show()) return;
		int z = (int) d.number("slice") - 1;
		List<ClickSegmenter.Click> clicks = new ArrayList<>(List.of(ClickSegmenter.Click.positive((int) d.number("x"), (int) d.number("y"), z)));
		String neg = d.get("negative");
		if (neg != null && !neg.isBlank()) for (int[] p : BrushTool.points(neg)) clicks.add(ClickSegmenter.Click.negative(p[0], p[1], z));
		ClickSegmenter.Result r = ClickSegmenter.fromIntensity(FloatVolumes.from(imp), clicks, ClickSegmenter.Options.standard());
		if (r.isEmpty()) throw new IllegalArgumentException(r.message());
		info(BrushTool.write(session, imp, d.required("class"), r.mask(), false));
	}
}
