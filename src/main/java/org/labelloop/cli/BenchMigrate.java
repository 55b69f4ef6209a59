package org.labelloop.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.labelloop.bench.MigrateBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench migrate}: see {@link MigrateBenchmark}. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
		description = "A project of many annotations moved to PostgreSQL and back (labelloop migrate): seconds each way, and every table checked identical "
				+ "(row digests) on PostgreSQL and back in SQLite.")
public final class BenchMigrate implements Callable<Integer> {
	@Option(names = "--annotations", defaultValue = "100000", description = "Annotations (default: ${DEFAULT-VALUE}).")
	int annotations;
	@Option(names = "--images", defaultValue = "1000", description = "Images they lie on (default: ${DEFAULT-VALUE}).")
	int images;
	@Option(names = "--db", defaultValue = "postgresql", description = "postgresql (a throw-away cluster the bench starts) or postgresql://[user@]host[:port]/database (empty).")
	String db;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		if (annotations < 1 || images < 1) throw new IllegalArgumentException("Need --annotations >= 1 and --images >= 1.");
		PrintWriter out = output.out();
		MigrateBenchmark.Result r = Bench.inTemporaryFolder("labelloop-bench-migrate",
				work -> MigrateBenchmark.run(new MigrateBenchmark.Config(annotations, images, db), work, out));
		out.print(MigrateBenchmark.table(r));
		output.write(r);
		return r.identicalOnPostgres() && r.identicalBack() ? 0 : 1;
	}
}
