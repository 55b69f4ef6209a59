package org.labelloop.backend;

import java.nio.file.Path;
import java.util.function.Function;

import org.labelloop.core.model.Progress;
import org.labelloop.core.store.ProjectStore;

/**
 * An embedder Retrain can use, found with {@link java.util.ServiceLoader} ({@code META-INF/services}), as the
 * active-learning strategies are: the built-in ones are {@code features}, {@code model} and {@code cnn}
 * ({@link Embedders}); a jar on the class path can add its own.
 */
public interface EmbedderSource {

	/** The name Retrain's {@code embedder=} option takes. */
	String name();

	/**
	 * Opens (or trains) the embedder for this project.
	 *
	 * @param files the checked file of an image id
	 */
	Embedders.Opened open(ProjectStore store, Function<Long, Path> files, Progress progress);
}
