package org.labelloop.core.store;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** {@link SqlProjectStoreTest}'s tests on a PostgreSQL database of the throw-away test cluster. */
class PostgresSqlProjectStoreTest extends SqlProjectStoreTest {
	@Override
	SqlProjectStore create(Path folder, String name) {
		return SqlProjectStore.create(folder, name, PostgresCluster.get().newDatabase());
	}

	@Override
	void assumeSqlite() {
		Assumptions.abort("a test of SQLite's own failure modes");
	}
}
