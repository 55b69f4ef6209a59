package org.labelloop.bench;

import org.labelloop.core.store.Folders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.labelloop.core.map.EmbeddingMap;
import org.labelloop.core.model.Progress;
import org.labelloop.core.vector.Filter;
import org.labelloop.core.vector.Hit;
import org.labelloop.core.vector.LuceneVectorIndex;
import org.labelloop.core.vector.LuceneVectorIndex.Mode;
import org.labelloop.core.vector.RecommendStrategy;
import org.labelloop.core.vector.VectorItem;

/**
 * The vector benchmark ({@code labelloop bench vector}): the embedded vector index and the 2D map on synthetic clustered vectors and on
 * Fashion-MNIST (or any folder of IDX files in its layout): build time, recall@10 of approximate against exact
 * search, queries/s and latency of plain, filtered and recommend queries beside exact brute force in the same run,
 * and the UMAP time. Prints a table and writes JSON. Not a test: numbers depend on the machine.
 */
public final class VectorBenchmark {


	private final List<Integer> sizes;

	private final int dim;

	private final int clusters;

	private final String dataset;

	private final List<Integer> umapSizes;

	private final int umapThreads;

	private final int queries;

	private final Integer threads;

	private final boolean merge;

	private final boolean datasetIndex;

	private final List<Integer> candidates;

	private final int renderPoints;

	private final boolean numpy;

	private final String python;

	private final int numpyQueries;

	private final long seed;

	private final Path work;

	private final boolean reuseIndex;



	/** What to run: the command line's options ({@code labelloop bench vector --help}). */
	public record Settings(List<Integer> sizes, int dim, int clusters, String dataset, List<Integer> umapSizes, int umapThreads, int queries, Integer threads, boolean merge, boolean datasetIndex, List<Integer> candidates, int renderPoints, boolean numpy, String python, int numpyQueries, long seed, Path work, boolean reuseIndex) {
	}

	public VectorBenchmark(Settings s) {
		this.sizes = s.sizes();
		this.dim = s.dim();
		this.clusters = s.clusters();
		this.dataset = s.dataset();
		this.umapSizes = s.umapSizes();
		this.umapThreads = s.umapThreads();
		this.queries = s.queries();
		this.threads = s.threads();
		this.merge = s.merge();
		this.datasetIndex = s.datasetIndex();
		this.candidates = s.candidates();
		this.renderPoints = s.renderPoints();
		this.numpy = s.numpy();
		this.python = s.python();
		this.numpyQueries = s.numpyQueries();
		this.seed = s.seed();
		this.work = s.work();
		this.reuseIndex = s.reuseIndex();
	}

	private static final int K = 10;
	/** A payload field with 10 values drawn at random, unrelated to the vectors. */
	static final String BUCKET = "bucket";

	static String bucket(long seed, int i) {
		return Integer.toString(Math.floorMod(new Random(seed * 31 + i).nextInt(), 10));
	}

	/** Runs everything asked, prints the table and returns the results (the JSON the command writes). */
	public Map<String, Object> run(PrintWriter out) throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		int indexThreads = threads == null ? cores : Math.max(1, threads);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("bench", "vector");
		result.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		result.put("machine", machine());
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("k", K);
		settings.put("queries_per_kind", queries);
		settings.put("index_threads", indexThreads);
		settings.put("merge_to_one_segment", merge);
		settings.put("hnsw", "M=16, beamWidth=100, unquantized float32, cosine");
		settings.put("candidates", candidates.isEmpty() ? List.of("default: max(100, 10k), times (n / 250,000)^0.8 above 250,000 items")
				: candidates.stream().map(c -> "max(" + c + ", " + Math.max(1, c / 10) + "k)").toList());
		settings.put("filters", "filtered_10pct: a payload field of 10 random values; filtered_10pct_class: the class (follows the vectors)");
		settings.put("labelloop", "what LabelLoop answers (Mode.AUTO): exact up to 10,000 matching items or a filter keeping up to 25%, the HNSW graph beyond");
		settings.put("exact", "brute force over the stored vectors of every matching item, same index, same run");
		settings.put("timing", "one query at a time on one thread; queries/s = queries / total time");
		settings.put("seed", seed);
		result.put("settings", settings);
		List<Map<String, Object>> sets = new ArrayList<>();
		result.put("datasets", sets);
		List<Map<String, Object>> umaps = new ArrayList<>();
		result.put("umap", umaps);

