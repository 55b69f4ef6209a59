package org.labelloop.core.model;

import java.util.Locale;

/** Which part of the data an image belongs to. */
public enum Split {
	UNASSIGNED, TRAIN, VALIDATION;

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Split parse(String s) {
		for (Split v : values())
			if (v.key().equalsIgnoreCase(s.trim())) return v;
		throw new IllegalArgumentException("Unknown split '" + s + "' (expected unassigned, train or validation)");
	}
}
