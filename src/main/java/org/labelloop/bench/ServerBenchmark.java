package org.labelloop.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Target;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;

/**
 * Load on a lab server over loopback: simulated labellers, each with its own {@link RemoteBackend}, loop over
 * next item (leased), fetch the image, submit a label, comment on every fifth, release. Measures throughput and
 * latency per call, errors, and checks afterwards that no acknowledged write is lost or duplicated and that no
 * image was leased to two labellers at once.
 */
public final class ServerBenchmark {

	private ServerBenchmark() {
	}

	/**
	 * @param thinkMs mean pause of each labeller after each image, drawn from 0.5 to 1.5 times it, with starts spread
	 *        over one pause (0: no pause, as fast as the server answers, a saturation test)
	 */
	public record Config(int users, Duration duration, int images, long seed, long thinkMs, String db, int servers) {
		public Config(int users, Duration duration, int images, long seed, long thinkMs) {
			this(users, duration, images, seed, thinkMs, "sqlite", 1);
		}

		public Config {
			if (db == null || db.isBlank()) db = "sqlite";
			if (servers < 1) throw new IllegalArgumentException("Need at least one server, not " + servers + ".");
			if (servers > 1 && db.equals("sqlite"))
				throw new IllegalArgumentException("Several servers need a shared store: --db postgresql (a SQLite project is one process's).");
		}
	}

	public record CallStats(String call, long count, long errors, double perSecond, double p50Ms, double p95Ms, double p99Ms) {
	}

	public record Result(String date, String machine, int cpus, String store, int servers, double loadAverageAtStart, double loadAverageAtEnd, int users, long thinkMs, double seconds,
			int images, long calls, double callsPerSecond, long errors, long writesAcknowledged, long lostWrites, long duplicatedWrites,
			long duplicateLeases, List<CallStats> perCall, List<String> firstErrors) {
	}

	private static final String[] CALLS = { "next", "fetch", "submit", "comment", "release" };

	public static Result run(Config cfg, Path work, PrintWriter out) throws IOException, InterruptedException {
		Path project = work.resolve("server-bench-project");
		Files.createDirectories(project.resolve("images"));
		Random rnd = new Random(cfg.seed());
		for (int i = 0; i < cfg.images(); i++) {
			BufferedImage im = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
			for (int y = 0; y < 28; y++)
				for (int x = 0; x < 28; x++) im.getRaster().setSample(x, y, 0, rnd.nextInt(256));
			ImageIO.write(im, "png", project.resolve(String.format(Locale.ROOT, "images/img%05d.png", i)).toFile());
		}
		Map<String, String> tokens = new LinkedHashMap<>();
		long cls;
		try (LocalBackend b = LocalBackend.create(project, "server-bench", "admin")) {
			b.addImages(List.of(project.resolve("images")), Progress.NONE);
			cls = b.addClass("thing", null, null).id();
			b.addClass("other", null, null);
			for (int u = 1; u <= cfg.users(); u++) {
				String name = String.format(Locale.ROOT, "user%02d", u);
				tokens.put(name, Tokens.addUser(b.store(), name, Role.LABELLER, "admin"));
			}
		}
		LocalPostgres cluster = null;
		try {
			String store = "SQLite (the project folder's file)";
			if (!cfg.db().equals("sqlite")) {
				org.labelloop.core.store.Database db;
				if (cfg.db().equals("postgresql")) {
					out.println("  no database given: starting a throw-away PostgreSQL cluster (initdb in a temporary folder, loopback) ...");
					out.flush();
					cluster = LocalPostgres.start();
					db = cluster.newDatabase();
				} else db = org.labelloop.core.store.Database.parse(cfg.db());
				org.labelloop.core.store.StoreMigration.toPostgres(project, db);
				store = "PostgreSQL " + db + (cluster != null ? " (throw-away cluster)" : "");
			}
			return serve(cfg, project, work, tokens, cls, store, out);
		} finally {
			if (cluster != null) cluster.close();
		}
	}

