package org.labelloop.server;

import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.ProjectEngine;

/** The shared backend behaviours on a local project: one engine, its {@link LocalBackend} view per user. */
class LocalBehaviourTest extends BackendBehaviour {

	private ProjectEngine engine;

	@Override
	void open(LabFixture fixture) {
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