		Path root = work != null ? Files.createDirectories(work) : Files.createTempDirectory("labelloop-bench-vector");
		try {
			for (int n : sizes) {
				if (n <= 0) continue;
				Synthetic syn = new Synthetic(n, dim, clusters, seed);
				sets.add(runIndex("synthetic", n, dim, syn::item, syn::query, root.resolve("synthetic-" + n), indexThreads, out));
			}
			Dataset ds = dataset == null || dataset.equalsIgnoreCase("none") ? null : Dataset.load(dataset);
			if (ds != null) {
				IntFunction<VectorItem> item = i -> new VectorItem(ds.name + ":" + i, ds.vectors[i],
						Map.of(VectorItem.CLASS, "c" + ds.labels[i], VectorItem.KIND, "image", VectorItem.SPLIT, i < ds.train ? "train" : "test",
								BUCKET, bucket(seed, i)));
				Random qr = new Random(seed + 1);
				IntFunction<float[]> query = q -> ds.vectors[qr.nextInt(ds.vectors.length)];
				if (datasetIndex)
					sets.add(runIndex(ds.name, ds.vectors.length, ds.vectors[0].length, item, query, root.resolve(ds.name), indexThreads, out));
				for (int n : umapSizes)
					if (n > 0) umaps.add(runUmap(ds, Math.min(n, ds.vectors.length), out));
			}
		} finally {
			if (work == null) Folders.delete(root);
		}
		if (renderPoints > 0) result.put("map_render", runRender(renderPoints, out));
		for (Map<String, Object> set : sets) {
			if (!"synthetic".equals(set.get("name")) || ((Number) set.get("items")).intValue() != 1_000_000) continue;
			if (set.get("exact_vs_numpy") instanceof Map<?, ?> m) result.put("exact_vs_numpy_1m", m.get("ratio"));
			// issue 17's figures at a million: the plain graph query (throughput on every core), the 10% filter, the build
			if (set.get("queries") instanceof Map<?, ?> kinds && kinds.get("plain") instanceof Map<?, ?> plain
					&& kinds.get("filtered_10pct") instanceof Map<?, ?> filtered) {
				result.put("hnsw_qps_1m", ((Map<?, ?>) plain.get("concurrent")).get("qps"));
				result.put("hnsw_recall_1m", plain.get("recall_at_10"));
				result.put("hnsw_p95_ms_1m", ((Map<?, ?>) plain.get("labelloop")).get("p95_ms"));
				result.put("filtered_qps_1m", ((Map<?, ?>) filtered.get("concurrent")).get("qps"));
				result.put("filtered_recall_1m", filtered.get("recall_at_10"));
			}
			result.put("build_merge_s_1m", round(((Number) set.getOrDefault("build_s", 0.0)).doubleValue()
					+ ((Number) set.getOrDefault("merge_s", 0.0)).doubleValue()));
		}
		result.put("load_average_at_end", loadAverage());
		result.put("goals", goals(sets, umaps));
		printTable(result, out);
		return result;
	}

	// ---------------------------------------------------------------------------------------------- index runs

	private Map<String, Object> runIndex(String name, int n, int d, IntFunction<VectorItem> item, IntFunction<float[]> query, Path folder,
			int indexThreads, PrintWriter out) throws Exception {
		log(out, "%s: indexing %,d × %d with %d thread(s)…", name, n, d, indexThreads);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("name", name);
		r.put("items", n);
		r.put("dimension", d);
		LuceneVectorIndex.Options options = new LuceneVectorIndex.Options().autoCommit(false).ramBufferMB(1024).mergeThreads(indexThreads);
		try (LuceneVectorIndex index = LuceneVectorIndex.open(folder, options)) {
			if (reuseIndex && work != null && index.count(Filter.ALL) == n) {
				log(out, "  reusing the index in %s (%d segment(s))", folder, index.segments());
				r.put("build_s", 0.0);
				r.put("index_reused", true);
				r.put("segments", index.segments());
				r.put("index_mb", round(Folders.bytes(folder) / 1e6));
				return queryIndex(r, index, name, n, d, item, query, folder, out);
			}
			long t0 = System.nanoTime();
			ExecutorService pool = Executors.newFixedThreadPool(indexThreads);
			List<Future<?>> jobs = new ArrayList<>();
			int batch = 2000;
			for (int t = 0; t < indexThreads; t++) {
				int thread = t;
				jobs.add(pool.submit(() -> {
					for (int from = thread * batch; from < n; from += indexThreads * batch) {
						List<VectorItem> items = new ArrayList<>(batch);
						for (int i = from; i < Math.min(n, from + batch); i++) items.add(item.apply(i));
						index.upsert(items);
						if (thread == 0 && (from / batch) % 50 == 0) log(out, "  %,d / %,d", from, n);
					}
					return null;
				}));
			}
			for (Future<?> f : jobs) f.get();
			pool.shutdown();
			index.commit();
			double build = seconds(t0);
			r.put("build_s", round(build));
			r.put("segments_after_build", index.segments());
			log(out, "  built in %.1f s, %d segment(s)", build, index.segments());
			if (merge && index.segments() > 1) {
				t0 = System.nanoTime();
				index.forceMerge(1);
				double m = seconds(t0);
				r.put("merge_s", round(m));
				log(out, "  merged into one segment in %.1f s", m);
			}
			r.put("segments", index.segments());
			r.put("index_mb", round(Folders.bytes(folder) / 1e6));
			return queryIndex(r, index, name, n, d, item, query, folder, out);
		}
	}

	/** The timed queries of {@link #runIndex} on a built index. */
	private Map<String, Object> queryIndex(Map<String, Object> r, LuceneVectorIndex index, String name, int n, int d, IntFunction<VectorItem> item,
			IntFunction<float[]> query, Path folder, PrintWriter out) throws Exception {
		{
			Random rnd = new Random(seed + 7);
			Map<String, Object> kinds = new LinkedHashMap<>();
			String unfilteredPath = index.searchesExactly(Filter.ALL) ? "exact" : "approximate";
			kinds.put("plain", measure(out, index, name + " plain", unfilteredPath, i -> {
				float[] q = query.apply(i);
				return m -> index.knn(q, K, Filter.ALL, m);
			}, true));
			// 10% of the items by a field unrelated to the vectors (like "not reviewed yet")…
			String bucketPath = index.searchesExactly(Filter.ALL.must(BUCKET, "0")) ? "exact" : "approximate";
			kinds.put("filtered_10pct", measure(out, index, name + " filtered (bucket)", bucketPath, i -> {
				float[] q = query.apply(i);
				Filter f = Filter.ALL.must(BUCKET, Integer.toString(rnd.nextInt(10)));
				return m -> index.knn(q, K, f, m);
			}, true));
			// …and by class, which follows the vectors: mostly another class than the query's, far from it
			String classPath = index.searchesExactly(Filter.ALL.must(VectorItem.CLASS, "c0")) ? "exact" : "approximate";
			kinds.put("filtered_10pct_class", measure(out, index, name + " filtered (class)", classPath, i -> {
				float[] q = query.apply(i);
				Filter f = Filter.ALL.must(VectorItem.CLASS, "c" + rnd.nextInt(10));
				return m -> index.knn(q, K, f, m);
			}));
			// Examples as a user picks them in the Similar Items gallery: an item, a second one from its 20 nearest,
			// and as the negative a near item of another class (the confusing neighbour), else any item.
			String idPrefix = item.apply(0).id().substring(0, item.apply(0).id().indexOf(':') + 1);
			List<List<List<String>>> examples = new ArrayList<>();
			for (int i = 0; i < queries + Math.min(20, Math.max(2, queries / 5)); i++) {
				String p1 = idPrefix + rnd.nextInt(n);
				VectorItem first = index.get(p1).orElseThrow();
				List<Hit> near = index.knn(first.vector(), 50, Filter.ALL, Mode.APPROXIMATE);
				List<Hit> alike = near.subList(1, Math.min(near.size(), 21));
				String p2 = alike.isEmpty() ? idPrefix + rnd.nextInt(n) : alike.get(rnd.nextInt(alike.size())).id();
				String cls = first.payload().get(VectorItem.CLASS);
				String negative = near.stream().filter(h -> !h.id().equals(p1) && !h.id().equals(p2) && !cls.equals(h.payload().get(VectorItem.CLASS)))
						.map(Hit::id).findFirst().orElse(idPrefix + rnd.nextInt(n));
				if (negative.equals(p1) || negative.equals(p2)) negative = idPrefix + ((Integer.parseInt(p1.substring(idPrefix.length())) + 1) % n);
				examples.add(List.of(p1.equals(p2) ? List.of(p1) : List.of(p1, p2), List.of(negative)));
			}
			for (RecommendStrategy s : RecommendStrategy.values())
				kinds.put("recommend_" + s.key(), measure(out, index, name + " recommend " + s.key(), unfilteredPath, i -> {
					List<List<String>> ex = examples.get(i);
					return m -> index.recommend(ex.get(0), ex.get(1), K, Filter.ALL, s, m);
				}));
			r.put("queries", kinds);
			if (numpy) r.put("exact_vs_numpy", againstNumpy(index, n, d, item, query, idPrefix, folder.resolveSibling(folder.getFileName() + ".f32"), out));
		}
		return r;
	}

	/**
	 * LabelLoop's exact top-10 ({@link Mode#EXACT}) against numpy's ({@code s = X @ q}, {@code argpartition}, sort the 10)
	 * on the same unit vectors and queries, in this run: the vectors go to a raw float32 file that a python3 subprocess
	 * reads; the two sides then take turns, 5 queries at a time (3 warm-up queries first), each timing its own search. {@code ratio} is numpy's mean time
	 * over ours (≥ 1: ours is as fast or faster); {@code top10_agreement} the share of numpy's top-10 ids we return.
	 */
	private Map<String, Object> againstNumpy(LuceneVectorIndex index, int n, int d, IntFunction<VectorItem> item, IntFunction<float[]> query,
			String idPrefix, Path file, PrintWriter out) throws Exception {
		Map<String, Object> r = new LinkedHashMap<>();
		if (!pythonHasNumpy(python)) {
			r.put("skipped", "python3 without numpy (apt-get install python3-numpy)");
			log(out, "  numpy comparison skipped: python3 without numpy");
			return r;
		}
		int warm = 3, nq = Math.max(1, numpyQueries);
		List<float[]> qs = new ArrayList<>();
		for (int i = 0; i < warm + nq; i++) qs.add(org.labelloop.core.vector.Vectors.normalized(query.apply(1_000_000 + i)));
		Path queries = file.resolveSibling(file.getFileName() + ".queries");
		try {
			writeFloats(file, n, d, i -> org.labelloop.core.vector.Vectors.normalized(item.apply(i).vector()));
			writeFloats(queries, qs.size(), d, qs::get);
			// numpy answers one query per line on stdin, so that the two sides take turns, 5 queries each (which of them
			// goes first alternates), and a change in the machine's load falls on both alike
			String script = String.join("\n",
					"import sys, time, json, numpy as np",
					"n, d = int(sys.argv[3]), int(sys.argv[4])",
					"X = np.ascontiguousarray(np.fromfile(sys.argv[1], dtype='<f4').reshape(n, d))",
					"Q = np.fromfile(sys.argv[2], dtype='<f4').reshape(-1, d)",
					"X.sum()",
					"print(json.dumps({'numpy': np.__version__, 'python': sys.executable}), flush=True)",
					"for line in sys.stdin:",
					"    i = int(line)",
					"    if i < 0: break",
					"    t = time.perf_counter()",
					"    s = X @ Q[i]",
					"    top = np.argpartition(-s, 10)[:10]",
					"    top = top[np.argsort(-s[top], kind='stable')]",
					"    dt = time.perf_counter() - t",
					"    print(json.dumps({'t': dt, 'ids': [int(j) for j in top]}), flush=True)");
			long t0 = System.nanoTime();
			double loadBefore = loadAverage();
			Process p = new ProcessBuilder(python, "-c", script, file.toString(), queries.toString(), Integer.toString(n), Integer.toString(d))
					.redirectError(ProcessBuilder.Redirect.INHERIT).start();
			com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
			long[] npNs = new long[nq], ours = new long[nq];
			double agree = 0;
			com.fasterxml.jackson.databind.JsonNode info;
			try (java.io.BufferedReader fromPython = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
					PrintWriter to = new PrintWriter(new java.io.OutputStreamWriter(p.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
				String first = fromPython.readLine();
				if (first == null) throw new IOException("python3 failed to load the vectors for the numpy comparison");
				info = mapper.readTree(first);
				int batch = 5;
				List<Hit>[] hits = new List[qs.size()];
				com.fasterxml.jackson.databind.JsonNode[] answers = new com.fasterxml.jackson.databind.JsonNode[qs.size()];
				long[] npAll = new long[qs.size()], oursAll = new long[qs.size()];
				for (int from = 0; from < qs.size(); from += batch) {
					int to2 = Math.min(qs.size(), from + batch);
					for (int turn = 0; turn < 2; turn++) {
						if ((turn == 0) == ((from / batch) % 2 == 0)) {
							for (int i = from; i < to2; i++) {
								to.println(i);
								to.flush();
								String line = fromPython.readLine();
								if (line == null) throw new IOException("python3 stopped during the numpy comparison");
								answers[i] = mapper.readTree(line);
								npAll[i] = (long) (answers[i].get("t").asDouble() * 1e9);
							}
						} else {
							for (int i = from; i < to2; i++) {
								long t = System.nanoTime();
								hits[i] = index.knn(qs.get(i), 10, Filter.ALL, Mode.EXACT);
								oursAll[i] = System.nanoTime() - t;
							}
						}
						// OpenBLAS's threads spin for a while after a call: let them settle before the other side runs
						Thread.sleep(300);
					}
				}
				for (int i = warm; i < qs.size(); i++) {
					npNs[i - warm] = npAll[i];
					ours[i - warm] = oursAll[i];
					Set<String> got = new HashSet<>();
					for (Hit h : hits[i]) got.add(h.id());
					for (com.fasterxml.jackson.databind.JsonNode id : answers[i].get("ids")) if (got.contains(idPrefix + id.asInt())) agree += 0.1 / nq;
				}
				to.println(-1);
			}
			if (p.waitFor() != 0) throw new IOException("python3 failed on the numpy comparison");
			double numpySeconds = seconds(t0);
			com.fasterxml.jackson.databind.JsonNode np = info;
			double oursMean = Arrays.stream(ours).average().orElse(0), npMean = Arrays.stream(npNs).average().orElse(0);
			r.put("numpy_version", np.get("numpy").asText());
			r.put("python", np.get("python").asText());
			r.put("queries", nq);
			r.put("numpy_mean_ms", round(npMean / 1e6, 2));
			r.put("numpy_p50_ms", round(percentile(npNs, 50) / 1e6, 2));
			r.put("labelloop_mean_ms", round(oursMean / 1e6, 2));
			r.put("labelloop_p50_ms", round(percentile(ours, 50) / 1e6, 2));
			r.put("ratio", round(npMean / oursMean, 2));
			r.put("ratio_p50", round(percentile(npNs, 50) / percentile(ours, 50), 2));
			r.put("top10_agreement", round(agree, 3));
			r.put("load_before", loadBefore);
			r.put("load_after", loadAverage());
			r.put("seconds", round(numpySeconds));
			r.put("method", "numpy and LabelLoop take turns, 5 queries each (alternating who goes first, 0.3 s pause between turns for OpenBLAS's spinning threads to settle); each times its own search of the same queries");
			log(out, "  exact top-10 vs numpy on the same %,d x %d vectors: numpy %.2f ms, LabelLoop %.2f ms per query: ratio %.2f (>= 1: ours as fast); top-10 agreement %.3f; load %.1f -> %.1f",
					n, d, npMean / 1e6, oursMean / 1e6, npMean / oursMean, agree, loadBefore, loadAverage());
		} finally {
			Files.deleteIfExists(file);
			Files.deleteIfExists(queries);
		}
		return r;
	}

	private static boolean pythonHasNumpy(String python) {
		try {
			Process p = new ProcessBuilder(python, "-c", "import numpy").redirectErrorStream(true).start();
			p.getInputStream().readAllBytes();
			return p.waitFor() == 0;
		} catch (IOException e) {
			return false;
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** n vectors of d values as raw little-endian float32, one after the other. */
	private static void writeFloats(Path file, int n, int d, IntFunction<float[]> row) throws IOException {
		try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
				java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
			java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
			for (int i = 0; i < n; i++) {
				float[] v = row.apply(i);
				if (buf.remaining() < d * 4) {
					buf.flip();
					while (buf.hasRemaining()) ch.write(buf);
					buf.clear();
				}
				for (int j = 0; j < d; j++) buf.putFloat(v[j]);
			}
			buf.flip();
			while (buf.hasRemaining()) ch.write(buf);
		}
	}

	private interface Query {
		List<Hit> run(Mode mode);
	}

	/**
	 * Times LabelLoop's answers ({@link Mode#AUTO}: exact up to 10,000 matching items, the HNSW graph beyond) and exact
	 * brute-force answers of the same queries; recall@10 of the former against the latter. With several
	 * {@code --candidates} values, LabelLoop's answers are timed once per value (the exact ones once).
	 */
	private Map<String, Object> measure(PrintWriter out, LuceneVectorIndex index, String label, String path, IntFunction<Query> make) {
		return measure(out, index, label, path, make, false);
	}

	/**
	 * {@link #measure(PrintWriter, LuceneVectorIndex, String, String, IntFunction)}, and with {@code concurrent} also the
	 * same queries (three rounds) from one thread per core at once, as a server answering several labellers runs them:
	 * {@code concurrent.qps}, the throughput the goal of issue 17 is about ("on 2 threads").
	 */
	private Map<String, Object> measure(PrintWriter out, LuceneVectorIndex index, String label, String path, IntFunction<Query> make,
			boolean concurrent) {
		int warm = Math.min(20, Math.max(2, queries / 5));
		List<Query> qs = new ArrayList<>();
		for (int i = 0; i < queries + warm; i++) qs.add(make.apply(i));
		for (int i = 0; i < warm; i++) {
			qs.get(i).run(Mode.AUTO);
			qs.get(i).run(Mode.EXACT);
		}
		qs = qs.subList(warm, qs.size());
		long[] exact = new long[qs.size()];
		List<Set<String>> truth = new ArrayList<>();
		long e0 = System.nanoTime();
		for (int i = 0; i < qs.size(); i++) {
			long t = System.nanoTime();
			List<Hit> ex = qs.get(i).run(Mode.EXACT);
			exact[i] = System.nanoTime() - t;
			Set<String> ids = new HashSet<>();
			ex.forEach(h -> ids.add(h.id()));
			truth.add(ids);
		}
		double exactTotal = seconds(e0);
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("path", path);
		Map<String, Object> byCandidates = new LinkedHashMap<>();
		List<Integer> settings = candidates.isEmpty() ? java.util.Collections.singletonList(null) : candidates;
		for (Integer c : settings) {
			if (c != null) index.setCandidates(c, Math.max(1, c / 10));
			long[] approx = new long[qs.size()];
			double recall = 0;
			long a0 = System.nanoTime();
			for (int i = 0; i < qs.size(); i++) {
				long t = System.nanoTime();
				List<Hit> got = qs.get(i).run(Mode.AUTO);
				approx[i] = System.nanoTime() - t;
				Set<String> tr = truth.get(i);
				recall += tr.isEmpty() ? 1 : got.stream().filter(h -> tr.contains(h.id())).count() / (double) tr.size();
			}
			double approxTotal = seconds(a0);
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("labelloop", timing(approx, approxTotal));
			m.put("recall_at_10", round(recall / qs.size(), 4));
			m.put("speedup", round(exactTotal / approxTotal, 1));
			byCandidates.put(c == null ? "default" : Integer.toString(c), m);
			if (byCandidates.size() == 1) r.putAll(m);
			log(out, "  %-34s %-11s k'=%s recall@10 %.3f  labelloop %7.1f q/s p95 %6.2f ms  exact %7.1f q/s  ×%.1f", label, path,
					c == null ? "default" : "max(" + c + "," + Math.max(1, c / 10) + "k)", recall / qs.size(), qs.size() / approxTotal,
					percentile(approx, 95) / 1e6, qs.size() / exactTotal, exactTotal / approxTotal);
		}
		if (!candidates.isEmpty()) index.setCandidates(candidates.get(0), Math.max(1, candidates.get(0) / 10));
		if (concurrent) {
			int threads = Runtime.getRuntime().availableProcessors();
			double qps = concurrentQps(qs, threads, 3);
			r.put("concurrent", Map.of("threads", threads, "qps", round(qps, 1)));
			log(out, "  %-34s %-11s %d threads at once: %7.1f q/s", label, path, threads, qps);
		}
		r.put("exact", timing(exact, exactTotal));
		if (settings.size() > 1) r.put("by_candidates", byCandidates);
		return r;
	}

	/** Queries per second of {@code rounds} passes over the queries, shared out to {@code threads} threads at once. */
	private static double concurrentQps(List<Query> qs, int threads, int rounds) {
		ExecutorService ex = Executors.newFixedThreadPool(threads);
		try {
			java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
			int total = qs.size() * rounds;
			long t0 = System.nanoTime();
			List<Future<?>> parts = new ArrayList<>();
			for (int t = 0; t < threads; t++)
				parts.add(ex.submit(() -> {
					for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) qs.get(i % qs.size()).run(Mode.AUTO);
				}));
			for (Future<?> f : parts) f.get();
			return total / seconds(t0);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", e);
		} catch (java.util.concurrent.ExecutionException e) {
			throw new IllegalStateException("A query failed: " + e.getCause(), e.getCause());
		} finally {
			ex.shutdown();
		}
	}

	private static Map<String, Object> timing(long[] ns, double total) {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("qps", round(ns.length / total, 1));
		r.put("p50_ms", round(percentile(ns, 50) / 1e6, 3));
		r.put("p95_ms", round(percentile(ns, 95) / 1e6, 3));
		return r;
	}

	private static double percentile(long[] ns, double p) {
		long[] s = ns.clone();
		Arrays.sort(s);
		int i = (int) Math.ceil(p / 100 * s.length) - 1;
		return s[Math.max(0, Math.min(s.length - 1, i))];
	}

	// ---------------------------------------------------------------------------------------------- UMAP

	/**
	 * The Embedding Map's redraw: {@code n} points in 50 clusters drawn into a 1000×800 raster 60 times while zooming
	 * in and panning (what a wheel or drag event costs), and a lasso over a tenth of the view through the map index.
	 */
	private Map<String, Object> runRender(int n, PrintWriter out) {
		log(out, "Map redraw of %,d points…", n);
		Random r = new Random(seed);
		float[] x = new float[n], y = new float[n];
		int[] colours = new int[n];
		double[][] centres = new double[50][2];
		for (double[] c : centres) {
			c[0] = r.nextGaussian() * 10;
			c[1] = r.nextGaussian() * 10;
		}
		for (int i = 0; i < n; i++) {
			int c = r.nextInt(centres.length);
			x[i] = (float) (centres[c][0] + r.nextGaussian());
			y[i] = (float) (centres[c][1] + r.nextGaussian());
			colours[i] = 0xff000000 | (c * 0x3b5f17 & 0xffffff);
		}
		int w = 1000, h = 800;
		int[] pixels = new int[w * h];
		java.util.BitSet selected = new java.util.BitSet();
		for (int i = 0; i < n; i += 20) selected.set(i);
		org.labelloop.core.map.MapRaster.View view = org.labelloop.core.map.MapRaster.View.fit(x, y, w, h);
		for (int i = 0; i < 10; i++) org.labelloop.core.map.MapRaster.render(x, y, colours, selected, pixels, w, h, view, 2, 0xffffffff); // warm-up
		double[] ms = new double[60];
		for (int i = 0; i < ms.length; i++) {
			view = i % 2 == 0 ? view.zoom(1.05, w / 2.0, h / 2.0) : view.pan(7, -5);
			long t0 = System.nanoTime();
			org.labelloop.core.map.MapRaster.render(x, y, colours, selected, pixels, w, h, view, 2, 0xffffffff);
			ms[i] = (System.nanoTime() - t0) / 1e6;
		}
		double[] sorted = ms.clone();
		java.util.Arrays.sort(sorted);
		long t0 = System.nanoTime();
		org.labelloop.core.map.MapIndex index = new org.labelloop.core.map.MapIndex(x, y);
		double indexMs = (System.nanoTime() - t0) / 1e6;
		double cx = view.toDataX(w / 2.0), cy = view.toDataY(h / 2.0), rad = 0.15 * w / view.scale();
		double[] lx = new double[32], ly = new double[32];
		for (int i = 0; i < 32; i++) {
			lx[i] = cx + rad * Math.cos(i * Math.PI / 16);
			ly[i] = cy + rad * Math.sin(i * Math.PI / 16);
		}
		t0 = System.nanoTime();
		int lassoed = index.inside(org.labelloop.core.geom.Geometry.polygon(lx, ly, null)).length;
		double lassoMs = (System.nanoTime() - t0) / 1e6;
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("points", n);
		m.put("raster", w + "x" + h);
		m.put("redraw_ms_mean", round(java.util.Arrays.stream(ms).average().orElse(0)));
		m.put("redraw_ms_p95", round(sorted[(int) Math.ceil(0.95 * sorted.length) - 1]));
		m.put("map_index_build_ms", round(indexMs));
		m.put("lasso_ms", round(lassoMs));
		m.put("lasso_points", lassoed);
		log(out, "Map redraw of %,d points: mean %.1f ms, p95 %.1f ms; lasso of %,d points %.1f ms", n, m.get("redraw_ms_mean"), m.get("redraw_ms_p95"),
				lassoed, lassoMs);
		return m;
	}

	private Map<String, Object> runUmap(Dataset ds, int n, PrintWriter out) {
		log(out, "UMAP of %,d %s items (%d thread(s))…", n, ds.name, umapThreads);
		List<String> ids = new ArrayList<>(n);
		List<float[]> vs = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			ids.add(ds.name + ":" + i);
			vs.add(ds.vectors[i]);
		}
		long t0 = System.nanoTime();
		EmbeddingMap.Layout l = EmbeddingMap.compute(ids, vs, EmbeddingMap.Options.DEFAULT.withThreads(umapThreads), Progress.NONE);
		double s = seconds(t0);
		boolean placed = l.size() == n;
		for (int i = 0; i < l.size(); i++) placed &= Float.isFinite(l.x(i)) && Float.isFinite(l.y(i));
		// label purity of the 10 nearest map neighbours, on up to 1,000 points
		Random r = new Random(seed);
		int samples = Math.min(1000, n), same = 0, total = 0;
		for (int q = 0; q < samples; q++) {
			int p = r.nextInt(n);
			float px = l.x(p), py = l.y(p);
			Integer[] near = Stream.iterate(0, i -> i + 1).limit(n).filter(i -> i != p)
					.sorted(Comparator.comparingDouble(i -> sq(l.x(i) - px) + sq(l.y(i) - py))).limit(10).toArray(Integer[]::new);
			for (int j : near) {
				if (ds.labels[j] == ds.labels[p]) same++;
				total++;
			}
		}
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("dataset", ds.name);
		m.put("items", n);
		m.put("input_dimension", ds.vectors[0].length);
		m.put("seconds", round(s));
		m.put("method", l.method().name());
		m.put("threads", umapThreads);
		m.put("every_point_placed", placed);
		m.put("label_purity_10nn_2d", round(same / (double) Math.max(1, total), 3));
		log(out, "  %,d items: %.1f s, %s, every point placed: %s, 10-NN label purity %.3f", n, s, l.method(), placed, same / (double) Math.max(1, total));
		return m;
	}

	private static double sq(double v) {
		return v * v;
	}

	// ---------------------------------------------------------------------------------------------- goals and output

	private static Map<String, Object> goals(List<Map<String, Object>> sets, List<Map<String, Object>> umaps) {
		Map<String, Object> g = new LinkedHashMap<>();
		g.put("recall_at_10_min", 0.95);
		g.put("speedup_at_1M_min", 20);
		g.put("p95_ms_max", 10);
		g.put("umap_10k_s_max", 10);
		g.put("umap_70k_s_max", 120);
		List<String> misses = new ArrayList<>();
		for (Map<String, Object> s : sets) {
			@SuppressWarnings("unchecked")
			Map<String, Map<String, Object>> qs = (Map<String, Map<String, Object>>) s.get("queries");
			for (Map.Entry<String, Map<String, Object>> e : qs.entrySet()) {
				String where = s.get("name") + " " + s.get("items") + " " + e.getKey();
				double recall = ((Number) e.getValue().get("recall_at_10")).doubleValue();
				if (recall < 0.95) misses.add(where + ": recall@10 " + recall);
				@SuppressWarnings("unchecked")
				double p95 = ((Number) ((Map<String, Object>) e.getValue().get("labelloop")).get("p95_ms")).doubleValue();
				if (p95 > 10) misses.add(where + ": p95 " + p95 + " ms");
				double speedup = ((Number) e.getValue().get("speedup")).doubleValue();
				if (((Number) s.get("items")).intValue() >= 1_000_000 && speedup < 20) misses.add(where + ": speedup ×" + speedup);
			}
		}
		for (Map<String, Object> u : umaps) {
			int n = ((Number) u.get("items")).intValue();
			double sec = ((Number) u.get("seconds")).doubleValue();
			if (n == 10_000 && sec > 10) misses.add("UMAP 10k: " + sec + " s");
			if (n == 70_000 && sec > 120) misses.add("UMAP 70k: " + sec + " s");
			if (!Boolean.TRUE.equals(u.get("every_point_placed"))) misses.add("UMAP " + n + ": not every point placed");
		}
		g.put("missed", misses);
		g.put("all_met", misses.isEmpty());
		return g;
	}

	@SuppressWarnings("unchecked")
	private static void printTable(Map<String, Object> result, PrintWriter out) {
		out.println();
		out.println("bench vector — " + result.get("machine"));
		out.printf(Locale.ROOT, "%-26s %-26s %-11s %8s %10s %9s %10s %9s %8s%n", "dataset", "query", "path", "recall", "q/s", "p95 ms",
				"exact q/s", "p95 ms", "speedup");
		for (Map<String, Object> s : (List<Map<String, Object>>) result.get("datasets")) {
			String ds = String.format(Locale.ROOT, "%s %,d×%d", s.get("name"), s.get("items"), s.get("dimension"));
			out.printf(Locale.ROOT, "%-26s build %.1f s%s, %d segment(s), %.0f MB%n", ds, s.get("build_s"),
					s.containsKey("merge_s") ? String.format(Locale.ROOT, " + merge %.1f s", s.get("merge_s")) : "", s.get("segments"), s.get("index_mb"));
			for (Map.Entry<String, Object> e : ((Map<String, Object>) s.get("queries")).entrySet()) {
				Map<String, Object> q = (Map<String, Object>) e.getValue();
				Map<String, Object> a = (Map<String, Object>) q.get("labelloop"), x = (Map<String, Object>) q.get("exact");
				out.printf(Locale.ROOT, "%-26s %-26s %-11s %8.3f %10.1f %9.2f %10.1f %9.2f %7.1f×%n", "", e.getKey(), q.get("path"), q.get("recall_at_10"), a.get("qps"),
						a.get("p95_ms"), x.get("qps"), x.get("p95_ms"), q.get("speedup"));
			}
		}
		for (Map<String, Object> u : (List<Map<String, Object>>) result.get("umap"))
			out.printf(Locale.ROOT, "UMAP %s %,d items (%d-d, %d thread): %.1f s, %s, every point placed: %s, 10-NN label purity %.3f%n", u.get("dataset"),
					u.get("items"), u.get("input_dimension"), u.get("threads"), u.get("seconds"), u.get("method"), u.get("every_point_placed"),
					u.get("label_purity_10nn_2d"));
		Map<String, Object> g = (Map<String, Object>) result.get("goals");
		out.println("Goals met: " + g.get("all_met") + (((List<?>) g.get("missed")).isEmpty() ? "" : " — missed: " + g.get("missed")));
	}

	private static Map<String, Object> machine() {
		Map<String, Object> m = new LinkedHashMap<>();
		String cpu = System.getProperty("os.arch");
		try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
			cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
		} catch (IOException | RuntimeException e) {
			// not Linux: keep the architecture
		}
		m.put("cpu", cpu);
		m.put("cores", Runtime.getRuntime().availableProcessors());
		m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1 << 20));
		m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
		m.put("load_average_at_start", loadAverage());
		return m;
	}

	/** The 1-minute load average (other work on a shared machine skews the timings), or -1. */
	static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
		} catch (IOException | RuntimeException e) {
			return -1;
		}
	}

	private static void log(PrintWriter out, String format, Object... args) {
		System.err.println(String.format(Locale.ROOT, format, args));
	}

	private static double seconds(long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}

	private static double round(double v) {
		return round(v, 2);
	}

	private static double round(double v, int digits) {
		double f = Math.pow(10, digits);
		return Math.round(v * f) / f;
	}

	// ---------------------------------------------------------------------------------------------- data

	/**
	 * Seeded clustered vectors: {@code clusters} Gaussian centres N(0, 1) and items around them with σ = 0.6 per
	 * dimension; item i depends only on (seed, i), so any thread can make it; class = cluster mod 10 (10% each).
	 */
	static final class Synthetic {
		final int n, dim;
		final float[][] centres;
		final long seed;
		final Random queries;

		Synthetic(int n, int dim, int clusters, long seed) {
			this.n = n;
			this.dim = dim;
			this.seed = seed;
			Random r = new Random(seed);
			centres = new float[clusters][dim];
			for (float[] c : centres)
				for (int j = 0; j < dim; j++) c[j] = (float) r.nextGaussian();
			queries = new Random(seed ^ 0x5DEECE66DL);
		}

		VectorItem item(int i) {
			Random r = new Random(seed * 1_000_003L + i);
			int c = r.nextInt(centres.length);
			return new VectorItem("item:" + i, sample(c, r), Map.of(VectorItem.CLASS, "c" + (c % 10), VectorItem.KIND, "roi", BUCKET, bucket(seed, i)));
		}

		/** A new point (not in the index) from a random cluster. */
		synchronized float[] query(int q) {
			return sample(queries.nextInt(centres.length), queries);
		}

		private float[] sample(int c, Random r) {
			float[] v = new float[dim];
			for (int j = 0; j < dim; j++) v[j] = centres[c][j] + (float) (0.6 * r.nextGaussian());
			return v;
		}
	}

	/** A labelled image set in the Fashion-MNIST layout (read by {@link IdxDataset}); pixels scaled to [0, 1] are the vectors. */
	static final class Dataset {
		final String name;
		final float[][] vectors;
		final int[] labels;
		final int train;

		Dataset(String name, float[][] vectors, int[] labels, int train) {
			this.name = name;
			this.vectors = vectors;
			this.labels = labels;
			this.train = train;
		}

		static Dataset load(String spec) {
			IdxDataset d = IdxDataset.open(spec);
			int n = d.train().count() + d.test().count(), size = d.train().rows() * d.train().cols();
			float[][] x = new float[n][size];
			int[] y = new int[n];
			int i = 0;
			for (IdxDataset.Split part : List.of(d.train(), d.test()))
				for (int k = 0; k < part.count(); k++, i++) {
					for (int j = 0; j < size; j++) x[i][j] = (part.pixels()[k * size + j] & 0xff) / 255f;
					y[i] = part.labels()[k];
				}
			String name = spec.equalsIgnoreCase("fashion-mnist") ? "fashion-mnist" : d.folder().getFileName().toString().replaceAll("[^A-Za-z0-9_-]", "_");
			return new Dataset(name, x, y, d.train().count());
		}
	}
}
