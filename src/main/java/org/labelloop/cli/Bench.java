package org.labelloop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.labelloop.bench.IdxDataset;
import org.labelloop.bench.TrainBenchmark;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.model.Progress;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench}: benchmarks on labelled image sets, printed as a table and written as JSON. */
@Command(name = "bench", description = "Benchmarks on labelled image sets (see docs/benchmarks.md).", subcommands = { Bench.Train.class })
final class Bench {

	@Command(name = "train", description = "Embed a labelled image set with the built-in embedder, train a classifier, and measure speed and test accuracy.")
	static final class Train implements Callable<Integer> {
		@Option(names = "--dataset", required = true,
				description = "fashion-mnist (Debian's dataset-fashion-mnist) or a folder with train-images-idx3-ubyte.gz, "
						+ "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.")
		String dataset;
		@Option(names = "--json", description = "Write the results to this JSON file.")
		Path json;
		@Option(names = "--limit", defaultValue = "2147483647", description = "Use at most this many training and this many test images.")
		int limit;
		@Option(names = "--classifier", defaultValue = "logistic", description = "logistic (default) or forest.")
		String classifier;
		@Option(names = "--cnn-epochs", defaultValue = "2", description = "Epochs of in-process CNN training (DJL PyTorch, CPU); 0 skips the CNN.")
		int cnnEpochs;
		@Option(names = "--cnn-max-seconds", defaultValue = "600",
				description = "Stop CNN training after this many seconds even if the epochs are not done (0: no limit).")
		double cnnMaxSeconds;
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

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
			var out = spec.commandLine().getOut();
			TrainBenchmark.Result r = TrainBenchmark.run(data, limit, c, new TrainBenchmark.CnnPlan(cnnEpochs, cnnMaxSeconds), new Progress() {
				@Override public void report(double fraction, String message) { out.println("  " + message + " ..."); out.flush(); }
				@Override public boolean isCancelled() { return false; }
			});
			out.print(TrainBenchmark.table(r));
			out.flush(); // print() does not flush and Main ends with System.exit
			if (json != null) {
				if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
				new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).enable(SerializationFeature.INDENT_OUTPUT)
						.writeValue(json.toFile(), r);
				out.println("Wrote " + json);
			}
			return 0;
		}
	}
}
