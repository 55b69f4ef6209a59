package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Target;

/** {@code labelloop train}, {@code propose} and {@code models} on the demo project. */
class ModelCommandsTest extends CommandLineTest {

	@TempDir
	Path dir;
	@Test
	void trainOnTheDemoProjectPrintsMetricsAndModelsRollsBack() {
		Path p = dir.resolve("demo");
		DemoProject.createFashion(TestData.folder(), p, "ann");
		String project = p.toString();
		assertEquals(0, run("models", "-p", project));
		assertTrue(out().contains("No model versions yet"), out());
		// the demo labels half of the Fashion-MNIST images: only trouser, shirt and coat have two labels; the classes
		// with one label wait, and the model is trained on the three that can be validated
		assertEquals(0, run("train", "-p", project, "-u", "ann"));
		assertTrue(out().matches("(?s).*\\nimage\\s+v1\\s+6\\s+2\\s.*"), out());
		assertTrue(err().contains("left out: 1 label(s), needs 2"), err());
		assertTrue(out().contains("roi: not trained: The ROI model needs labels"), out());

		assertEquals(0, run("import", "-p", project, "-u", "ann", "-f", "csv", TestData.path("fashion/labels.csv").toString()));
		assertEquals(0, run("train", "-p", project, "-u", "ann"));
		String table = out();
		assertTrue(table.matches("(?s)task\\s+model\\s+labels\\s+folds\\s+accuracy\\s+macro_f1\\s+mean_auc\\s+ece.*"), table);
		assertTrue(table.matches("(?s).*\\nimage\\s+v2\\s+20\\s+2\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+-\\s+-\\n.*"), table);
		assertTrue(table.contains("image: v2 is active; 20 labelled item(s) with out-of-fold predictions, "), table);
		assertTrue(table.contains("roi: not trained: The ROI model needs labels"), table);

		assertEquals(0, run("train", "-p", project, "-u", "ann", "--classifier", "forest", "--task", "image"));
		assertTrue(out().matches("(?s).*\\nimage\\s+v3\\s+20\\s+2\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}\\s+-\\s+-\\n.*"),
				() -> "a forest on 1 label per class per fold still gives probabilities: " + out());
		assertEquals(0, run("models", "-p", project, "--activate", "v2"));
		assertTrue(out().contains("v2 is now the active image model."), out());
		assertTrue(out().matches("(?s).*\\nv2\\s+image\\s+ready\\s+\\*\\s+20 .*\\nv3\\s+image\\s+ready\\s+20 .*random-forest.*"), out());
		assertEquals(1, run("models", "-p", project, "--activate", "v9"));
		assertTrue(err().contains("No model version 'v9'; versions: v1, v2, v3"), err());
		assertEquals(1, run("train", "-p", project, "--classifier", "svm"));
		assertTrue(err().contains("Unknown classifier 'svm' (expected logistic or forest)"), err());

		try (LocalBackend b = LocalBackend.open(p, "ann")) {
			long v1 = b.activeModel(Task.IMAGE).orElseThrow().id();
			for (var im : b.images())
				assertTrue(b.store().prediction(v1, Target.image(im.id())).isPresent(), "a prediction for every image: " + im.name());
		}
	}

	@Test
	void proposeWritesProposalsAndSkipsProposedImages() {
		Path p = dir.resolve("demo");
		DemoProject.create(TestData.folder(), p, "ann");
		assertEquals(0, run("propose", "-p", p.toString(), "--image", "cell.png", "--image", "coins.png", "--method", "Otsu", "--min-area", "50"));
		assertTrue(out().matches("\\d+ object\\(s\\) proposed on 1 image\\(s\\), 1 image\\(s\\) skipped \\(already proposed\\)\\s*"), out());
		assertEquals(1, run("propose", "-p", p.toString(), "--method", "Nonsense"));
		assertTrue(err().contains("Unknown threshold method 'Nonsense'"), err());
		assertEquals(1, run("propose", "-p", p.toString(), "--image", "nope.png"));
		assertTrue(err().contains("No image 'nope.png'"), err());
	}

	@Test
	void embedderSetsTheProjectsModelAndTrainUsesIt() throws Exception {
		Path p = dir.resolve("demo");
		DemoProject.createFashion(TestData.folder(), p, "ann");
		assertEquals(0, run("import", "-p", p.toString(), "-u", "ann", "-f", "csv", TestData.path("fashion/labels.csv").toString()));
		assertEquals(0, run("embedder", "-p", p.toString()));
		assertTrue(out().contains("no embedder model set"), out());
		float[][] w = new float[28 * 28][8];
		for (int i = 0; i < w.length; i++) w[i][i % 8] = 1f / 98; // mean intensity of 8 interleaved pixel sets
		Path model = java.nio.file.Files.write(dir.resolve("pool.onnx"), org.labelloop.core.learn.djl.TinyOnnx.gemm(1, 28, 28, w, new float[8]));
		assertEquals(1, run("embedder", "-p", p.toString(), "--model", dir.resolve("nothing.onnx").toString()));
		assertTrue(err().contains("nothing.onnx does not exist"), err());
		assertEquals(0, run("embedder", "-p", p.toString(), "--model", model.toString(), "--size", "28x28", "--mean", "0", "--std", "255"));
		assertTrue(out().contains("embedder model: " + model + " 28x28x1 mean [0.0] std [255.0] output 0"), out());
		assertEquals(0, run("train", "-p", p.toString(), "-u", "ann", "--task", "image", "--embedder", "model"));
		assertTrue(out().contains("image: v1 is active"), out());
		try (LocalBackend b = LocalBackend.open(p, "ann")) {
			assertTrue(b.activeModel(Task.IMAGE).orElseThrow().embedder().startsWith("djl-onnx-"), b.activeModel(Task.IMAGE).toString());
		}
		assertEquals(1, run("train", "-p", p.toString(), "--embedder", "resnet"));
		assertTrue(err().contains("Unknown embedder 'resnet' (expected features, model or cnn)"), err());
	}
}
