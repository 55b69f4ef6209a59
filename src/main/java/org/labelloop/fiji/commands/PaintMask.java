package org.labelloop.fiji.commands;

import org.labelloop.core.model.LabelClass;
import org.labelloop.fiji.BrushTool;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.MaskLayer;

/**
 * Plugins>LabelLoop>Paint Mask: paints (or erases) one brush stroke — discs along the points given — into a class's
 * mask on a slice of the current image, as one revision. What the brush tool records; works headless.
 */
public class PaintMask extends LabelLoopCommand {

	@Override protected String title() { return "Paint Mask"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		String cls = session.brush().className() != null ? session.brush().className() : names.isEmpty() ? "" : names.get(0);
		Dialog d = new Dialog(title()).addString("Class", cls).addNumber("Slice", MaskLayer.shownZ(imp) + 1).addNumber("Radius", session.brush().radius())
				.addString("Points", "").addYesNo("Erase", false);
		if (!d.show()) return;
		int slice = (int) d.number("slice");
		if (slice < 1 || slice > imp.getNSlices())
			throw new IllegalArgumentException("Slice " + slice + " is not in the image (it has " + imp.getNSlices() + ").");
		info(BrushTool.paint(session, imp, d.required("class"), BrushTool.points(d.required("points")), d.number("radius"), d.yes("erase"), slice - 1));
	}
}
