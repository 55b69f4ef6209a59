package org.labelloop.core.vector;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Nearest-neighbour search over item embeddings (images and ROIs), one index per model version, with payload
 * filters and Qdrant-style recommend queries.
 * <p>
 * <b>Similarity</b> is cosine: vectors are compared by direction only, scores are in [-1, 1], higher is more alike.
 * <b>Results</b> are best first, at most {@code k}; an empty list is a normal answer (nothing matches the filter, or
 * the index is empty). <b>Errors</b> meant for the user are {@link org.labelloop.core.model.LabelLoopException}s:
 * an example id the index does not hold ("item 'roi:7' has no embedding yet …"), a vector of the wrong length, a
 * remote server that is down. A filter naming an unknown class is not an error here — it matches nothing; callers
 * check names against the project (see {@link Filter}).
 * <p>
 * Implementations: {@link LuceneVectorIndex} (embedded, in the project folder) and {@link QdrantVectorIndex} (a
 * Qdrant server over REST). Both are safe to use from several threads.
 */
public interface VectorIndex extends AutoCloseable {

	/** Adds items, or replaces those whose id is already there (vector and payload both). */
	void upsert(List<VectorItem> items);

	/** Removes items; ids not in the index are ignored. */
	void delete(Collection<String> ids);

	/** The {@code k} items most similar to {@code query} among those passing {@code filter}. */
	List<Hit> knn(float[] query, int k, Filter filter);

	/**
	 * The {@code k} items most like the positive examples and unlike the negative ones, among those passing
	 * {@code filter}; the examples themselves are never in the answer.
	 *
	 * @throws org.labelloop.core.model.LabelLoopException if an example is not in the index, naming it
	 * @throws IllegalArgumentException if there are no examples, or {@code AVERAGE_VECTOR} has no positive one
	 */
	List<Hit> recommend(List<String> positiveIds, List<String> negativeIds, int k, Filter filter, RecommendStrategy strategy);

	/** The stored item (vector as stored: implementations may keep it at unit length). */
	Optional<VectorItem> get(String id);

	/** Number of items passing the filter. */
	long count(Filter filter);

	/** Vector length of this index, or 0 while it is empty and has never held an item. */
	int dimension();

	/** Makes the writes so far durable and visible; an index that writes through (a server) has nothing to do. */
	default void commit() {
	}

	/** Whether a query with this filter is answered by an exact scan (for the user: exact, not approximate). */
	default boolean searchesExactly(Filter filter) {
		return false;
	}

	/** The stored items among {@code ids}: one read each unless the index can do better. */
	default List<VectorItem> items(Collection<String> ids) {
		List<VectorItem> out = new java.util.ArrayList<>();
		for (String id : ids) get(id).ifPresent(out::add);
		return out;
	}

	@Override
	void close();
}
