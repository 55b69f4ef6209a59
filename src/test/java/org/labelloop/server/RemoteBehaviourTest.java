package org.labelloop.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.remote.RemoteBackend;

/** The shared backend behaviours through a real lab server on loopback, one {@link RemoteBackend} per user. */
class RemoteBehaviourTest extends BackendBehaviour {

	private LabServer server;
	private final Map<String, RemoteBackend> backends = new HashMap<>();

	@Override
	void open(LabFixture fixture) {
		server = LabServer.start(fixture.folder(), LabServer.Config.loopback(0));
	}

	@Override
	LabelLoopBackend as(String user) {
		return backends.computeIfAbsent(user, u -> {
			RemoteBackend b = RemoteBackend.connect(server.url(), u, lab.token(u), dir.resolve("cache"), Duration.ofSeconds(30));
			b.setPollInterval(Duration.ofMillis(50));
			return b;
		});
	}

	@Override
	java.nio.file.Path fileArgument(java.nio.file.Path inProject) {
		return lab.folder().relativize(inProject); // the server takes files named relative to its project folder
	}

	@Override
	void close() {
		backends.values().forEach(RemoteBackend::close);
		server.close();
	}

	@Override
	boolean retrainWaitsForItsProgress() {
		return false;
	}
}
