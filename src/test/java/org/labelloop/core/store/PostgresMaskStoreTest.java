package org.labelloop.core.store;

/** {@link MaskStoreTest}'s tests on PostgreSQL. */
class PostgresMaskStoreTest extends MaskStoreTest {
	@Override
	boolean onPostgres() {
		return true;
	}
}
