package org.labelloop.core.al;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.Split;
import org.labelloop.core.store.SqlProjectStore;

/** Next Image end to end on a real project store: labellers working at once never get the same image. */
class NextItemTest {

	@TempDir
	Path dir;

	static final Duration TTL = Duration.ofMinutes(30);

	private static Pool pool(SqlProjectStore s, int n) {
		long[] ids = new long[n];
		for (int i = 0; i < n; i++)
			ids[i] = s.addImage(new ImageRecord(0, "im" + i + ".png", "ab".repeat(32), 1, 8, 8, 1, 1, 1, 8, Split.UNASSIGNED, "a", Instant.now())).id();
		return Pool.builder(Pools.classes(4)).unlabelled(ids, Pools.probabilities(n, 4, 5), Pools.gaussian(n, 6, 5)).build();
	}

	@Test
	void twoLabellersGetDifferentImagesAndTheMostInformativeFirst() {
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p")) {
			Pool pool = pool(s, 50);
			Strategy entropy = Strategies.byName("entropy");
			long[] best = entropy.select(pool, 3, Options.DEFAULT).ids();
			NextItem.Next a = NextItem.next(s, entropy, pool, Options.DEFAULT, "alice", TTL);
			NextItem.Next b = NextItem.next(s, entropy, pool, Options.DEFAULT, "bob", TTL);
			assertEquals(best[0], a.leased().orElseThrow().id());
			assertEquals(best[1], b.leased().orElseThrow().id(), "bob gets the next best, not alice's");
			assertTrue(b.status().startsWith("entropy "), b.status());
			assertTrue(b.status().endsWith("rank 1 of 49 unlabelled"), "alice's image is not a candidate for bob: " + b.status());
			// alice asks again without finishing: she keeps hers (renewed); after skipping it she gets another
			assertEquals(best[0], NextItem.next(s, entropy, pool, Options.DEFAULT, "alice", TTL).leased().orElseThrow().id());
			s.release(best[0], "alice");
			NextItem.Next c = NextItem.next(s, entropy, pool, Options.DEFAULT.withExclude(Set.of(best[0])), "alice", TTL);
			assertEquals(best[2], c.leased().orElseThrow().id());
		}
	}

	@Test
	void eightLabellersAtOnceNeverShareAnImage() throws Exception {
		try (SqlProjectStore s = SqlProjectStore.create(dir.resolve("p"), "p")) {
			Pool pool = pool(s, 40);
			int users = 8, rounds = 5;
			ConcurrentLinkedQueue<Long> handed = new ConcurrentLinkedQueue<>();
			CountDownLatch go = new CountDownLatch(1);
			ExecutorService ex = Executors.newFixedThreadPool(users);
			List<Future<?>> jobs = new ArrayList<>();
			for (int u = 0; u < users; u++) {
				String user = "user" + u;
				jobs.add(ex.submit(() -> {
					go.await();
					Set<Long> mine = new HashSet<>();
					for (int r = 0; r < rounds; r++) { // label (keep the lease) and ask for the next
						NextItem.Next n = NextItem.next(s, Strategies.byName("hybrid"), pool, Options.DEFAULT.withExclude(mine), user, TTL);
						long id = n.leased().orElseThrow().id();
						mine.add(id);
						handed.add(id);
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> f : jobs) f.get();
			ex.shutdown();
			assertEquals(users * rounds, handed.size());
			assertEquals(users * rounds, new HashSet<>(handed).size(), "an image was handed to two labellers: " + handed);
			// all 40 are leased now: the next labeller is told so
			NextItem.Next none = NextItem.next(s, Strategies.byName("hybrid"), pool, Options.DEFAULT, "late", TTL);
			assertFalse(none.leased().isPresent());
			assertTrue(none.status().contains("leased to other labellers"), none.status());
		}
	}
}
