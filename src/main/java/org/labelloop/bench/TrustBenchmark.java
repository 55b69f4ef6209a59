package org.labelloop.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.labelloop.core.al.Uncertainty;
import org.labelloop.core.learn.Calibration;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.learn.Familiarity;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.learn.Metrics;
import org.labelloop.core.learn.OutOfFold;
import org.labelloop.core.model.Progress;

/**
 * {@code labelloop bench trust} (issue 15): is what the model reports about itself honest?
 * <ul>
 * <li><b>Grouping.</b> Each of {@code sources} training images becomes a group of {@code crops} augmented crops
 * (shifted by up to 3 pixels, some mirrored, brightness jittered): near copies, as the ROIs of one image or the
 * slices of one volume are. Out-of-fold accuracy with ungrouped and with grouped folds is compared with the accuracy
 * of a model trained on every group, tested on crops of unseen test images (unseen groups).</li>
 * <li><b>Out of distribution.</b> {@link Familiarity} fitted on training images of every class but {@code unseen}
 * (their embeddings and the entropy of their out-of-fold probabilities, as Retrain fits it), and beside it on the
 * embeddings alone;
 * test images of all classes scored: AUROC of the score for "an unseen class", and the false-alarm rate on the seen
 * classes at the familiarity threshold the labelled items set.</li>
 * <li><b>Calibration.</b> The temperature fitted on the grouped out-of-fold probabilities, applied to the unseen
 * groups' probabilities: ECE before and after, beside the ECE sampling alone gives those probabilities
 * ({@link Metrics#eceNoiseFloor}: a 15-bin ECE on a few thousand items is biased upwards), and the cross-fitted
 * ECE of the labelled items' own calibrated out-of-fold probabilities (what Retrain reports).</li>
 * </ul>
 * Works on any data set in the IDX layout ({@link IdxDataset}).
 */
public final class TrustBenchmark {

	private TrustBenchmark() {
	}

	public record Result(String dataset, int classes, int sources, int crops, int folds, String embedder, String classifier, double oofAccuracyGrouped,
			double oofAccuracyUngrouped, double unseenGroupAccuracy, double groupedGap, double ungroupedGap, List<Integer> unseenClasses, int oodLabelled,
			int oodScored, int familiarityK, double familiarityQuantile, double oodAuroc, double oodAurocDistanceOnly, double oodFalseAlarmRate, double oodDetectionRate,
			double temperature, double eceUncalibrated, double eceCalibrated, double eceNoiseFloor, double eceCalibratedOof, double seconds, Map<String, Object> machine) {
	}

