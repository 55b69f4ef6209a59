package org.labelloop.server;

import java.util.Map;

import org.labelloop.core.store.PostgresCluster;
import org.labelloop.core.store.StoreMigration;

/**
 * The shared backend behaviours on a project whose store is on PostgreSQL: the fixture's project is moved there
 * ({@link StoreMigration}, as {@code labelloop migrate} does), then opened from its folder, which now points to it.
 */
class PostgresBehaviourTest extends LocalBehaviourTest {

	@Override
	void open(LabFixture fixture) {
		Map<String, Long> rows = StoreMigration.toPostgres(fixture.folder(), PostgresCluster.get().newDatabase());
		if (rows.get("images") != 11) throw new AssertionError("the fixture's 11 images were moved, not " + rows.get("images"));
		super.open(fixture);
	}
}
