package org.labelloop.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.labelloop.cli.Main;
import org.labelloop.testing.ChildJvm;

/** {@code labelloop serve} in a JVM of its own, started lean, for tests that kill it. */
final class ChildServer implements AutoCloseable {

	private static final Pattern SERVING = Pattern.compile("Serving project '.*' at (\\S+) ");

	final Process process;
	final String url;

	private ChildServer(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	/** Starts the server on {@code port} (0: any) and waits until it says where it serves. */
	static ChildServer start(Path project, int port) throws IOException, InterruptedException {
		List<String> jvm = new java.util.ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Djava.awt.headless=true"));
		String pgpass = System.getProperty("org.postgresql.pgpassfile"); // a test project on PostgreSQL: the password, as a user gives it
		if (pgpass != null) jvm.add("-Dorg.postgresql.pgpassfile=" + pgpass);
		ProcessBuilder pb = ChildJvm.builder(jvm,
				Main.class, "serve", "-p", project.toString(), "--port", Integer.toString(port));
		ChildJvm.headless(pb);
		pb.redirectErrorStream(true);
		Process p = pb.start();
		BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder seen = new StringBuilder();
		long until = System.currentTimeMillis() + 60000;
		String line;
		while (System.currentTimeMillis() < until && (line = in.readLine()) != null) {
			seen.append(line).append('\n');
			Matcher m = SERVING.matcher(line);
			if (m.find()) {
				Thread drain = new Thread(() -> {
					try {
						while (in.readLine() != null) {
							// keep the pipe empty
						}
					} catch (IOException e) {
						// the process ended
					}
				}, "child-server-output");
				drain.setDaemon(true);
				drain.start();
				return new ChildServer(p, m.group(1));
			}
		}
		p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		throw new IllegalStateException("The server did not start:\n" + seen);
	}

	int port() {
		return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
	}

	/** SIGKILL: no shutdown hook runs, nothing is flushed. */
	void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(20, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		if (process.isAlive()) kill();
	}
}
