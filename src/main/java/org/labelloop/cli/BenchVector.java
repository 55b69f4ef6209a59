package org.labelloop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.labelloop.bench.VectorBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench vector}: the options of {@link VectorBenchmark}, which does the work. */
@Command(name = "vector", mixinStandardHelpOptions = true,
		description = "Benchmark the vector index (Lucene HNSW vs exact) and the UMAP map; prints a table, writes JSON.")
public final class BenchVector implements Callable<Integer> {

	@CommandLine.Mixin
	BenchOutput output;

	@Option(names = "--sizes", split = ",", defaultValue = "1000000",
			description = "Synthetic set sizes (clustered vectors, 10 classes); 0 to skip. Default: ${DEFAULT-VALUE}.")
	List<Integer> sizes;

	@Option(names = "--dim", defaultValue = "128", description = "Synthetic vector length (default ${DEFAULT-VALUE}).")
	int dim;

	@Option(names = "--clusters", defaultValue = "100", description = "Synthetic clusters (default ${DEFAULT-VALUE}).")
	int clusters;

	@Option(names = "--dataset", defaultValue = "fashion-mnist",
			description = "fashion-mnist, a folder with the four IDX .gz files of that layout, or none. Default: ${DEFAULT-VALUE}.")
	String dataset;

	@Option(names = "--umap-sizes", split = ",", defaultValue = "10000,70000",
			description = "Items of the dataset laid out by UMAP (timed); empty or 0 to skip. Default: ${DEFAULT-VALUE}.")
	List<Integer> umapSizes;

	@Option(names = "--umap-threads", defaultValue = "1", description = "UMAP threads (1 is reproducible; default ${DEFAULT-VALUE}).")
	int umapThreads;

	@Option(names = "--queries", defaultValue = "100", description = "Timed queries per kind (default ${DEFAULT-VALUE}).")
	int queries;

	@Option(names = "--threads", description = "Indexing threads (default: all cores).")
	Integer threads;

	@Option(names = "--merge", defaultValue = "true", negatable = true, fallbackValue = "true",
			description = "Merge the index into one segment (one HNSW graph) before querying (default ${DEFAULT-VALUE}).")
	boolean merge;

	@Option(names = "--dataset-index", defaultValue = "true", negatable = true, fallbackValue = "true",
			description = "Index and query the dataset (default ${DEFAULT-VALUE}); --no-dataset-index times only its UMAP.")
	boolean datasetIndex;

	@Option(names = "--candidates", split = ",",
			description = "Candidates asked from the HNSW graph, k' = max(C, C/10·k); several values are measured on the same index. "
					+ "Default: the index's own rule (max(100, 10k), growing above 250,000 items).")
	List<Integer> candidates = new ArrayList<>();

	@Option(names = "--render-points", defaultValue = "100000",
			description = "Points of the Embedding Map's redraw timing (MapRaster, 1000x800 pixels); 0 to skip. Default: ${DEFAULT-VALUE}.")
	int renderPoints;

	@Option(names = "--numpy", defaultValue = "true", negatable = true, fallbackValue = "true",
			description = "Time numpy's exact top-10 (X @ q, argpartition) on the same vectors when python3 has numpy (default ${DEFAULT-VALUE}).")
	boolean numpy;

	@Option(names = "--python", defaultValue = "python3", description = "The Python that runs the numpy comparison (default ${DEFAULT-VALUE}).")
	String python;

	@Option(names = "--numpy-queries", defaultValue = "30", description = "Queries timed for the numpy comparison (default ${DEFAULT-VALUE}).")
	int numpyQueries;

	@Option(names = "--seed", defaultValue = "42")
	long seed;

	@Option(names = "--work", description = "Folder for the indexes (default: a temporary folder, deleted afterwards).")
	Path work;

	@Option(names = "--reuse-index", description = "With --work: query an index left there by an earlier run with the same items instead of building it again.")
	boolean reuseIndex;


	@Override
	public Integer call() throws Exception {
		var out = output.out();
		var r = new VectorBenchmark(new VectorBenchmark.Settings(sizes, dim, clusters, dataset, umapSizes, umapThreads, queries, threads, merge, datasetIndex, candidates, renderPoints, numpy, python, numpyQueries, seed, work, reuseIndex)).run(out);
		output.write(r);
		return 0;
	}
}
