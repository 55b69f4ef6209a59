package org.labelloop.server;

import java.util.Map;

/**
 * An answer that is not plain JSON with status 200: a status of its own, a file, a PNG.
 *
 * @param body a JSON value, {@code byte[]} (sent as is) or {@link java.nio.file.Path} (a file streamed)
 */
public record Reply(int status, String contentType, Object body, Map<String, String> headers) {

	public static Reply json(int status, Object value) {
		return new Reply(status, "application/json", value, Map.of());
	}

	public static Reply bytes(String contentType, byte[] data, Map<String, String> headers) {
		return new Reply(200, contentType, data, headers);
	}

	public static Reply file(String contentType, java.nio.file.Path file, Map<String, String> headers) {
		return new Reply(200, contentType, file, headers);
	}
}
