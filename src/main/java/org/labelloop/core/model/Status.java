package org.labelloop.core.model;

import java.util.Locale;

/** Review state of an annotation. */
public enum Status {
	/** Suggested by a model or a rule, not yet looked at by a person. */
	PROPOSED,
	/** A person agreed with it as it was. */
	ACCEPTED,
	/** A person changed its shape or class. */
	CORRECTED,
	/** A person said it is wrong; kept (never deleted) so the model learns from it. */
	REJECTED;

	/** A person said yes to it: accepted or corrected. */
	public boolean isDecided() {
		return this == ACCEPTED || this == CORRECTED;
	}

	/** A person looked at it: decided or rejected. */
	public boolean isReviewed() {
		return this != PROPOSED;
	}

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Status parse(String s) {
		for (Status v : values())
			if (v.key().equalsIgnoreCase(s.trim())) return v;
		throw new IllegalArgumentException("Unknown status '" + s + "' (expected proposed, accepted, corrected or rejected)");
	}
}
