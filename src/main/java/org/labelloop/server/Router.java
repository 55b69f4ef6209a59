package org.labelloop.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The route table. Adding an endpoint for a new engine method is one line:
 * {@code r.get("/api/similar/{id}", Access.USER, "Items most like one", c -> c.backend().similar(c.id("id")))}.
 */
public final class Router {

	/** A route and the values of its path parameters. */
	public record Match(Route route, Map<String, String> parameters) {
	}

	private final List<Route> routes = new ArrayList<>();

	public List<Route> routes() {
		return List.copyOf(routes);
	}

	public Router add(String method, String path, Access access, String summary, String body, Route.Handler h) {
		for (Route r : routes)
			if (r.method().equals(method) && r.path().equals(path)) throw new IllegalStateException("Route " + method + " " + path + " is registered twice");
		routes.add(new Route(method, path, access, summary, body, h));
		return this;
	}

	public Router get(String path, Access access, String summary, Route.Handler h) {
		return add("GET", path, access, summary, null, h);
	}

	public Router post(String path, Access access, String summary, String body, Route.Handler h) {
		return add("POST", path, access, summary, body, h);
	}

	public Router put(String path, Access access, String summary, String body, Route.Handler h) {
		return add("PUT", path, access, summary, body, h);
	}

	/**
	 * The route for a request: literal segments win over parameters; a path that exists under another method is a
	 * 405, one that does not exist a 404.
	 */
	public Match match(String method, List<String> segments) {
		Match best = null;
		int bestLiterals = -1;
		boolean otherMethod = false;
		for (Route r : routes) {
			List<String> pattern = r.segments();
			if (pattern.size() != segments.size()) continue;
			Map<String, String> params = new LinkedHashMap<>();
			int literals = 0;
			boolean ok = true;
			for (int i = 0; i < pattern.size() && ok; i++) {
				String p = pattern.get(i);
				if (p.startsWith("{")) {
					if (segments.get(i).isEmpty()) ok = false;
					else params.put(p.substring(1, p.length() - 1), segments.get(i));
				} else if (p.equals(segments.get(i))) {
					literals++;
				} else {
					ok = false;
				}
			}
			if (!ok) continue;
			if (!r.method().equals(method)) {
				otherMethod = true;
				continue;
			}
			if (literals > bestLiterals) {
				best = new Match(r, params);
				bestLiterals = literals;
			}
		}
		if (best != null) return best;
		if (otherMethod) throw new ApiException(405, method + " is not allowed on /" + String.join("/", segments) + ".");
		throw ApiException.notFound("No such endpoint: " + method + " /" + String.join("/", segments) + " (see /api/openapi.json).");
	}
}
