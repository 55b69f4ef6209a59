package org.labelloop.fiji.commands;

import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.fiji.BrushTool;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;
import org.labelloop.fiji.MaskLayer;
import org.labelloop.imaging.RoiBridge;

/**
 * Plugins>LabelLoop>Fill Selection into Mask: the pixels inside the closed selection on the current slice go into a
 * class's mask (or out of it, with erase), as one revision. The selection stays the user's.
 */
public class FillSelectionIntoMask extends LabelLoopCommand {

	@Override protected String title() { return "Fill Selection into Mask"; }

	@Override
	protected void run(LabelLoopSession session) {
		var imp = session.currentImage();
		var roi = imp.getRoi();
		if (roi == null || !roi.isArea()) throw new LabelLoopException("Draw a closed selection (rectangle, oval, polygon, freehand) to fill first.");
		var names = session.backend().classes().stream().map(LabelClass::name).toList();
		String cls = session.brush().className() != null ? session.brush().className() : names.isEmpty() ? "" : names.get(0);
		Dialog d = new Dialog(title()).addString("Class", cls).addYesNo("Erase", false);
		if (!d.show()) return;
		Mask m = Mask.of(RoiBridge.toGeometry(roi), MaskLayer.shownZ(imp));
		info(BrushTool.write(session, imp, d.required("class"), m, d.yes("erase")));
	}
}