	public static Result run(IdxDataset data, int sources, int crops, int folds, List<Integer> unseen, int oodLimit, ClassifierSpec spec, Progress progress) {
		long t0 = System.nanoTime();
		int k = data.classes();
		FeatureEmbedder embedder = new FeatureEmbedder();
		int nTrain = Math.min(sources, data.train().count()), nTest = Math.min(Math.max(1, sources / 3), data.test().count());
		Random r = new Random(7);
		// grouped items: crops of training sources (groups 0..nTrain-1) and of unseen test sources
		progress.report(0, "Embedding " + (nTrain + nTest) * crops + " crops");
		float[][] x = embedder.embedAll(augmented(data.train(), nTrain, crops, r), Progress.NONE);
		int[] y = new int[nTrain * crops];
		long[] group = new long[nTrain * crops];
		for (int i = 0; i < y.length; i++) {
			y[i] = data.train().labels()[i / crops];
			group[i] = i / crops;
		}
		float[][] xt = embedder.embedAll(augmented(data.test(), nTest, crops, r), Progress.NONE);
		int[] yt = IntStream.range(0, nTest * crops).map(i -> data.test().labels()[i / crops]).toArray();

		progress.checkCancelled("The benchmark");
		progress.report(0.3, "Out-of-fold probabilities, ungrouped and grouped folds");
		double[][] ungrouped = OutOfFold.oof(x, y, k, OutOfFold.folds(y, folds, 1), spec, 1, Progress.NONE);
		int[] groupedFold = OutOfFold.groupedFolds(y, group, folds, 1);
		double[][] grouped = OutOfFold.oof(x, y, k, groupedFold, spec, 1, Progress.NONE);
		progress.report(0.6, "A model on every group, tested on unseen groups");
		double[][] test = spec.train(x, y, k, 1).probabilitiesAll(xt);
		double accG = Metrics.of(grouped, y, k).accuracy(), accU = Metrics.of(ungrouped, y, k).accuracy(), accT = Metrics.of(test, yt, k).accuracy();
		double temperature = Calibration.fit(grouped, y);
		double[][] calibrated = Calibration.scale(test, temperature);
		double eceRaw = Metrics.of(test, yt, k).ece(), eceCal = Metrics.of(calibrated, yt, k).ece();
		double floor = Metrics.eceNoiseFloor(calibrated, 200, 11);
		// what Retrain reports: the labelled items' own out-of-fold probabilities, each fold scaled by a T fitted on the others
		double eceOof = Metrics.of(Calibration.outOfFold(grouped, y, groupedFold), y, k).ece();

		progress.checkCancelled("The benchmark");
		progress.report(0.75, "Familiarity: classes " + unseen + " never labelled");
		int nOodTrain = Math.min(oodLimit, data.train().count()), nOodTest = Math.min(Math.max(1, oodLimit / 4), data.test().count());
		List<Integer> seenIdx = new ArrayList<>();
		for (int i = 0; i < nOodTrain; i++) if (!unseen.contains(data.train().labels()[i])) seenIdx.add(i);
		float[][] labelled = embedder.embedAll(seenIdx.stream().map(data.train()::image).toList(), Progress.NONE);
		int[] seenY = seenIdx.stream().mapToInt(i -> data.train().labels()[i]).toArray();
		float[][] scored = embedder.embedAll(data.test().images(nOodTest), Progress.NONE);
		int kNeighbour = 5;
		double quantile = 0.95;
		// as Retrain does: the labelled items' out-of-fold entropy, the scored items' entropy under a model on every label
		progress.report(0.8, "Familiarity: out-of-fold probabilities of the " + labelled.length + " labelled items");
		double[] ownEntropy = Arrays.stream(OutOfFold.oof(labelled, seenY, k, OutOfFold.folds(seenY, folds, 1), spec, 1, Progress.NONE))
				.mapToDouble(Uncertainty.ENTROPY::of).toArray();
		progress.checkCancelled("The benchmark");
		double[] entropy = Arrays.stream(spec.train(labelled, seenY, k, 1).probabilitiesAll(scored)).mapToDouble(Uncertainty.ENTROPY::of).toArray();
		Familiarity f = Familiarity.fit(labelled, ownEntropy, kNeighbour, quantile);
		double[] s = f.scores(scored, entropy);
		boolean[] novel = new boolean[nOodTest];
		int seen = 0, falseAlarms = 0, unseenN = 0, detected = 0;
		for (int i = 0; i < nOodTest; i++) {
			novel[i] = unseen.contains(data.test().labels()[i]);
			boolean flagged = s[i] > f.threshold();
			if (novel[i]) {
				unseenN++;
				if (flagged) detected++;
			} else {
				seen++;
				if (flagged) falseAlarms++;
			}
		}
		double auroc = Metrics.auroc(s, novel), aurocDistance = Metrics.auroc(Familiarity.fit(labelled, kNeighbour, quantile).scores(scored), novel);
		progress.report(1, "Done");
		return new Result(data.folder().toString(), k, nTrain, crops, folds, embedder.id(), spec.id(), accG, accU, accT, accG - accT, accU - accT, unseen,
				labelled.length, nOodTest, kNeighbour, quantile, auroc, aurocDistance, seen == 0 ? Double.NaN : (double) falseAlarms / seen,
				unseenN == 0 ? Double.NaN : (double) detected / unseenN, temperature, eceRaw, eceCal, floor, eceOof, (System.nanoTime() - t0) / 1e9, Machine.describe());
	}

