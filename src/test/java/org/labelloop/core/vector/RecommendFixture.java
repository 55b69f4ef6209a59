package org.labelloop.core.vector;

import java.util.List;
import java.util.Map;

/**
 * Seven 3-d items whose recommend rankings were worked out by hand (see the comments), shared by the Lucene tests
 * and the Qdrant recorded answers. Positive example {@code a}, negative {@code c}.
 */
final class RecommendFixture {

	static final List<VectorItem> ITEMS = List.of(
			item("a", 1, 0, 0, "nucleus"),
			item("b", 0.9f, 0.1f, 0, "nucleus"),
			item("c", 0, 1, 0, "membrane"),
			item("d", 0.8f, 0.6f, 0, "membrane"),
			item("e", -1, 0.2f, 0, "nucleus"),
			item("f", 0, -0.5f, 1, "nucleus"),
			item("g", 0.3f, -0.9f, 0.3f, "membrane"));

	/*
	 * Unit vectors: b = (0.9939, 0.1104, 0), d = (0.8, 0.6, 0), e = (-0.9806, 0.1961, 0), f = (0, -0.4472, 0.8944),
	 * g = (0.3015, -0.9045, 0.3015).
	 *
	 * average_vector, pos a, neg c: q = 2a - c = (2, -1, 0) / sqrt 5 = (0.8944, -0.4472, 0)
	 *   b 0.8396, g 0.6742, d 0.4472, f 0.2000, e -0.9648 → b g d f e
	 *
	 * best_score, pos a, neg c, s(x) = (x / (1 + |x|) + 1) / 2:
	 *   b p 0.9939 > n 0.1104 → s(0.9939) = 0.7492
	 *   d p 0.8 > n 0.6 → s(0.8) = 0.7222
	 *   g p 0.3015 > n -0.9045 → s(0.3015) = 0.6158
	 *   f p 0 > n -0.4472 → s(0) = 0.5
	 *   e p -0.9806 < n 0.1961 → -s(0.1961) = -0.5820      → b d g f e
	 *
	 * best_score, negative c only: -s(cos(x, c))
	 *   g -s(-0.9045) = -0.2625, f -s(-0.4472) = -0.3455, a -s(0) = -0.5, b -s(0.1104) = -0.5497,
	 *   e -s(0.1961) = -0.5820, d -s(0.6) = -0.6875         → g f a b e d
	 */
	static final List<String> AVERAGE_ORDER = List.of("b", "g", "d", "f", "e");
	static final float[] AVERAGE_SCORES = { 0.8396f, 0.6742f, 0.4472f, 0.2000f, -0.9648f };
	static final List<String> BEST_ORDER = List.of("b", "d", "g", "f", "e");
	static final float[] BEST_SCORES = { 0.7492f, 0.7222f, 0.6158f, 0.5f, -0.5820f };
	static final List<String> NEGATIVE_ONLY_ORDER = List.of("g", "f", "a", "b", "e", "d");
	static final float[] NEGATIVE_ONLY_SCORES = { -0.2625f, -0.3455f, -0.5f, -0.5497f, -0.5820f, -0.6875f };

	private static VectorItem item(String id, float x, float y, float z, String cls) {
		return new VectorItem(id, new float[] { x, y, z }, Map.of("class", cls, "kind", "roi"));
	}

	private RecommendFixture() {
	}
}
