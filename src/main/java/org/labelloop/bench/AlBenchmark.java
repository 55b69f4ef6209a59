package org.labelloop.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.labelloop.core.al.Options;
import org.labelloop.core.al.Pool;
import org.labelloop.core.al.Result;
import org.labelloop.core.al.Strategies;
import org.labelloop.core.al.Strategy;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.learn.FeatureEmbedder;
import org.labelloop.core.learn.TrainedClassifier;
import org.labelloop.core.model.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code bench al}: replays the labelling loop with an oracle to show how many labels each strategy saves.
 * <ol>
 * <li>Embed a pool (a seeded random subsample of the training images) and the test images with the built-in
 * {@link FeatureEmbedder}; standardise and reduce to {@code dims} principal components ({@link Pca}, fitted on at
 * most 5,000 pool items), so that the thousands of retrainings fit in minutes on two cores;</li>
 * <li>per seed, start from {@code initial} random labels (the same for every strategy), then repeatedly: train the
 * classifier on the labelled items, measure test accuracy, predict the unlabelled pool, let the strategy choose a
 * batch (the oracle reveals its labels), until {@code budget} labels;</li>
 * <li>"full" is the same classifier trained on every label of the pool; {@code labels_to_95pct_of_full} is the
 * first point of the mean curve (over seeds) at or above 95% of it; {@code efficiency_vs_random_95} is random's
 * labels ÷ the strategy's at that level (a lower bound when random never got there within the budget).</li>
 * </ol>
 * Every strategy sees the same pool, the same seeds' starting sets, the same classifier and the same budget. The
 * strategies' embeddings are the same principal components the classifier sees.
 */
public final class AlBenchmark {

	/** The strategies compared by default: every strategy that aims at accuracy (not class-targeted or review). */
	public static final List<String> DEFAULT_STRATEGIES = List.of("random", "least-confidence", "margin", "entropy", "core-set", "hybrid");

	public record Config(List<String> strategies, int seeds, int pool, int initial, int batch, int budget, int dims, int threads,
			int testLimit, long seed) {
		public Config {
			if (seeds < 1 || pool < 2 || initial < 1 || batch < 1 || budget < initial || dims < 1 || threads < 1 || testLimit < 1)
				throw new IllegalArgumentException("bench al needs seeds >= 1, pool >= 2, initial >= 1, batch >= 1, budget >= initial, dims >= 1, threads >= 1");
			for (String s : strategies) Strategies.byName(s);
			strategies = List.copyOf(strategies);
		}
	}

	/** One strategy's learning curve over seeds, and what it means in labels. */
	public record StrategyResult(String strategy, int[] labels, double[] mean, double[] sd, double[][] perSeed, Integer labelsTo95,
			Integer labelsTo98, Double efficiency95, Double efficiency98, boolean efficiency95LowerBound, boolean efficiency98LowerBound,
			double seconds) {
	}

	public record Report(Config config, Map<String, Object> machine, String dataset, String embedder, String classifier, int poolSize,
			int testSize, int classes, double fullAccuracy, List<StrategyResult> results, double embedSeconds, double totalSeconds) {

		public StrategyResult result(String strategy) {
			return results.stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow();
		}
	}

	private AlBenchmark() {
	}

	/** Embeds the dataset's pool and test images, then {@link #simulate}. */
	public static Report run(IdxDataset data, String datasetName, Config c, ClassifierSpec spec, PrintWriter log) {
		long t0 = System.nanoTime();
		int n = Math.min(c.pool(), data.train().count());
		int[] poolIdx = new int[data.train().count()];
		for (int i = 0; i < poolIdx.length; i++) poolIdx[i] = i;
		SplittableRandom rnd = new SplittableRandom(c.seed());
		for (int i = 0; i < n; i++) { // the pool: a seeded random subsample of the training images
			int j = i + rnd.nextInt(poolIdx.length - i);
			int t = poolIdx[i];
			poolIdx[i] = poolIdx[j];
			poolIdx[j] = t;
		}
		poolIdx = Arrays.copyOf(poolIdx, n);
		Arrays.sort(poolIdx);
		int nt = Math.min(c.testLimit(), data.test().count());
		FeatureEmbedder emb = new FeatureEmbedder();
		log.printf(Locale.ROOT, "Embedding %,d pool and %,d test images with %s…%n", n, nt, emb.id());
		log.flush();
		int[] pi = poolIdx;
		float[][] poolX = emb.embedAll(new java.util.AbstractList<>() {
			@Override public org.labelloop.core.learn.FloatImage get(int i) { return data.train().image(pi[i]); }
			@Override public int size() { return pi.length; }
		}, Progress.NONE);
		float[][] testX = emb.embedAll(data.test().images(nt), Progress.NONE);
		int[] poolY = new int[n], testY = Arrays.copyOf(data.test().labels(), nt);
		for (int i = 0; i < n; i++) poolY[i] = data.train().labels()[poolIdx[i]];
		float[][] sample = Arrays.copyOf(poolX, Math.min(5000, n)); // pool order is random within the train set
		Pca pca = Pca.fit(sample, Math.min(c.dims(), poolX[0].length), c.seed());
		poolX = pca.projectAll(poolX);
		testX = pca.projectAll(testX);
		double embedSeconds = (System.nanoTime() - t0) / 1e9;
		log.printf(Locale.ROOT, "Embedded and reduced to %d principal components in %.1f s%n", pca.components(), embedSeconds);
		log.flush();
		Report r = simulate(poolX, poolY, testX, testY, data.classes(), c, spec, log);
		return new Report(c, r.machine(), datasetName, emb.id() + " + PCA-" + pca.components(), r.classifier(), r.poolSize(), r.testSize(),
				r.classes(), r.fullAccuracy(), r.results(), embedSeconds, (System.nanoTime() - t0) / 1e9);
	}

