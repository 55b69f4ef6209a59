package org.labelloop.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.labelloop.bench.ServerBenchmark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code labelloop bench server}: simulated labellers against a loopback lab server; see {@link ServerBenchmark}. */
@Command(name = "server", mixinStandardHelpOptions = true,
		description = "Simulated labellers (next item, fetch, submit, comment) against a lab server on loopback: throughput, p50/p95/p99 per call, "
				+ "errors, lost or duplicated writes, images leased twice.")
public final class BenchServer implements Callable<Integer> {
	@Option(names = "--users", defaultValue = "50", description = "Simulated labellers (default: ${DEFAULT-VALUE}).")
	int users;
	@Option(names = "--minutes", defaultValue = "2", description = "How long they label (default: ${DEFAULT-VALUE}).")
	double minutes;
	@Option(names = "--images", defaultValue = "2000", description = "Images in the project (default: ${DEFAULT-VALUE}).")
	int images;
	@Option(names = "--think-ms", defaultValue = "0",
			description = "Mean pause of each labeller after each image, in ms (each pause 0.5 to 1.5 times it, starts spread over one pause; "
					+ "default: ${DEFAULT-VALUE}: no pause, as fast as the server answers, a saturation test).")
	long thinkMs;
	@Option(names = "--db", defaultValue = "sqlite", description = "The project's store: sqlite (default), postgresql (a throw-away cluster the bench "
			+ "starts itself, with Debian's postgresql package), or postgresql://[user@]host[:port]/database (an empty database).")
	String db;
	@Option(names = "--servers", defaultValue = "1", description = "Lab servers on the one project, labellers spread over them (default: ${DEFAULT-VALUE}; "
			+ "more than one needs --db postgresql).")
	int servers;
	@CommandLine.Mixin
	BenchOutput output;

	@Override
	public Integer call() throws Exception {
		if (users < 1 || minutes <= 0 || images < 1 || thinkMs < 0)
			throw new IllegalArgumentException("Need --users >= 1, --minutes > 0, --images >= 1 and --think-ms >= 0.");
		PrintWriter out = output.out();
		ServerBenchmark.Result r = Bench.inTemporaryFolder("labelloop-bench-server", work -> ServerBenchmark.run(
				new ServerBenchmark.Config(users, Duration.ofMillis((long) (minutes * 60000)), images, 1, thinkMs, db, servers), work, out));
		out.print(ServerBenchmark.table(r));
		output.write(r);
		return r.lostWrites() == 0 && r.duplicatedWrites() == 0 && r.duplicateLeases() == 0 ? 0 : 1;
	}
}
