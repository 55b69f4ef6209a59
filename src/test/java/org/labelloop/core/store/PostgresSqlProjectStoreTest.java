package org.labelloop.core.store;

/** {@link SqlProjectStoreTest}'s tests on PostgreSQL. */
class PostgresSqlProjectStoreTest extends SqlProjectStoreTest {
	@Override
	boolean onPostgres() {
		return true;
	}
}
