package org.labelloop.core.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.labelloop.bench.IdxDataset;
import org.labelloop.core.model.Progress;

/**
 * {@link FloatLogistic}, the default logistic regression, against Smile's own {@code LogisticRegression} (the
 * reference, {@link ClassifierSpec.Logistic#trainWithSmile}): same accuracy and nearly the same probabilities on real
 * embeddings, a gradient that matches finite differences, probabilities that sum to 1, and the same model every run.
 */
class FloatLogisticTest {

	static final ClassifierSpec.Logistic SPEC = ClassifierSpec.logistic();

	/** Embeddings of real Fashion-MNIST images: the IDX set when installed, else the PNGs of test-data/fashion. */
	record Data(float[][] trainX, int[] trainY, float[][] testX, int[] testY, int classes) {

		static Data fashion(int nTrain, int nTest) throws IOException {
			Embedder e = new FeatureEmbedder();
			if (Files.isDirectory(IdxDataset.FASHION_MNIST)) {
				IdxDataset d = IdxDataset.open("fashion-mnist");
				return new Data(e.embedAll(d.train().images(nTrain), Progress.NONE), Arrays.copyOf(d.train().labels(), nTrain),
						e.embedAll(d.test().images(nTest), Progress.NONE), Arrays.copyOf(d.test().labels(), nTest), d.classes());
			}
			// 21 labelled PNGs: each image with small shifts and noise gives a few hundred real-looking items
			List<Path> files;
			try (Stream<Path> s = Files.list(Path.of("test-data/fashion"))) {
				files = s.filter(f -> f.toString().endsWith(".png")).sorted().toList();
			}
			Assumptions.assumeTrue(files.size() >= 10, "no Fashion-MNIST images here");
			List<String> names = files.stream().map(f -> f.getFileName().toString().replaceAll("^\\d+_|\\.png$", "")).distinct().sorted().toList();
			Random r = new Random(5);
			int per = (nTrain + nTest) / files.size() + 1, n = per * files.size();
			float[][] x = new float[n][];
			int[] y = new int[n];
			int i = 0;
			for (Path f : files) {
				var img = ImageIO.read(f.toFile());
				int w = img.getWidth(), h = img.getHeight();
				for (int c = 0; c < per; c++, i++) {
					float[] px = new float[w * h];
					int dx = r.nextInt(5) - 2, dy = r.nextInt(5) - 2;
					for (int v = 0; v < h; v++)
						for (int u = 0; u < w; u++) {
							int su = Math.max(0, Math.min(w - 1, u + dx)), sv = Math.max(0, Math.min(h - 1, v + dy));
							px[v * w + u] = (float) ((img.getRGB(su, sv) & 0xff) / 255.0 + r.nextGaussian() * 0.15);
						}
					x[i] = e.embed(FloatImage.gray(w, h, px));
					y[i] = names.indexOf(f.getFileName().toString().replaceAll("^\\d+_|\\.png$", ""));
				}
			}
			int[] order = new int[n];
			for (int j = 0; j < n; j++) order[j] = j;
			for (int j = n - 1; j > 0; j--) {
				int s = r.nextInt(j + 1), t = order[j];
				order[j] = order[s];
				order[s] = t;
			}
			int t = n * nTrain / (nTrain + nTest);
			return new Data(pick(x, order, 0, t), pickY(y, order, 0, t), pick(x, order, t, n), pickY(y, order, t, n), names.size());
		}

		private static float[][] pick(float[][] x, int[] order, int from, int to) {
			return Arrays.stream(order, from, to).mapToObj(j -> x[j]).toArray(float[][]::new);
		}

		private static int[] pickY(int[] y, int[] order, int from, int to) {
			return Arrays.stream(order, from, to).map(j -> y[j]).toArray();
		}
	}

	static double accuracy(TrainedClassifier c, float[][] x, int[] y) {
		return Metrics.of(c.probabilitiesAll(x), y, c.classes()).accuracy();
	}

	@Test
	void sameAccuracyAndProbabilitiesAsSmileOnFashionEmbeddings() throws IOException {
		Data d = Data.fashion(600, 400);
		TrainedClassifier fast = SPEC.train(d.trainX(), d.trainY(), d.classes(), 1);
		TrainedClassifier smile = SPEC.trainWithSmile(d.trainX(), d.trainY(), d.classes());
		double a = accuracy(fast, d.testX(), d.testY()), b = accuracy(smile, d.testX(), d.testY());
		assertTrue(a > 0.6, "accuracy " + a);
		assertEquals(b, a, 0.01, "float " + a + " vs Smile " + b);
		double worst = 0, mean = 0;
		double[][] p = fast.probabilitiesAll(d.testX()), q = smile.probabilitiesAll(d.testX());
		for (int i = 0; i < p.length; i++) {
			assertEquals(1, Arrays.stream(p[i]).sum(), 1e-9);
			for (int c = 0; c < p[i].length; c++) {
				double diff = Math.abs(p[i][c] - q[i][c]);
				worst = Math.max(worst, diff);
				mean += diff / p.length / p[i].length;
			}
		}
		assertTrue(mean < 0.01, "mean |p - p_smile| " + mean + ", largest " + worst);
	}

