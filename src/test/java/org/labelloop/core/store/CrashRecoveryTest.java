package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Annotation;
import org.labelloop.testing.ChildJvm;

/**
 * Kills a writing process with SIGKILL at random moments, then reopens the project: it must be consistent, hold
 * every write the process saw acknowledged, and hold whole change sets only.
 */
class CrashRecoveryTest {

	@TempDir
	Path dir;

	@Test
	void aProjectOpenInAnotherProcessIsRefusedAndFreedWhenThatProcessDies() throws Exception {
		Path project = dir.resolve("locked");
		try (SqlProjectStore s = SqlProjectStore.create(project, "lock")) {
			s.addImage(SqlProjectStoreTest.image("a.png"));
		}
		Process p = ChildJvm.builder(List.of(), StoreWriterMain.class, project.toString()).redirectErrorStream(true).start();
		try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = r.readLine()) != null && !line.startsWith("ack ")) { /* wait until it holds the project */ }
			var e = org.junit.jupiter.api.Assertions.assertThrows(org.labelloop.core.model.LabelLoopException.class,
					() -> SqlProjectStore.open(project));
			assertTrue(e.getMessage().contains("already open in another LabelLoop (pid " + p.pid()), e.getMessage());
		} finally {
			p.destroyForcibly();
			p.waitFor(30, TimeUnit.SECONDS);
		}
		SqlProjectStore.open(project).close(); // the OS dropped the lock with the process: no stale lock
	}

	@Test
	void aKilledWriterLeavesAConsistentProjectWithEveryAcknowledgedWrite() throws Exception {
		Path project = dir.resolve("p");
		try (SqlProjectStore s = SqlProjectStore.create(project, "crash")) {
			s.addImage(SqlProjectStoreTest.image("a.png"));
		}
		Random random = new Random(42);
		int lastAck = -1;
		for (int round = 0; round < 3; round++) {
			Process p = ChildJvm.builder(List.of("-Xshare:auto"), StoreWriterMain.class, project.toString())
					.redirectErrorStream(true).start();
			int killAfter = 5 + random.nextInt(60);
			int acked = -1;
			try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				StringBuilder other = new StringBuilder();
				while ((line = r.readLine()) != null) {
					if (line.startsWith("ack ")) {
						acked = Integer.parseInt(line.substring(4));
						if (acked >= killAfter) break;
					} else {
						other.append(line).append('\n');
					}
				}
				assertTrue(acked >= killAfter, "writer stopped early:\n" + other);
			}
			p.destroyForcibly(); // SIGKILL on Linux
			assertTrue(p.waitFor(30, TimeUnit.SECONDS));
			lastAck = acked;

			try (SqlProjectStore s = SqlProjectStore.open(project)) {
				List<Annotation> anns = s.annotations(s.images().get(0).id());
				// Every acknowledged batch (0..acked of this round) is complete; a half batch never shows.
				Map<Double, Integer> perBatch = new HashMap<>();
				for (Annotation a : anns) perBatch.merge(a.data().geometry().x(0), 1, Integer::sum);
				for (int n = 0; n <= lastAck; n++)
					assertTrue(perBatch.getOrDefault((double) n, 0) >= 3, "batch " + n + " lost in round " + round);
				perBatch.values().forEach(count -> assertEquals(0, count % 3, "a change set was half written"));
			}
			try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + project.resolve(SqlProjectStore.DB_FILE));
					Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
				assertEquals("ok", rs.getString(1));
			}
		}
	}
}