	/** {@code crops} augmented crops of each of the first {@code n} images, made as they are asked for. */
	static List<FloatImage> augmented(IdxDataset.Split split, int n, int crops, Random r) {
		long seed = r.nextLong();
		return new java.util.AbstractList<>() {
			@Override
			public FloatImage get(int i) {
				return augment(split.image(i / crops), new Random(seed + i));
			}

			@Override
			public int size() {
				return n * crops;
			}
		};
	}

	/** A shift of up to 3 pixels (edges filled with black), a mirror half of the time and a brightness gain of ±15%. */
	static FloatImage augment(FloatImage im, Random r) {
		int w = im.width(), h = im.height(), dx = r.nextInt(7) - 3, dy = r.nextInt(7) - 3;
		boolean mirror = r.nextBoolean();
		float gain = 0.85f + 0.3f * r.nextFloat();
		float[] out = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int sx = (mirror ? w - 1 - x : x) - dx, sy = y - dy;
				out[y * w + x] = sx < 0 || sy < 0 || sx >= w || sy >= h ? 0 : gain * im.get(0, sx, sy);
			}
		return FloatImage.gray(w, h, out);
	}

	public static String table(Result r) {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "bench trust: %s; %d source images x %d augmented crops (one group each), %d folds; %s + %s; %.0f s%n",
				r.dataset(), r.sources(), r.crops(), r.folds(), r.embedder(), r.classifier(), r.seconds()));
		String row = "%-44s %10s   %s%n";
		b.append(String.format(Locale.ROOT, row, "measure", "value", "goal"));
		b.append(String.format(Locale.ROOT, row, "out-of-fold accuracy, grouped folds", f(r.oofAccuracyGrouped()), ""));
		b.append(String.format(Locale.ROOT, row, "out-of-fold accuracy, ungrouped folds", f(r.oofAccuracyUngrouped()), ""));
		b.append(String.format(Locale.ROOT, row, "accuracy on unseen groups", f(r.unseenGroupAccuracy()), ""));
		b.append(String.format(Locale.ROOT, row, "grouped_gap (grouped - unseen)", f(r.groupedGap()), "|gap| <= 0.01"));
		b.append(String.format(Locale.ROOT, row, "ungrouped_gap (ungrouped - unseen)", f(r.ungroupedGap()), "(how far off without groups)"));
		b.append(String.format(Locale.ROOT, row, "ood_auroc (classes " + r.unseenClasses() + " unseen)", f(r.oodAuroc()), ">= 0.90"));
		b.append(String.format(Locale.ROOT, row, "ood_auroc_distance_only (without the model)", f(r.oodAurocDistanceOnly()), "(the earlier score, same run)"));
		b.append(String.format(Locale.ROOT, row, "ood_false_alarm_rate (seen classes)", f(r.oodFalseAlarmRate()),
				String.format(Locale.ROOT, "(threshold: %.0f%% of the labelled within)", 100 * r.familiarityQuantile())));
		b.append(String.format(Locale.ROOT, row, "ood detection rate (unseen classes)", f(r.oodDetectionRate()), ""));
		b.append(String.format(Locale.ROOT, row, "ece_uncalibrated (unseen groups)", f(r.eceUncalibrated()), ""));
		b.append(String.format(Locale.ROOT, row, "ece_calibrated (T = " + String.format(Locale.ROOT, "%.2f", r.temperature()) + ")", f(r.eceCalibrated()),
				"<= 0.02"));
		b.append(String.format(Locale.ROOT, row, "ece_noise_floor (labels drawn from p)", f(r.eceNoiseFloor()), "(what sampling alone gives)"));
		b.append(String.format(Locale.ROOT, row, "ece_calibrated_oof (labelled, cross-fitted)", f(r.eceCalibratedOof()), "(what Retrain reports)"));
		return b.toString();
	}

	private static String f(double v) {
		return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
	}
}
