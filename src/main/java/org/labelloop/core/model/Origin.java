package org.labelloop.core.model;

import java.util.Locale;

/**
 * Who or what made an annotation: {@code human:<user>}, {@code model:<version>} or {@code weak:<rule>}.
 */
public record Origin(Kind kind, String source) {

	public enum Kind { HUMAN, MODEL, WEAK }

	public Origin {
		if (kind == null) throw new IllegalArgumentException("origin kind is missing");
		if (source == null || source.isBlank()) throw new IllegalArgumentException("origin needs a source after the colon, e.g. human:alice");
	}

	public static Origin human(String user) { return new Origin(Kind.HUMAN, user); }
	public static Origin model(String version) { return new Origin(Kind.MODEL, version); }
	public static Origin weak(String rule) { return new Origin(Kind.WEAK, rule); }

	public boolean isHuman() { return kind == Kind.HUMAN; }

	/** Parses {@code kind:source}; the source may itself contain colons. */
	public static Origin parse(String text) {
		int colon = text == null ? -1 : text.indexOf(':');
		if (colon <= 0) throw new IllegalArgumentException("Origin '" + text + "' is not of the form human:<user>, model:<version> or weak:<rule>");
		String k = text.substring(0, colon).toUpperCase(Locale.ROOT);
		try {
			return new Origin(Kind.valueOf(k), text.substring(colon + 1));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("Origin '" + text + "' has unknown kind '" + text.substring(0, colon) + "' (expected human, model or weak)");
		}
	}

	@Override
	public String toString() {
		return kind.name().toLowerCase(Locale.ROOT) + ":" + source;
	}
}
