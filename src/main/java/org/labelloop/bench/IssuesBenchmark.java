package org.labelloop.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.labelloop.core.issues.LabelIssueFinder;
import org.labelloop.core.issues.LabelIssueFinder.LabelIssue;
import org.labelloop.core.issues.LabelIssueFinder.Method;
import org.labelloop.core.issues.LabelIssueFinder.Ranking;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.OutOfFold;
import org.labelloop.core.model.Progress;

/**
 * {@code labelloop bench issues}: how well the label-issue finder recovers labels flipped on purpose (issue 8's
 * benchmark). All items of the data set (training and test images together) are embedded with the built-in
 * embedder; a known fraction of labels is flipped, either uniformly to another class or to the class whose
 * embedding centroid lies nearest (the confusable one); k-fold out-of-fold probabilities of the classifier are
 * computed on the noisy labels; the finder flags items; precision, recall and F1 of the flagged set against the
 * flipped set are reported, with the finder's own time (probabilities given).
 */
public final class IssuesBenchmark {

	private IssuesBenchmark() {
	}

	/** One noise model's outcome. */
	public record NoiseResult(String noise, int flipped, int flagged, double precision, double recall, double f1, double finderSeconds,
			double oofSeconds, double oofAccuracyOnTrueLabels) {
	}

	public record Result(String dataset, int items, int classes, double noiseRate, String embedder, String classifier, int folds, String method,
			String ranking, double embedSeconds, List<NoiseResult> results) {
	}

	public static Result run(IdxDataset data, int limit, double noise, int folds, ClassifierSpec spec, Progress progress) {
		int nTrain = Math.min(limit, data.train().count()), nTest = Math.min(Math.max(0, limit - nTrain), data.test().count());
		FeatureEmbedder embedder = new FeatureEmbedder();
		progress.report(0, "Embedding " + (nTrain + nTest) + " images");
		long t = System.nanoTime();
		List<float[]> rows = new ArrayList<>(Arrays.asList(embedder.embedAll(data.train().images(nTrain), Progress.NONE)));
		if (nTest > 0) rows.addAll(Arrays.asList(embedder.embedAll(data.test().images(nTest), Progress.NONE)));
		double embedSeconds = (System.nanoTime() - t) / 1e9;
		float[][] x = rows.toArray(float[][]::new);
		int[] truth = new int[x.length];
		System.arraycopy(data.train().labels(), 0, truth, 0, nTrain);
		if (nTest > 0) System.arraycopy(data.test().labels(), 0, truth, nTrain, nTest);
		int k = data.classes();

		List<NoiseResult> results = new ArrayList<>();
		int[] partner = nearestCentroids(x, truth, k);
		for (String mode : List.of("uniform", "confusable")) {
			progress.checkCancelled("The benchmark");
			Random r = new Random(mode.hashCode());
			int[] noisy = truth.clone();
			Set<Integer> flipped = new HashSet<>();
			for (int i = 0; i < noisy.length; i++) {
				if (r.nextDouble() >= noise) continue;
				noisy[i] = mode.equals("uniform") ? (truth[i] + 1 + r.nextInt(k - 1)) % k : partner[truth[i]];
				flipped.add(i);
			}
			progress.report(0.2, "Out-of-fold probabilities with " + mode + " noise");
			t = System.nanoTime();
			double[][] p = OutOfFold.oof(x, noisy, k, folds, spec, 1, Progress.NONE);
			double oofSeconds = (System.nanoTime() - t) / 1e9;
			int right = 0;
			for (int i = 0; i < p.length; i++) if (argmax(p[i]) == truth[i]) right++;
			t = System.nanoTime();
			List<LabelIssue> issues = LabelIssueFinder.find(p, noisy, k, Method.BOTH, Ranking.SELF_CONFIDENCE);
			double finderSeconds = (System.nanoTime() - t) / 1e9;
			long hits = issues.stream().filter(is -> flipped.contains(is.item())).count();
			double precision = issues.isEmpty() ? 0 : (double) hits / issues.size(), recall = flipped.isEmpty() ? 0 : (double) hits / flipped.size();
			double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
			results.add(new NoiseResult(mode, flipped.size(), issues.size(), precision, recall, f1, finderSeconds, oofSeconds, (double) right / p.length));
		}
		progress.report(1, "Done");
		return new Result(data.folder().toString(), x.length, k, noise, embedder.id(), spec.id(), folds, Method.BOTH.name().toLowerCase(Locale.ROOT),
				Ranking.SELF_CONFIDENCE.name().toLowerCase(Locale.ROOT), embedSeconds, results);
	}

	/** For each class, the class whose mean embedding is nearest: the one a tired labeller confuses it with. */
	static int[] nearestCentroids(float[][] x, int[] y, int k) {
		int d = x[0].length;
		double[][] c = new double[k][d];
		int[] n = new int[k];
		for (int i = 0; i < x.length; i++) {
			n[y[i]]++;
			for (int j = 0; j < d; j++) c[y[i]][j] += x[i][j];
		}
		for (int a = 0; a < k; a++) for (int j = 0; j < d; j++) c[a][j] /= Math.max(1, n[a]);
		int[] partner = new int[k];
		for (int a = 0; a < k; a++) {
			double best = Double.MAX_VALUE;
			for (int b = 0; b < k; b++) {
				if (b == a) continue;
				double dist = 0;
				for (int j = 0; j < d; j++) dist += (c[a][j] - c[b][j]) * (c[a][j] - c[b][j]);
				if (dist < best) { best = dist; partner[a] = b; }
			}
		}
		return partner;
	}

	private static int argmax(double[] p) {
		int best = 0;
		for (int j = 1; j < p.length; j++) if (p[j] > p[best]) best = j;
		return best;
	}

	public static String table(Result r) {
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "bench issues: %s, %d items, %d classes, %.0f%% of labels flipped; %s + %s, %d-fold out-of-fold; confident learning (%s, ranked by %s)%n",
				r.dataset(), r.items(), r.classes(), 100 * r.noiseRate(), r.embedder(), r.classifier(), r.folds(), r.method(), r.ranking()));
		String row = "%-11s %8s %8s %10s %8s %8s %12s %10s %14s%n";
		b.append(String.format(Locale.ROOT, row, "noise", "flipped", "flagged", "precision", "recall", "f1", "finder (s)", "oof (s)", "oof acc (true)"));
		for (NoiseResult n : r.results())
			b.append(String.format(Locale.ROOT, row, n.noise(), n.flipped(), n.flagged(), f(n.precision()), f(n.recall()), f(n.f1()),
					String.format(Locale.ROOT, "%.3f", n.finderSeconds()), String.format(Locale.ROOT, "%.1f", n.oofSeconds()), f(n.oofAccuracyOnTrueLabels())));
		b.append("goals: precision >= 0.70, recall >= 0.60 at 10% noise; finder <= 1 s for 70,000 items x 10 classes\n");
		return b.toString();
	}

	private static String f(double v) {
		return String.format(Locale.ROOT, "%.3f", v);
	}
}
