package org.labelloop.core.vector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

/**
 * Qdrant's published OpenAPI document ({@value #RESOURCE}, copied unchanged from github.com/qdrant/qdrant,
 * {@code docs/redoc/v1.19.x/openapi.json}; see the README beside it) as a checker of single HTTP
 * exchanges: the method and path must be an operation of the document, every query parameter one it declares with a
 * value of its type, the body valid against the operation's request schema, and an answer valid against the schema of
 * its status. The JSON Schema work is networknt's validator with the OpenAPI 3.0 dialect ({@code nullable} and all).
 */
final class QdrantOpenApi {

	static final String RESOURCE = "qdrant-openapi-v1.19.x.json";
	/** The document's address for the validator; it is served from memory ({@link SchemaRegistry.Builder#schemas}), never fetched. */
	private static final String BASE = "https://labelloop.test/qdrant/" + RESOURCE;
	private static final ObjectMapper MAPPER = new ObjectMapper();
	private static QdrantOpenApi instance;

	private final JsonNode doc;
	private final SchemaRegistry registry;

	private QdrantOpenApi(JsonNode doc) {
		this.doc = doc;
		String text = nullMeansNull(doc.deepCopy()).toString();
		this.registry = SchemaRegistry.withDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(BASE, text)));
	}

	static synchronized QdrantOpenApi get() {
		if (instance == null) {
			try (InputStream in = QdrantOpenApi.class.getResourceAsStream(RESOURCE)) {
				if (in == null) throw new IllegalStateException(RESOURCE + " is not on the test class path");
				instance = new QdrantOpenApi(MAPPER.readTree(in));
			} catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return instance;
	}

	/**
	 * Qdrant's document (written by schemars) spells an optional field {@code anyOf: [T, {nullable: true}]}. In OpenAPI
	 * 3.0 a schema of {@code nullable} alone constrains nothing, so read literally every optional field would take any
	 * value at all; what it means is "or null", and that is how it is read here.
	 */
	private static JsonNode nullMeansNull(JsonNode node) {
		if (node instanceof ObjectNode o) {
			for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
				Map.Entry<String, JsonNode> e = it.next();
				JsonNode v = e.getValue();
				if (v.isObject() && v.size() == 1 && v.path("nullable").asBoolean(false)) e.setValue(NULL_ONLY.deepCopy());
				else nullMeansNull(v);
			}
		} else if (node instanceof ArrayNode a) {
			for (int i = 0; i < a.size(); i++) {
				JsonNode v = a.get(i);
				if (v.isObject() && v.size() == 1 && v.path("nullable").asBoolean(false)) a.set(i, NULL_ONLY.deepCopy());
				else nullMeansNull(v);
			}
		}
		return node;
	}

	private static final ObjectNode NULL_ONLY = JsonNodeFactory.instance.objectNode().put("type", "null");

	/** The version the document describes ({@code info.version}). */
	String version() {
		return doc.path("info").path("version").asText();
	}

	/** An operation of the document: its path template, method, and where it sits in the document. */
	record Operation(String template, String method, JsonNode node, String pointer) {
	}

	/** The operation that serves this method and path (without its query), or null when the document has none. */
	Operation operation(String method, String path) {
		for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			if (!templatePattern(e.getKey()).matcher(path).matches()) continue;
			JsonNode op = e.getValue().path(method.toLowerCase());
			if (op.isMissingNode()) continue;
			return new Operation(e.getKey(), method, op, "/paths/" + escape(e.getKey()) + "/" + method.toLowerCase());
		}
		return null;
	}

	/** What is wrong with this request according to the document; empty when nothing is. */
	List<String> requestProblems(String method, String pathWithQuery, JsonNode body) {
		List<String> problems = new ArrayList<>();
		int q = pathWithQuery.indexOf('?');
		String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
		Operation op = operation(method, path);
		if (op == null) return List.of(method + " " + path + " is no operation of Qdrant " + version());
		queryProblems(op, q < 0 ? "" : pathWithQuery.substring(q + 1), problems);
		JsonNode schema = op.node().path("requestBody").path("content").path("application/json").path("schema");
		if (body == null || body.isNull()) {
			if (op.node().path("requestBody").path("required").asBoolean(false))
				problems.add(method + " " + op.template() + " needs a body");
		} else if (schema.isMissingNode()) {
			problems.add(method + " " + op.template() + " takes no JSON body");
		} else {
			problems.addAll(validate(op.pointer() + "/requestBody/content/application~1json/schema", body));
		}
		return problems;
	}

	/** What is wrong with this answer to the operation at method and path; empty when nothing is. */
	List<String> responseProblems(String method, String pathWithQuery, int status, JsonNode body) {
		int q = pathWithQuery.indexOf('?');
		Operation op = operation(method, q < 0 ? pathWithQuery : pathWithQuery.substring(0, q));
		if (op == null) return List.of(method + " " + pathWithQuery + " is no operation of Qdrant " + version());
		JsonNode responses = op.node().path("responses");
		String key = responses.has(Integer.toString(status)) ? Integer.toString(status)
				: responses.has(status / 100 + "XX") ? status / 100 + "XX" : "default";
		JsonNode schema = responses.path(key).path("content").path("application/json").path("schema");
		if (schema.isMissingNode()) return List.of(method + " " + op.template() + " documents no JSON answer for status " + status);
		return validate(op.pointer() + "/responses/" + key + "/content/application~1json/schema", body);
	}

	/** What is wrong with this value as an instance of a named schema of the document's components. */
	List<String> componentProblems(String name, JsonNode value) {
		JsonNode schema = doc.path("components").path("schemas").path(name);
		if (schema.isMissingNode()) return List.of("Qdrant " + version() + " has no schema " + name);
		return validate("/components/schemas/" + escape(name), value);
	}

	private List<String> validate(String pointer, JsonNode value) {
		Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
		return schema.validate(value).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
	}

	private void queryProblems(Operation op, String query, List<String> problems) {
		if (query.isEmpty()) return;
		for (String pair : query.split("&")) {
			int eq = pair.indexOf('=');
			String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			JsonNode param = null;
			int index = -1;
			JsonNode params = op.node().path("parameters");
			for (int i = 0; i < params.size(); i++)
				if ("query".equals(params.get(i).path("in").asText()) && name.equals(params.get(i).path("name").asText())) param = params.get(index = i);
			if (param == null) {
				problems.add(op.method() + " " + op.template() + " has no query parameter '" + name + "'");
				continue;
			}
			JsonNode typed = typed(param.path("schema").path("type").asText(), value);
			if (typed == null) problems.add("query parameter " + name + "=" + value + " is not of type " + param.path("schema").path("type").asText());
			else problems.addAll(validate(op.pointer() + "/parameters/" + index + "/schema", typed));
		}
	}

	/** A query string value as the JSON value it stands for, or null when it cannot be one of that type. */
	private static JsonNode typed(String type, String value) {
		JsonNodeFactory f = JsonNodeFactory.instance;
		try {
			return switch (type) {
				case "integer" -> f.numberNode(Long.parseLong(value));
				case "number" -> f.numberNode(Double.parseDouble(value));
				case "boolean" -> "true".equals(value) || "false".equals(value) ? f.booleanNode(Boolean.parseBoolean(value)) : null;
				default -> f.textNode(value);
			};
		} catch (NumberFormatException e) {
			return null;
		}
	}

	private static Pattern templatePattern(String template) {
		StringBuilder re = new StringBuilder();
		for (String part : template.split("(?=\\{)|(?<=\\})")) re.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
		return Pattern.compile(re.toString());
	}

	/** A JSON pointer token (RFC 6901). */
	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}
}
