package org.labelloop.core.store;

/** {@link LeaseTest}'s tests on PostgreSQL. */
class PostgresLeaseTest extends LeaseTest {
	@Override
	boolean onPostgres() {
		return true;
	}
}
