package org.labelloop.backend;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.djl.CnnModel;
import org.labelloop.core.learn.djl.CnnTrainer;
import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.FloatImages;
import org.labelloop.imaging.Images;
import org.labelloop.core.geom.Plane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The embedders Retrain can use, chosen by {@link TrainOptions#embedder()}:
 * <ul>
 * <li>{@code features} — the built-in {@link FeatureEmbedder}: no weights, deterministic;</li>
 * <li>{@code model} — the user's ONNX or TorchScript model ({@link DjlEmbedder}), set up in the project settings
 * under {@value #MODEL_KEY} (file, input size, channels, normalisation, output; see {@link #setModel});</li>
 * <li>{@code cnn} — a small CNN trained in-process on the project's image labels (DJL PyTorch on the CPU), whose
 * penultimate layer is the embedding; the trained network is kept in {@code <project>/models/<embedder id>/}.</li>
 * </ul>
 */
public final class Embedders {

	public static final String FEATURES = "features", MODEL = "model", CNN = "cnn";
	/** The embedders found ({@link EmbedderSource}), the built-in ones first. */
	private static final Map<String, EmbedderSource> SOURCES = discover();
	/** Their names, for dialogs and messages. */
	public static final List<String> NAMES = List.copyOf(SOURCES.keySet());
	/** Project setting holding the user's model as JSON. */
	public static final String MODEL_KEY = "embedder.model";

	private Embedders() {
	}

	private static Map<String, EmbedderSource> discover() {
		Map<String, EmbedderSource> m = new java.util.LinkedHashMap<>();
		for (EmbedderSource s : java.util.ServiceLoader.load(EmbedderSource.class, EmbedderSource.class.getClassLoader()))
			m.putIfAbsent(s.name().strip().toLowerCase(Locale.ROOT), s);
		return java.util.Collections.unmodifiableMap(m);
	}

	/** Checks an embedder name, naming the known ones when it is not one. */
	public static String check(String name) {
		String n = name == null || name.isBlank() ? FEATURES : name.strip().toLowerCase(Locale.ROOT);
		if (!SOURCES.containsKey(n)) throw new IllegalArgumentException("Unknown embedder '" + name + "' (expected "
				+ String.join(", ", NAMES.subList(0, NAMES.size() - 1)) + " or " + NAMES.get(NAMES.size() - 1) + ")");
		return n;
	}

	/** The user's model set for the project, if any; a relative model path is taken from the project folder. */
	public static Optional<DjlEmbedder.Settings> model(ProjectStore store) {
		return store.setting(MODEL_KEY).map(json -> {
			JsonNode n = Json.parse(json);
			Path file = Path.of(n.path("file").asText());
			if (!file.isAbsolute()) file = store.folder().resolve(file);
			String out = n.path("output").asText("0");
			return new DjlEmbedder.Settings(file, n.path("width").asInt(), n.path("height").asInt(), n.path("channels").asInt(1),
					floats(n.path("mean")), floats(n.path("std")), out.matches("\\d+") ? Integer.parseInt(out) : 0, out.matches("\\d+") ? null : out);
		});
	}

	/** The settings with a relative model path taken from the project folder (as a lab server names them). */
	static DjlEmbedder.Settings inProject(ProjectStore store, DjlEmbedder.Settings s) {
		if (s.modelFile().isAbsolute()) return s;
		return new DjlEmbedder.Settings(store.folder().resolve(s.modelFile()), s.width(), s.height(), s.channels(), s.mean(), s.std(), s.outputIndex(),
				s.outputName());
	}

	/** Checks the model by loading and running it once, then stores its settings in the project (a relative file is taken from the project folder). */
	public static void setModel(ProjectStore store, DjlEmbedder.Settings settings) {
		DjlEmbedder.Settings s = inProject(store, settings);
		try (DjlEmbedder check = DjlEmbedder.open(s)) {
			ObjectNode n = Json.MAPPER.createObjectNode();
			Path file = s.modelFile().toAbsolutePath().normalize();
			Path folder = store.folder().toAbsolutePath().normalize();
			n.put("file", (file.startsWith(folder) ? folder.relativize(file) : file).toString().replace('\\', '/'));
			n.put("width", s.width()).put("height", s.height()).put("channels", s.channels());
			for (float v : s.mean()) n.withArray("mean").add(v);
			for (float v : s.std()) n.withArray("std").add(v);
			n.put("output", s.outputName() != null ? s.outputName() : Integer.toString(s.outputIndex()));
			n.put("dimension", check.dimension());
			store.setSetting(MODEL_KEY, n.toString());
		}
	}

	private static float[] floats(JsonNode a) {
		float[] out = new float[a.size()];
		for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
		return out;
	}

	/** An embedder and what to close when Retrain is done with it. */
	public record Opened(Embedder embedder, AutoCloseable resource) implements AutoCloseable {
		@Override
		public void close() {
			try {
				if (resource != null) resource.close();
			} catch (Exception e) {
				// a native model that fails to close leaks memory only
			}
		}
	}

	/**
	 * Opens the embedder Retrain asked for.
	 *
	 * @param files the checked file of an image id
	 */
	static Opened open(String name, ProjectStore store, java.util.function.Function<Long, Path> files, Progress progress) {
		return SOURCES.get(check(name)).open(store, files, progress);
	}

	/** {@code features}: the built-in {@link FeatureEmbedder}. */
	public static final class Features implements EmbedderSource {
		@Override public String name() { return FEATURES; }

		@Override
		public Opened open(ProjectStore store, java.util.function.Function<Long, Path> files, Progress progress) {
			return new Opened(new FeatureEmbedder(), null);
		}
	}

	/** {@code model}: the user's ONNX or TorchScript model set for the project. */
	public static final class Model implements EmbedderSource {
		@Override public String name() { return MODEL; }

		@Override
		public Opened open(ProjectStore store, java.util.function.Function<Long, Path> files, Progress progress) {
			DjlEmbedder djl = DjlEmbedder.open(model(store).orElseThrow(() -> new LabelLoopException(
					"No model is set for this project: choose the model file and its input first (Plugins › LabelLoop › Embedder Model, or "
							+ "labelloop embedder -p DIR --model FILE …), or retrain with the built-in features.")));
			return new Opened(djl, djl);
		}
	}

	/** {@code cnn}: a CNN trained in-process on the project's image labels. */
	public static final class Cnn implements EmbedderSource {
		@Override public String name() { return CNN; }

		@Override
		public Opened open(ProjectStore store, java.util.function.Function<Long, Path> files, Progress progress) {
			CnnModel cnn = trainCnn(store, files, progress);
			return new Opened(cnn.embedder(), cnn);
		}
	}

	/** Trains the CNN on every image's label ({@link Labels#imageLabels}, the labels the classifier learns from too). */
	private static CnnModel trainCnn(ProjectStore store, java.util.function.Function<Long, Path> files, Progress progress) {
		List<LabelClass> classes = store.classes();
		List<FloatImage> images = new ArrayList<>();
		List<Integer> labels = new ArrayList<>();
		Map<Long, Annotation> imageLabels = Labels.imageLabels(store.allAnnotations());
		for (ImageRecord im : store.images()) {
			progress.checkCancelled("Training the CNN");
			Annotation label = imageLabels.get(im.id());
			if (label == null) continue;
			int c = 0;
			while (c < classes.size() && classes.get(c).id() != label.data().classId()) c++;
			if (c == classes.size()) continue;
			try {
				images.add(FloatImages.from(Images.open(files.apply(im.id())), Plane.ALL));
			} catch (LabelLoopException | IllegalArgumentException e) {
				continue; // Retrain reports unreadable images itself
			}
			labels.add(c);
		}
		if (images.size() < 4)
			throw new LabelLoopException("Training the CNN embedder needs labelled images (image-level labels); the project has " + images.size()
					+ ". Label more images, or retrain with the built-in features.");
		CnnModel model = CnnTrainer.train(images, labels.stream().mapToInt(Integer::intValue).toArray(), classes.size(),
				CnnTrainer.Settings.defaults().withMaxSeconds(300), progress);
		model.save(store.folder().resolve("models").resolve(model.embedder().id()));
		return model;
	}
}
