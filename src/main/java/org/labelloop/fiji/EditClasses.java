package org.labelloop.fiji;

import java.util.List;
import java.util.stream.Collectors;

import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;

/**
 * Plugins>LabelLoop>Edit Classes: {@code action=add class=… [color=#rrggbb] [hotkey=k]}, or
 * {@code rename class=… name=…}, {@code recolour class=… color=…}, {@code hotkey class=… hotkey=…}.
 */
public class EditClasses extends LabelLoopCommand {

	@Override protected String title() { return "Edit Classes"; }

	@Override
	protected void run(LabelLoopSession session) {
		var backend = session.backend();
		List<LabelClass> classes = backend.classes();
		Dialog d = new Dialog(title())
				.addMessage("Classes: " + (classes.isEmpty() ? "none" : classes.stream().map(c -> c.name() + (c.hotkey().isEmpty() ? "" : " [" + c.hotkey() + "]")).collect(Collectors.joining(", "))))
				.addChoice("Action", List.of("add", "rename", "recolour", "hotkey"), "add")
				.addString("Class", "").addString("Name", "").addString("Color", "").addString("Hotkey", "");
		if (!d.show()) return;
		String action = d.get("action"), name = d.required("class");
		if (action.equals("add")) {
			checkHotkey(classes, d.get("hotkey"), null);
			LabelClass c = backend.addClass(name, d.get("color").isEmpty() ? null : d.get("color"), d.get("hotkey"));
			info("added class '" + c.name() + "' (" + c.color() + (c.hotkey().isEmpty() ? "" : ", key " + c.hotkey()) + ")");
		} else {
			LabelClass c = classes.stream().filter(x -> x.name().equals(name)).findFirst()
					.orElseThrow(() -> new LabelLoopException("There is no class '" + name + "' to " + action + "."));
			if (action.equals("hotkey")) checkHotkey(classes, d.get("hotkey"), c);
			LabelClass changed = switch (action) {
				case "rename" -> c.with(d.required("name"), null, null);
				case "recolour" -> c.with(null, d.required("color"), null);
				default -> c.with(null, null, d.get("hotkey"));
			};
			backend.updateClass(changed);
			info(action + " class '" + name + "' → " + changed.name() + " " + changed.color() + (changed.hotkey().isEmpty() ? "" : " [" + changed.hotkey() + "]"));
		}
		session.refreshCurrent();
	}

	private static void checkHotkey(List<LabelClass> classes, String key, LabelClass self) {
		if (key.isEmpty()) return;
		for (LabelClass c : classes)
			if (c.hotkey().equals(key) && (self == null || c.id() != self.id()))
				throw new LabelLoopException("Hotkey '" + key + "' already belongs to class '" + c.name() + "'.");
	}
}
