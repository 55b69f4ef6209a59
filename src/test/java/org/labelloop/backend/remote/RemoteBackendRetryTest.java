package org.labelloop.backend.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * Reads are retried, writes never: the faults (a 503, a connection dropped before or after the request) cannot be
 * provoked on demand in the real server, so a scripted HTTP server plays them; everything else is tested against the
 * real server (RemoteBehaviourTest).
 */
class RemoteBackendRetryTest {

	@TempDir
	Path dir;

	private static final String PROJECT = "{\"name\":\"p\",\"user\":\"bob\",\"role\":\"labeller\",\"latestChange\":0}";

	@Test
	void readsAreRetriedAndWritesAreSentOnce() throws Exception {
		try (MockWebServer s = new MockWebServer()) {
			s.enqueue(new MockResponse().setResponseCode(503));
			s.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
			s.enqueue(new MockResponse().setBody(PROJECT));
			s.start();
			RemoteBackend b = RemoteBackend.connect(s.url("/").toString(), "bob", "t", dir, Duration.ofSeconds(5));
			assertEquals("p", b.projectName());
			assertEquals(3, s.getRequestCount(), "two failed reads, then the answer");

			s.enqueue(new MockResponse().setResponseCode(503).setBody("{\"error\":\"busy\",\"status\":503}"));
			LabelLoopException busy = assertThrows(LabelLoopException.class,
					() -> b.apply("x", List.of(new Edit.Create(1, AnnotationData.human(null, 1L, "bob")))));
			assertEquals("busy", busy.getMessage());
			assertEquals(4, s.getRequestCount(), "a write is sent once");

			s.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
			LabelLoopException dropped = assertThrows(LabelLoopException.class,
					() -> b.apply("x", List.of(new Edit.Create(1, AnnotationData.human(null, 1L, "bob")))));
			assertTrue(dropped.getMessage().contains("applied whole; otherwise not at all"), dropped.getMessage());
			assertEquals(5, s.getRequestCount(), "not resent after the connection dropped");
			b.close();
		}
	}
}
