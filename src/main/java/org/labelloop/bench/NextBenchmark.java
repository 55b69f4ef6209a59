package org.labelloop.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.labelloop.core.al.Options;
import org.labelloop.core.al.Pool;
import org.labelloop.core.al.Result;
import org.labelloop.core.al.Strategies;
import org.labelloop.core.al.Strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code bench next}: how fast Next Image chooses.
 * <ul>
 * <li>Picking the next item (k = 1) among {@code candidates} unlabelled items with {@code classes}-class probabilities,
 * for least-confidence, margin and entropy: p50 and p95 over {@code repetitions} timed runs after warm-up, each on a
 * new pool snapshot (the first pick after a retrain, which computes every item's uncertainty), and of a second pick
 * on the same snapshot (which only scans the cached uncertainties). The
 * probabilities are softmaxes of Gaussian logits with a random temperature per item (Dirichlet-like: from nearly flat
 * to nearly certain).</li>
 * <li>A hybrid batch of {@code batch} among {@code batchItems} items with {@code dim}-dimensional embeddings drawn
 * around {@code clusters} centres: seconds per batch (median and max over {@code batchRepetitions}), and how many
 * different clusters the batch covers.</li>
 * </ul>
 * Building a snapshot (done once per model version) is not timed; the choice is.
 */
public final class NextBenchmark {

	/** The strategies timed for a single pick. */
	public static final List<String> SINGLE = List.of("least-confidence", "margin", "entropy");

	public record Config(int candidates, int classes, int repetitions, int batchItems, int dim, int batch, int clusters,
			int batchRepetitions, long seed) {
		/** The benchmark: 1,000,000 candidates, 10 classes; batch of 32 among 100,000 items, 128-d. */
		public static Config standard() {
			return new Config(1_000_000, 10, 30, 100_000, 128, 32, 50, 5, 1);
		}
	}

	/**
	 * Milliseconds to pick one item: {@code p50Ms}, {@code p95Ms}, {@code maxMs} for the first pick on a new snapshot
	 * (computes every candidate's uncertainty, then scans); {@code nextP50Ms}, {@code nextP95Ms} for a further pick on
	 * the same snapshot (scans the cached uncertainties); {@code cpuP50Ms}, {@code cpuP95Ms}: CPU time of the whole
	 * process (all threads) during the first pick, which is what it costs when the machine is shared.
	 */
	public record Single(String strategy, double p50Ms, double p95Ms, double maxMs, double nextP50Ms, double nextP95Ms, double cpuP50Ms,
			double cpuP95Ms) {
	}

	public record Batch(String strategy, double medianSeconds, double maxSeconds, int distinctClusters) {
	}

	public record Report(Config config, Map<String, Object> machine, List<Single> single, Batch batch) {
	}

	private NextBenchmark() {
	}

	public static Report run(Config c, PrintWriter log) {
		log.printf(Locale.ROOT, "Generating %,d probability vectors of %d classes…%n", c.candidates(), c.classes());
		log.flush();
		List<String> names = new ArrayList<>();
		for (int j = 0; j < c.classes(); j++) names.add("class" + j);
		long[] ids = ids(c.candidates());
		float[][] probs = probabilities(c.candidates(), c.classes(), c.seed());
		List<Single> single = new ArrayList<>();
		for (String name : SINGLE) {
			Strategy s = Strategies.byName(name);
			int warm = Math.max(3, c.repetitions() / 5);
			double[] cold = new double[c.repetitions()], hot = new double[c.repetitions()], cpu = new double[c.repetitions()];
			for (int r = -warm; r < c.repetitions(); r++) {
				// a new snapshot, as after a retrain: the first pick computes every item's uncertainty
				Pool pool = Pool.builder(names).unlabelled(ids, probs, null).build();
				long c0 = cpuNanos(), t = System.nanoTime();
				Result res = s.select(pool, 1, Options.DEFAULT);
				long t1 = System.nanoTime(), c1 = cpuNanos();
				// the next pick on the same snapshot (another labeller, the item after): only the scan
				Result res2 = s.select(pool, 1, Options.DEFAULT.withExclude(java.util.Set.of(res.ids()[0])));
				long t2 = System.nanoTime();
				if (res.isEmpty() || res2.isEmpty() || res.ids()[0] == res2.ids()[0]) throw new IllegalStateException(name + " chose wrongly");
				if (r >= 0) {
					cold[r] = (t1 - t) / 1e6;
					cpu[r] = (c1 - c0) / 1e6;
					hot[r] = (t2 - t1) / 1e6;
				}
			}
			Arrays.sort(cold);
			Arrays.sort(hot);
			Arrays.sort(cpu);
			single.add(new Single(name, percentile(cold, 50), percentile(cold, 95), cold[cold.length - 1], percentile(hot, 50),
					percentile(hot, 95), percentile(cpu, 50), percentile(cpu, 95)));
		}
		probs = null; // let the million rows go before the next pool
		log.printf(Locale.ROOT, "Generating %,d embeddings of %d dimensions in %d clusters…%n", c.batchItems(), c.dim(), c.clusters());
		log.flush();
		int[] cluster = new int[c.batchItems()];
		float[][] emb = clustered(c.batchItems(), c.dim(), c.clusters(), c.seed(), cluster);
		Pool bp = Pool.builder(names).unlabelled(ids(c.batchItems()), probabilities(c.batchItems(), c.classes(), c.seed() + 1), emb).build();
		Strategy hybrid = Strategies.byName("hybrid");
		hybrid.select(bp, c.batch(), Options.DEFAULT); // warm-up
		double[] sec = new double[c.batchRepetitions()];
		int distinct = 0;
		for (int r = 0; r < sec.length; r++) {
			long t = System.nanoTime();
			Result res = hybrid.select(bp, c.batch(), Options.DEFAULT.withSeed(r));
			sec[r] = (System.nanoTime() - t) / 1e9;
			Set<Integer> cl = new HashSet<>();
			for (long id : res.ids()) cl.add(cluster[(int) id]);
			distinct = cl.size();
		}
		Arrays.sort(sec);
		return new Report(c, Machine.describe(), single, new Batch("hybrid", percentile(sec, 50), sec[sec.length - 1], distinct));
	}

	/** CPU time of the whole process (every thread), or 0 where the JVM cannot tell. */
	static long cpuNanos() {
		return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
				? os.getProcessCpuTime() : 0;
	}

	/** Nearest-rank percentile of sorted values. */
	static double percentile(double[] sorted, double p) {
		int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
	}

	static long[] ids(int n) {
		long[] ids = new long[n];
		for (int i = 0; i < n; i++) ids[i] = i;
		return ids;
	}

	/** Softmax of N(0,1) logits times a temperature drawn in [0.3, 5.3] per item. */
	static float[][] probabilities(int n, int c, long seed) {
		SplittableRandom r = new SplittableRandom(seed);
		float[][] p = new float[n][c];
		double[] z = new double[c];
		for (int i = 0; i < n; i++) {
			double scale = 0.3 + 5 * r.nextDouble(), sum = 0;
			for (int j = 0; j < c; j++) sum += z[j] = Math.exp(scale * gauss(r));
			for (int j = 0; j < c; j++) p[i][j] = (float) (z[j] / sum);
		}
		return p;
	}

	/** Points around {@code k} centres drawn from N(0, 4²); unit-variance noise. Writes each point's cluster. */
	static float[][] clustered(int n, int d, int k, long seed, int[] cluster) {
		SplittableRandom r = new SplittableRandom(seed);
		float[][] centre = new float[k][d];
		for (float[] c : centre) for (int j = 0; j < d; j++) c[j] = (float) (4 * gauss(r));
		float[][] x = new float[n][d];
		for (int i = 0; i < n; i++) {
			int c = r.nextInt(k);
			cluster[i] = c;
			for (int j = 0; j < d; j++) x[i][j] = centre[c][j] + (float) gauss(r);
		}
		return x;
	}

	static double gauss(SplittableRandom r) {
		return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
	}

	/** The report as a text table. */
	public static String table(Report rep) {
		Config c = rep.config();
		StringBuilder b = new StringBuilder();
		b.append(String.format(Locale.ROOT, "Next item among %,d candidates, %d classes (%d runs)%n", c.candidates(), c.classes(), c.repetitions()));
		b.append(String.format(Locale.ROOT, "  %-18s %9s %9s %9s %14s   %s%n", "strategy", "p50 ms", "p95 ms", "max ms", "CPU p50/p95",
				"next pick, same snapshot: p50 / p95 ms"));
		for (Single s : rep.single())
			b.append(String.format(Locale.ROOT, "  %-18s %9.1f %9.1f %9.1f %6.1f / %5.1f   %.1f / %.1f%n", s.strategy(), s.p50Ms(), s.p95Ms(),
					s.maxMs(), s.cpuP50Ms(), s.cpuP95Ms(), s.nextP50Ms(), s.nextP95Ms()));
		Batch h = rep.batch();
		b.append(String.format(Locale.ROOT, "Hybrid batch of %d among %,d items, %d-d embeddings in %d clusters (%d runs)%n", c.batch(),
				c.batchItems(), c.dim(), c.clusters(), c.batchRepetitions()));
		b.append(String.format(Locale.ROOT, "  median %.3f s, max %.3f s, %d distinct clusters in the batch%n", h.medianSeconds(),
				h.maxSeconds(), h.distinctClusters()));
		return b.toString();
	}

	/** Writes the report as JSON (snake_case keys). */
	public static void writeJson(Report rep, Path file) throws IOException {
		Config c = rep.config();
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("benchmark", "next");
		root.put("machine", rep.machine());
		Map<String, Object> next = new LinkedHashMap<>();
		next.put("candidates", c.candidates());
		next.put("classes", c.classes());
		next.put("repetitions", c.repetitions());
		Map<String, Object> per = new LinkedHashMap<>();
		for (Single s : rep.single()) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("p50_ms", round(s.p50Ms()));
			m.put("p95_ms", round(s.p95Ms()));
			m.put("max_ms", round(s.maxMs()));
			m.put("cpu_p50_ms", round(s.cpuP50Ms()));
			m.put("cpu_p95_ms", round(s.cpuP95Ms()));
			m.put("next_p50_ms", round(s.nextP50Ms()));
			m.put("next_p95_ms", round(s.nextP95Ms()));
			per.put(s.strategy(), m);
		}
		next.put("strategies", per);
		root.put("next", next);
		// the top-level figure: the slowest strategy's p95 of the first pick after new predictions
		root.put("first_pick_p95_ms", round(rep.single().stream().mapToDouble(Single::p95Ms).max().orElse(Double.NaN)));
		Map<String, Object> batch = new LinkedHashMap<>();
		batch.put("strategy", rep.batch().strategy());
		batch.put("items", c.batchItems());
		batch.put("dim", c.dim());
		batch.put("batch", c.batch());
		batch.put("clusters", c.clusters());
		batch.put("repetitions", c.batchRepetitions());
		batch.put("median_seconds", round(rep.batch().medianSeconds()));
		batch.put("max_seconds", round(rep.batch().maxSeconds()));
		batch.put("distinct_clusters", rep.batch().distinctClusters());
		root.put("batch", batch);
		Map<String, Object> goals = new LinkedHashMap<>();
		goals.put("next_p95_ms_max", 30);
		goals.put("batch_seconds_max", 1);
		goals.put("met", rep.single().stream().allMatch(s -> s.p95Ms() <= 30) && rep.batch().maxSeconds() <= 1);
		root.put("goals", goals);
		if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
		new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
	}

	private static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}
}
