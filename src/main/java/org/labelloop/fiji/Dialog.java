package org.labelloop.fiji;

import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.labelloop.core.model.LabelLoopException;

import ij.Macro;
import ij.gui.GenericDialog;

/**
 * The parameters of one command, asked the same way everywhere: a {@link GenericDialog} when there is a display (so
 * the macro recorder records it and macro options fill it), and plain {@link Macro} options when ImageJ runs
 * headless, where a GenericDialog cannot even be constructed.
 * <p>
 * Each field's label is one word whose lower case is its macro key ({@code Folder} → {@code folder=}). Whenever
 * macro options are given, a key the command does not know is refused with a message naming it and the valid keys,
 * instead of being silently ignored as ImageJ does.
 */
public final class Dialog {

	private enum Kind { STRING, DIRECTORY, FILE, CHOICE }

	private record Field(Kind kind, String label, String key, String value, String[] items) {
	}

	private final String command;
	private final List<Field> fields = new ArrayList<>();
	private final List<String> messages = new ArrayList<>();
	private final Map<String, String> values = new LinkedHashMap<>();

	/** A dialog for the command named {@code command} (its menu label, also the dialog title). */
	public Dialog(String command) {
		this.command = command;
	}

	public Dialog addString(String label, String value) {
		return add(new Field(Kind.STRING, label, key(label), value == null ? "" : value, null));
	}

	public Dialog addDirectory(String label, String value) {
		return add(new Field(Kind.DIRECTORY, label, key(label), value == null ? "" : value, null));
	}

	public Dialog addFile(String label, String value) {
		return add(new Field(Kind.FILE, label, key(label), value == null ? "" : value, null));
	}

	public Dialog addChoice(String label, List<String> items, String value) {
		if (items.isEmpty()) throw new IllegalArgumentException("A choice needs items");
		String v = value != null && items.contains(value) ? value : items.get(0);
		return add(new Field(Kind.CHOICE, label, key(label), v, items.toArray(String[]::new)));
	}

	/** A number, asked as text (recorded as {@code key=value}); read it with {@link #number}. */
	public Dialog addNumber(String label, double value) {
		String v = value == Math.rint(value) && !Double.isInfinite(value) ? String.valueOf((long) value) : String.valueOf(value);
		return addString(label, v);
	}

	/** A yes/no question, as a choice (recorded as {@code key=yes} or {@code key=no}); read it with {@link #yes}. */
	public Dialog addYesNo(String label, boolean value) {
		return addChoice(label, List.of("yes", "no"), value ? "yes" : "no");
	}

	/** A line of explanation (shown with a display only). */
	public Dialog addMessage(String text) {
		messages.add(text);
		return this;
	}

	private Dialog add(Field f) {
		for (Field g : fields)
			if (g.key.equals(f.key)) throw new IllegalArgumentException("Two fields with the macro key " + f.key);
		fields.add(f);
		return this;
	}

	/** The macro key of a label: its first word in lower case, as the recorder writes it. */
	static String key(String label) {
		String k = label.strip();
		int space = k.indexOf(' ');
		if (space > 0) k = k.substring(0, space);
		int colon = k.indexOf(':');
		if (colon > 0) k = k.substring(0, colon);
		return k.toLowerCase(Locale.US);
	}

	/**
	 * Asks for the values.
	 *
	 * @return false if the user cancelled
	 * @throws LabelLoopException for an unknown macro option, an invalid choice, or when headless without options
	 */
	public boolean show() {
		String options = Macro.getOptions();
		if (options != null) checkKeys(options);
		if (GraphicsEnvironment.isHeadless()) {
			if (options == null) {
				if (fields.isEmpty()) return true;
				throw new LabelLoopException(command + " needs options in headless mode: "
						+ fields.stream().map(f -> f.key + "=…").collect(Collectors.joining(" ")));
			}
			for (Field f : fields) {
				String v = Macro.getValue(options, f.key, f.value);
				if (f.kind == Kind.CHOICE) v = checkChoice(f, v);
				values.put(f.key, v);
			}
			return true;
		}
		if (fields.isEmpty()) return true;
		GenericDialog gd = new GenericDialog(command);
		for (String m : messages) gd.addMessage(wrap(m, WRAP));
		for (Field f : fields) {
			switch (f.kind) {
				case STRING -> gd.addStringField(f.label, f.value, 25);
				case DIRECTORY -> gd.addDirectoryField(f.label, f.value, 30);
				case FILE -> gd.addFileField(f.label, f.value, 30);
				case CHOICE -> gd.addChoice(f.label, f.items, f.value);
			}
		}
		gd.showDialog();
		if (gd.wasCanceled()) return false;
		for (Field f : fields)
			values.put(f.key, f.kind == Kind.CHOICE ? gd.getNextChoice() : gd.getNextString());
		return true;
	}