	@Test
	void twoClassesMatchSmilesBinomialModel() throws IOException {
		Data d = Data.fashion(600, 400);
		// shirts (6) against T-shirts (0): the hardest pair
		int[] keepTrain = java.util.stream.IntStream.range(0, d.trainY().length).filter(i -> d.trainY()[i] == 0 || d.trainY()[i] == 6).toArray();
		int[] keepTest = java.util.stream.IntStream.range(0, d.testY().length).filter(i -> d.testY()[i] == 0 || d.testY()[i] == 6).toArray();
		Assumptions.assumeTrue(keepTrain.length >= 20 && keepTest.length >= 10);
		float[][] x = Arrays.stream(keepTrain).mapToObj(i -> d.trainX()[i]).toArray(float[][]::new);
		int[] y = Arrays.stream(keepTrain).map(i -> d.trainY()[i]).toArray();
		float[][] tx = Arrays.stream(keepTest).mapToObj(i -> d.testX()[i]).toArray(float[][]::new);
		int[] ty = Arrays.stream(keepTest).map(i -> d.testY()[i]).toArray();
		TrainedClassifier fast = SPEC.train(x, y, d.classes(), 1), smile = SPEC.trainWithSmile(x, y, d.classes());
		assertEquals(accuracy(smile, tx, ty), accuracy(fast, tx, ty), 0.02);
		for (float[] v : tx) {
			double[] p = fast.probabilities(v), q = smile.probabilities(v);
			assertEquals(1, Arrays.stream(p).sum(), 1e-9);
			assertEquals(q[0], p[0], 0.02);
		}
	}

	@Test
	void gradientMatchesFiniteDifferences() {
		for (int k : new int[] { 2, 3, 7 }) {
			ClassifierTest.Blobs b = ClassifierTest.Blobs.of(FloatLogistic.BLOCK * 2 + 37, k, 11, 2, k); // several blocks, a partial one
			float[][] z = standardised(b.x());
			double penalty = 0.3;
			FloatLogistic f = new FloatLogistic(z, b.y(), k, penalty);
			Random r = new Random(k);
			double[] w = new double[f.parameters()];
			for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * 0.3;
			double[] g = new double[w.length];
			double value = f.g(w, g);
			assertEquals(f.f(w), value, 1e-9 * Math.abs(value));
			for (int i = 0; i < w.length; i++) {
				double h = 1e-3, keep = w[i];
				w[i] = keep + h;
				double up = f.f(w);
				w[i] = keep - h;
				double down = f.f(w);
				w[i] = keep;
				double numeric = (up - down) / (2 * h);
				// the objective is summed in float within a block: allow float rounding of a sum of ~600 terms
				assertEquals(numeric, g[i], 2e-3 * Math.max(1, Math.abs(numeric)), "k=" + k + " parameter " + i);
			}
		}
	}

	@Test
	void objectiveIsSmilesNegativeLogLikelihoodPlusPenalty() {
		// at w = 0 every class has probability 1/k: n·log k, whatever the penalty
		ClassifierTest.Blobs b = ClassifierTest.Blobs.of(500, 4, 6, 1, 3);
		FloatLogistic f = new FloatLogistic(standardised(b.x()), b.y(), 4, 5);
		assertEquals(500 * Math.log(4), f.f(new double[f.parameters()]), 1e-6);
	}

	@Test
	void sameModelEveryRun() {
		ClassifierTest.Blobs b = ClassifierTest.Blobs.of(1500, 5, 30, 3, 8);
		double[][] first = SPEC.train(b.x(), b.y(), 5, 1).probabilitiesAll(b.x());
		for (int run = 0; run < 3; run++)
			assertArrayEquals(first, SPEC.train(b.x(), b.y(), 5, 1 + run).probabilitiesAll(b.x()), "run " + run);
		// in a one-thread pool the blocks run one after the other: still the same sums
		double[][] single = new java.util.concurrent.ForkJoinPool(1).submit(() -> SPEC.train(b.x(), b.y(), 5, 1).probabilitiesAll(b.x())).join();
		assertArrayEquals(first, single);
	}

	static float[][] standardised(float[][] x) {
		int d = x[0].length;
		double[] mean = new double[d], sd = new double[d];
		for (float[] row : x)
			for (int j = 0; j < d; j++) mean[j] += row[j] / (double) x.length;
		for (float[] row : x)
			for (int j = 0; j < d; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
		float[][] z = new float[x.length][d];
		for (int i = 0; i < x.length; i++)
			for (int j = 0; j < d; j++) z[i][j] = (float) ((x[i][j] - mean[j]) / Math.sqrt(sd[j]));
		return z;
	}
}
