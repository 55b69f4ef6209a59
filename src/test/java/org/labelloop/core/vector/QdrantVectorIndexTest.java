package org.labelloop.core.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labelloop.core.model.LabelLoopException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * Contract tests of the Qdrant client against recorded request/answer pairs of Qdrant 1.12.4
 * ({@code qdrant-1.12.4.json}): each test queues the recorded answers, makes LabelLoop's calls, and checks that
 * LabelLoop sent exactly the recorded requests, each of them valid against Qdrant's published OpenAPI schema
 * ({@link QdrantOpenApi}).
 */
class QdrantVectorIndexTest {

	private static final ObjectMapper MAPPER = new ObjectMapper();
	private static JsonNode exchanges;
	private static String collection;
	private MockWebServer server;
	private QdrantVectorIndex index;

	@BeforeAll
	static void load() throws IOException {
		try (InputStream in = QdrantVectorIndexTest.class.getResourceAsStream("qdrant-1.12.4.json")) {
			JsonNode doc = MAPPER.readTree(in);
			assertEquals(QdrantVectorIndex.TESTED_VERSION, doc.path("qdrant_version").asText());
			exchanges = doc.path("exchanges");
			collection = doc.path("collection").asText();
		}
	}

	@BeforeEach
	void start() throws IOException {
		server = new MockWebServer();
		server.start();
		index = new QdrantVectorIndex(server.url("/").toString(), collection, null);
	}

	@AfterEach
	void stop() throws IOException {
		index.close();
		server.shutdown();
	}

	/** Queues the recorded answers of these exchanges, runs the calls, then checks every request against the recording. */
	private void exchange(Runnable calls, String... names) throws InterruptedException {
		for (String n : names) {
			JsonNode x = exchanges.path(n);
			assertFalse(x.isMissingNode(), "no recorded exchange " + n);
			JsonNode r = x.path("response");
			server.enqueue(new MockResponse().setResponseCode(r.path("status").asInt()).setHeader("Content-Type", "application/json")
					.setBody(r.path("body").toString()));
		}
		int before = server.getRequestCount();
		try {
			calls.run();
		} finally {
			for (String n : names) {
				JsonNode want = exchanges.path(n).path("request");
				RecordedRequest got = server.takeRequest(5, TimeUnit.SECONDS);
				assertTrue(got != null, "LabelLoop did not send " + n);
				assertEquals(want.path("method").asText(), got.getMethod(), n);
				assertEquals(want.path("path").asText(), got.getPath(), n);
				String body = got.getBody().readUtf8();
				if (want.path("body").isNull()) assertEquals("", body, n);
				else assertEquals(want.path("body"), readTree(body), n);
				assertEquals(List.of(), QdrantOpenApi.get().requestProblems(got.getMethod(), got.getPath(), body.isEmpty() ? null : readTree(body)),
						n + " against Qdrant's OpenAPI schema");
			}
			assertEquals(before + names.length, server.getRequestCount(), "requests beyond the recording");
		}
	}

	private static JsonNode readTree(String s) {
		try {
			return MAPPER.readTree(s);
		} catch (IOException e) {
			throw new AssertionError("not JSON: " + s, e);
		}
	}

	private static String[] indexCreation() {
		return QdrantVectorIndex.INDEXED_FIELDS.stream().map(f -> "index-" + f).toArray(String[]::new);
	}

	@Test
	void createsTheCollectionWithPayloadIndexesThenUpserts() throws Exception {
		String[] names = new String[3 + QdrantVectorIndex.INDEXED_FIELDS.size()];
		names[0] = "info-missing";
		names[1] = "create";
		System.arraycopy(indexCreation(), 0, names, 2, QdrantVectorIndex.INDEXED_FIELDS.size());
		names[names.length - 1] = "upsert";
		exchange(() -> index.upsert(RecommendFixture.ITEMS), names);
		assertEquals(3, index.dimension(), "known from creation, no further request");
	}

	@Test
	void nearestNeighboursWithAFilter() throws Exception {
		exchange(() -> {
			List<Hit> hits = index.knn(new float[] { 1, 0, 0 }, 3, Filter.ALL.must("class", "nucleus"));
			assertEquals(List.of("a", "b", "f"), hits.stream().map(Hit::id).toList());
			assertEquals(Map.of("class", "nucleus", "kind", "roi"), hits.get(1).payload(), "the id is not repeated in the payload");
			assertEquals(0.99388373f, hits.get(1).score(), 1e-6);
		}, "info", "query-nearest");
	}

	/**
	 * A range is a must condition in the form of Qdrant's documented range filter (qdrant.tech/documentation/concepts/filtering,
	 * "Range"): {@code {"key": k, "range": {"gt": x, "lte": y}}}, beside the match conditions.
	 */
	@Test
	void rangesBecomeQdrantRangeConditions() throws Exception {
		Filter f = Filter.ALL.must("kind", "roi").mustNot("status", "rejected").range(Filter.Range.above(VectorItem.AREA, 50, false))
				.range(new Filter.Range(VectorItem.MEAN, -100.0, true, 40.5, true));
		assertEquals(MAPPER.readTree("{\"must\": [{\"key\": \"kind\", \"match\": {\"value\": \"roi\"}}, {\"key\": \"area\", \"range\": {\"gt\": 50.0}},"
				+ " {\"key\": \"mean\", \"range\": {\"gte\": -100.0, \"lte\": 40.5}}], \"must_not\": [{\"key\": \"status\", \"match\": {\"value\": \"rejected\"}}]}"),
				QdrantVectorIndex.filterJson(f));
		assertEquals(MAPPER.readTree("{\"must\": [{\"key\": \"area\", \"range\": {\"lt\": 3.0}}]}"),
				QdrantVectorIndex.filterJson(Filter.ALL.range(Filter.Range.below(VectorItem.AREA, 3, false))));
	}

