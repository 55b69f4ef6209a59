package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.learn.ClassifierSpec;

/**
 * How to retrain.
 *
 * @param classifier the classifier trained on the embeddings (logistic regression unless asked otherwise)
 * @param folds      out-of-fold folds; 0 picks {@code min(5, smallest class count)}
 * @param seed       makes folds and training reproducible
 * @param tasks      the tasks to train: {@link Task#IMAGE}, {@link Task#ROI}, {@link Task#SEGMENTATION}; empty means all
 * @param embedder   {@code features} (built in, the default), {@code model} (the project's ONNX/TorchScript model) or
 *                   {@code cnn} (a CNN trained on the image labels first); see {@link Embedders}
 */
public record TrainOptions(ClassifierSpec classifier, int folds, long seed, List<Task> tasks, String embedder) {

	public TrainOptions {
		if (classifier == null) classifier = ClassifierSpec.logistic();
		if (folds < 0 || folds == 1) throw new IllegalArgumentException("Folds must be 0 (automatic) or at least 2, not " + folds);
		tasks = tasks == null || tasks.isEmpty() ? List.of(Task.values()) : List.copyOf(tasks);
		embedder = Embedders.check(embedder);
	}

	public TrainOptions(ClassifierSpec classifier, int folds, long seed, List<Task> tasks) {
		this(classifier, folds, seed, tasks, Embedders.FEATURES);
	}

	public TrainOptions withEmbedder(String name) {
		return new TrainOptions(classifier, folds, seed, tasks, name);
	}

	public static TrainOptions defaults() {
		return new TrainOptions(ClassifierSpec.logistic(), 0, 42, List.of());
	}

	public TrainOptions withClassifier(ClassifierSpec c) {
		return new TrainOptions(c, folds, seed, tasks, embedder);
	}

	public TrainOptions withFolds(int k) {
		return new TrainOptions(classifier, k, seed, tasks, embedder);
	}

	public TrainOptions withTasks(List<Task> t) {
		return new TrainOptions(classifier, folds, seed, t, embedder);
	}

	/** {@code logistic} or {@code forest} (also {@code random-forest}) with their default settings. */
	public static ClassifierSpec classifier(String name) {
		return switch (name == null ? "logistic" : name.strip().toLowerCase(Locale.ROOT)) {
			case "logistic", "" -> ClassifierSpec.logistic();
			case "forest", "random-forest", "randomforest" -> new ClassifierSpec.Forest(200, 20, 2);
			default -> throw new IllegalArgumentException("Unknown classifier '" + name + "' (expected logistic or forest)");
		};
	}
}
