package org.labelloop.core.store;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** What the store tests run on: SQLite here; each {@code Postgres*Test} subclass runs the same tests on PostgreSQL. */
abstract class StoreTest {

	boolean onPostgres() {
		return false;
	}

	/** A new project store, on a new database of the throw-away test cluster when on PostgreSQL. */
	SqlProjectStore create(Path folder, String name) {
		return onPostgres() ? SqlProjectStore.create(folder, name, PostgresCluster.get().newDatabase()) : SqlProjectStore.create(folder, name);
	}

	/** Skips a test of SQLite's own failure modes when the store under test is not SQLite. */
	void assumeSqlite() {
		Assumptions.assumeFalse(onPostgres(), "a test of SQLite's own failure modes");
	}
}
