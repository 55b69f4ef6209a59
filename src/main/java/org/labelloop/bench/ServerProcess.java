package org.labelloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab server in a JVM of its own, {@code labelloop serve -p DIR --port N} on this JVM's class path: for benchmarks
 * of several server processes on one project, and for tests that kill one. The password of a throw-away cluster
 * travels as the pgpass file's name ({@code org.postgresql.pgpassfile}), never on the command line.
 */
public final class ServerProcess implements AutoCloseable {

	/** The command line's entry point, named rather than imported: the command line depends on the benchmarks. */
	private static final String MAIN = "org.labelloop.cli.Main";
	private static final Pattern SERVING = Pattern.compile("Serving project '.*' at (\\S+) ");

	/** JVM settings for a quick start and a small footprint, for servers that live a few seconds (tests that kill them). */
	public static final List<String> LEAN = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

	private final Process process;
	private final String url;

	private ServerProcess(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	/**
	 * Starts the server and waits until it says where it serves.
	 *
	 * @param port 0: any free one
	 * @param jvmArgs for the child JVM (heap, JIT), before the class path
	 */
	public static ServerProcess start(Path project, int port, List<String> jvmArgs) throws IOException, InterruptedException {
		String cp = System.getProperty("surefire.test.class.path"); // under Surefire the JVM's own class path is a manifest jar
		if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true"));
		cmd.addAll(jvmArgs);
		String pgpass = System.getProperty("org.postgresql.pgpassfile");
		if (pgpass != null) cmd.add("-Dorg.postgresql.pgpassfile=" + pgpass);
		cmd.addAll(List.of("-cp", cp, MAIN, "serve", "-p", project.toString(), "--port", Integer.toString(port)));
		ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
		pb.environment().remove("DISPLAY");
		Process p = pb.start();
		BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder seen = new StringBuilder();
		long until = System.currentTimeMillis() + 60_000;
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
				}, "server-process-output");
				drain.setDaemon(true);
				drain.start();
				return new ServerProcess(p, m.group(1));
			}
		}
		p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		throw new IllegalStateException("The server did not start:\n" + seen);
	}

	public String url() {
		return url;
	}

	public int port() {
		return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
	}

	/** SIGKILL: no shutdown hook runs, nothing is flushed. */
	public void kill() throws InterruptedException {
		process.destroyForcibly();
		process.waitFor(20, TimeUnit.SECONDS);
	}

	/** Stops it as Ctrl+C would (its shutdown hook closes the project), forcibly if it does not end in 30 s. */
	@Override
	public void close() throws InterruptedException {
		if (!process.isAlive()) return;
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
	}
}