	/** The loop on vectors already embedded: every strategy × seed, in parallel on {@code threads} threads. */
	public static Report simulate(float[][] poolX, int[] poolY, float[][] testX, int[] testY, int classes, Config c, ClassifierSpec spec,
			PrintWriter log) {
		long t0 = System.nanoTime();
		double full = accuracy(spec.train(poolX, poolY, classes, c.seed()), testX, testY);
		log.printf(Locale.ROOT, "Full: %s on all %,d pool labels, test accuracy %.4f%n", spec.id(), poolX.length, full);
		log.flush();
		int budget = Math.min(c.budget(), poolX.length);
		List<String> names = c.strategies();
		double[][][] acc = new double[names.size()][c.seeds()][];
		double[] seconds = new double[names.size()];
		int[][] grid = new int[1][];
		ExecutorService ex = Executors.newFixedThreadPool(c.threads());
		try {
			List<Future<?>> jobs = new ArrayList<>();
			for (int si = 0; si < names.size(); si++)
				for (int seed = 0; seed < c.seeds(); seed++) {
					int s = si, sd = seed;
					jobs.add(ex.submit(() -> {
						long t = System.nanoTime();
						Run run = loop(Strategies.byName(names.get(s)), poolX, poolY, testX, testY, classes, c, budget, spec, sd);
						double sec = (System.nanoTime() - t) / 1e9;
						synchronized (acc) {
							acc[s][sd] = run.accuracy;
							grid[0] = run.labels;
							seconds[s] += sec;
							log.printf(Locale.ROOT, "  %-16s seed %d: %,d labels, accuracy %.4f → %.4f (%.0f s)%n", names.get(s), sd,
									run.labels[run.labels.length - 1], run.accuracy[0], run.accuracy[run.accuracy.length - 1], sec);
							log.flush();
						}
						return null;
					}));
				}
			for (Future<?> f : jobs) f.get();
		} catch (Exception e) {
			throw new IllegalStateException("bench al failed: " + e.getMessage(), e);
		} finally {
			ex.shutdownNow();
		}
		List<StrategyResult> results = summarise(names, grid[0], acc, full, seconds);
		return new Report(c, Machine.describe(), "vectors", "given", spec.id(), poolX.length, testX.length, classes, full, results, 0,
				(System.nanoTime() - t0) / 1e9);
	}

	private record Run(int[] labels, double[] accuracy) {
	}

