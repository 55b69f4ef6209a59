package org.labelloop.core.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL cluster for the tests, one per test JVM: {@code initdb} in a temporary folder with a
 * password (SCRAM) for its superuser, started on a free loopback port, stopped and deleted when the JVM ends. Uses
 * Debian's {@code postgresql} package ({@code .ci/run} installs it); as root, the server runs as the {@code postgres}
 * user, since PostgreSQL refuses to run as root. Without the package the tests that need it are skipped, unless
 * {@code LABELLOOP_REQUIRE_POSTGRES=1} (CI sets it) makes that a failure.
 */
public final class PostgresCluster {

	public static final String USER = "labelloop", PASSWORD = "test-only-" + Long.toHexString(System.nanoTime());
	private static PostgresCluster shared;
	private static final AtomicInteger DATABASES = new AtomicInteger();

	private final Path bin, dir;
	private final int port;
	private final boolean asRoot;

	private PostgresCluster(Path bin, Path dir, int port, boolean asRoot) {
		this.bin = bin;
		this.dir = dir;
		this.port = port;
		this.asRoot = asRoot;
	}

	/** The cluster, started on first use; skips the calling test when PostgreSQL is not installed (and not required). */
	public static synchronized PostgresCluster get() {
		if (shared != null) return shared;
		Path bin = binaries();
		if (bin == null) {
			if ("1".equals(System.getenv("LABELLOOP_REQUIRE_POSTGRES")))
				throw new AssertionError("PostgreSQL is required (LABELLOOP_REQUIRE_POSTGRES=1) but no /usr/lib/postgresql/*/bin/initdb is installed");
			Assumptions.abort("PostgreSQL is not installed (apt-get install postgresql)");
		}
		try {
			shared = start(bin);
		} catch (IOException | InterruptedException e) {
			throw new AssertionError("Cannot start a throw-away PostgreSQL cluster: " + e.getMessage(), e);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(shared::stopAndDelete));
		return shared;
	}

	private static Path binaries() {
		Path root = Path.of("/usr/lib/postgresql");
		if (!Files.isDirectory(root)) return null;
		try (var versions = Files.list(root)) {
			return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).sorted().reduce((a, b) -> b).orElse(null);
		} catch (IOException e) {
			return null;
		}
	}

	private static PostgresCluster start(Path bin) throws IOException, InterruptedException {
		boolean root = "root".equals(System.getProperty("user.name"));
		Path dir = Files.createTempDirectory("labelloop-pg-");
		Path data = dir.resolve("data"), pw = dir.resolve("pw");
		Files.writeString(pw, PASSWORD, StandardCharsets.UTF_8);
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
		// the stores under test find the password as a user's would: in a pgpass file the driver reads itself
		Path pgpass = Files.createTempFile("labelloop-pgpass", "");
		Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
		Files.writeString(pgpass, "127.0.0.1:" + port + ":*:" + USER + ":" + PASSWORD + "\n", StandardCharsets.UTF_8);
		pgpass.toFile().deleteOnExit();
		System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
		PostgresCluster c = new PostgresCluster(bin, dir, port, root);
		c.run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pw, "--auth=scram-sha-256", "--locale=C.UTF-8",
				"--encoding=UTF8", "--no-sync");
		c.run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
				"-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off -c max_connections=200", "start");
		return c;
	}

	private void run(String... command) throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>();
		if (asRoot) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
		cmd.addAll(List.of(command));
		Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0)
			throw new IOException(String.join(" ", cmd) + " failed: " + out);
	}

	/** Stops the server at once (as a crash would look to clients), or starts it again. */
	public void stop() throws IOException, InterruptedException {
		run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
	}

	public void start() throws IOException, InterruptedException {
		run(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(), "-w", "-t", "60", "-o",
				"-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off -c max_connections=200", "start");
	}

	private void stopAndDelete() {
		try {
			stop();
		} catch (IOException | InterruptedException e) {
			// the JVM is ending; the folder goes anyway
		}
		try (var files = Files.walk(dir)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
		} catch (IOException e) {
			// left in /tmp
		}
	}

	public int port() {
		return port;
	}

	/** A new, empty database, as the user {@link #USER}. */
	public Database newDatabase() {
		String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
		try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props()); Statement st = c.createStatement()) {
			st.execute("CREATE DATABASE " + name);
		} catch (java.sql.SQLException e) {
			throw new AssertionError("Cannot make a test database: " + e.getMessage(), e);
		}
		return new Database("127.0.0.1", port, name, USER);
	}

	/** A plain JDBC connection to a test project's database, SQLite or PostgreSQL, to look at or damage its rows. */
	static Connection raw(Path folder) throws java.sql.SQLException {
		if (!Files.isRegularFile(folder.resolve(Database.POINTER))) return DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(SqlProjectStore.DB_FILE));
		return DriverManager.getConnection(Database.readPointer(folder).jdbcUrl(), props());
	}

	static Properties props() {
		Properties p = new Properties();
		p.setProperty("user", USER);
		p.setProperty("password", PASSWORD);
		return p;
	}
}
