package org.labelloop.server;

import java.util.Locale;

import org.labelloop.core.model.Role;

/**
 * Who may call a route. Admins may call everything; labelling, comments and reading are for every user with a token.
 */
public enum Access {
	/** No token needed: the OpenAPI description and the dashboard's static page (it holds no project data). */
	PUBLIC,
	/** Any user with a valid token. */
	USER,
	/** Reviewers (and admins): deciding label issues, resolving threads. */
	REVIEWER,
	/** Researchers (and admins): retraining, activating model versions, proposing objects, editing classes. */
	RESEARCHER,
	/** Admins only: deleting annotations, setting roles, managing users and tokens, adding images. */
	ADMIN;

	public boolean allows(Role role) {
		return switch (this) {
			case PUBLIC, USER -> true;
			case REVIEWER -> role == Role.REVIEWER || role == Role.ADMIN;
			case RESEARCHER -> role == Role.RESEARCHER || role == Role.ADMIN;
			case ADMIN -> role == Role.ADMIN;
		};
	}

	/** For messages and the OpenAPI description: {@code reviewer or admin}. */
	public String who() {
		return switch (this) {
			case PUBLIC -> "anyone";
			case USER -> "any user";
			case ADMIN -> "admin";
			default -> name().toLowerCase(Locale.ROOT) + " or admin";
		};
	}
}
