package org.labelloop.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which items a similarity query may answer with, as a user states it: classes, review statuses, origin kinds
 * ({@code human}, {@code model}, {@code weak}) and users, each "one of these" (empty = any), and "not reviewed" (no
 * person accepted, corrected or rejected it: proposed items and items without a label). Class names are checked
 * against the project by the backend, which names the known ones.
 * <p>
 * The text form, typed in the Similar Items window's filter box and used by macros ({@code filter=[...]}), is
 * space-separated words: {@code not reviewed}, {@code class:nucleus,cell}, {@code status:proposed},
 * {@code origin:weak}, {@code user:ann}; a class name with spaces is written with {@code _} or in quotes
 * ({@code class:"Mitosis, late"}). {@link #toString} writes it back.
 */
public record ItemFilter(List<String> classes, List<String> statuses, List<String> origins, List<String> users, boolean notReviewed) {

	/** Every item. */
	public static final ItemFilter ALL = new ItemFilter(List.of(), List.of(), List.of(), List.of(), false);

	public ItemFilter {
		classes = List.copyOf(classes == null ? List.of() : classes);
		statuses = List.copyOf(statuses == null ? List.of() : statuses);
		origins = List.copyOf(origins == null ? List.of() : origins);
		users = List.copyOf(users == null ? List.of() : users);
	}

	public static ItemFilter notReviewedOnly() {
		return ALL.withNotReviewed(true);
	}

	public ItemFilter withNotReviewed(boolean b) {
		return new ItemFilter(classes, statuses, origins, users, b);
	}

	public ItemFilter withClasses(List<String> c) {
		return new ItemFilter(c, statuses, origins, users, notReviewed);
	}

	/**
	 * Reads the text form; blank means every item.
	 *
	 * @throws IllegalArgumentException for a word it does not know, saying what it accepts
	 */
	public static ItemFilter parse(String text) {
		if (text == null || text.isBlank()) return ALL;
		List<String> c = new ArrayList<>(), s = new ArrayList<>(), o = new ArrayList<>(), u = new ArrayList<>();
		boolean nr = false;
		List<String> words = words(text);
		for (int i = 0; i < words.size(); i++) {
			String w = words.get(i);
			String lw = w.toLowerCase(Locale.ROOT);
			if (lw.equals("not") && i + 1 < words.size() && words.get(i + 1).equalsIgnoreCase("reviewed")) {
				nr = true;
				i++;
				continue;
			}
			if (lw.equals("unreviewed") || lw.equals("not-reviewed") || lw.equals("not_reviewed")) {
				nr = true;
				continue;
			}
			int colon = w.indexOf(':');
			if (colon < 0) colon = w.indexOf('=');
			if (colon <= 0 || colon == w.length() - 1)
				throw new IllegalArgumentException("Filter word '" + w + "' is not understood; use 'not reviewed', class:<name>, status:<proposed|accepted|corrected|rejected>,"
						+ " origin:<human|model|weak> or user:<name>, e.g. [not reviewed class:nucleus].");
			String key = w.substring(0, colon).toLowerCase(Locale.ROOT);
			List<String> values = new ArrayList<>();
			for (String v : w.substring(colon + 1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
				String t = v.replace("\"", "").strip();
				if (!t.isEmpty()) values.add(key.equals("class") ? t : t.toLowerCase(Locale.ROOT));
			}
			switch (key) {
				case "class" -> c.addAll(values);
				case "status" -> s.addAll(values);
				case "origin" -> o.addAll(values);
				case "user" -> u.addAll(values);
				default -> throw new IllegalArgumentException("Unknown filter field '" + key + "' (expected class, status, origin or user, or 'not reviewed').");
			}
		}
		return new ItemFilter(c, s, o, u, nr);
	}

	/** Splits on spaces outside double quotes. */
	private static List<String> words(String text) {
		List<String> out = new ArrayList<>();
		StringBuilder sb = new StringBuilder();
		boolean quoted = false;
		for (char ch : text.strip().toCharArray()) {
			if (ch == '"') quoted = !quoted;
			if (Character.isWhitespace(ch) && !quoted) {
				if (sb.length() > 0) out.add(sb.toString());
				sb.setLength(0);
			} else sb.append(ch);
		}
		if (sb.length() > 0) out.add(sb.toString());
		return out;
	}

	public boolean isAll() {
		return classes.isEmpty() && statuses.isEmpty() && origins.isEmpty() && users.isEmpty() && !notReviewed;
	}

	@Override
	public String toString() {
		List<String> w = new ArrayList<>();
		if (notReviewed) w.add("not reviewed");
		if (!classes.isEmpty()) w.add("class:" + String.join(",", classes.stream().map(x -> x.contains(" ") || x.contains(",") ? "\"" + x + "\"" : x).toList()));
		if (!statuses.isEmpty()) w.add("status:" + String.join(",", statuses));
		if (!origins.isEmpty()) w.add("origin:" + String.join(",", origins));
		if (!users.isEmpty()) w.add("user:" + String.join(",", users));
		return String.join(" ", w);
	}
}
