package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;

/** Leases: two labellers never get the same item; a crashed client's leases expire. */
class LeaseTest extends StoreTest {

	@TempDir
	Path dir;

	static final Duration TTL = Duration.ofMinutes(10);

	private static List<Long> addImages(SqlProjectStore s, int n) {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < n; i++) ids.add(s.addImage(SqlProjectStoreTest.image("im" + i + ".png")).id());
		return ids;
	}

	@Test
	void eightThreadsRacingNeverLeaseOneItemToTwoUsers() throws Exception {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			List<Long> ids = addImages(s, 60);
			int threads = 8;
			Map<Long, Set<String>> winners = new ConcurrentHashMap<>();
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String user = "user" + t;
				int offset = t * 7; // different starting points, so the threads collide all along
				done.add(pool.submit(() -> {
					start.await();
					for (int j = 0; j < ids.size(); j++) {
						long id = ids.get((j + offset) % ids.size());
						if (s.tryLease(id, user, TTL, "entropy", "test"))
							winners.computeIfAbsent(id, x -> ConcurrentHashMap.newKeySet()).add(user);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> f : done) f.get();
			pool.shutdown();
			assertEquals(ids.size(), winners.size(), "every item leased");
			for (Map.Entry<Long, Set<String>> e : winners.entrySet())
				assertEquals(1, e.getValue().size(), "item " + e.getKey() + " leased to " + e.getValue());
			// and what each user sees as taken by others is exactly what the others won
			Map<String, Integer> mine = new HashMap<>();
			winners.forEach((id, u) -> mine.merge(u.iterator().next(), 1, Integer::sum));
			for (int t = 0; t < threads; t++)
				assertEquals(ids.size() - mine.getOrDefault("user" + t, 0), s.leasedByOthers("user" + t).size());
		}
	}

	@Test
	void sameUserRenewsOthersAreRefusedUntilReleaseOrExpiry() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long a = addImages(s, 2).get(0);
			Instant t0 = Instant.parse("2026-11-02T10:00:00Z");
			s.clock(Clock.fixed(t0, ZoneOffset.UTC));
			assertTrue(s.tryLease(a, "alice", TTL, "entropy", "entropy 1.92 — rank 1 of 2 unlabelled"));
			assertFalse(s.tryLease(a, "bob", TTL, "margin", null));
			assertEquals(Set.of(a), s.leasedByOthers("bob"));
			assertEquals(Set.of(), s.leasedByOthers("alice"));

			// alice renews at t0+8 min; at t0+12 the first lease would have expired but the renewed one holds
			s.clock(Clock.fixed(t0.plus(Duration.ofMinutes(8)), ZoneOffset.UTC));
			assertTrue(s.tryLease(a, "alice", TTL, "entropy", null));
			s.clock(Clock.fixed(t0.plus(Duration.ofMinutes(12)), ZoneOffset.UTC));
			assertFalse(s.tryLease(a, "bob", TTL, null, null));
			assertEquals(Set.of(a), s.leasedByOthers("bob"));

			// alice's client crashes: at t0+18 min her lease has expired and bob takes it
			s.clock(Clock.fixed(t0.plus(Duration.ofMinutes(18)), ZoneOffset.UTC));
			assertEquals(Set.of(), s.leasedByOthers("bob"));
			assertTrue(s.tryLease(a, "bob", TTL, null, null));
			assertEquals(Set.of(a), s.leasedByOthers("alice"));
			assertFalse(s.tryLease(a, "alice", TTL, null, null));

			// release by someone else does nothing; by the holder frees it
			s.release(a, "alice");
			assertFalse(s.tryLease(a, "carol", TTL, null, null));
			s.release(a, "bob");
			assertEquals(Set.of(), s.leasedByOthers("carol"));
			assertTrue(s.tryLease(a, "carol", TTL, null, null));
		}
	}

	@Test
	void shortRealLeaseExpires() throws InterruptedException {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long a = addImages(s, 1).get(0);
			assertTrue(s.tryLease(a, "alice", Duration.ofMillis(40), null, null));
			assertFalse(s.tryLease(a, "bob", TTL, null, null));
			Thread.sleep(80);
			assertTrue(s.tryLease(a, "bob", TTL, null, null));
		}
	}

	@Test
	void leaseSurvivesReopenWithItsStrategyAndReason() throws Exception {
		Path p = dir.resolve("p");
		long a;
		try (SqlProjectStore s = create(p, "p")) {
			a = addImages(s, 3).get(1);
			assertTrue(s.tryLease(a, "alice", Duration.ofHours(1), "hybrid", "margin 0.03 — rank 1 of 3 unlabelled"));
		}
		try (SqlProjectStore s = SqlProjectStore.open(p)) {
			assertEquals(Set.of(a), s.leasedByOthers("bob"));
			assertFalse(s.tryLease(a, "bob", TTL, null, null));
			assertTrue(s.tryLease(a, "alice", TTL, "hybrid", null));
		}
		try (Connection c = PostgresCluster.raw(p);
				Statement st = c.createStatement();
				ResultSet rs = st.executeQuery("SELECT \"user\", strategy, expires FROM leases WHERE image_id=" + a)) {
			assertTrue(rs.next());
			assertEquals("alice", rs.getString(1));
			assertEquals("hybrid", rs.getString(2));
			assertTrue(rs.getString(3).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), rs.getString(3));
		}
	}

	@Test
	void badLeasesAreRefused() {
		try (SqlProjectStore s = create(dir.resolve("p"), "p")) {
			long a = addImages(s, 1).get(0);
			assertTrue(assertThrows(LabelLoopException.class, () -> s.tryLease(999, "alice", TTL, null, null)).getMessage().contains("No image with id 999"));
			assertThrows(LabelLoopException.class, () -> s.tryLease(a, " ", TTL, null, null));
			assertThrows(LabelLoopException.class, () -> s.tryLease(a, "alice", Duration.ZERO, null, null));
		}
	}
}