	/** One strategy, one seed: initial random labels, then train → measure → select → reveal until the budget. */
	static Run loop(Strategy strategy, float[][] x, int[] y, float[][] testX, int[] testY, int classes, Config c, int budget,
			ClassifierSpec spec, int seed) {
		int n = x.length;
		boolean[] labelled = new boolean[n];
		List<Integer> order = new ArrayList<>();
		SplittableRandom rnd = new SplittableRandom(c.seed() * 1_000_003L + seed); // the start depends on the seed only
		int[] perm = new int[n];
		for (int i = 0; i < n; i++) perm[i] = i;
		for (int i = 0; i < Math.min(c.initial(), n); i++) {
			int j = i + rnd.nextInt(n - i);
			int t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
			labelled[perm[i]] = true;
			order.add(perm[i]);
		}
		List<Integer> labels = new ArrayList<>();
		List<Double> accuracy = new ArrayList<>();
		for (int round = 0;; round++) {
			int m = order.size();
			float[][] lx = new float[m][];
			int[] ly = new int[m];
			for (int i = 0; i < m; i++) {
				lx[i] = x[order.get(i)];
				ly[i] = y[order.get(i)];
			}
			TrainedClassifier clf = spec.train(lx, ly, classes, c.seed() + seed);
			labels.add(m);
			accuracy.add(accuracy(clf, testX, testY));
			if (m >= budget || m >= n) break;
			int u = n - m;
			long[] ids = new long[u];
			float[][] ux = new float[u][];
			for (int i = 0, j = 0; i < n; i++)
				if (!labelled[i]) {
					ids[j] = i;
					ux[j++] = x[i];
				}
			float[][] p = toFloat(clf.probabilitiesAll(ux));
			long[] lid = new long[m];
			for (int i = 0; i < m; i++) lid[i] = order.get(i);
			List<String> names = new ArrayList<>();
			for (int k = 0; k < classes; k++) names.add(Integer.toString(k));
			Pool pool = Pool.builder(names).unlabelled(ids, p, ux).labelled(lid, ly, null, lx).build();
			Result r = strategy.select(pool, Math.min(c.batch(), budget - m), Options.DEFAULT.withSeed(c.seed() * 7919L + seed * 104_729L + round));
			for (long id : r.ids()) {
				if (labelled[(int) id]) throw new IllegalStateException(strategy.name() + " chose labelled item " + id);
				labelled[(int) id] = true;
				order.add((int) id);
			}
		}
		return new Run(labels.stream().mapToInt(Integer::intValue).toArray(), accuracy.stream().mapToDouble(Double::doubleValue).toArray());
	}

	private static float[][] toFloat(double[][] p) {
		float[][] out = new float[p.length][];
		for (int i = 0; i < p.length; i++) {
			out[i] = new float[p[i].length];
			for (int j = 0; j < p[i].length; j++) out[i][j] = (float) p[i][j];
		}
		return out;
	}

	static double accuracy(TrainedClassifier clf, float[][] x, int[] y) {
		double[][] p = clf.probabilitiesAll(x);
		int ok = 0;
		for (int i = 0; i < x.length; i++) {
			int b = 0;
			for (int j = 1; j < p[i].length; j++) if (p[i][j] > p[i][b]) b = j;
			if (b == y[i]) ok++;
		}
		return ok / (double) x.length;
	}

	/**
	 * Mean and spread of each strategy's curves, labels to 95% and 98% of full on the mean curve, and the efficiency
	 * against random at those levels.
	 *
	 * @param acc [strategy][seed][point] test accuracy at {@code grid[point]} labels
	 */
	static List<StrategyResult> summarise(List<String> names, int[] grid, double[][][] acc, double full, double[] seconds) {
		List<StrategyResult> out = new ArrayList<>();
		Integer random95 = null, random98 = null;
		int ri = names.indexOf("random");
		double[][] means = new double[names.size()][];
		for (int s = 0; s < names.size(); s++) means[s] = mean(acc[s]);
		if (ri >= 0) {
			random95 = reach(grid, means[ri], 0.95 * full);
			random98 = reach(grid, means[ri], 0.98 * full);
		}
		int last = grid[grid.length - 1];
		for (int s = 0; s < names.size(); s++) {
			Integer l95 = reach(grid, means[s], 0.95 * full), l98 = reach(grid, means[s], 0.98 * full);
			Double e95 = efficiency(ri >= 0, random95, l95, last), e98 = efficiency(ri >= 0, random98, l98, last);
			out.add(new StrategyResult(names.get(s), grid, means[s], sd(acc[s], means[s]), acc[s], l95, l98, e95, e98,
					ri >= 0 && random95 == null && l95 != null, ri >= 0 && random98 == null && l98 != null, seconds[s]));
		}
		return out;
	}

	/** Random's labels ÷ the strategy's; when random never got there, the budget's next step ÷ the strategy's (a lower bound). */
	private static Double efficiency(boolean haveRandom, Integer random, Integer strategy, int last) {
		if (!haveRandom || strategy == null) return null;
		return (random == null ? last + 1 : random) / (double) strategy;
	}

	/** The first label count where the curve is at or above the level, or null. */
	static Integer reach(int[] grid, double[] curve, double level) {
		for (int i = 0; i < grid.length; i++) if (curve[i] >= level) return grid[i];
		return null;
	}

	private static double[] mean(double[][] runs) {
		double[] m = new double[runs[0].length];
		for (double[] r : runs) for (int i = 0; i < m.length; i++) m[i] += r[i] / runs.length;
		return m;
	}

