package org.labelloop.server;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.labelloop.backend.remote.Wire;

/** The OpenAPI 3 description of the routes, made from the route table so it cannot drift from what is served. */
final class OpenApi {

	private OpenApi() {
	}

	static ObjectNode describe(List<Route> routes, String serverUrl) {
		ObjectNode root = Wire.MAPPER.createObjectNode();
		root.put("openapi", "3.0.3");
		root.putObject("info").put("title", "LabelLoop lab server").put("version", "1")
				.put("description", "One project, many users. Send 'Authorization: Bearer <token>'. Errors are {\"error\": message, \"status\": code};"
						+ " 401 without a valid token, 403 for a role that may not, 409 for a stale write (with the current annotation), 413 for a body"
						+ " that is too large.");
		root.putArray("servers").addObject().put("url", serverUrl);
		root.putObject("components").putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer");
		ObjectNode paths = root.putObject("paths");
		for (Route r : routes) {
			ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
			ObjectNode op = path.putObject(r.method().toLowerCase(java.util.Locale.ROOT));
			op.put("summary", r.summary());
			op.put("operationId", operationId(r));
			op.put("description", "Who may call it: " + r.access().who() + ".");
			if (r.access() != Access.PUBLIC) op.putArray("security").addObject().putArray("bearer");
			else op.putArray("security");
			if (!r.parameters().isEmpty()) {
				ArrayNode ps = op.putArray("parameters");
				for (String p : r.parameters())
					ps.addObject().put("name", p).put("in", "path").put("required", true).putObject("schema").put("type",
							p.equals("user") ? "string" : "integer");
			}
			if (r.body() != null)
				op.putObject("requestBody").put("description", r.body()).putObject("content")
						.putObject(r.body().equals("file bytes") ? "application/octet-stream" : "application/json").putObject("schema").put("type",
								r.body().equals("file bytes") ? "string" : "object");
			ObjectNode responses = op.putObject("responses");
			responses.putObject("200").put("description", "done");
			if (r.access() != Access.PUBLIC) {
				responses.putObject("401").put("description", "no or wrong token");
				if (r.access() != Access.USER) responses.putObject("403").put("description", "for " + r.access().who());
			}
			responses.putObject("400").put("description", "malformed request, with a message saying what is wrong");
		}
		return root;
	}

	private static String operationId(Route r) {
		StringBuilder sb = new StringBuilder(r.method().toLowerCase(java.util.Locale.ROOT));
		for (String s : r.segments()) {
			if (s.isEmpty() || s.equals("api")) continue;
			String w = s.startsWith("{") ? "By" + s.substring(1, 2).toUpperCase() + s.substring(2, s.length() - 1) : s;
			for (String part : w.split("[-.]"))
				if (!part.isEmpty()) sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
		}
		return sb.length() == r.method().length() ? sb.append("Root").toString() : sb.toString();
	}
}
