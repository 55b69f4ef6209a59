package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.labelloop.testing.ChildJvm;

/** The command line run as a process of its own (a child JVM), with what it printed on each stream. */
record CliProcess(int code, String out, String err) {

	/** Runs {@code java -cp <test class path> org.labelloop.cli.Main args}, as {@code labelloop args} would. */
	static CliProcess main(String... args) throws IOException, InterruptedException {
		ProcessBuilder pb = ChildJvm.builder(List.of("-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), Main.class, args);
		return run(pb);
	}

	static CliProcess run(ProcessBuilder pb) throws IOException, InterruptedException {
		ChildJvm.headless(pb);
		Process p = pb.start();
		p.getOutputStream().close();
		CompletableFuture<String> out = read(p.getInputStream()), err = read(p.getErrorStream());
		if (!p.waitFor(180, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("the command line did not finish in 180 s: " + pb.command());
		}
		return new CliProcess(p.exitValue(), out.join(), err.join());
	}

	private static CompletableFuture<String> read(InputStream in) {
		return CompletableFuture.supplyAsync(() -> {
			try (in) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			} catch (IOException e) {
				return "(could not read the stream: " + e + ")";
			}
		});
	}

	@Override
	public String toString() {
		return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
	}
}
