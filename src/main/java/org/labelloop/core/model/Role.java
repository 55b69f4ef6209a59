package org.labelloop.core.model;

import java.util.Locale;

/**
 * What a person does in a project. In a local project roles are recorded with each change and shown; the lab
 * server also enforces them.
 */
public enum Role {
	/** Draws and classifies. */
	LABELLER,
	/** Decides on label issues and resolves review threads. */
	REVIEWER,
	/** Trains models, questions labels. */
	RESEARCHER,
	/** Manages users and projects. */
	ADMIN;

	public String key() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Role parse(String s) {
		for (Role r : values())
			if (r.key().equalsIgnoreCase(s.strip())) return r;
		throw new IllegalArgumentException("Unknown role '" + s + "' (expected labeller, reviewer, researcher or admin)");
	}
}
