package org.labelloop.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.core.learn.djl.TinyOnnx;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Progress;

/** Retrain with each embedder: the built-in features, the user's ONNX model from the project settings, and the in-process CNN. */
class EmbeddersTest {

	@TempDir
	Path dir;

	@Test
	void retrainUsesTheProjectsOwnModelOnceItIsSet() throws Exception {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			TrainerTest.labelImages(b, TrainerTest.IMAGE_LABELS);
			LabelLoopException none = assertThrows(LabelLoopException.class,
					() -> b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)).withEmbedder("model"), Progress.NONE));
			assertTrue(none.getMessage().contains("No model is set"), none.getMessage());

			// a random projection 16×16 → 32 with ReLU, written as a real ONNX file inside the project folder
			Random r = new Random(7);
			float[][] w = new float[256][32];
			for (float[] row : w) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextGaussian();
			Path model = Files.createDirectories(dir.resolve("p/models")).resolve("random.onnx");
			Files.write(model, TinyOnnx.gemm(1, 16, 16, w, new float[32]));
			Path broken = Files.write(dir.resolve("broken.onnx"), new byte[] { 8, 1, 2 });
			assertThrows(LabelLoopException.class, () -> b.setEmbedderModel(DjlEmbedder.Settings.of(broken, 16, 16, 1)));
			assertTrue(b.embedderModel().isEmpty(), "a model that cannot run is not stored");

			b.setEmbedderModel(DjlEmbedder.Settings.of(model, 16, 16, 1).withNormalisation(new float[] { 100 }, new float[] { 50 }));
			ModelVersion v = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)).withEmbedder("model"), Progress.NONE)
					.model(Task.IMAGE).orElseThrow();
			assertTrue(v.embedder().startsWith("djl-onnx-") && v.embedder().contains("16x16x1-n100.0/50.0"), v.embedder());
			assertEquals(TrainerTest.IMAGE_LABELS.size(), v.trainSize());
			assertTrue(v.metrics().get("accuracy") > 0.25, "a random projection still separates some classes: " + v.metrics());
		}
		// the setting survives reopening, with the path kept relative to the project folder (the folder can move)
		Files.move(dir.resolve("p"), dir.resolve("moved"));
		try (LocalBackend b = LocalBackend.open(dir.resolve("moved"), "bob")) {
			assertEquals(dir.resolve("moved/models/random.onnx").toAbsolutePath(), b.embedderModel().orElseThrow().modelFile().toAbsolutePath());
			assertEquals(16, b.embedderModel().orElseThrow().width());
		}
	}

	@Test
	void theCnnEmbedderIsTrainedOnTheImageLabelsAndKept() {
		try (LocalBackend b = TrainerTest.project(dir.resolve("p"))) {
			TrainerTest.labelImages(b, TrainerTest.IMAGE_LABELS);
			ModelVersion v = b.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)).withEmbedder("cnn"), Progress.NONE)
					.model(Task.IMAGE).orElseThrow();
			assertTrue(v.embedder().startsWith("cnn-v1-"), v.embedder());
			assertTrue(Files.isDirectory(dir.resolve("p/models").resolve(v.embedder())), "the trained network is kept in the project");
			assertEquals(TrainerTest.IMAGE_LABELS.size(), v.trainSize());
		}
		assertThrows(IllegalArgumentException.class, () -> TrainOptions.defaults().withEmbedder("resnet"));
	}
}
