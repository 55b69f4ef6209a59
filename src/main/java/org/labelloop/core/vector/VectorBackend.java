package org.labelloop.core.vector;

import java.nio.file.Path;

/**
 * Where a project's vector indexes live, found with {@link java.util.ServiceLoader} ({@code META-INF/services}):
 * the embedded Lucene index in the project folder (the default) or a Qdrant server. A backend that needs an address
 * names the project setting holding it; the first backend whose setting is set serves the project, else the
 * embedded default (the one without a setting).
 */
public interface VectorBackend {

	/** A short name for messages: {@code lucene}, {@code qdrant}. */
	String name();

	/** The project setting with this backend's address, or {@code null} for the embedded default. */
	String setting();

	/**
	 * Opens (creating when missing) the index of one model version.
	 *
	 * @param folder  the version's folder in the project ({@code <project>/index/<version>}), for an embedded index
	 * @param address the value of {@link #setting()} ({@code null} for the embedded default)
	 * @param apiKey  a key for a server, from the environment (never stored in the project), or {@code null}
	 */
	VectorIndex open(Path folder, String project, String version, String address, String apiKey);

	/** Checks an address before the project is pointed at it (a malformed one is refused with the reason). */
	default void check(String address) {
	}

	/** The embedded Lucene HNSW index ({@link LuceneVectorIndex}). */
	final class Lucene implements VectorBackend {
		@Override public String name() { return "lucene"; }

		@Override public String setting() { return null; }

		@Override
		public VectorIndex open(Path folder, String project, String version, String address, String apiKey) {
			return LuceneVectorIndex.open(folder, new LuceneVectorIndex.Options().autoCommit(false));
		}
	}

	/** A Qdrant server over REST ({@link QdrantVectorIndex}), one collection per project and model version. */
	final class Qdrant implements VectorBackend {
		/** Project setting: the address of the Qdrant server holding the project's indexes. */
		public static final String URL = "vector.qdrant.url";

		@Override public String name() { return "qdrant"; }

		@Override public String setting() { return URL; }

		@Override
		public VectorIndex open(Path folder, String project, String version, String address, String apiKey) {
			return new QdrantVectorIndex(address, QdrantVectorIndex.collectionName(project, version), apiKey);
		}

		@Override
		public void check(String address) {
			new QdrantVectorIndex(address, "check", null).close();
		}
	}
}
