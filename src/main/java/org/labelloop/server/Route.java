package org.labelloop.server;

import java.util.List;

/**
 * One endpoint: method, path pattern ({@code /api/images/{id}}), who may call it, a one-line summary for the
 * OpenAPI description, and the handler.
 *
 * @param body what the request body holds, for the description ({@code null}: none)
 */
public record Route(String method, String path, Access access, String summary, String body, Handler handler) {

	/** Computes the answer: a value (sent as JSON, 200), {@code null} (204), or a {@link Reply}. */
	@FunctionalInterface
	public interface Handler {
		Object handle(Call call) throws Exception;
	}

	/** The path's segments; {@code {name}} segments match any one segment. */
	public List<String> segments() {
		return List.of(path.substring(1).split("/", -1));
	}

	/** The names of the path parameters, in order. */
	public List<String> parameters() {
		return segments().stream().filter(s -> s.startsWith("{")).map(s -> s.substring(1, s.length() - 1)).toList();
	}
}
