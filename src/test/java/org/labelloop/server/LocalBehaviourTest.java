package org.labelloop.server;

import java.util.HashMap;
import java.util.Map;

import org.labelloop.backend.Backend;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqliteProjectStore;

/** The shared backend behaviours on a local project: one store, a {@link LocalBackend} per user. */
class LocalBehaviourTest extends BackendBehaviour {

	private ProjectStore store;
	private final Map<String, Backend> backends = new HashMap<>();

	@Override
	void open(LabFixture fixture) {
		store = SqliteProjectStore.open(fixture.folder());
	}

	@Override
	Backend as(String user) {
		return backends.computeIfAbsent(user, u -> new LocalBackend(store, u));
	}

	@Override
	void close() {
		store.close();
	}
}
