package org.labelloop.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.labelloop.bench.NextBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench next}: time to choose the next item and a hybrid batch; see {@link NextBenchmark}. */
@Command(name = "next", mixinStandardHelpOptions = true,
		description = "Time picking the next item among many unlabelled candidates (least-confidence, margin, entropy: p50/p95 ms) "
				+ "and a hybrid batch among items with embeddings (seconds). Goals: p95 <= 30 ms, batch <= 1 s.")
public final class BenchNext implements Callable<Integer> {
	@Option(names = "--candidates", defaultValue = "1000000", description = "Unlabelled candidates for the single pick (default: ${DEFAULT-VALUE}).")
	int candidates;
	@Option(names = "--classes", defaultValue = "10", description = "Classes (default: ${DEFAULT-VALUE}).")
	int classes;
	@Option(names = "--repetitions", defaultValue = "30", description = "Timed picks per strategy (default: ${DEFAULT-VALUE}).")
	int repetitions;
	@Option(names = "--batch-items", defaultValue = "100000", description = "Items with embeddings for the hybrid batch (default: ${DEFAULT-VALUE}).")
	int batchItems;
	@Option(names = "--dim", defaultValue = "128", description = "Embedding dimensions (default: ${DEFAULT-VALUE}).")
	int dim;
	@Option(names = "--batch", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
	int batch;
	@Option(names = "--clusters", defaultValue = "50", description = "Clusters the embeddings are drawn around (default: ${DEFAULT-VALUE}).")
	int clusters;
	@Option(names = "--batch-repetitions", defaultValue = "5", description = "Timed batches (default: ${DEFAULT-VALUE}).")
	int batchRepetitions;
	@Option(names = "--seed", defaultValue = "1", description = "Random seed of the synthetic data (default: ${DEFAULT-VALUE}).")
	long seed;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		if (candidates < 1 || classes < 2 || repetitions < 1 || batchItems < batch || batch < 1 || dim < 1 || clusters < 1 || batchRepetitions < 1)
			throw new IllegalArgumentException("Need candidates >= 1, classes >= 2, repetitions >= 1, 1 <= batch <= batch-items, dim >= 1, clusters >= 1.");
		PrintWriter out = output.out();
		NextBenchmark.Report r = NextBenchmark.run(new NextBenchmark.Config(candidates, classes, repetitions, batchItems, dim, batch,
				clusters, batchRepetitions, seed), out);
		out.print(NextBenchmark.table(r));
		output.write(file -> NextBenchmark.writeJson(r, file));
		return 0;
	}
}