	/** Characters per line of a dialog's message: wider text is wrapped, so every dialog fits a 1280-pixel screen. */
	static final int WRAP = 90;

	/** {@code text} with each line longer than {@code width} broken at spaces (or after commas, for long lists). */
	static String wrap(String text, int width) {
		StringBuilder out = new StringBuilder();
		for (String line : text.split("\n", -1)) {
			if (out.length() > 0) out.append('\n');
			int start = out.length();
			for (String word : line.split(" ")) {
				int lineLength = out.length() - start;
				if (lineLength > 0 && lineLength + 1 + word.length() > width) {
					out.append('\n');
					start = out.length();
				} else if (lineLength > 0) out.append(' ');
				out.append(word);
			}
		}
		return out.toString();
	}

	private String checkChoice(Field f, String v) {
		for (String item : f.items)
			if (item.equals(v)) return item;
		for (String item : f.items)
			if (item.equalsIgnoreCase(v)) return item;
		throw new LabelLoopException(command + ": '" + v + "' is not a valid " + f.key + "; choose one of: " + String.join(", ", f.items));
	}

	/** The value of the field with macro key {@code key}, stripped. */
	public String get(String key) {
		String v = values.get(key);
		if (v == null) throw new IllegalStateException("No field " + key + " was asked");
		return v.strip();
	}

	/** A number field's value ({@code Infinity} allowed), refused with a clear message when it is not a number. */
	public double number(String key) {
		String v = required(key);
		try {
			return Double.parseDouble(v.equalsIgnoreCase("infinity") || v.equalsIgnoreCase("inf") ? "Infinity" : v);
		} catch (NumberFormatException e) {
			throw new LabelLoopException(command + ": " + key + " must be a number, not '" + v + "'.");
		}
	}

	/** A field of comma-separated numbers (e.g. a mean per channel), refused with a clear message when one is not a number. */
	public float[] numbers(String key) {
		String[] parts = required(key).split(",");
		float[] out = new float[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				out[i] = Float.parseFloat(parts[i].strip());
			} catch (NumberFormatException e) {
				throw new LabelLoopException(command + ": " + key + " must be numbers separated by commas, not '" + get(key) + "'.");
			}
		}
		return out;
	}

	/** Whether a yes/no field says yes. */
	public boolean yes(String key) {
		return get(key).equalsIgnoreCase("yes");
	}

	/** The value of the field, refused with a clear message when it is empty. */
	public String required(String key) {
		String v = get(key);
		if (v.isEmpty()) throw new LabelLoopException(command + " needs a value for " + key + ".");
		return v;
	}

	/** Refuses any macro option key that is not one of the fields (misspelt options fail instead of being ignored). */
	void checkKeys(String options) {
		List<String> valid = fields.stream().map(Field::key).toList();
		for (String k : optionKeys(options)) {
			if (valid.contains(k)) continue;
			String msg = command + ": unknown option '" + k + "'";
			if (valid.isEmpty()) msg += ". This command takes no options.";
			else {
				String near = closest(k, valid);
				msg += near != null ? " (did you mean '" + near + "'?)" : "";
				msg += ". Valid options: " + String.join(", ", valid) + ".";
			}
			throw new LabelLoopException(msg);
		}
	}

	/** The keys of an ImageJ options string: {@code key=value}, {@code key=[a b]}, {@code key='a b'} or bare {@code key}. */
	public static List<String> optionKeys(String options) {
		List<String> keys = new ArrayList<>();
		int i = 0, n = options.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(options.charAt(i))) i++;
			if (i >= n) break;
			int start = i;
			while (i < n && options.charAt(i) != '=' && !Character.isWhitespace(options.charAt(i))) i++;
			keys.add(options.substring(start, i).toLowerCase(Locale.US));
			if (i < n && options.charAt(i) == '=') {
				i++;
				if (i < n && options.charAt(i) == '[') {
					int depth = 0;
					for (; i < n; i++) {
						char c = options.charAt(i);
						if (c == '[') depth++;
						else if (c == ']' && --depth == 0) { i++; break; }
					}
				} else if (i < n && options.charAt(i) == '\'') {
					int end = options.indexOf('\'', i + 1);
					i = end < 0 ? n : end + 1;
				} else {
					while (i < n && !Character.isWhitespace(options.charAt(i))) i++;
				}
			}
		}
		return keys;
	}

	private static String closest(String k, List<String> valid) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String v : valid) {
			int d = distance(k, v);
			if (d < bestDistance) { bestDistance = d; best = v; }
		}
		return bestDistance <= Math.max(2, k.length() / 3) ? best : null;
	}

	private static int distance(String a, String b) {
		int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) prev[j] = j;
		for (int i = 1; i <= a.length(); i++) {
			cur[0] = i;
			for (int j = 1; j <= b.length(); j++)
				cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
			int[] t = prev; prev = cur; cur = t;
		}
		return prev[b.length()];
	}
}
