package org.labelloop.server;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.remote.Wire;
import org.labelloop.core.model.Role;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One request as a handler sees it: the authenticated user with their role and engine, the path parameters, the
 * query and the body (already size-checked). Reading a parameter or the body that is malformed throws a 400 that
 * names what is wrong.
 */
public final class Call {

	private final String user;
	private final Role role;
	private final LocalBackend backend;
	private final Map<String, String> path;
	private final Map<String, String> query;
	private final byte[] body;

	Call(String user, Role role, LocalBackend backend, Map<String, String> path, String rawQuery, byte[] body) {
		this.user = user;
		this.role = role;
		this.backend = backend;
		this.path = path;
		this.query = parseQuery(rawQuery);
		this.body = body;
	}

	/** The user the request's token belongs to; {@code null} on public routes. */
	public String user() {
		return user;
	}

	public Role role() {
		return role;
	}

	/** The engine acting as this user (changes are recorded under their name). */
	public LocalBackend backend() {
		if (backend == null) throw new ApiException(401, "This needs a token.");
		return backend;
	}

	/** A path parameter as text. */
	public String text(String name) {
		return path.get(name);
	}

	/** A numeric path parameter (ids): anything else is a 400, so no id ever reaches a file path. */
	public long id(String name) {
		String v = path.get(name);
		try {
			return Long.parseLong(v);
		} catch (NumberFormatException | NullPointerException e) {
			throw ApiException.badRequest("'" + v + "' is not a valid " + name + " (a whole number).");
		}
	}

	public String query(String name, String fallback) {
		String v = query.get(name);
		return v == null || v.isEmpty() ? fallback : v;
	}

	public Long queryLong(String name) {
		String v = query.get(name);
		if (v == null || v.isEmpty()) return null;
		try {
			return Long.parseLong(v);
		} catch (NumberFormatException e) {
			throw ApiException.badRequest("Query parameter " + name + "='" + v + "' is not a whole number.");
		}
	}

	public byte[] bytes() {
		return body;
	}

	/** The body as a value of the type (a record, through Jackson). */
	public <T> T body(Class<T> type) {
		if (body.length == 0) throw ApiException.badRequest("This request needs a JSON body (" + type.getSimpleName() + ").");
		try {
			T t = Wire.MAPPER.readValue(body, type);
			if (t == null) throw ApiException.badRequest("The JSON body is null; expected " + type.getSimpleName() + ".");
			return t;
		} catch (JsonProcessingException e) {
			throw ApiException.badRequest("Malformed JSON body: " + e.getOriginalMessage());
		} catch (IOException e) {
			throw ApiException.badRequest("Cannot read the body: " + e.getMessage());
		}
	}

	public JsonNode json() {
		return body(JsonNode.class);
	}

	private static Map<String, String> parseQuery(String raw) {
		Map<String, String> m = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) return m;
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String k = eq < 0 ? pair : pair.substring(0, eq);
			String v = eq < 0 ? "" : pair.substring(eq + 1);
			try {
				m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
			} catch (IllegalArgumentException e) {
				throw ApiException.badRequest("Malformed query parameter '" + pair + "'.");
			}
		}
		return m;
	}
}
