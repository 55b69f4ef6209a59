package org.labelloop.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.labelloop.bench.ProjectBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench project}: a whole project at scale; see {@link ProjectBenchmark}. */
@Command(name = "project", mixinStandardHelpOptions = true,
		description = "A synthetic image project at scale: Retrain after new labels, the first Next Image pick after it, Similar Items, the "
				+ "Embedding Map, and Next Image and Similar Items while a Retrain runs.")
public final class BenchProject implements Callable<Integer> {
	@Option(names = "--images", defaultValue = "100000", description = "Images in the project (default: ${DEFAULT-VALUE}).")
	int images;
	@Option(names = "--labelled", defaultValue = "1000", description = "Images labelled before the first Retrain (default: ${DEFAULT-VALUE}).")
	int labelled;
	@Option(names = "--added", defaultValue = "100", description = "New labels before the Retrain that is timed (default: ${DEFAULT-VALUE}).")
	int added;
	@Option(names = "--picks", defaultValue = "200", description = "Timed Next Image picks and Similar Items queries (default: ${DEFAULT-VALUE}).")
	int picks;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		if (labelled < 20 || added < 1 || picks < 1 || images < labelled + added + 11)
			throw new IllegalArgumentException("Need --labelled >= 20, --added >= 1, --picks >= 1 and more --images than labelled + added + 10.");
		PrintWriter out = output.out();
		ProjectBenchmark.Result r = Bench.inTemporaryFolder("labelloop-bench-project",
				work -> ProjectBenchmark.run(new ProjectBenchmark.Config(images, labelled, added, picks, 1), work, out));
		out.print(ProjectBenchmark.table(r));
		output.write(r);
		return 0;
	}
}