	private static double[] sd(double[][] runs, double[] mean) {
		double[] v = new double[mean.length];
		if (runs.length < 2) return v;
		for (double[] r : runs) for (int i = 0; i < v.length; i++) v[i] += (r[i] - mean[i]) * (r[i] - mean[i]) / (runs.length - 1);
		for (int i = 0; i < v.length; i++) v[i] = Math.sqrt(v[i]);
		return v;
	}

	/** The report as a text table. */
	public static String table(Report r) {
		StringBuilder b = new StringBuilder();
		Config c = r.config();
		b.append(String.format(Locale.ROOT, "bench al: %s, pool %,d, test %,d, %s, %s%n", r.dataset(), r.poolSize(), r.testSize(), r.embedder(),
				r.classifier()));
		b.append(String.format(Locale.ROOT, "  %d seeds, %d initial random labels, batch %d, budget %,d; full accuracy %.4f (95%%: %.4f, 98%%: %.4f)%n",
				c.seeds(), c.initial(), c.batch(), c.budget(), r.fullAccuracy(), 0.95 * r.fullAccuracy(), 0.98 * r.fullAccuracy()));
		b.append(String.format(Locale.ROOT, "  %-18s %10s %10s %8s %8s %16s %8s%n", "strategy", "to 95%", "to 98%", "eff 95", "eff 98",
				"acc at budget", "seconds"));
		for (StrategyResult s : r.results()) {
			int last = s.mean().length - 1;
			b.append(String.format(Locale.ROOT, "  %-18s %10s %10s %8s %8s %9.4f±%.4f %8.0f%n", s.strategy(), labels(s.labelsTo95(), c.budget()),
					labels(s.labelsTo98(), c.budget()), eff(s.efficiency95(), s.efficiency95LowerBound()),
					eff(s.efficiency98(), s.efficiency98LowerBound()), s.mean()[last], s.sd()[last], s.seconds()));
		}
		return b.toString();
	}

	private static String labels(Integer n, int budget) {
		return n == null ? String.format(Locale.ROOT, ">%,d", budget) : String.format(Locale.ROOT, "%,d", n);
	}

	private static String eff(Double e, boolean lowerBound) {
		return e == null ? "-" : (lowerBound ? "≥" : "") + String.format(Locale.ROOT, "%.2f", e);
	}

	/** Writes the report as JSON (snake_case keys). */
	public static void writeJson(Report r, Path file, Path png) throws IOException {
		Config c = r.config();
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("benchmark", "al");
		root.put("machine", r.machine());
		root.put("dataset", r.dataset());
		root.put("embedder", r.embedder());
		root.put("classifier", r.classifier());
		root.put("pool", r.poolSize());
		root.put("test", r.testSize());
		root.put("classes", r.classes());
		root.put("seeds", c.seeds());
		root.put("initial", c.initial());
		root.put("batch", c.batch());
		root.put("budget", c.budget());
		root.put("full_accuracy", round(r.fullAccuracy()));
		root.put("embed_seconds", round(r.embedSeconds()));
		root.put("total_seconds", round(r.totalSeconds()));
		if (png != null) root.put("plot", png.getFileName().toString());
		Map<String, Object> strategies = new LinkedHashMap<>();
		for (StrategyResult s : r.results()) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("labels_to_95pct_of_full", s.labelsTo95());
			m.put("labels_to_98pct_of_full", s.labelsTo98());
			m.put("efficiency_vs_random_95", s.efficiency95() == null ? null : round(s.efficiency95()));
			m.put("efficiency_vs_random_98", s.efficiency98() == null ? null : round(s.efficiency98()));
			m.put("efficiency_vs_random_95_is_lower_bound", s.efficiency95LowerBound());
			m.put("efficiency_vs_random_98_is_lower_bound", s.efficiency98LowerBound());
			m.put("seconds", round(s.seconds()));
			List<Map<String, Object>> curve = new ArrayList<>();
			for (int i = 0; i < s.labels().length; i++) {
				Map<String, Object> pt = new LinkedHashMap<>();
				pt.put("labels", s.labels()[i]);
				pt.put("accuracy_mean", round(s.mean()[i]));
				pt.put("accuracy_sd", round(s.sd()[i]));
				double lo = 1, hi = 0;
				for (double[] run : s.perSeed()) {
					lo = Math.min(lo, run[i]);
					hi = Math.max(hi, run[i]);
				}
				pt.put("accuracy_min", round(lo));
				pt.put("accuracy_max", round(hi));
				curve.add(pt);
			}
			m.put("curve", curve);
			strategies.put(s.strategy(), m);
		}
		root.put("strategies", strategies);
		if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
	}

	private static double round(double v) {
		return Math.round(v * 10000) / 10000.0;
	}
}
