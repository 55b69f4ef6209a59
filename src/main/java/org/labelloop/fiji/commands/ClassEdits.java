package org.labelloop.fiji.commands;

import java.util.List;

import org.labelloop.backend.Backend;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;

/** What Edit Classes does: add a class, or rename, recolour or re-key one; hotkeys stay unique. */
final class ClassEdits {

	static final List<String> ACTIONS = List.of("add", "rename", "recolour", "hotkey");

	private ClassEdits() {
	}

	/** Applies the action and returns a one-line report. Empty {@code color} on add picks one from the palette. */
	static String apply(Backend backend, String action, String className, String newName, String color, String hotkey) {
		List<LabelClass> classes = backend.classes();
		if (action.equals("add")) {
			checkHotkey(classes, hotkey, null);
			return "added class " + describe(backend.require(Backend.ClassEditing.class).addClass(className, color.isEmpty() ? null : color, hotkey));
		}
		LabelClass c = classes.stream().filter(x -> x.name().equals(className)).findFirst()
				.orElseThrow(() -> new LabelLoopException("There is no class '" + className + "' to " + action + "."));
		LabelClass changed = switch (action) {
			case "rename" -> c.with(required(newName, "name", action), null, null);
			case "recolour" -> c.with(null, required(color, "color", action), null);
			case "hotkey" -> {
				checkHotkey(classes, hotkey, c);
				yield c.with(null, null, hotkey);
			}
			default -> throw new LabelLoopException("Unknown action '" + action + "'; choose one of " + String.join(", ", ACTIONS));
		};
		return action + " class '" + className + "': " + describe(backend.updateClass(changed));
	}

	static String describe(LabelClass c) {
		return "'" + c.name() + "' " + c.color() + (c.hotkey().isEmpty() ? "" : " [" + c.hotkey() + "]");
	}

	private static String required(String value, String key, String action) {
		if (value.isEmpty()) throw new LabelLoopException("Edit Classes: " + action + " needs a value for " + key + ".");
		return value;
	}

	private static void checkHotkey(List<LabelClass> classes, String key, LabelClass self) {
		if (key.isEmpty()) return;
		for (LabelClass c : classes)
			if (c.hotkey().equals(key) && (self == null || c.id() != self.id()))
				throw new LabelLoopException("Hotkey '" + key + "' already belongs to class '" + c.name() + "'.");
	}
}
