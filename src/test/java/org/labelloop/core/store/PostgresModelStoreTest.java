package org.labelloop.core.store;

/** {@link ModelStoreTest}'s tests on PostgreSQL. */
class PostgresModelStoreTest extends ModelStoreTest {
	@Override
	boolean onPostgres() {
		return true;
	}
}
