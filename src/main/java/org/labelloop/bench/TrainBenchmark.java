package org.labelloop.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.Metrics;
import org.labelloop.core.learn.TrainedClassifier;
import org.labelloop.core.learn.djl.CnnModel;
import org.labelloop.core.learn.djl.CnnTrainer;
import org.labelloop.core.model.Progress;

import com.sun.management.OperatingSystemMXBean;

/**
 * {@code labelloop bench train}: how fast and how well the built-in embedder and a Smile classifier learn a labelled
 * image set (issue 3's benchmark).
 * <ol>
 * <li>embeds every training and test image with {@link FeatureEmbedder} (all cores): {@code embed_images_per_s};</li>
 * <li>trains the classifier on the first {@value #TIMED_TRAIN_ITEMS} training embeddings: {@code train_seconds}; for
 * logistic regression, Smile's own fit of the same model on the same items just before it: {@link Reference};</li>
 * <li>applies that classifier to the test embeddings: {@code predict_images_per_s} (classifier only, the embedding
 * is counted in step 1);</li>
 * <li>trains on all training embeddings and measures on the test set: {@code test_accuracy_features}, {@code ece},
 * macro-F1 and mean one-vs-rest AUC.</li>
 * <li>trains the in-process CNN ({@link CnnTrainer}, DJL PyTorch on the CPU) on the training images for the given
 * epochs or time budget, whichever ends first, and measures it on the test set: {@code test_accuracy_cnn} (null when
 * the CNN is skipped).</li>
 * </ol> Wall-clock times depend on what else
 * the machine runs, so the report also gives the CPU seconds of embedding and of training (all threads of this process) and the
 * system load average at the end.
 */
public final class TrainBenchmark {

	private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	/** Size of the training set whose training time is measured. */
	public static final int TIMED_TRAIN_ITEMS = 10_000;

	private TrainBenchmark() {
	}

	/** What one run measured; the JSON report writes these fields in snake_case. */
	public record Result(String dataset, int trainImages, int testImages, int width, int height, int classes, String embedder,
			int dimension, String classifier, int cpuCores, double embedImagesPerS, double embedCpuSeconds, int trainSecondsItems, double trainSeconds,
			double trainCpuSeconds, double predictImagesPerS, double testAccuracyFeatures, Double testAccuracyCnn, double ece, double macroF1,
			double meanAuc, Double cnnEpochs, Double cnnTrainSeconds, Double cnnTrainCpuSeconds, Double cnnPredictImagesPerS,
			double totalSeconds, double systemLoadAverage, Reference reference) {
	}

	/**
	 * The same logistic regression trained by Smile's own {@code LogisticRegression} (double precision: what LabelLoop
	 * used before) on the same {@code trainSecondsItems} items in the same run, just before LabelLoop's: the side-by-side
	 * comparison that survives a busy machine.
	 *
	 * @param trainSeconds wall-clock time of Smile's fit
	 * @param trainCpuSeconds its CPU time (all threads)
	 * @param speedup Smile's wall time over LabelLoop's ({@code train_seconds})
	 * @param cpuSpeedup the same for CPU time
	 * @param testAccuracy Smile's model on the test images
	 * @param testAccuracyLabelloop LabelLoop's model (trained on the same items) on the test images
	 * @param meanAbsProbabilityDifference mean over test images and classes of |p − p_Smile|
	 * @param loadBefore system load average when Smile's fit began
	 * @param loadAfter system load average when LabelLoop's fit ended
	 */
	public record Reference(double trainSeconds, double trainCpuSeconds, double speedup, double cpuSpeedup, double testAccuracy,
			double testAccuracyLabelloop, double meanAbsProbabilityDifference, double loadBefore, double loadAfter) {
	}

	/**
	 * How the CNN part is run.
	 *
	 * @param epochs passes over the training images; 0 skips the CNN
	 * @param maxSeconds stop training after the batch that passes this many seconds (0: no limit)
	 */
	public record CnnPlan(int epochs, double maxSeconds) {
		/** No CNN. */
		public static final CnnPlan NONE = new CnnPlan(0, 0);
	}

	/** Runs the benchmark without the CNN, with Smile's reference fit for logistic regression. */
	public static Result run(IdxDataset data, int limit, ClassifierSpec spec, Progress progress) {
		return run(data, limit, spec, CnnPlan.NONE, true, progress);
	}

	/** Runs the benchmark with Smile's reference fit for logistic regression. */
	public static Result run(IdxDataset data, int limit, ClassifierSpec spec, CnnPlan cnn, Progress progress) {
		return run(data, limit, spec, cnn, true, progress);
	}

