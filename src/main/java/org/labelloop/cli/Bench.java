package org.labelloop.cli;

import org.labelloop.core.store.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.labelloop.bench.IdxDataset;
import org.labelloop.bench.IssuesBenchmark;
import org.labelloop.bench.TrainBenchmark;
import org.labelloop.bench.TrustBenchmark;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.model.Progress;


import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench}: benchmarks on labelled image sets, printed as a table and written as JSON. */
@Command(name = "bench", description = "Benchmarks on labelled image sets (see docs/benchmarks.md).", subcommands = { Bench.Train.class, BenchNext.class, BenchAl.class, Bench.Issues.class, BenchVector.class, BenchServer.class, BenchMigrate.class, BenchMasks.class, BenchSeg.class, Bench.Trust.class, BenchProject.class })
final class Bench {

	@Command(name = "train", description = "Embed a labelled image set with the built-in embedder, train a classifier, and measure speed and test accuracy.")
	static final class Train implements Callable<Integer> {
		@Option(names = "--dataset", required = true,
				description = "fashion-mnist (Debian's dataset-fashion-mnist) or a folder with train-images-idx3-ubyte.gz, "
						+ "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.")
		String dataset;
		@CommandLine.Mixin
		BenchOutput output;
		@Option(names = "--limit", defaultValue = "2147483647", description = "Use at most this many training and this many test images.")
		int limit;
		@Option(names = "--classifier", defaultValue = "logistic", description = "logistic (default) or forest.")
		String classifier;
		@Option(names = "--cnn-epochs", defaultValue = "2", description = "Epochs of in-process CNN training (DJL PyTorch, CPU); 0 skips the CNN.")
		int cnnEpochs;
		@Option(names = "--cnn-max-seconds", defaultValue = "600",
				description = "Stop CNN training after this many seconds even if the epochs are not done (0: no limit).")
		double cnnMaxSeconds;
		@Option(names = "--no-reference", description = "Do not time Smile's own logistic regression beside LabelLoop's.")
		boolean noReference;

		@Override
		public Integer call() throws IOException {
			if (limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
			ClassifierSpec c = switch (classifier.toLowerCase(Locale.ROOT)) {
				case "logistic" -> ClassifierSpec.logistic();
				case "forest" -> new ClassifierSpec.Forest(100, 20, 1);
				default -> throw new IllegalArgumentException("--classifier is logistic or forest, not " + classifier);
			};
			if (cnnEpochs < 0 || cnnMaxSeconds < 0) throw new IllegalArgumentException("--cnn-epochs and --cnn-max-seconds must be 0 or more");
			IdxDataset data = IdxDataset.open(dataset);
			var out = output.out();
			TrainBenchmark.Result r = TrainBenchmark.run(data, limit, c, new TrainBenchmark.CnnPlan(cnnEpochs, cnnMaxSeconds), !noReference, new Progress() {
				@Override public void report(double fraction, String message) { out.println("  " + message + " ..."); out.flush(); }
				@Override public boolean isCancelled() { return false; }
			});
			out.print(TrainBenchmark.table(r));
			output.write(r);
			return 0;
		}
	}

	/** A benchmark's work in a folder. */
	interface InFolder<T> {
		T run(Path folder) throws Exception;
	}

	/** Runs a benchmark in a new temporary folder, deleted afterwards (a 100,000-image project is half a gigabyte). */
	static <T> T inTemporaryFolder(String prefix, InFolder<T> work) throws Exception {
		Path folder = Files.createTempDirectory(prefix);
		try {
			return work.run(folder);
		} finally {
			Folders.deleteQuietly(folder);
		}
	}

	@Command(name = "issues", description = "Flip a known fraction of labels, find label issues on out-of-fold probabilities, and measure precision and recall.")
	static final class Issues implements Callable<Integer> {
		@Option(names = "--dataset", required = true, description = "fashion-mnist or a folder with the four IDX .gz files (as for bench train).")
		String dataset;
		@Option(names = "--noise", defaultValue = "0.1", description = "Fraction of labels to flip (default ${DEFAULT-VALUE}).")
		double noise;
		@Option(names = "--folds", defaultValue = "5", description = "Folds of the out-of-fold probabilities (default ${DEFAULT-VALUE}).")
		int folds;
		@Option(names = "--limit", defaultValue = "2147483647", description = "Use at most this many images (training images first, then test images).")
		int limit;
		@CommandLine.Mixin
		BenchOutput output;

		@Override
		public Integer call() throws IOException {
			if (!(noise > 0 && noise < 1)) throw new IllegalArgumentException("--noise must lie between 0 and 1, not " + noise);
			if (folds < 2) throw new IllegalArgumentException("--folds must be at least 2");
			var out = output.out();
			IssuesBenchmark.Result r = IssuesBenchmark.run(IdxDataset.open(dataset), limit, noise, folds, ClassifierSpec.logistic(), new Progress() {
				@Override public void report(double fraction, String message) { out.println("  " + message + " ..."); out.flush(); }
				@Override public boolean isCancelled() { return false; }
			});
			out.print(IssuesBenchmark.table(r));
			output.write(r);
			return 0;
		}
	}

	@Command(name = "trust", description = "Grouped vs ungrouped out-of-fold accuracy against unseen groups, the familiarity score for unseen classes, and calibration (issue 15).")
	static final class Trust implements Callable<Integer> {
		@Option(names = "--dataset", required = true, description = "fashion-mnist or a folder with the four IDX .gz files (as for bench train).")
		String dataset;
		@Option(names = "--sources", defaultValue = "9000", description = "Training images, each a group of augmented crops (default ${DEFAULT-VALUE}); a third as many test images are the unseen groups.")
		int sources;
		@Option(names = "--crops", defaultValue = "4", description = "Augmented crops per source image (default ${DEFAULT-VALUE}).")
		int crops;
		@Option(names = "--folds", defaultValue = "5", description = "Out-of-fold folds (default ${DEFAULT-VALUE}).")
		int folds;
		@Option(names = "--unseen", defaultValue = "8,9", split = ",", description = "Classes never labelled for the out-of-distribution test (default ${DEFAULT-VALUE}).")
		List<Integer> unseen;
		@Option(names = "--ood-limit", defaultValue = "8000", description = "Training images the familiarity is fitted on (those of seen classes), a quarter as many test images scored (default ${DEFAULT-VALUE}).")
		int oodLimit;
		@CommandLine.Mixin
		BenchOutput output;

		@Override
		public Integer call() throws IOException {
			if (sources < folds || crops < 1 || folds < 2 || oodLimit < 10) throw new IllegalArgumentException("--sources must be at least --folds (>= 2), --crops >= 1, --ood-limit >= 10");
			IdxDataset data = IdxDataset.open(dataset);
			for (int c : unseen)
				if (c < 0 || c >= data.classes()) throw new IllegalArgumentException("--unseen " + c + ": the data set's classes are 0.." + (data.classes() - 1));
			var out = output.out();
			TrustBenchmark.Result r = TrustBenchmark.run(data, sources, crops, folds, unseen, oodLimit, ClassifierSpec.logistic(), new Progress() {
				@Override public void report(double fraction, String message) { out.println("  " + message + " ..."); out.flush(); }
				@Override public boolean isCancelled() { return false; }
			});
			out.print(TrustBenchmark.table(r));
			output.write(r);
			return 0;
		}
	}
}
