package org.labelloop.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.labelloop.bench.AlBenchmark;
import org.labelloop.bench.CurvePlot;
import org.labelloop.bench.IdxDataset;
import org.labelloop.core.learn.ClassifierSpec;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench al}: the active-learning simulation; see {@link AlBenchmark}. */
@Command(name = "al", mixinStandardHelpOptions = true,
		description = "Replay labelling with an oracle: from a few random labels, each strategy picks batches, the classifier retrains, "
				+ "test accuracy is measured; learning curves, labels to 95%%/98%% of full-label accuracy, efficiency against random, and a PNG plot.")
public final class BenchAl implements Callable<Integer> {
	@Option(names = "--dataset", required = true,
			description = "fashion-mnist (Debian's dataset-fashion-mnist) or a folder with train-images-idx3-ubyte.gz, "
					+ "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.")
	String dataset;
	@Option(names = "--seeds", defaultValue = "5", description = "Repetitions with different starting labels (default: ${DEFAULT-VALUE}).")
	int seeds;
	@Option(names = "--strategies", split = ",", description = "Strategies to compare (default: random,least-confidence,margin,entropy,core-set,hybrid).")
	List<String> strategies = AlBenchmark.DEFAULT_STRATEGIES;
	@Option(names = "--pool", defaultValue = "20000", description = "Unlabelled pool: a random subsample of the training images (default: ${DEFAULT-VALUE}).")
	int pool;
	@Option(names = "--initial", defaultValue = "100", description = "Random labels to start from (default: ${DEFAULT-VALUE}).")
	int initial;
	@Option(names = "--batch", defaultValue = "100", description = "Labels per round (default: ${DEFAULT-VALUE}).")
	int batch;
	@Option(names = "--budget", defaultValue = "4000", description = "Labels to stop at (default: ${DEFAULT-VALUE}).")
	int budget;
	@Option(names = "--dims", defaultValue = "64", description = "Principal components of the built-in features (default: ${DEFAULT-VALUE}).")
	int dims;
	@Option(names = "--test-limit", defaultValue = "2147483647", description = "Use at most this many test images.")
	int testLimit;
	@Option(names = "--threads", description = "Simulations run at once (default: the number of cores).")
	Integer threads;
	@Option(names = "--seed", defaultValue = "1", description = "Seed of the pool subsample and everything else (default: ${DEFAULT-VALUE}).")
	long seed;
	@CommandLine.Mixin
	BenchOutput output;
	@Option(names = "--png", description = "Write the plot here (default: the JSON file's name with .png, or al-curves.png).")
	Path png;

	@Override
	public Integer call() throws Exception {
		AlBenchmark.Config c = new AlBenchmark.Config(strategies, seeds, pool, initial, batch, budget, dims,
				threads == null ? Runtime.getRuntime().availableProcessors() : threads, testLimit, seed);
		IdxDataset data = IdxDataset.open(dataset);
		PrintWriter out = output.out();
		// Logistic regression, the project's default classifier, on the principal components.
		AlBenchmark.Report r = AlBenchmark.run(data, dataset, c, ClassifierSpec.logistic(), out);
		out.print(AlBenchmark.table(r));
		Path plot = png != null ? png
				: output.json != null ? output.json.resolveSibling(output.json.getFileName().toString().replaceFirst("\\.json$", "") + ".png") : Path.of("al-curves.png");
		CurvePlot.write(r, plot);
		out.println("Wrote " + plot);
		output.write(file -> AlBenchmark.writeJson(r, file, plot));
		return 0;
	}
}
