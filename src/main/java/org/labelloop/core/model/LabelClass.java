package org.labelloop.core.model;

import java.util.regex.Pattern;

/** A class a label can have. {@code color} is {@code #rrggbb}; {@code hotkey} is one character or empty. */
public record LabelClass(long id, String name, String color, String hotkey, int order) {

	private static final Pattern COLOR = Pattern.compile("#[0-9a-fA-F]{6}");

	public LabelClass {
		name = checkName(name);
		if (color == null || !COLOR.matcher(color).matches())
			throw new IllegalArgumentException("Colour of class '" + name + "' must look like #ff8800, not '" + color + "'");
		if (hotkey == null) hotkey = "";
		if (hotkey.length() > 1)
			throw new IllegalArgumentException("Hotkey of class '" + name + "' must be a single key, not '" + hotkey + "'");
	}

	/**
	 * Any printable text is a valid class name (unicode, spaces, quotes, commas); names are trimmed and may not be
	 * empty, contain line breaks or control characters, or be longer than 200 characters.
	 */
	public static String checkName(String name) {
		if (name == null || name.isBlank()) throw new IllegalArgumentException("A class name may not be empty");
		String n = name.strip();
		if (n.length() > 200) throw new IllegalArgumentException("Class name is longer than 200 characters: '" + n.substring(0, 40) + "…'");
		for (int i = 0; i < n.length(); i++)
			if (Character.isISOControl(n.charAt(i)))
				throw new IllegalArgumentException("Class name '" + n.replaceAll("\\p{Cntrl}", "?") + "' contains a control character or line break");
		return n;
	}

	public LabelClass with(String newName, String newColor, String newHotkey) {
		return new LabelClass(id, newName == null ? name : newName, newColor == null ? color : newColor,
				newHotkey == null ? hotkey : newHotkey, order);
	}
}
