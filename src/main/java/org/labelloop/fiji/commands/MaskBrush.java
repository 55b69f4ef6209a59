package org.labelloop.fiji.commands;

import java.util.List;

import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.fiji.BrushTool;
import org.labelloop.fiji.ClickTool;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import ij.gui.Toolbar;

/**
 * Plugins>LabelLoop>Mask Brush: chooses what the brush paints (class, radius, erase, the label layer's opacity) and
 * selects the brush tool in the toolbar, or with {@code tool=click} the click-to-segment tool ({@link ClickTool}). Each stroke is recorded as a Paint Mask line, so a macro replays it headless.
 */
public class MaskBrush extends LabelLoopCommand {

	@Override protected String title() { return "Mask Brush"; }

	@Override
	protected void run(LabelLoopSession session) {
		requireWindow("Paint Mask with points=[x,y ...]");
		List<String> names = session.backend().classes().stream().map(LabelClass::name).toList();
		if (names.isEmpty()) throw new LabelLoopException("The project has no classes yet: add some with Edit Classes.");
		BrushTool.Settings now = session.brush();
		Dialog d = new Dialog(title()).addChoice("Class", names, now.className() != null && names.contains(now.className()) ? now.className() : names.get(0))
				.addNumber("Radius", now.radius()).addYesNo("Erase", now.erase()).addNumber("Opacity", now.opacity())
				.addChoice("Tool", List.of("brush", "click"), "brush")
				.addMessage("Brush: drag on the image to paint, alt-drag to erase; one stroke is one undo.\n"
						+ "Click: click inside an object to add it to the class's mask, shift-click to take a part away.");
		if (!d.show()) return;
		session.setBrush(new BrushTool.Settings(d.get("class"), d.number("radius"), d.yes("erase"), d.number("opacity")));
		boolean click = d.get("tool").equals("click");
		Toolbar.addPlugInTool(click ? new ClickTool(session) : new BrushTool(session));
		session.refreshCurrent(); // the label layer at the new opacity
		info(click ? "click to segment: " + d.get("class") : "brush: " + d.get("class") + ", radius " + d.number("radius") + (d.yes("erase") ? ", erasing" : ""));
	}
}
