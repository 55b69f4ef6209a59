package org.labelloop.core.store;

import java.util.LinkedHashMap;
import java.util.Map;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON forms of geometries and probabilities, shared by the store, the exporters and the server. */
public final class Json {

	public static final ObjectMapper MAPPER = new ObjectMapper();

	private Json() {
	}

	public static ObjectNode geometry(Geometry g) {
		ObjectNode n = MAPPER.createObjectNode();
		n.put("kind", g.kind().key());
		ArrayNode xs = n.putArray("x"), ys = n.putArray("y");
		for (int i = 0; i < g.size(); i++) {
			xs.add(g.x(i));
			ys.add(g.y(i));
		}
		if (g.parts() != null) {
			ArrayNode p = n.putArray("parts");
			for (int s : g.parts()) p.add(s);
		}
		n.put("c", g.plane().c()).put("z", g.plane().z()).put("t", g.plane().t());
		return n;
	}

	/** @throws IllegalArgumentException naming what is wrong */
	public static Geometry geometry(JsonNode n) {
		if (n == null || !n.isObject()) throw new IllegalArgumentException("geometry must be a JSON object");
		String kind = n.path("kind").asText("");
		Geometry.Kind k;
		try {
			k = Geometry.Kind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
		} catch (IllegalArgumentException e) {
			throw new IllegalArgumentException("unknown geometry kind '" + kind + "'");
		}
		int[] parts = null;
		if (n.has("parts")) {
			JsonNode p = n.get("parts");
			parts = new int[p.size()];
			if (!p.isArray()) throw new IllegalArgumentException("geometry.parts must be an array of integers");
			for (int i = 0; i < parts.length; i++) parts[i] = integer(p.get(i), "parts[" + i + "]");
		}
		return new Geometry(k, doubles(n.get("x"), "x"), doubles(n.get("y"), "y"), parts,
				new Plane(integer(n.get("c"), "c"), integer(n.get("z"), "z"), integer(n.get("t"), "t")));
	}

	private static int integer(JsonNode v, String name) {
		if (v == null || v.isNull()) return 0;
		if (!v.canConvertToInt() || !v.isIntegralNumber()) throw new IllegalArgumentException("geometry." + name + " must be an integer, not " + v);
		return v.intValue();
	}

	private static double[] doubles(JsonNode a, String name) {
		if (a == null || !a.isArray()) throw new IllegalArgumentException("geometry." + name + " must be an array of numbers");
		double[] d = new double[a.size()];
		for (int i = 0; i < d.length; i++) {
			if (!a.get(i).isNumber()) throw new IllegalArgumentException("geometry." + name + "[" + i + "] is not a number");
			d[i] = a.get(i).asDouble();
		}
		return d;
	}

	public static String probabilities(Map<Long, Double> p) {
		ObjectNode n = MAPPER.createObjectNode();
		p.forEach((k, v) -> n.put(Long.toString(k), v));
		return n.toString();
	}

	public static Map<Long, Double> probabilities(String json) {
		Map<Long, Double> m = new LinkedHashMap<>();
		if (json == null || json.isEmpty()) return m;
		try {
			MAPPER.readTree(json).fields().forEachRemaining(e -> m.put(Long.parseLong(e.getKey()), e.getValue().asDouble()));
		} catch (Exception e) {
			throw new IllegalArgumentException("probabilities are not valid JSON: " + e.getMessage(), e);
		}
		return m;
	}

	public static String text(JsonNode n) {
		return n.toString();
	}

	public static JsonNode parse(String json) {
		try {
			return MAPPER.readTree(json);
		} catch (Exception e) {
			throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
		}
	}
}
