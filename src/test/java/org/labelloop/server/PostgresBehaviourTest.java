package org.labelloop.server;

import java.util.Map;

import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.ProjectEngine;
import org.labelloop.core.store.PostgresCluster;
import org.labelloop.core.store.StoreMigration;

/**
 * The shared backend behaviours on a project whose store is on PostgreSQL: the fixture's project is moved there
 * ({@link StoreMigration}, as {@code labelloop migrate} does), then opened from its folder, which now points to it.
 */
class PostgresBehaviourTest extends BackendBehaviour {

	private ProjectEngine engine;

	@Override
	void open(LabFixture fixture) {
		Map<String, Long> rows = StoreMigration.toPostgres(fixture.folder(), PostgresCluster.get().newDatabase());
		if (rows.get("images") != 11) throw new AssertionError("the fixture's 11 images were moved, not " + rows.get("images"));
		engine = ProjectEngine.open(fixture.folder());
	}

	@Override
	LabelLoopBackend as(String user) {
		return engine.as(user);
	}

	@Override
	void close() {
		engine.close();
	}
}
