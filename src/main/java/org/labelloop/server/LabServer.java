package org.labelloop.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.ProjectEngine;
import org.labelloop.backend.remote.Wire;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.UnavailableException;
import org.labelloop.core.store.Database;
import org.labelloop.core.model.Role;
import org.labelloop.core.store.ProjectStore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The lab server: one project, one engine, many users. It holds the project's lock and one {@link ProjectEngine}
 * (store, vector indexes, maps); each authenticated user gets that engine's {@link LocalBackend} view for them, so
 * every change is recorded under the user whose token came with the request, and per-user undo, leases and
 * conflicts work as they do locally.
 *
 * <p>Requests carry {@code Authorization: Bearer <token>}; each route says which roles may call it ({@link Access}).
 * Answers are JSON; errors are {@code {"error": message, "status": code}} (409 adds the current annotation).
 * Bodies above {@link Config#maxBody} are refused with 413 before they are read.
 */
public final class LabServer implements AutoCloseable {

	/**
	 * @param port 0 picks a free one
	 * @param keystore a PKCS#12 or JKS key store for direct HTTPS, or {@code null} for plain HTTP (behind a proxy)
	 * @param maxBody the largest request body accepted, in bytes
	 */
	public record Config(String host, int port, Path keystore, char[] keystorePassword, int maxBody, int threads) {
		public static Config loopback(int port) {
			return new Config("127.0.0.1", port, null, null, 16 << 20, 32);
		}

		public Config withHost(String h) {
			return new Config(h, port, keystore, keystorePassword, maxBody, threads);
		}

		public Config withKeystore(Path ks, char[] password) {
			return new Config(host, port, ks, password, maxBody, threads);
		}

		public Config withMaxBody(int bytes) {
			return new Config(host, port, keystore, keystorePassword, bytes, threads);
		}
	}

	static {
		// Without TCP_NODELAY every answer with a body waits ~40 ms: the JDK server writes headers and body separately,
		// and Nagle's algorithm holds the body until the client's delayed ACK. Read once, when the JDK server loads.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final ProjectEngine engine;
	private final ProjectStore store;
	private final Config config;
	private final Router router;
	private final Jobs jobs = new Jobs();
	private final HttpServer http;
	private final ExecutorService pool;
	private final AtomicInteger requests = new AtomicInteger();
	private final boolean ownsEngine;

	private LabServer(ProjectEngine engine, Config config, boolean ownsEngine) throws IOException {
		this.engine = engine;
		this.store = engine.store();
		this.ownsEngine = ownsEngine;
		this.config = config;
		this.router = new Router();
		Api.register(router, this);
		InetSocketAddress at = new InetSocketAddress(config.host(), config.port());
		if (config.keystore() != null) {
			HttpsServer s = HttpsServer.create(at, 64);
			s.setHttpsConfigurator(new HttpsConfigurator(ssl(config.keystore(), config.keystorePassword())));
			http = s;
		} else {
			http = HttpServer.create(at, 64);
		}
		pool = Executors.newFixedThreadPool(config.threads(), r -> {
			Thread t = new Thread(r, "labelloop-http");
			t.setDaemon(true);
			return t;
		});
		http.setExecutor(pool);
		http.createContext("/", this::handle);
	}

	/**
	 * Serves a project this process already has open (Fiji's Share Project): the server's users work on the same
	 * engine as the Fiji user, and it stays open when the server stops.
	 */
	public static LabServer share(ProjectEngine engine, Config config) {
		try {
			LabServer s = new LabServer(engine, config, false);
			s.http.start();
			return s;
		} catch (IOException | RuntimeException e) {
			throw new LabelLoopException("Cannot start the server on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
		}
	}

	/**
	 * Opens the project (taking its lock: a Fiji or another server on the same folder is refused with the holder's
	 * name) and starts serving it.
	 */
	public static LabServer start(Path project, Config config) {
		return start(project, null, config);
	}

	/** Serves the project in the folder with its store on the database given ({@code null}: where the folder says). */
	public static LabServer start(Path project, Database db, Config config) {
		ProjectEngine engine = db == null ? ProjectEngine.open(project) : ProjectEngine.open(project, db);
		try {
			LabServer s = new LabServer(engine, config, true);
			s.http.start();
			return s;
		} catch (IOException | RuntimeException e) {
			engine.close();
			throw new LabelLoopException("Cannot start the server on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
		}
	}

	private static SSLContext ssl(Path keystore, char[] password) {
		try (InputStream in = Files.newInputStream(keystore)) {
			KeyStore ks = KeyStore.getInstance(keystore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
			ks.load(in, password);
			KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			kmf.init(ks, password);
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(kmf.getKeyManagers(), null, null);
			return ctx;
		} catch (IOException | GeneralSecurityException e) {
			throw new LabelLoopException("Cannot use key store " + keystore + " for HTTPS: " + e.getMessage()
					+ ". Check the file and its password (a PKCS#12 file made with keytool -genkeypair -storetype PKCS12).", e);
		}
	}

	public int port() {
		return http.getAddress().getPort();
	}

	/** {@code http://127.0.0.1:8080} (https with a key store). */
	public String url() {
		return (config.keystore() != null ? "https" : "http") + "://" + config.host() + ":" + port();
	}

	public ProjectStore store() {
		return store;
	}

	ProjectEngine engine() {
		return engine;
	}

	Jobs jobs() {
		return jobs;
	}

	Config config() {
		return config;
	}

	/** Every route, in the order registered (the OpenAPI description lists these). */
	public List<Route> routes() {
		return router.routes();
	}

	/** The project's engine as {@code user}: one view per user, all over the one engine. */
	LocalBackend engine(String user) {
		return engine.as(user);
	}

	// ------------------------------------------------------------------ request handling

	private void handle(HttpExchange ex) {
		requests.incrementAndGet();
		try (ex) {
			try {
				answer(ex, dispatch(ex));
			} catch (ApiException e) {
				error(ex, e.status(), e.getMessage(), null);
			} catch (ConflictException e) {
				ObjectNode extra = Wire.MAPPER.createObjectNode();
				extra.put("annotationId", e.annotationId()).put("baseRevision", e.baseRevision());
				extra.set("current", Wire.MAPPER.valueToTree(e.current()));
				error(ex, 409, e.getMessage(), extra);
			} catch (CancelledException e) {
				error(ex, 409, e.getMessage(), null);
			} catch (UnavailableException e) {
				// the project's database is down or restarting: nothing was written, the client may send it again
				ex.getResponseHeaders().set("Retry-After", "2");
				error(ex, 503, e.getMessage(), null);
			} catch (LabelLoopException | IllegalArgumentException e) {
				String m = e.getMessage() == null ? e.toString() : e.getMessage();
				error(ex, m.startsWith("Conflict") ? 409 : 400, m, null);
			} catch (NullPointerException e) {
				// a JSON body without a field the engine needs (records take what they are given)
				error(ex, 400, "The request lacks a value it needs (" + e.getMessage() + "). See /api/openapi.json.", null);
			} catch (Exception e) {
				error(ex, 500, "The server failed on this request: " + e, null);
			}
		} catch (IOException e) {
			// the client went away; nothing to answer
		}
	}

	private Object dispatch(HttpExchange ex) throws Exception {
		String method = ex.getRequestMethod();
		List<String> segments = segments(ex.getRequestURI().getRawPath());
		Router.Match m = router.match(method, segments);
		String user = null;
		Role role = null;
		LocalBackend engine = null;
		if (m.route().access() != Access.PUBLIC) {
			user = authenticate(ex);
			role = store.role(user);
			if (!m.route().access().allows(role))
				throw ApiException.forbidden(method + " " + m.route().path() + " is for " + m.route().access().who() + "; " + user + " is a " + role.key() + ".");
			engine = engine(user);
		}
		byte[] body = readBody(ex);
		return m.route().handler().handle(new Call(user, role, engine, m.parameters(), ex.getRequestURI().getRawQuery(), body));
	}

	/**
	 * The decoded path segments. A segment that decodes to {@code .}, {@code ..} or holds a slash, backslash or NUL
	 * is refused: no request names a file by path, and none may try to.
	 */
	static List<String> segments(String rawPath) {
		if (rawPath == null || !rawPath.startsWith("/")) throw ApiException.badRequest("Malformed path.");
		List<String> out = new ArrayList<>();
		for (String raw : rawPath.substring(1).split("/", -1)) {
			String s;
			try {
				s = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
			} catch (IllegalArgumentException e) {
				throw ApiException.badRequest("Malformed path segment '" + raw + "'.");
			}
			if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\") || s.indexOf('\0') >= 0 || s.contains("%"))
				throw ApiException.badRequest("Path segment '" + raw + "' is not allowed.");
			out.add(s);
		}
		return out;
	}

	private String authenticate(HttpExchange ex) {
		String h = ex.getRequestHeaders().getFirst("Authorization");
		if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
			ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"labelloop\"");
			throw new ApiException(401, "This server needs a token: send 'Authorization: Bearer <token>'. An admin makes one with 'labelloop user add NAME'.");
		}
		Optional<String> user = Tokens.userOf(store, h.substring(7));
		if (user.isEmpty()) {
			ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"labelloop\", error=\"invalid_token\"");
			throw new ApiException(401, "The token is not valid for this project (wrong, or replaced by a newer one). Ask an admin for a new one.");
		}
		return user.get();
	}

	private byte[] readBody(HttpExchange ex) throws IOException {
		String len = ex.getRequestHeaders().getFirst("Content-Length");
		if (len != null) {
			long n;
			try {
				n = Long.parseLong(len.strip());
			} catch (NumberFormatException e) {
				throw ApiException.badRequest("Bad Content-Length '" + len + "'.");
			}
			if (n > config.maxBody()) {
				drain(ex, 8L << 20);
				throw new ApiException(413, "The request body (" + n + " bytes) is larger than this server accepts (" + config.maxBody() + ").");
			}
		}
		try (InputStream in = ex.getRequestBody()) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buf = new byte[65536];
			int r;
			while ((r = in.read(buf)) >= 0) {
				out.write(buf, 0, r);
				if (out.size() > config.maxBody()) {
					drain(ex, 8L << 20);
					throw new ApiException(413, "The request body is larger than this server accepts (" + config.maxBody() + " bytes).");
				}
			}
			return out.toByteArray();
		}
	}

	/**
	 * Reads and drops up to {@code max} bytes of a refused body, so a client that sends it all before reading gets to
	 * read the answer; a larger body is cut off with the connection.
	 */
	private static void drain(HttpExchange ex, long max) {
		try {
			InputStream in = ex.getRequestBody();
			byte[] buf = new byte[65536];
			long seen = 0;
			for (int r; seen < max && (r = in.read(buf)) >= 0;) seen += r;
		} catch (IOException e) {
			// the connection closes; the client sees the answer or a broken connection
		}
	}

	private static void answer(HttpExchange ex, Object value) throws IOException {
		if (value == null) {
			ex.sendResponseHeaders(204, -1);
			return;
		}
		Reply r = value instanceof Reply rr ? rr : Reply.json(200, value);
		r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
		ex.getResponseHeaders().set("Content-Type", r.contentType());
		ex.getResponseHeaders().set("Cache-Control", "no-store");
		ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
		if (r.body() instanceof Path file) {
			ex.sendResponseHeaders(r.status(), Files.size(file));
			try (OutputStream out = ex.getResponseBody()) {
				Files.copy(file, out);
			}
			return;
		}
		byte[] data = r.body() instanceof byte[] b ? b : Wire.MAPPER.writeValueAsBytes(r.body());
		ex.sendResponseHeaders(r.status(), data.length == 0 ? -1 : data.length);
		if (data.length > 0) try (OutputStream out = ex.getResponseBody()) {
			out.write(data);
		}
	}

	private static void error(HttpExchange ex, int status, String message, ObjectNode extra) throws IOException {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("error", message);
		m.put("status", status);
		ObjectNode n = Wire.MAPPER.valueToTree(m);
		if (extra != null) n.setAll(extra);
		byte[] data = Wire.MAPPER.writeValueAsBytes(n);
		ex.getResponseHeaders().set("Content-Type", "application/json");
		ex.sendResponseHeaders(status, data.length);
		try (OutputStream out = ex.getResponseBody()) {
			out.write(data);
		}
	}

	/** Stops serving (requests in flight get a second to finish), cancels jobs, closes the store (if it opened it). */
	@Override
	public void close() {
		http.stop(1);
		pool.shutdownNow();
		jobs.close();
		if (ownsEngine) engine.close();
	}
}
