package org.labelloop.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.junit.jupiter.api.Assumptions;
import org.labelloop.bench.LocalPostgres;

/**
 * The tests' throw-away PostgreSQL cluster ({@link LocalPostgres}), one per test JVM, stopped when it ends. Without
 * Debian's {@code postgresql} package the tests that need it are skipped, unless {@code LABELLOOP_REQUIRE_POSTGRES=1}
 * (CI sets it) makes that a failure.
 */
public final class PostgresCluster {

	public static final String USER = LocalPostgres.USER;
	private static LocalPostgres shared;

	private PostgresCluster() {
	}

	/** The cluster, started on first use; skips the calling test when PostgreSQL is not installed (and not required). */
	public static synchronized LocalPostgres get() {
		if (shared != null) return shared;
		if (LocalPostgres.binaries() == null) {
			if ("1".equals(System.getenv("LABELLOOP_REQUIRE_POSTGRES")))
				throw new AssertionError("PostgreSQL is required (LABELLOOP_REQUIRE_POSTGRES=1) but no /usr/lib/postgresql/*/bin/initdb is installed");
			Assumptions.abort("PostgreSQL is not installed (apt-get install postgresql)");
		}
		try {
			shared = LocalPostgres.start();
		} catch (IOException | InterruptedException e) {
			throw new AssertionError("Cannot start a throw-away PostgreSQL cluster: " + e.getMessage(), e);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
		return shared;
	}

	/** A plain JDBC connection to a test project's database, SQLite or PostgreSQL, to look at or damage its rows. */
	static Connection raw(Path folder) throws SQLException {
		if (!Files.isRegularFile(folder.resolve(Database.POINTER))) return DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(SqlProjectStore.DB_FILE));
		return get().connect(Database.readPointer(folder).name());
	}
}
