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

import org.labelloop.core.model.LabelLoopException;

/**
 * A lab server in a JVM of its own, {@code labelloop serve -p DIR --port 0} on this JVM's class path, for benchmarks
 * of several server processes on one project. The password of a throw-away cluster travels as the pgpass file's
 * name ({@code org.postgresql.pgpassfile}), never on the command line.
 */
final class ServerProcess implements AutoCloseable {

	/** The command line's entry point, named rather than imported: the command line depends on the benchmarks. */
	private static final String MAIN = "org.labelloop.cli.Main";
	private static final Pattern SERVING = Pattern.compile("Serving project '.*' at (\\S+) ");

	private final Process process;
	private final String url;

	private ServerProcess(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	static ServerProcess start(Path project) throws IOException {
		String cp = System.getProperty("surefire.test.class.path"); // under Surefire the JVM's own class path is a manifest jar
		if (cp == null || cp.isBlank()) cp = System.getProperty("java.class.path");
		List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-Djava.awt.headless=true"));
		String pgpass = System.getProperty("org.postgresql.pgpassfile");
		if (pgpass != null) cmd.add("-Dorg.postgresql.pgpassfile=" + pgpass);
		cmd.addAll(List.of("-cp", cp, MAIN, "serve", "-p", project.toString(), "--port", "0"));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
		p.destroyForcibly();
		throw new LabelLoopException("A server process did not start:\n" + seen);
	}

	String url() {
		return url;
	}

	/** Stops it as Ctrl+C would (its shutdown hook closes the project), forcibly if it does not end in 30 s. */
	@Override
	public void close() throws InterruptedException {
		process.destroy();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}
}
