package org.labelloop.core.learn.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;

class CnnTrainerTest {

	static final int CLASSES = 3;
	static List<FloatImage> train = new ArrayList<>(), test = new ArrayList<>();
	static int[] trainLabels, testLabels;
	static CnnModel model;
	static double seconds;

	/** Bright square (0), disc (1) or diagonal stripes (2) of random size and place on noise, 24..40 px images. */
	static FloatImage shape(int kind, Random r) {
		int w = 28 + r.nextInt(9), h = 28 + r.nextInt(9);
		float[] d = new float[w * h];
		int size = 16 + r.nextInt(9), cx = size / 2 + 1 + r.nextInt(w - size - 2), cy = size / 2 + 1 + r.nextInt(h - size - 2);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				boolean on = switch (kind) {
					case 0 -> Math.abs(x - cx) <= size / 2 && Math.abs(y - cy) <= size / 2;
					case 1 -> (x - cx) * (x - cx) + (y - cy) * (y - cy) <= size * size / 4;
					default -> ((x + y) / 3) % 2 == 0;
				};
				d[y * w + x] = (on ? 180 : 40) + (float) r.nextGaussian() * 10;
			}
		return FloatImage.gray(w, h, d);
	}

	static int[] make(List<FloatImage> out, int n, Random r) {
		int[] labels = new int[n];
		for (int i = 0; i < n; i++) {
			labels[i] = i % CLASSES;
			out.add(shape(labels[i], r));
		}
		return labels;
	}

	@BeforeAll
	static void trainOnce() {
		trainLabels = make(train, 300, new Random(1));
		testLabels = make(test, 150, new Random(2));
		long t = System.nanoTime();
		model = CnnTrainer.train(train, trainLabels, CLASSES, new CnnTrainer.Settings(28, 1, 5, 32, 2e-3f, 42, 0), Progress.NONE);
		seconds = (System.nanoTime() - t) / 1e9;
	}

	@AfterAll
	static void close() {
		if (model != null) model.close();
	}

	@Test
	void learnsSyntheticShapes() {
		double acc = model.accuracy(test, testLabels);
		System.out.printf("CNN on synthetic shapes: test accuracy %.3f, trained in %.1f s%n", acc, seconds);
		assertTrue(acc > 0.9, "test accuracy " + acc);
		assertEquals(5.0, model.info().epochs(), 1e-9);
		float[][] p = model.probabilities(test.subList(0, 5));
		for (float[] row : p) {
			float s = 0;
			for (float v : row) s += v;
			assertEquals(1, s, 1e-4);
		}
	}

	@Test
	void saveAndLoadGiveIdenticalOutputs(@TempDir Path dir) {
		Path folder = dir.resolve("cnn");
		model.save(folder);
		assertTrue(Files.isRegularFile(folder.resolve("cnn-0000.params")));
		try (CnnModel back = CnnModel.load(folder)) {
			assertEquals(model.info(), back.info());
			assertEquals(model.hash(), back.hash());
			List<FloatImage> some = test.subList(0, 20);
			float[][] a = model.probabilities(some), b = back.probabilities(some);
			for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i]);
			CnnEmbedder ea = model.embedder(), eb = back.embedder();
			assertEquals(ea.id(), eb.id());
			assertArrayEquals(ea.embed(some.get(0)), eb.embed(some.get(0)));
		}
		var ex = assertThrows(LabelLoopException.class, () -> CnnModel.load(dir));
		assertTrue(ex.getMessage().contains("holds no saved CNN"), ex.getMessage());
	}

	@Test
	void embedderUsesPenultimateLayer() {
		CnnEmbedder e = model.embedder();
		assertEquals(128, e.dimension());
		assertTrue(e.id().startsWith("cnn-v1-"), e.id());
		List<FloatImage> some = test.subList(0, 7);
		float[][] all = e.embedAll(some, Progress.NONE);
		for (int i = 0; i < some.size(); i++) {
			assertEquals(128, all[i].length);
			assertArrayEquals(e.embed(some.get(i)), all[i], 1e-3f); // batched vs single: last-bit differences
			for (float v : all[i]) assertTrue(v >= 0, "after ReLU"); // penultimate layer is dense 128 + ReLU
		}
		FloatImage im = some.get(0);
		assertArrayEquals(e.embed(im), e.embed(im, Geometry.rect(0, 0, im.width(), im.height(), null)), 1e-3f);
	}

	@Test
	void cancelStopsTraining() {
		AtomicInteger reports = new AtomicInteger();
		Progress cancelAfter3 = new Progress() {
			@Override public void report(double fraction, String message) { reports.incrementAndGet(); }
			@Override public boolean isCancelled() { return reports.get() >= 3; }
		};
		long t = System.nanoTime();
		assertThrows(CancelledException.class,
				() -> CnnTrainer.train(train, trainLabels, CLASSES, CnnTrainer.Settings.defaults().withEpochs(50), cancelAfter3));
		assertTrue(reports.get() < 6, "stopped after a batch, reports: " + reports.get());
		assertTrue((System.nanoTime() - t) / 1e9 < seconds, "cancel is quicker than a full training");
	}

	@Test
	void timeLimitStopsEarlyWithAModel() {
		try (CnnModel quick = CnnTrainer.train(train, trainLabels, CLASSES, CnnTrainer.Settings.defaults().withEpochs(50).withMaxSeconds(0.001),
				Progress.NONE)) {
			assertTrue(quick.info().epochs() < 1, "epochs " + quick.info().epochs());
			assertEquals(CLASSES, quick.probabilities(test.subList(0, 1))[0].length);
		}
	}

	@Test
	void badTrainingSets() {
		var ex = assertThrows(LabelLoopException.class,
				() -> CnnTrainer.train(train.subList(0, 4), new int[] { 1, 1, 1, 1 }, CLASSES, CnnTrainer.Settings.defaults(), Progress.NONE));
		assertTrue(ex.getMessage().contains("same class"), ex.getMessage());
		ex = assertThrows(LabelLoopException.class, () -> CnnTrainer.train(List.of(), new int[0], CLASSES, CnnTrainer.Settings.defaults(), Progress.NONE));
		assertTrue(ex.getMessage().contains("are none"), ex.getMessage());
		assertThrows(LabelLoopException.class,
				() -> CnnTrainer.train(train.subList(0, 2), new int[] { 0, 7 }, CLASSES, CnnTrainer.Settings.defaults(), Progress.NONE));
		assertFalse(train.isEmpty());
	}
}
