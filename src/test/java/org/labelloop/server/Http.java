package org.labelloop.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.labelloop.backend.remote.Wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Plain HTTP for tests: the JDK's client, and a raw socket for paths that a client would normalise. */
final class Http {

	record Answer(int status, String body, java.net.http.HttpHeaders headers) {
		JsonNode json() {
			try {
				return Wire.MAPPER.readTree(body);
			} catch (IOException e) {
				throw new AssertionError("not JSON: " + body, e);
			}
		}

		String error() {
			return json().path("error").asText();
		}
	}

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();

	private Http() {
	}

	static Answer send(String base, String method, String path, String token, byte[] body, String contentType) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(30))
				.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
		if (token != null) b.header("Authorization", "Bearer " + token);
		if (contentType != null) b.header("Content-Type", contentType);
		HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
		return new Answer(r.statusCode(), r.body(), r.headers());
	}

	static Answer get(String base, String path, String token) throws Exception {
		return send(base, "GET", path, token, null, null);
	}

	static Answer post(String base, String path, String token, String json) throws Exception {
		return send(base, "POST", path, token, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
	}

	/** Sends the request line exactly as given (no normalisation) and returns status and body. */
	static Answer raw(int port, String method, String rawPath, String token) throws IOException {
		try (Socket s = new Socket("127.0.0.1", port)) {
			s.setSoTimeout(20000);
			OutputStream out = s.getOutputStream();
			out.write((method + " " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
					+ (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = s.getInputStream();
			ByteArrayOutputStream all = new ByteArrayOutputStream();
			in.transferTo(all);
			String text = all.toString(StandardCharsets.ISO_8859_1);
			int status = Integer.parseInt(text.substring(9, 12));
			int split = text.indexOf("\r\n\r\n");
			return new Answer(status, split < 0 ? "" : text.substring(split + 4), null);
		}
	}
}
