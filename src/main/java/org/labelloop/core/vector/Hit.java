package org.labelloop.core.vector;

import java.util.Map;

/**
 * One answer of a query, best first.
 *
 * @param id      the item id
 * @param score   cosine similarity in [-1, 1] for nearest-neighbour and {@code average_vector} queries; for
 *                {@code best_score} the value described at {@link RecommendStrategy#BEST_SCORE}
 * @param payload the item's payload fields
 */
public record Hit(String id, float score, Map<String, String> payload) {
	public Hit {
		payload = payload == null ? Map.of() : Map.copyOf(payload);
	}
}
