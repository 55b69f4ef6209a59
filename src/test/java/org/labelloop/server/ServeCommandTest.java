package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.bench.ServerProcess;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.cli.Main;
import org.labelloop.core.model.LabelLoopException;

/** {@code labelloop user …} and {@code labelloop serve} as an admin runs them. */
class ServeCommandTest {

	@TempDir
	Path dir;

	private static String[] run(String... args) {
		PrintStream oldOut = System.out, oldErr = System.err;
		ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
		System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
		try {
			int code = Main.run(args);
			return new String[] { Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8) };
		} finally {
			System.setOut(oldOut);
			System.setErr(oldErr);
		}
	}

	@Test
	void usersGetTokensOnceAndTheServedProjectAcceptsThem() throws Exception {
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		String p = lab.folder().toString();
		String[] add = run("user", "add", "dora", "--role", "reviewer", "-p", p, "-u", "alice");
		assertEquals("0", add[0], add[2]);
		String token = add[1].strip().lines().reduce((a, b) -> b).orElseThrow();
		assertEquals(43, token.length(), add[1]);
		String[] list = run("user", "list", "-p", p);
		assertTrue(list[1].matches("(?s).*dora\\s+reviewer\\s+token.*"), list[1]);
		assertFalse(list[1].contains(token), "tokens are never listed");
		String[] bad = run("user", "add", "../evil", "-p", p);
		assertEquals("1", bad[0]);
		assertTrue(bad[2].contains("not allowed"), bad[2]);
		assertEquals("1", run("user", "token", "nobody", "-p", p)[0]);
		String[] renewed = run("user", "token", "dora", "-p", p);
		String newToken = renewed[1].strip();
		assertEquals(43, newToken.length());

		try (ServerProcess s = ServerProcess.start(lab.folder(), 0, ServerProcess.LEAN)) {
			LabelLoopException old = assertThrows(LabelLoopException.class,
					() -> RemoteBackend.connect(s.url(), "dora", token, dir.resolve("cache"), Duration.ofSeconds(10)));
			assertTrue(old.getMessage().contains("refused the token"), old.getMessage());
			try (RemoteBackend b = RemoteBackend.connect(s.url(), "dora", newToken, dir.resolve("cache"), Duration.ofSeconds(10))) {
				assertEquals("lab", b.projectName());
				assertEquals("dora", b.user());
				assertEquals(11, b.images().size());
			}
			LabelLoopException who = assertThrows(LabelLoopException.class,
					() -> RemoteBackend.connect(s.url(), "bob", newToken, dir.resolve("cache"), Duration.ofSeconds(10)));
			assertTrue(who.getMessage().contains("belongs to dora"), who.getMessage());
			String[] locked = run("user", "list", "-p", p);
			assertEquals("1", locked[0], "the server holds the project");
			assertTrue(locked[2].toLowerCase().contains("open") || locked[2].toLowerCase().contains("lock") || locked[2].contains("pid"), locked[2]);
		}
		LabelLoopException down = assertThrows(LabelLoopException.class,
				() -> RemoteBackend.connect("http://127.0.0.1:9", "dora", newToken, dir.resolve("cache"), Duration.ofSeconds(5)));
		assertTrue(down.getMessage().startsWith("Cannot reach the LabelLoop server at http://127.0.0.1:9"), down.getMessage());
	}
}