	/**
	 * Runs the benchmark.
	 *
	 * @param limit use at most this many training and this many test images
	 * @param reference for logistic regression, also time Smile's own fit on the same items ({@link Reference})
	 */
	public static Result run(IdxDataset data, int limit, ClassifierSpec spec, CnnPlan cnn, boolean reference, Progress progress) {
		long start = System.nanoTime();
		Embedder embedder = new FeatureEmbedder();
		int nTrain = Math.min(limit, data.train().count()), nTest = Math.min(limit, data.test().count());
		embedder.embedAll(data.train().images(Math.min(nTrain, 1000)), Progress.NONE); // let the JIT compile first
		Progress cancelOnly = new Progress() { // stages are reported here, not every embedded image
			@Override public void report(double fraction, String message) { }
			@Override public boolean isCancelled() { return progress.isCancelled(); }
		};

		progress.report(0, "Embedding " + (nTrain + nTest) + " images");
		long t = System.nanoTime(), cpu = OS.getProcessCpuTime();
		float[][] xTrain = embedder.embedAll(data.train().images(nTrain), cancelOnly);
		float[][] xTest = embedder.embedAll(data.test().images(nTest), cancelOnly);
		double embedPerS = (nTrain + nTest) / seconds(t), embedCpuSeconds = cpuSeconds(cpu);
		int[] yTrain = Arrays.copyOf(data.train().labels(), nTrain), yTest = Arrays.copyOf(data.test().labels(), nTest);

		int timedItems = Math.min(TIMED_TRAIN_ITEMS, nTrain);
		float[][] xTimed = Arrays.copyOf(xTrain, timedItems);
		int[] yTimed = Arrays.copyOf(yTrain, timedItems);
		TrainedClassifier smile = null;
		double smileSeconds = 0, smileCpu = 0, loadBefore = OS.getSystemLoadAverage();
		if (reference && spec instanceof ClassifierSpec.Logistic logistic) {
			progress.report(0.3, "Training " + spec.id() + " on " + timedItems + " items with Smile's LogisticRegression (the reference)");
			t = System.nanoTime();
			cpu = OS.getProcessCpuTime();
			smile = logistic.trainWithSmile(xTimed, yTimed, data.classes());
			smileSeconds = seconds(t);
			smileCpu = cpuSeconds(cpu);
		}
		progress.report(0.4, "Training " + spec.id() + " on " + timedItems + " items");
		t = System.nanoTime();
		cpu = OS.getProcessCpuTime();
		TrainedClassifier small = spec.train(xTimed, yTimed, data.classes(), 1);
		double trainSeconds = seconds(t), trainCpuSeconds = cpuSeconds(cpu);
		Reference ref = null;
		if (smile != null) {
			double[][] p = small.probabilitiesAll(xTest), q = smile.probabilitiesAll(xTest);
			double diff = 0;
			for (int i = 0; i < p.length; i++)
				for (int c = 0; c < p[i].length; c++) diff += Math.abs(p[i][c] - q[i][c]) / p.length / p[i].length;
			ref = new Reference(smileSeconds, smileCpu, smileSeconds / trainSeconds, smileCpu / trainCpuSeconds,
					Metrics.of(q, yTest, data.classes()).accuracy(), Metrics.of(p, yTest, data.classes()).accuracy(), diff, loadBefore,
					OS.getSystemLoadAverage());
		}
		small.probabilitiesAll(xTest); // warm-up
		t = System.nanoTime();
		small.probabilitiesAll(xTest);
		double predictPerS = nTest / seconds(t);

		progress.checkCancelled("The benchmark");
		progress.report(0.6, "Training " + spec.id() + " on all " + nTrain + " items");
		TrainedClassifier full = nTrain == timedItems ? small : spec.train(xTrain, yTrain, data.classes(), 1);
		Metrics m = Metrics.of(full.probabilitiesAll(xTest), yTest, data.classes());

		Double cnnAccuracy = null, cnnEpochs = null, cnnSeconds = null, cnnCpu = null, cnnPredict = null;
		if (cnn.epochs() > 0) {
			progress.report(0.7, "Training the CNN on " + nTrain + " images (" + cnn.epochs() + " epochs"
					+ (cnn.maxSeconds() > 0 ? " or " + (int) cnn.maxSeconds() + " s" : "") + ")");
			CnnTrainer.Settings settings = new CnnTrainer.Settings(28, 1, cnn.epochs(), 64, 2e-3f, 42, cnn.maxSeconds());
			t = System.nanoTime();
			cpu = OS.getProcessCpuTime();
			long[] lastReport = { 0 };
			Progress trainProgress = new Progress() { // a line every 30 s, not every batch
				@Override public void report(double fraction, String message) {
					if (System.nanoTime() - lastReport[0] > 30e9) {
						lastReport[0] = System.nanoTime();
						progress.report(0.7 + 0.25 * fraction, message);
					}
				}
				@Override public boolean isCancelled() { return progress.isCancelled(); }
			};
			try (CnnModel model = CnnTrainer.train(data.train().images(nTrain), yTrain, data.classes(), settings, trainProgress)) {
				cnnSeconds = seconds(t);
				cnnCpu = cpuSeconds(cpu);
				cnnEpochs = model.info().epochs();
				progress.report(0.95, "Measuring the CNN on " + nTest + " test images");
				t = System.nanoTime();
				cnnAccuracy = model.accuracy(data.test().images(nTest), yTest);
				cnnPredict = nTest / seconds(t);
			}
		}
		progress.report(1, "Done");
		return new Result(data.folder().toString(), nTrain, nTest, data.train().cols(), data.train().rows(), data.classes(),
				embedder.id(), embedder.dimension(), spec.id(), Runtime.getRuntime().availableProcessors(), embedPerS, embedCpuSeconds, timedItems,
				trainSeconds, trainCpuSeconds, predictPerS, m.accuracy(), cnnAccuracy, m.ece(), m.macroF1(), m.meanAuc(), cnnEpochs, cnnSeconds, cnnCpu, cnnPredict, seconds(start),
				OS.getSystemLoadAverage(), ref);
	}