	@Test
	void recommendSendsTheStrategyAndReadsTheRanking() throws Exception {
		exchange(() -> LuceneVectorIndexTest.check(RecommendFixture.BEST_ORDER, RecommendFixture.BEST_SCORES,
				index.recommend(List.of("a"), List.of("c"), 5, Filter.ALL.must("kind", "roi"), RecommendStrategy.BEST_SCORE)),
				"retrieve-examples", "recommend-best-score");
		exchange(() -> LuceneVectorIndexTest.check(RecommendFixture.AVERAGE_ORDER, RecommendFixture.AVERAGE_SCORES,
				index.recommend(List.of("a"), List.of("c"), 5, Filter.ALL, RecommendStrategy.AVERAGE_VECTOR)),
				"retrieve-examples", "recommend-average-vector");
	}

	@Test
	void anExampleWithoutEmbeddingIsNamedAndNoQueryIsSent() throws Exception {
		exchange(() -> {
			LabelLoopException e = assertThrows(LabelLoopException.class,
					() -> index.recommend(List.of("a", "roi:404"), List.of(), 5, Filter.ALL, RecommendStrategy.BEST_SCORE));
			assertTrue(e.getMessage().contains("'roi:404'") && e.getMessage().contains("no embedding yet"), e.getMessage());
		}, "retrieve-unknown-example");
	}

	@Test
	void getCountAndDelete() throws Exception {
		exchange(() -> {
			VectorItem b = index.get("b").orElseThrow();
			assertEquals(Map.of("class", "nucleus", "kind", "roi"), b.payload());
			assertEquals(0.99388373f, b.vector()[0], 1e-6);
			assertFalse(index.get("roi:404").isPresent());
			assertEquals(7, index.count(Filter.ALL.mustAny("class", "nucleus", "membrane").mustNot("status", "rejected")));
			index.delete(List.of("e"));
		}, "get", "get-absent", "count", "delete");
	}

	@Test
	void aMissingCollectionIsAnEmptyIndex() throws Exception {
		exchange(() -> assertEquals(List.of(), index.knn(new float[] { 1, 0, 0 }, 3, Filter.ALL)), "info-missing");
		server.enqueue(new MockResponse().setResponseCode(404).setBody(exchanges.path("info-missing").path("response").path("body").toString()));
		assertEquals(0, index.count(Filter.ALL));
	}

	@Test
	void serverErrorsBecomeClearMessages() throws Exception {
		exchange(() -> {
			assertEquals(3, index.dimension());
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> index.knn(new float[] { 1, 0, 0 }, 2, Filter.ALL));
			assertEquals("Qdrant at " + index.url() + " answered 500 to POST /collections/" + collection
					+ "/points/query: Service internal error: No space left on device (os error 28)", e.getMessage());
			e = assertThrows(LabelLoopException.class, () -> index.count(Filter.ALL.must("class", "nucleus")));
			assertTrue(e.getMessage().contains("answered 400") && e.getMessage().contains("Index required"), e.getMessage());
		}, "info", "query-internal-error", "count-wrong-input");

		server.enqueue(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/html").setBody("<html><h1>502 Bad Gateway</h1></html>"));
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> index.count(Filter.ALL));
		assertTrue(e.getMessage().contains("cannot read") && e.getMessage().contains("502 Bad Gateway"), e.getMessage());

		server.enqueue(new MockResponse().setResponseCode(502).setBody("<html><h1>502 Bad Gateway</h1></html>"));
		e = assertThrows(LabelLoopException.class, () -> index.count(Filter.ALL));
		assertTrue(e.getMessage().contains("answered 502") && e.getMessage().contains("Bad Gateway"), e.getMessage());

		server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"status\":\"ok\",\"time\":0.1}"));
		e = assertThrows(LabelLoopException.class, () -> index.count(Filter.ALL));
		assertTrue(e.getMessage().contains("no \"result\""), e.getMessage());
	}

	@Test
	void aServerThatIsDownIsNamed() throws IOException {
		String url = index.url();
		server.shutdown();
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> index.knn(new float[] { 1, 0, 0 }, 3, Filter.ALL));
		assertTrue(e.getMessage().startsWith("Qdrant at " + url + " is unreachable: "), e.getMessage());
		assertTrue(e.getMessage().contains("the project itself is unaffected"), e.getMessage());
	}

	@Test
	void aCollectionWithAnotherDistanceIsRefused() throws Exception {
		exchange(() -> {
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> index.knn(new float[] { 1, 0, 0 }, 3, Filter.ALL));
			assertTrue(e.getMessage().contains("uses Dot distance"), e.getMessage());
		}, "info-dot-distance");
	}

	@Test
	void theApiKeyGoesInItsHeader() throws Exception {
		try (QdrantVectorIndex keyed = new QdrantVectorIndex(server.url("/").toString(), collection, "s3cret")) {
			server.enqueue(new MockResponse().setBody(exchanges.path("count").path("response").path("body").toString()));
			assertEquals(7, keyed.count(Filter.ALL));
			RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
			assertEquals("s3cret", r.getHeader("api-key"));
		}
	}

	@Test
	void pointIdsAreStableNameBasedUuids() {
		assertEquals("a0dee2d2-16c3-3283-a06e-7df4ba1eb28e", QdrantVectorIndex.pointId("a").toString());
		assertEquals(3, QdrantVectorIndex.pointId("roi:404").version());
		assertEquals("labelloop_My_project_resnet18-v3", QdrantVectorIndex.collectionName("My project", "resnet18-v3"));
		assertThrows(IllegalArgumentException.class, () -> new QdrantVectorIndex("not a url", "c", null));
	}
}
