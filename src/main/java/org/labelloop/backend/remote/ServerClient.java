package org.labelloop.backend.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.LabelLoopException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP side of {@link RemoteBackend}: one server, one token. JSON in and out through {@link Wire}, the server's
 * errors as {@link LabelLoopException}s (409 as a {@link ConflictException} with the current annotation, 401 and 403
 * said plainly). Reads are retried a few times with back-off on connection failures and 502/503/504; writes never
 * are, since the server may have applied them.
 */
final class ServerClient implements AutoCloseable {

	static final MediaType JSON = MediaType.get("application/json");
	static final MediaType BYTES = MediaType.get("application/octet-stream");
	private static final int READ_ATTEMPTS = 3;

	private final HttpUrl base;
	private final String token;
	private final OkHttpClient http;

	ServerClient(HttpUrl base, String token, Duration timeout) {
		this.base = base;
		this.token = token;
		this.http = new OkHttpClient.Builder().connectTimeout(Math.min(timeout.toMillis(), 5000), TimeUnit.MILLISECONDS)
				.readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
				// OkHttp would silently resend a request whose connection broke, also a POST the server may have applied
				.retryOnConnectionFailure(false).build();
	}

	HttpUrl base() {
		return base;
	}

	HttpUrl url(String pathAndQuery) {
		HttpUrl u = HttpUrl.parse(base.toString().replaceAll("/+$", "") + pathAndQuery);
		if (u == null) throw new IllegalArgumentException("bad path " + pathAndQuery);
		return u;
	}

	static String q(Object v) {
		return URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8);
	}

	<T> T call(String method, String path, Object body, boolean idempotent, Class<T> type) {
		return call(method, path, body, idempotent, Wire.MAPPER.constructType(type));
	}

	<T> T call(String method, String path, Object body, boolean idempotent, TypeReference<T> type) {
		return call(method, path, body, idempotent, Wire.MAPPER.getTypeFactory().constructType(type));
	}

	/** Sends JSON (or nothing) and reads JSON; 204 gives {@code null}. */
	<T> T call(String method, String path, Object body, boolean idempotent, JavaType type) {
		RequestBody rb = null;
		if (body != null) {
			try {
				rb = RequestBody.create(Wire.MAPPER.writeValueAsBytes(body), JSON);
			} catch (IOException e) {
				throw new LabelLoopException("Cannot encode the request: " + e.getMessage(), e);
			}
		} else if (!method.equals("GET")) {
			rb = RequestBody.create(new byte[0], JSON);
		}
		byte[] answer = exchange(new Request.Builder().url(url(path)).method(method, rb), idempotent, null);
		if (answer == null) return null; // 204: nothing (an empty Optional)
		if (answer.length == 0 && !type.hasRawClass(Void.class))
			throw new LabelLoopException("The server at " + base + " answered " + path + " with an empty body; try again, and check that it is a LabelLoop server.");
		if (answer.length == 0) return null;
		try {
			return Wire.MAPPER.readValue(answer, type);
		} catch (IOException e) {
			throw new LabelLoopException("The server at " + base + " answered " + path + " with something this LabelLoop cannot read ("
					+ e.getMessage() + "). Are server and plugin the same version?", e);
		}
	}

	/**
	 * Sends a request and returns the body of a 2xx answer ({@code null} for 204), or throws the server's error as a
	 * {@link LabelLoopException}. Reads are retried on connection failures and 502/503/504.
	 *
	 * @param headers filled with the answer's headers when not null
	 */
	byte[] exchange(Request.Builder rb, boolean idempotent, Map<String, String> headers) {
		Request req = rb.header("Authorization", "Bearer " + token).header("Accept", "application/json").build();
		IOException last = null;
		for (int attempt = 1; attempt <= (idempotent ? READ_ATTEMPTS : 1); attempt++) {
			if (attempt > 1) sleep(200L << (attempt - 2));
			try (Response r = http.newCall(req).execute()) {
				ResponseBody body = r.body();
				byte[] bytes = body == null ? new byte[0] : body.bytes();
				if (r.isSuccessful()) {
					if (headers != null) r.headers().forEach(p -> headers.put(p.getFirst(), p.getSecond()));
					return r.code() == 204 ? null : bytes;
				}
				if (idempotent && attempt < READ_ATTEMPTS && (r.code() == 502 || r.code() == 503 || r.code() == 504)) continue;
				throw error(r.code(), bytes, req);
			} catch (IOException e) {
				last = e;
			}
		}
		String what = req.method() + " " + req.url().encodedPath();
		throw new LabelLoopException("Cannot reach the LabelLoop server at " + base + " (" + what + ": " + last.getMessage() + ")."
				+ (idempotent ? " Check that it is running and the address is right; try again in a moment."
						: " If the request reached it before the connection broke, it was applied whole; otherwise not at all: reload to see which."),
				last);
	}

	private LabelLoopException error(int code, byte[] bytes, Request req) {
		JsonNode n;
		try {
			n = Wire.MAPPER.readTree(bytes);
		} catch (IOException e) {
			n = null;
		}
		String message = n != null && n.hasNonNull("error") ? n.get("error").asText()
				: "The server at " + base + " answered " + code + " to " + req.method() + " " + req.url().encodedPath() + ".";
		if (code == 409 && n != null && n.has("annotationId")) {
			Annotation current = null;
			try {
				current = n.hasNonNull("current") ? Wire.MAPPER.treeToValue(n.get("current"), Annotation.class) : null;
			} catch (IOException e) {
				// the message still says what happened
			}
			return new ConflictException(n.get("annotationId").asLong(), n.get("baseRevision").asLong(), current);
		}
		if (code == 401) return new LabelLoopException("The server at " + base + " refused the token: " + message);
		if (code == 403) return new LabelLoopException("Not allowed: " + message);
		return new LabelLoopException(message);
	}

	static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new LabelLoopException("Interrupted while waiting for the server.", e);
		}
	}

	/** Streams a GET of {@code path} into {@code to} (retried like a read); returns the SHA-256 of what came. */
	String download(String path, Path to) {
		Request req = new Request.Builder().url(url(path)).header("Authorization", "Bearer " + token).build();
		IOException last = null;
		for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
			if (attempt > 1) sleep(200L << (attempt - 2));
			try (Response r = http.newCall(req).execute()) {
				if (!r.isSuccessful()) throw error(r.code(), r.body() == null ? new byte[0] : r.body().bytes(), req);
				MessageDigest md = MessageDigest.getInstance("SHA-256");
				try (InputStream in = new DigestInputStream(r.body().byteStream(), md); OutputStream out = Files.newOutputStream(to)) {
					in.transferTo(out);
				}
				return HexFormat.of().formatHex(md.digest());
			} catch (IOException e) {
				last = e;
			} catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
		throw new LabelLoopException("Cannot download an image from " + base + ": " + last.getMessage() + ". Check that the server is running.", last);
	}

	@Override
	public void close() {
		http.dispatcher().executorService().shutdown();
		http.connectionPool().evictAll();
	}
}