	private static double seconds(long since) {
		return (System.nanoTime() - since) / 1e9;
	}

	/** CPU seconds of all threads of this process since {@code since} ({@link OperatingSystemMXBean#getProcessCpuTime}). */
	private static double cpuSeconds(long since) {
		return (OS.getProcessCpuTime() - since) / 1e9;
	}

	/** The result as a table with the goals of issue 3. */
	public static String table(Result r) {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "bench train: %s, %d training / %d test images of %dx%d, %d classes, %d CPU cores%n",
				r.dataset(), r.trainImages(), r.testImages(), r.width(), r.height(), r.classes(), r.cpuCores()));
		b.append(String.format(Locale.ROOT, "embedder %s (%d values), classifier %s%n", r.embedder(), r.dimension(), r.classifier()));
		String row = "%-24s %12s   %-10s %s%n";
		b.append(String.format(Locale.ROOT, row, "metric", "value", "goal", ""));
		b.append(String.format(Locale.ROOT, row, "embed_images_per_s", fmt("%,.0f", r.embedImagesPerS()), ">= 5,000", verdict(r.embedImagesPerS() >= 5000)
				+ String.format(Locale.ROOT, " (%.1f s of CPU)", r.embedCpuSeconds())));
		b.append(String.format(Locale.ROOT, row, "train_seconds", fmt("%.1f", r.trainSeconds()), "<= 10",
				verdict(r.trainSeconds() <= 10) + String.format(Locale.ROOT, " (%d items; %.1f s of CPU)", r.trainSecondsItems(), r.trainCpuSeconds())));
		Reference ref = r.reference();
		if (ref != null) {
			b.append(String.format(Locale.ROOT, row, "  Smile's fit (before)", fmt("%.1f", ref.trainSeconds()), "",
					String.format(Locale.ROOT, "(%.1f s of CPU): LabelLoop's is %.2fx faster (%.2fx in CPU); load %.1f -> %.1f", ref.trainCpuSeconds(),
							ref.speedup(), ref.cpuSpeedup(), ref.loadBefore(), ref.loadAfter())));
			b.append(String.format(Locale.ROOT, row, "  test accuracy of both", fmt("%.4f", ref.testAccuracyLabelloop()), "",
					String.format(Locale.ROOT, "LabelLoop's on %d items; Smile's %.4f; mean |p - p_Smile| %.5f", r.trainSecondsItems(),
							ref.testAccuracy(), ref.meanAbsProbabilityDifference())));
		}
		b.append(String.format(Locale.ROOT, row, "predict_images_per_s", fmt("%,.0f", r.predictImagesPerS()), ">= 20,000", verdict(r.predictImagesPerS() >= 20000)));
		b.append(String.format(Locale.ROOT, row, "test_accuracy_features", fmt("%.4f", r.testAccuracyFeatures()), ">= 0.85", verdict(r.testAccuracyFeatures() >= 0.85)));
		b.append(String.format(Locale.ROOT, row, "test_accuracy_cnn", r.testAccuracyCnn() == null ? "-" : fmt("%.4f", r.testAccuracyCnn()), ">= 0.90",
				r.testAccuracyCnn() == null ? "not measured (--cnn-epochs 0)" : verdict(r.testAccuracyCnn() >= 0.9)
						+ String.format(Locale.ROOT, " (%.2f epochs in %.0f s, %.0f s of CPU; predicts %,.0f images/s)", r.cnnEpochs(),
								r.cnnTrainSeconds(), r.cnnTrainCpuSeconds(), r.cnnPredictImagesPerS())));
		b.append(String.format(Locale.ROOT, row, "ece", fmt("%.4f", r.ece()), "", ""));
		b.append(String.format(Locale.ROOT, row, "macro_f1", fmt("%.4f", r.macroF1()), "", ""));
		b.append(String.format(Locale.ROOT, row, "mean_auc", fmt("%.4f", r.meanAuc()), "", ""));
		b.append(String.format(Locale.ROOT, "total %.1f s; system load average %.1f on %d cores%n", r.totalSeconds(), r.systemLoadAverage(), r.cpuCores()));
		return b.toString();
	}

	private static String fmt(String format, double v) {
		return String.format(Locale.ROOT, format, v);
	}

	private static String verdict(boolean met) {
		return met ? "met" : "MISSED";
	}
}
