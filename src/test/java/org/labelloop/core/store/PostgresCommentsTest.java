package org.labelloop.core.store;

/** {@link CommentsTest}'s tests on PostgreSQL. */
class PostgresCommentsTest extends CommentsTest {
	@Override
	boolean onPostgres() {
		return true;
	}
}
