package org.labelloop.bench;

import org.labelloop.core.store.Folders;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.store.Database;

/**
 * A throw-away PostgreSQL cluster for benchmarks and tests: {@code initdb} in a temporary folder with a random password
 * (SCRAM) for its superuser, started on a free loopback port, stopped and deleted by {@link #close}. Uses the
 * PostgreSQL binaries of Debian's {@code postgresql} package; as root the server runs as the {@code postgres} user,
 * since PostgreSQL refuses to run as root. The password reaches LabelLoop's stores as a user's would: through a
 * pgpass file the driver reads ({@code org.postgresql.pgpassfile}).
 */
public final class LocalPostgres implements AutoCloseable {

	public static final String USER = "labelloop";
	private static final AtomicInteger DATABASES = new AtomicInteger();

	private final Path bin, dir;
	private final int port;
	private final boolean asRoot;
	private final String password;

	private LocalPostgres(Path bin, Path dir, int port, boolean asRoot, String password) {
		this.bin = bin;
		this.dir = dir;
		this.port = port;
		this.asRoot = asRoot;
		this.password = password;
	}

	/** The newest installed PostgreSQL's binaries, or {@code null}. */
	public static Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) return null;
		try (var versions = Files.list(root)) {
			return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).sorted().reduce((a, b) -> b).orElse(null);
		} catch (IOException e) {
			return null;
		}
	}

	/** This JVM's pgpass file: one line per cluster it started, so several clusters work side by side. */
	private static Path pgpass;

	private static synchronized void addToPgpass(String line) throws IOException {
		if (pgpass == null) {
			pgpass = Files.createTempFile("labelloop-pgpass", "");
			Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
			pgpass.toFile().deleteOnExit();
			System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
		}
		Files.writeString(pgpass, line + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
	}

	/** Makes and starts a cluster. */
	public static LocalPostgres start() throws IOException, InterruptedException {
		Path bin = binaries();
		if (bin == null) throw new LabelLoopException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); apt-get install postgresql.");
		boolean root = "root".equals(System.getProperty("user.name"));
		String password = "throw-away-" + Long.toHexString(new java.security.SecureRandom().nextLong());
		Path dir = Files.createTempDirectory("labelloop-pg-");
		Path pw = dir.resolve("pw");
		Files.writeString(pw, password, StandardCharsets.UTF_8);
		if (root) {
			UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
			Files.setOwner(dir, pg);
			Files.setOwner(pw, pg);
		}
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		addToPgpass("127.0.0.1:" + port + ":*:" + USER + ":" + password);
		LocalPostgres c = new LocalPostgres(bin, dir, port, root, password);
		c.run(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER, "--pwfile=" + pw, "--auth=scram-sha-256",
				"--locale=C.UTF-8", "--encoding=UTF8", "--no-sync");
		Files.delete(pw);
		c.startServer();
		return c;
	}

	private void run(String... command) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>();
		if (asRoot) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
		cmd.addAll(List.of(command));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
	}

	/** Stops the server at once, as a crash looks to its clients. */
	public void stopServer() throws IOException, InterruptedException {
		run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
	}

	/** Starts the server (again). */
	public void startServer() throws IOException, InterruptedException {
		run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
				"-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=300", "start");
	}

	/** Stops the server and deletes the cluster. */
	@Override
	public void close() {
		try {
			stopServer();
		} catch (IOException | InterruptedException e) {
			// deleting anyway
		}
		Folders.deleteQuietly(dir);
	}

	public int port() {
		return port;
	}

	/** A new, empty database, for the user {@link #USER}. */
	public Database newDatabase() {
		String name = "db" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
		try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
			st.execute("CREATE DATABASE " + name);
		} catch (SQLException e) {
			throw new LabelLoopException("Cannot make a database in the throw-away cluster: " + e.getMessage(), e);
		}
		return new Database("127.0.0.1", port, name, USER);
	}

	/** A plain JDBC connection to one of the cluster's databases. */
	public Connection connect(String database) throws SQLException {
		Properties p = new Properties();
		p.setProperty("user", USER);
		p.setProperty("password", password);
		return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
	}
}
