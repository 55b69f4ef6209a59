package org.labelloop.backend.remote;

import org.labelloop.core.model.Task;
import java.util.List;

import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.ClassicalProposer;

/** Request and answer bodies of the lab server's API that are not engine values themselves. */
public final class Messages {

	private Messages() {
	}

	/** {@code GET /api/project}: the project, and who the token belongs to. */
	public record ProjectInfo(String name, String user, String role, long latestChange) {
	}

	/** {@code POST /api/images}: files or folders relative to the project folder (nothing outside it). */
	public record AddImages(List<String> paths) {
	}

	/**
	 * {@code POST /api/next-items}. {@code leaseSeconds}, {@code aggregation}, {@code unit} ({@code auto},
	 * {@code slice}, {@code image}) and {@code filter} (metadata words, {@code modality:CT}) may be null (defaults).
	 */
	public record NextRequest(String strategy, int count, String targetClass, String otherClass, Long leaseSeconds, String aggregation,
			Long current, String unit, String filter, String task) {
	}

	public record NewClass(String name, String color, String hotkey) {
	}

	/** {@code POST /api/changesets}: edits applied all together or not at all. */
	public record Apply(String description, List<Edit> edits) {
	}

	public record NewComment(Target target, Long parentId, String kind, String text) {
	}

	public record Resolve(long baseRevision, boolean resolved) {
	}

	public record SetRole(String role) {
	}

	public record NewUser(String name, String role) {
	}

	/** A user with a new token: the only time the token is shown. */
	public record UserToken(String name, String role, String token) {
	}

	public record UserInfo(String name, String role, boolean hasToken) {
	}

	public record Decide(long baseRevision, String decision, Long newClass, String comment) {
	}

	/**
	 * {@code POST /api/retrain}: classifier {@code logistic} or {@code forest}; folds 0 = automatic; empty tasks = both;
	 * embedder {@code features}, {@code model} or {@code cnn} (null = features).
	 */
	public record Retrain(String classifier, int folds, long seed, List<Task> tasks, String embedder) {
	}

	/**
	 * A model file and its input, as the server keeps it: {@code file} is relative to the project folder (the server
	 * refuses a file outside it). See {@link org.labelloop.core.learn.djl.DjlEmbedder.Settings}.
	 */
	public record ModelSettings(String file, int width, int height, int channels, float[] mean, float[] std, int outputIndex, String outputName) {

		/** The settings with the model file named {@code file} (with forward slashes). */
		public static ModelSettings of(DjlEmbedder.Settings s, java.nio.file.Path file) {
			return new ModelSettings(file.toString().replace('\\', '/'), s.width(), s.height(), s.channels(), s.mean(), s.std(), s.outputIndex(),
					s.outputName());
		}

		/** The engine's settings with the model file at {@code file}. */
		public DjlEmbedder.Settings settings(java.nio.file.Path file) {
			return new DjlEmbedder.Settings(file, width, height, channels, mean, std, outputIndex, outputName);
		}
	}

	/** {@code POST /api/propose-model}: the project's segmentation model proposes objects. */
	public record ProposeModel(List<Long> imageIds, ModelSettings model, float threshold, double minArea, List<String> classes, boolean replace, boolean masks, boolean tiles) {
	}

	public record Propose(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace) {
	}
}
