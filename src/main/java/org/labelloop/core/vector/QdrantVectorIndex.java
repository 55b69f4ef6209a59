package org.labelloop.core.vector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.labelloop.core.model.LabelLoopException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A {@link VectorIndex} in a Qdrant server, over its REST API (tested against the requests and answers of Qdrant
 * {@value #TESTED_VERSION}; the calls used exist since Qdrant 1.10, which added {@code /points/query}).
 * <p>
 * One collection per model version ({@link #collectionName}), created on the first upsert with the vectors' size
 * and {@code Cosine} distance, plus a keyword payload index for each field LabelLoop filters on. Qdrant point ids
 * must be unsigned integers or UUIDs, so an item id becomes a name-based UUID ({@link #pointId}, the same on every
 * machine) and the item id itself is kept in the payload under {@code id}.
 * <p>
 * Requests: {@code PUT /collections/{c}} (create), {@code PUT /collections/{c}/index} (payload indexes),
 * {@code PUT /collections/{c}/points?wait=true} (upsert), {@code POST /collections/{c}/points/delete?wait=true},
 * {@code POST /collections/{c}/points/query} (nearest and recommend, with {@code params.hnsw_ef} set to the same
 * {@code max(100, 10k)} candidates as the embedded index), {@code POST /collections/{c}/points} (get, and the check
 * that recommend examples exist), {@code POST /collections/{c}/points/count} ({@code exact: true}).
 * <p>
 * Failures become {@link LabelLoopException}s that name the server: "Qdrant at URL is unreachable: …" (down, wrong
 * address, timeout), "Qdrant answered 500 to POST …: …" (its own error text), "… sent an answer LabelLoop cannot
 * read" (not Qdrant, or a proxy's error page). Nothing local is touched, so the project keeps working. A collection
 * that does not exist yet reads as an empty index.
 */
public final class QdrantVectorIndex implements VectorIndex {

	/** The Qdrant release whose requests and answers the contract tests hold. */
	public static final String TESTED_VERSION = "1.12.4";

	/** Payload fields given a keyword index when the collection is created. */
	public static final List<String> INDEXED_FIELDS = List.of(VectorItem.CLASS, VectorItem.STATUS, VectorItem.ORIGIN, VectorItem.USER,
			VectorItem.IMAGE, VectorItem.SPLIT, VectorItem.KIND);

	private static final MediaType JSON = MediaType.get("application/json");
	private static final int BATCH = 256;
	private static final ObjectMapper MAPPER = new ObjectMapper();

	private final HttpUrl base;
	private final String collection;
	private final String apiKey;
	private final OkHttpClient http;
	private final boolean ownsClient;
	private final Object collectionLock = new Object();
	private volatile int dimension;

	/**
	 * @param url        e.g. {@code http://localhost:6333}
	 * @param collection the collection of one model version (see {@link #collectionName})
	 * @param apiKey     sent as the {@code api-key} header, or {@code null}
	 */
	public QdrantVectorIndex(String url, String collection, String apiKey) {
		this(url, collection, apiKey, new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(60))
				.writeTimeout(Duration.ofSeconds(60)).build(), true);
	}

	/** With the caller's HTTP client (its timeouts, proxy and TLS settings); the caller closes it. */
	public QdrantVectorIndex(String url, String collection, String apiKey, OkHttpClient client) {
		this(url, collection, apiKey, client, false);
	}

	private QdrantVectorIndex(String url, String collection, String apiKey, OkHttpClient client, boolean owns) {
		HttpUrl u = url == null ? null : HttpUrl.parse(url.trim());
		if (u == null) throw new IllegalArgumentException("'" + url + "' is not an http(s) address of a Qdrant server (e.g. http://localhost:6333)");
		if (collection == null || !collection.matches("[A-Za-z0-9_.\\-]{1,255}"))
			throw new IllegalArgumentException("Qdrant collection name '" + collection + "' may hold only letters, digits, _ - and .");
		this.base = u;
		this.collection = collection;
		this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
		this.http = client;
		this.ownsClient = owns;
	}

	/** A collection name for a project's model version: {@code labelloop_<project>_<model-version>}, sanitized. */
	public static String collectionName(String project, String modelVersion) {
		return ("labelloop_" + project + "_" + modelVersion).replaceAll("[^A-Za-z0-9_.\\-]", "_");
	}

	/** The Qdrant point id of an item id: a name-based (version 3) UUID of {@code "labelloop:" + id}. */
	public static UUID pointId(String id) {
		return UUID.nameUUIDFromBytes(("labelloop:" + id).getBytes(StandardCharsets.UTF_8));
	}

	/** The server address, for messages. */
	public String url() {
		String s = base.toString();
		return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
	}

	public String collection() {
		return collection;
	}

	// ---------------------------------------------------------------------------------------------- writing

	@Override
	public void upsert(List<VectorItem> items) {
		if (items.isEmpty()) return;
		int d = ensureCollection(items.get(0).dimension());
		for (VectorItem it : items)
			if (it.dimension() != d)
				throw new LabelLoopException("Item '" + it.id() + "' has a " + it.dimension() + "-dimension vector, but Qdrant collection '"
						+ collection + "' holds " + d + "-dimension vectors. One collection holds one model version; nothing was written.");
		for (int from = 0; from < items.size(); from += BATCH) {
			ObjectNode body = MAPPER.createObjectNode();
			ArrayNode points = body.putArray("points");
			for (VectorItem it : items.subList(from, Math.min(items.size(), from + BATCH))) {
				ObjectNode p = points.addObject();
				p.put("id", pointId(it.id()).toString());
				ArrayNode v = p.putArray("vector");
				for (float x : it.vectorUnsafe()) v.add(x);
				ObjectNode payload = p.putObject("payload");
				payload.put(VectorItem.ID, it.id());
				// numbers as JSON numbers, so Qdrant's range conditions apply to them
				it.payload().forEach((k, value) -> {
					if (VectorItem.NUMERIC.contains(k)) payload.put(k, Double.parseDouble(value));
					else payload.put(k, value);
				});
			}
			call("PUT", "points", Map.of("wait", "true"), body, false);
		}
	}

	@Override
	public void delete(Collection<String> ids) {
		if (ids.isEmpty()) return;
		ObjectNode body = MAPPER.createObjectNode();
		ArrayNode points = body.putArray("points");
		for (String id : new LinkedHashSet<>(ids)) points.add(pointId(id).toString());
		call("POST", "points/delete", Map.of("wait", "true"), body, true);
	}

	/** Creates the collection if it is missing; returns its vector size. */
	private int ensureCollection(int wanted) {
		synchronized (collectionLock) {
			int d = dimension();
			if (d > 0) return d;
			ObjectNode create = MAPPER.createObjectNode();
			ObjectNode vectors = create.putObject("vectors");
			vectors.put("size", wanted);
			vectors.put("distance", "Cosine");
			call("PUT", "", Map.of(), create, false);
			for (String f : INDEXED_FIELDS) {
				ObjectNode index = MAPPER.createObjectNode();
				index.put("field_name", f);
				index.put("field_schema", "keyword");
				call("PUT", "index", Map.of("wait", "true"), index, false);
			}
			dimension = wanted;
			return wanted;
		}
	}

	// ---------------------------------------------------------------------------------------------- reading

	/** The collection's vector size; 0 if the collection does not exist yet. Asks the server once. */
	@Override
	public int dimension() {
		int d = dimension;
		if (d > 0) return d;
		JsonNode info = call("GET", "", Map.of(), null, true);
		if (info == null) return 0;
		JsonNode v = info.path("config").path("params").path("vectors");
		if (!v.path("size").isInt())
			throw new LabelLoopException("Qdrant collection '" + collection + "' at " + url()
					+ " has no single unnamed vector; LabelLoop needs one (created by LabelLoop, or with \"vectors\": {\"size\": N, \"distance\": \"Cosine\"}).");
		if (!"Cosine".equals(v.path("distance").asText()))
			throw new LabelLoopException("Qdrant collection '" + collection + "' at " + url() + " uses " + v.path("distance").asText()
					+ " distance; LabelLoop compares embeddings by Cosine. Use another collection name.");
		dimension = v.path("size").asInt();
		return dimension;
	}

	@Override
	public List<Hit> knn(float[] query, int k, Filter filter) {
		checkK(k);
		int d = dimension();
		if (d == 0) return List.of();
		if (query.length != d)
			throw new LabelLoopException("The query vector has " + query.length + " dimensions, but Qdrant collection '" + collection + "' holds "
					+ d + "-dimension vectors.");
		ObjectNode body = MAPPER.createObjectNode();
		ArrayNode q = body.putArray("query");
		for (float x : query) q.add(x);
		return query(body, k, filter);
	}

	@Override
	public List<Hit> recommend(List<String> positiveIds, List<String> negativeIds, int k, Filter filter, RecommendStrategy strategy) {
		checkK(k);
		if (positiveIds.isEmpty() && negativeIds.isEmpty())
			throw new IllegalArgumentException("A recommend query needs at least one example");
		if (strategy == RecommendStrategy.AVERAGE_VECTOR && positiveIds.isEmpty())
			throw new IllegalArgumentException("The average_vector strategy needs at least one positive example; use best_score with negatives only");
		Set<String> all = new LinkedHashSet<>(positiveIds);
		all.addAll(negativeIds);
		Set<String> present = existing(all);
		List<String> missing = all.stream().filter(id -> !present.contains(id)).toList();
		if (!missing.isEmpty()) throw LuceneVectorIndex.noEmbedding(missing);
		ObjectNode body = MAPPER.createObjectNode();
		ObjectNode reco = body.putObject("query").putObject("recommend");
		ArrayNode pos = reco.putArray("positive"), neg = reco.putArray("negative");
		positiveIds.forEach(id -> pos.add(pointId(id).toString()));
		negativeIds.forEach(id -> neg.add(pointId(id).toString()));
		reco.put("strategy", strategy.key());
		return query(body, k, filter);
	}

	private List<Hit> query(ObjectNode body, int k, Filter filter) {
		if (!filter.isAll()) body.set("filter", filterJson(filter));
		body.put("limit", k);
		body.putObject("params").put("hnsw_ef", Math.max(100, 10 * k));
		body.put("with_payload", true);
		JsonNode r = call("POST", "points/query", Map.of(), body, true);
		if (r == null) return List.of();
		JsonNode points = r.path("points");
		if (!points.isArray()) throw unreadable("POST " + path("points/query"), "no \"points\" list in the result");
		List<Hit> hits = new ArrayList<>();
		for (JsonNode p : points) {
			Map<String, String> payload = payload(p);
			String id = payload.remove(VectorItem.ID);
			if (id == null) throw unreadable("POST " + path("points/query"), "point " + p.path("id") + " has no 'id' in its payload (not written by LabelLoop?)");
			if (!p.path("score").isNumber()) throw unreadable("POST " + path("points/query"), "point " + p.path("id") + " has no score");
			hits.add(new Hit(id, (float) p.path("score").asDouble(), payload));
		}
		return hits;
	}

	/** Which of these item ids have a point in the collection. */
	private Set<String> existing(Collection<String> ids) {
		Map<String, String> byPoint = new HashMap<>();
		ObjectNode body = MAPPER.createObjectNode();
		ArrayNode a = body.putArray("ids");
		for (String id : ids) {
			String p = pointId(id).toString();
			byPoint.put(p, id);
			a.add(p);
		}
		body.put("with_payload", false);
		body.put("with_vector", false);
		JsonNode r = call("POST", "points", Map.of(), body, true);
		Set<String> found = new LinkedHashSet<>();
		if (r == null) return found;
		if (!r.isArray()) throw unreadable("POST " + path("points"), "the result is not a list of points");
		for (JsonNode p : r) {
			String id = byPoint.get(p.path("id").asText());
			if (id != null) found.add(id);
		}
		return found;
	}

	@Override
	public Optional<VectorItem> get(String id) {
		ObjectNode body = MAPPER.createObjectNode();
		body.putArray("ids").add(pointId(id).toString());
		body.put("with_payload", true);
		body.put("with_vector", true);
		JsonNode r = call("POST", "points", Map.of(), body, true);
		if (r == null || r.isEmpty()) return Optional.empty();
		if (!r.isArray()) throw unreadable("POST " + path("points"), "the result is not a list of points");
		JsonNode p = r.get(0);
		JsonNode v = p.path("vector");
		if (!v.isArray() || v.isEmpty()) throw unreadable("POST " + path("points"), "point of '" + id + "' came without its vector");
		float[] vector = new float[v.size()];
		for (int i = 0; i < vector.length; i++) vector[i] = (float) v.get(i).asDouble();
		Map<String, String> payload = payload(p);
		payload.remove(VectorItem.ID);
		return Optional.of(new VectorItem(id, vector, payload));
	}

	@Override
	public long count(Filter filter) {
		ObjectNode body = MAPPER.createObjectNode();
		if (!filter.isAll()) body.set("filter", filterJson(filter));
		body.put("exact", true);
		JsonNode r = call("POST", "points/count", Map.of(), body, true);
		if (r == null) return 0;
		if (!r.path("count").isIntegralNumber()) throw unreadable("POST " + path("points/count"), "no count in the result");
		return r.path("count").asLong();
	}

	@Override
	public void close() {
		if (ownsClient) {
			http.dispatcher().executorService().shutdown();
			http.connectionPool().evictAll();
		}
	}

	// ---------------------------------------------------------------------------------------------- JSON and HTTP

	/**
	 * Qdrant's filter: {@code {"must": [{"key": k, "match": {"value": v}}], "must_not": [...]}}, {@code any} for several
	 * values; a range is a must condition {@code {"key": k, "range": {"gt": x, "lte": y}}}.
	 */
	static ObjectNode filterJson(Filter filter) {
		ObjectNode f = MAPPER.createObjectNode();
		if (!filter.must().isEmpty() || !filter.ranges().isEmpty()) {
			ArrayNode must = f.putArray("must");
			conditions(must, filter.must());
			for (Filter.Range r : filter.ranges()) {
				ObjectNode o = must.addObject();
				o.put("key", r.key());
				ObjectNode range = o.putObject("range");
				if (r.min() != null) range.put(r.minInclusive() ? "gte" : "gt", r.min());
				if (r.max() != null) range.put(r.maxInclusive() ? "lte" : "lt", r.max());
			}
		}
		if (!filter.mustNot().isEmpty()) conditions(f.putArray("must_not"), filter.mustNot());
		return f;
	}

	private static void conditions(ArrayNode out, List<Filter.Condition> conditions) {
		for (Filter.Condition c : conditions) {
			ObjectNode o = out.addObject();
			o.put("key", c.key());
			ObjectNode m = o.putObject("match");
			if (c.values().size() == 1) m.put("value", c.values().iterator().next());
			else {
				ArrayNode any = m.putArray("any");
				c.values().forEach(any::add);
			}
		}
	}

	private static Map<String, String> payload(JsonNode point) {
		Map<String, String> out = new LinkedHashMap<>();
		Iterator<Map.Entry<String, JsonNode>> it = point.path("payload").fields();
		while (it.hasNext()) {
			Map.Entry<String, JsonNode> e = it.next();
			if (!e.getValue().isNull()) out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
		}
		return out;
	}

	/**
	 * One request to {@code /collections/{c}/<tail>}; returns the {@code result} member, or {@code null} when
	 * {@code missingIsEmpty} and the server says the collection does not exist.
	 */
	private JsonNode call(String method, String tail, Map<String, String> query, JsonNode body, boolean missingIsEmpty) {
		HttpUrl.Builder ub = base.newBuilder().addPathSegment("collections").addPathSegment(collection);
		if (!tail.isEmpty()) ub.addPathSegments(tail);
		query.forEach(ub::addQueryParameter);
		HttpUrl url = ub.build();
		String what = method + " " + url.encodedPath();
		Request.Builder rb = new Request.Builder().url(url);
		if (apiKey != null) rb.header("api-key", apiKey);
		RequestBody rbody = null;
		if (body != null) {
			try {
				rbody = RequestBody.create(MAPPER.writeValueAsBytes(body), JSON);
			} catch (JsonProcessingException e) {
				throw new IllegalStateException(e);
			}
		}
		rb.method(method, rbody);
		int code;
		String text;
		try (Response resp = http.newCall(rb.build()).execute()) {
			code = resp.code();
			ResponseBody rbd = resp.body();
			text = rbd == null ? "" : rbd.string();
		} catch (IOException e) {
			throw new LabelLoopException("Qdrant at " + url() + " is unreachable: " + e.getMessage() + " (" + what
					+ "). Check that the server runs and the address is right; the project itself is unaffected.", e);
		}
		JsonNode json = null;
		try {
			json = text.isEmpty() ? null : MAPPER.readTree(text);
		} catch (JsonProcessingException e) {
			// handled below: an error code says more than "unreadable"
		}
		if (code < 200 || code > 299) {
			String error = json == null ? abbreviate(text) : json.path("status").path("error").asText(abbreviate(text));
			if (code == 404 && missingIsEmpty && error.contains("Collection") && (error.contains("doesn't exist") || error.contains("not found")))
				return null;
			throw new LabelLoopException("Qdrant at " + url() + " answered " + code + " to " + what + ": " + error);
		}
		if (json == null || !json.has("result")) throw unreadable(what, json == null ? "not JSON: " + abbreviate(text) : "no \"result\" member");
		return json.get("result");
	}

	private String path(String tail) {
		return "/collections/" + collection + "/" + tail;
	}

	private LabelLoopException unreadable(String what, String detail) {
		return new LabelLoopException("Qdrant at " + url() + " sent an answer LabelLoop cannot read (" + what + "): " + detail
				+ ". Is it a Qdrant server (1.10 or later)?");
	}

	private static String abbreviate(String s) {
		String t = s.strip().replaceAll("\\s+", " ");
		return t.length() > 200 ? t.substring(0, 200) + "…" : t.isEmpty() ? "(empty answer)" : t;
	}

	private static void checkK(int k) {
		if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
	}

	@Override
	public String toString() {
		return "QdrantVectorIndex[" + url() + ", " + collection + "]";
	}
}
