package org.labelloop.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Qdrant contract cannot drift: the recorded exchanges the client is tested against ({@code qdrant-1.12.4.json})
 * and the filters it builds are checked against Qdrant's published OpenAPI document, and the check itself refuses
 * what a Qdrant server would refuse.
 */
class QdrantOpenApiTest {

	private static final ObjectMapper MAPPER = new ObjectMapper();
	private final QdrantOpenApi api = QdrantOpenApi.get();

	private static JsonNode json(String s) throws IOException {
		return MAPPER.readTree(s);
	}

	@Test
	void theCopyIsQdrantsOpenApiDocument() {
		assertEquals("v1.19.x", api.version());
		assertNotNull(api.operation("POST", "/collections/c/points/query"), "the Query API (Qdrant 1.10+)");
		assertEquals("/collections/{collection_name}/points/query", api.operation("POST", "/collections/c/points/query").template());
		assertEquals("/collections/{collection_name}", api.operation("GET", "/collections/labelloop_demo_v1").template());
	}

	@Test
	void everyRecordedRequestAndAnswerIsValid() throws IOException {
		JsonNode exchanges;
		try (InputStream in = getClass().getResourceAsStream("qdrant-1.12.4.json")) {
			exchanges = MAPPER.readTree(in).path("exchanges");
		}
		int n = 0;
		for (Iterator<Map.Entry<String, JsonNode>> it = exchanges.fields(); it.hasNext(); n++) {
			Map.Entry<String, JsonNode> x = it.next();
			JsonNode req = x.getValue().path("request"), resp = x.getValue().path("response");
			String method = req.path("method").asText(), path = req.path("path").asText();
			assertEquals(List.of(), api.requestProblems(method, path, req.path("body")), x.getKey() + " request");
			assertEquals(List.of(), api.responseProblems(method, path, resp.path("status").asInt(), resp.path("body")), x.getKey() + " answer");
		}
		assertTrue(n >= 20, "all recorded exchanges were checked: " + n);
	}

	@Test
	void everyFilterTheClientBuildsIsAQdrantFilter() {
		Filter f = Filter.ALL.must("kind", "roi").mustAny("class", "nucleus", "membrane").mustNot("status", "rejected")
				.range(Filter.Range.above(VectorItem.AREA, 50, false)).range(new Filter.Range(VectorItem.MEAN, -100.0, true, 40.5, true))
				.range(Filter.Range.below(VectorItem.AREA, 3, false));
		assertEquals(List.of(), api.componentProblems("Filter", QdrantVectorIndex.filterJson(f)));
		assertEquals(List.of(), api.componentProblems("Filter", QdrantVectorIndex.filterJson(Filter.ALL)));
	}

	@Test
	void theCheckRefusesWhatQdrantWouldRefuse() throws IOException {
		String query = "/collections/c/points/query";
		JsonNode good = json("{\"query\": [1.0, 0.0], \"limit\": 3, \"with_payload\": true}");
		assertEquals(List.of(), api.requestProblems("POST", query, good));

		assertProblem(api.requestProblems("POST", "/collections/c/points/serch", good), "no operation");
		assertProblem(api.requestProblems("DELETE", query, good), "no operation");
		assertProblem(api.requestProblems("POST", query + "?wiat=true", good), "no query parameter 'wiat'");
		assertProblem(api.requestProblems("PUT", "/collections/c/points?wait=yes", json("{\"points\": []}")), "wait=yes");
		assertFalse(api.requestProblems("POST", query, json("{\"query\": [1.0, 0.0], \"limit\": \"3\"}")).isEmpty(), "a limit that is a string");
		assertFalse(api.requestProblems("POST", query, json("{\"query\": [1.0], \"limit\": -1}")).isEmpty(), "a negative limit");
		assertFalse(api.requestProblems("PUT", "/collections/c/points", json("{\"pionts\": []}")).isEmpty(), "an upsert without points");
		assertFalse(api.requestProblems("PUT", "/collections/c/index", json("{\"field_name\": \"class\", \"field_schema\": \"keywrd\"}")).isEmpty(),
				"an unknown payload index type");
		assertFalse(api.componentProblems("Filter", json("{\"must\": [{\"key\": \"class\", \"match\": {\"valeu\": \"x\"}}]}")).isEmpty(),
				"a misspelt match");
		assertFalse(api.componentProblems("Filter", json("{\"must\": [{\"key\": \"area\", \"range\": {\"gt\": \"fifty\"}}]}")).isEmpty(),
				"a range bound that is no number");
		assertProblem(api.componentProblems("NoSuchThing", good), "has no schema");
		assertFalse(api.responseProblems("POST", query, 200, json("{\"result\": {\"points\": [{\"id\": 1}]}, \"status\": \"ok\"}")).isEmpty(),
				"a scored point without its score and version");
	}

	private static void assertProblem(List<String> problems, String part) {
		assertTrue(problems.stream().anyMatch(p -> p.contains(part)), part + " in " + problems);
	}
}