	private static Result serve(Config cfg, Path project, Path work, Map<String, String> tokens, long cls, String store, PrintWriter out) throws InterruptedException {
		out.println("  project of " + cfg.images() + " images and " + cfg.users() + " users made; " + (cfg.servers() == 1 ? "1 server in this JVM" : cfg.servers() + " server processes")
				+ " on loopback, store: " + store + " ...");
		out.flush();
		double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		Map<String, ConcurrentLinkedQueue<Long>> times = new HashMap<>();
		Map<String, AtomicLong> errors = new HashMap<>();
		for (String c : CALLS) {
			times.put(c, new ConcurrentLinkedQueue<>());
			errors.put(c, new AtomicLong());
		}
		Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
		Map<Long, String> held = new ConcurrentHashMap<>();
		AtomicLong duplicateLeases = new AtomicLong();
		AtomicInteger marker = new AtomicInteger();
		ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
		long start, end;
		// one server runs in this JVM; several are processes of their own, as they would be in a department
		LabServer inProcess = null;
		List<ServerProcess> processes = new ArrayList<>();
		List<String> urls = new ArrayList<>();
		Map<Integer, Integer> seen = new HashMap<>();
		try {
			if (cfg.servers() == 1) {
				inProcess = LabServer.start(project, LabServer.Config.loopback(0));
				urls.add(inProcess.url());
			} else for (int i = 0; i < cfg.servers(); i++) {
				ServerProcess sp;
				try {
					sp = ServerProcess.start(project, 0, List.of("-Xmx512m"));
				} catch (IOException e) {
					throw new org.labelloop.core.model.LabelLoopException("Cannot start a server process: " + e.getMessage(), e);
				}
				processes.add(sp);
				urls.add(sp.url());
			}
			List<Thread> threads = new ArrayList<>();
			start = System.nanoTime();
			long deadline = start + cfg.duration().toNanos();
			int u = 0;
			for (Map.Entry<String, String> t : tokens.entrySet()) {
				String url = urls.get(u++ % urls.size()); // labellers spread over the servers
				Thread th = new Thread(() -> labeller(url, t.getKey(), t.getValue(), work.resolve("cache"), cls, deadline, cfg.thinkMs(), times, errors,
						acknowledged, held, duplicateLeases, marker, firstErrors), "labeller-" + t.getKey());
				threads.add(th);
				th.start();
			}
			for (Thread th : threads) th.join();
			end = System.nanoTime();
		} finally {
			if (inProcess != null) inProcess.close();
			for (ServerProcess sp : processes) sp.close();
		}
		// the check, on the store itself once the servers are gone: every acknowledged write is there once
		try (org.labelloop.core.store.SqlProjectStore s = org.labelloop.core.store.SqlProjectStore.open(project)) {
			for (Annotation a : s.allAnnotations())
				if (a.data().geometry() != null) seen.merge((int) a.data().geometry().x(0), 1, Integer::sum);
		}
		long lost = acknowledged.stream().filter(n -> !seen.containsKey(n)).count();
		long dup = seen.values().stream().filter(v -> v > 1).count();
		double seconds = (end - start) / 1e9;
		List<CallStats> stats = new ArrayList<>();
		long calls = 0, errs = 0;
		for (String c : CALLS) {
			List<Long> l = new ArrayList<>(times.get(c));
			l.sort(null);
			calls += l.size();
			errs += errors.get(c).get();
			stats.add(new CallStats(c, l.size(), errors.get(c).get(), l.size() / seconds, pct(l, 0.50), pct(l, 0.95), pct(l, 0.99)));
		}
		double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		return new Result(Instant.now().toString(), System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
				+ System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), store, cfg.servers(), load0, load1, cfg.users(), cfg.thinkMs(), seconds, cfg.images(), calls,
				calls / seconds, errs, acknowledged.size(), lost, dup, duplicateLeases.get(), stats, firstErrors.stream().limit(5).toList());
	}

	private static void labeller(String url, String user, String token, Path cache, long cls, long deadline, long thinkMs, Map<String, ConcurrentLinkedQueue<Long>> measured,
			Map<String, AtomicLong> errors, Set<Integer> acknowledged, Map<Long, String> held, AtomicLong duplicateLeases, AtomicInteger marker,
			ConcurrentLinkedQueue<String> firstErrors) {
		// people do not work in step: each starts at a random moment within one pause, and pauses 0.5 to 1.5 times the mean
		java.util.Random pace = new java.util.Random(user.hashCode());
		if (thinkMs > 0) try {
			Thread.sleep((long) (pace.nextDouble() * thinkMs));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		try (RemoteBackend b = RemoteBackend.connect(url, user, token, cache.resolve(user), Duration.ofSeconds(60))) {
			int n = 0;
			while (System.nanoTime() < deadline) {
				n++;
				// the first round of each labeller (connection, first image download, warm-up) is left out of the timings
				Map<String, ConcurrentLinkedQueue<Long>> times = n == 1 ? warmUp(measured) : measured;
				Long image = time("next", times, errors, firstErrors, () -> {
					Optional<NextChoice> c = b.nextItem("random", NextOptions.DEFAULT);
					if (c.isPresent()) {
						String other = held.putIfAbsent(c.get().image().id(), user);
						if (other != null && !other.equals(user)) duplicateLeases.incrementAndGet();
						return c.get().image().id();
					}
					return b.next(null, NextMode.RANDOM).map(ImageRecord::id).orElse(null); // all labelled: label any image again
				});
				if (image == null) continue;
				time("fetch", times, errors, firstErrors, () -> b.imageFile(image));
				int m = marker.incrementAndGet();
				Boolean ok = time("submit", times, errors, firstErrors, () -> {
					b.apply("label", List.of(new Edit.Create(image, AnnotationData.human(Geometry.rect(m, 1, 2, 2, Plane.ALL), cls, user))));
					return true;
				});
				if (Boolean.TRUE.equals(ok)) acknowledged.add(m);
				if (n % 5 == 0) time("comment", times, errors, firstErrors, () -> b.addComment(Target.image(image), null, Comment.Kind.NOTE, "looked at by " + user));
				held.remove(image, user);
				time("release", times, errors, firstErrors, () -> {
					b.releaseItem(image);
					return true;
				});
				if (thinkMs > 0) try {
					Thread.sleep((long) (thinkMs * (0.5 + pace.nextDouble())));
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		} catch (RuntimeException e) {
			errors.get("next").incrementAndGet();
			if (firstErrors.size() < 20) firstErrors.add(user + ": " + e.getMessage());
		}
	}

	private interface Work<T> {
		T run();
	}

	/** Somewhere to put timings that are not reported. */
	private static Map<String, ConcurrentLinkedQueue<Long>> warmUp(Map<String, ConcurrentLinkedQueue<Long>> like) {
		Map<String, ConcurrentLinkedQueue<Long>> m = new java.util.HashMap<>();
		for (String k : like.keySet()) m.put(k, new ConcurrentLinkedQueue<>());
		return m;
	}

	private static <T> T time(String call, Map<String, ConcurrentLinkedQueue<Long>> times, Map<String, AtomicLong> errors, ConcurrentLinkedQueue<String> firstErrors,
			Work<T> w) {
		long t0 = System.nanoTime();
		try {
			T t = w.run();
			times.get(call).add(System.nanoTime() - t0);
			return t;
		} catch (RuntimeException e) {
			errors.get(call).incrementAndGet();
			if (firstErrors.size() < 20) firstErrors.add(call + ": " + e.getMessage());
			return null;
		}
	}

	private static double pct(List<Long> sorted, double p) {
		if (sorted.isEmpty()) return Double.NaN;
		int i = (int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(p * sorted.size()) - 1));
		return sorted.get(i) / 1e6;
	}

	public static String table(Result r) {
		StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d labellers (pause %d ms per image) for %.0f s on loopback, %d server(s), %d images; store %s; %d cpus, load %.1f → %.1f%n",
				r.users(), r.thinkMs(), r.seconds(), r.servers(), r.images(), r.store(), r.cpus(), r.loadAverageAtStart(), r.loadAverageAtEnd()));
		sb.append(String.format(Locale.ROOT, "%-8s %8s %7s %8s %9s %9s %9s%n", "call", "count", "errors", "per s", "p50 ms", "p95 ms", "p99 ms"));
		for (CallStats c : r.perCall())
			sb.append(String.format(Locale.ROOT, "%-8s %8d %7d %8.1f %9.1f %9.1f %9.1f%n", c.call(), c.count(), c.errors(), c.perSecond(), c.p50Ms(), c.p95Ms(), c.p99Ms()));
		sb.append(String.format(Locale.ROOT, "all      %8d %7d %8.1f%n", r.calls(), r.errors(), r.callsPerSecond()));
		sb.append(String.format(Locale.ROOT, "writes acknowledged %d, lost %d, duplicated %d; images leased to two labellers at once: %d%n", r.writesAcknowledged(),
				r.lostWrites(), r.duplicatedWrites(), r.duplicateLeases()));
		return sb.toString();
	}
}
