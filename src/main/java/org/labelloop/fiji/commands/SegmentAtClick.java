package org.labelloop.fiji.commands;

import java.util.List;

import org.labelloop.core.model.LabelClass;
import org.labelloop.fiji.BrushTool;
import org.labelloop.fiji.ClickTool;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.MaskLayer;

/**
 * Plugins>LabelLoop>Segment at Click: the object under a click added to the class's mask on that slice as a
 * human-accepted stroke (one revision, undoable), minus what negative clicks separate from it; with {@code refine=yes}
 * what the negative clicks take away is erased instead (the tool's shift-click). The object comes from the
 * segmentation model when it knows the class, else from the image's intensities ({@link ClickTool#segmentAt}). Macro:
 * {@code run("Segment at Click", "x=215 y=51 slice=1 class=coin negative=[]");}. Works headless.
 */
public class SegmentAtClick extends LabelLoopCommand {

	@Override protected String title() { return "Segment at Click"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		String cls = session.brush().className() != null ? session.brush().className() : names.isEmpty() ? "" : names.get(0);
		Dialog d = new Dialog(title()).addNumber("X", 0).addNumber("Y", 0).addNumber("Slice", MaskLayer.shownZ(imp) + 1).addString("Class", cls)
				.addString("Negative", "").addYesNo("Refine", false);
		if (!d.show()) return;
		String neg = d.get("negative");
		List<int[]> negatives = neg == null || neg.isBlank() ? List.of() : BrushTool.points(neg);
		info(ClickTool.segmentAt(session, imp, d.required("class"), (int) d.number("x"), (int) d.number("y"), (int) d.number("slice") - 1, negatives,
				d.yes("refine")));
	}
}
