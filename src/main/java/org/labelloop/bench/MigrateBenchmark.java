package org.labelloop.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Split;
import org.labelloop.core.store.Database;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.core.store.StoreMigration;

/**
 * A project of many annotations moved from its SQLite file to PostgreSQL and back ({@code labelloop migrate}):
 * how long each way takes, and whether every table reads the same afterwards (digests of every row, {@link
 * StoreMigration#digests}) before, on PostgreSQL, and back in SQLite.
 */
public final class MigrateBenchmark {

	private MigrateBenchmark() {
	}

	public record Config(int annotations, int images, String db) {
	}

	public record Result(String date, String machine, int cpus, String database, int annotations, int images, Map<String, Long> rows,
			double makeSeconds, double toPostgresSeconds, double backSeconds, boolean identicalOnPostgres, boolean identicalBack) {
	}

	public static Result run(Config cfg, Path work, PrintWriter out) throws IOException, InterruptedException {
		Path project = work.resolve("migrate-bench-project");
		long t0 = System.nanoTime();
		Map<String, String> before;
		try (SqlProjectStore s = SqlProjectStore.create(project, "migrate-bench")) {
			List<Long> images = new ArrayList<>();
			for (int i = 0; i < cfg.images(); i++)
				images.add(s.addImage(new ImageRecord(0, String.format(Locale.ROOT, "images/img%06d.png", i), "%064x".formatted(i), 1000, 512, 512, 1, 1, 1, 8,
						Split.UNASSIGNED, "bench", Instant.now())).id());
			List<Long> classes = new ArrayList<>();
			for (String c : List.of("nucleus", "cell", "artefact")) classes.add(s.addClass(new LabelClass(0, c, SqlProjectStore.defaultColor(classes.size()), "", 0), "bench").id());
			List<Edit> batch = new ArrayList<>();
			for (int a = 0; a < cfg.annotations(); a++) {
				long im = images.get(a % images.size());
				batch.add(new Edit.Create(im, AnnotationData.human(Geometry.rect(a % 500, a % 300, 5 + a % 20, 7 + a % 11, Plane.ALL), classes.get(a % classes.size()), "bench")));
				if (batch.size() == 1000 || a == cfg.annotations() - 1) {
					s.apply("bench", "labels " + a, batch);
					batch.clear();
				}
			}
			before = StoreMigration.digests(s);
		}
		double make = (System.nanoTime() - t0) / 1e9;
		out.printf(Locale.ROOT, "  project of %,d annotations on %,d images made in %.1f s; moving it ...%n", cfg.annotations(), cfg.images(), make);
		out.flush();
		LocalPostgres cluster = null;
		try {
			Database db;
			if (cfg.db() == null || cfg.db().equals("postgresql")) {
				out.println("  no database given: starting a throw-away PostgreSQL cluster (initdb in a temporary folder, loopback) ...");
				out.flush();
				cluster = LocalPostgres.start();
				db = cluster.newDatabase();
			} else db = Database.parse(cfg.db());
			long t1 = System.nanoTime();
			Map<String, Long> rows = StoreMigration.toPostgres(project, db);
			double there = (System.nanoTime() - t1) / 1e9;
			boolean sameThere;
			try (SqlProjectStore s = SqlProjectStore.open(project)) {
				sameThere = before.equals(StoreMigration.digests(s));
			}
			long t2 = System.nanoTime();
			StoreMigration.toSqlite(project);
			double back = (System.nanoTime() - t2) / 1e9;
			boolean sameBack;
			try (SqlProjectStore s = SqlProjectStore.open(project)) {
				sameBack = before.equals(StoreMigration.digests(s));
			}
			return new Result(Instant.now().toString(), System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"),
					Runtime.getRuntime().availableProcessors(), "PostgreSQL " + db + (cluster != null ? " (throw-away cluster)" : ""), cfg.annotations(), cfg.images(), rows,
					make, there, back, sameThere, sameBack);
		} finally {
			if (cluster != null) cluster.close();
		}
	}

	public static String table(Result r) {
		return String.format(Locale.ROOT, "%,d annotations (%,d revisions, %,d change sets) on %,d images; %s%n", r.annotations(), r.rows().get("annotation_revisions"),
				r.rows().get("changesets"), r.images(), r.database())
				+ String.format(Locale.ROOT, "%-28s %8s%n", "step", "seconds")
				+ String.format(Locale.ROOT, "%-28s %8.1f%n", "to PostgreSQL (migrate)", r.toPostgresSeconds())
				+ String.format(Locale.ROOT, "%-28s %8.1f%n", "back to SQLite (migrate)", r.backSeconds())
				+ String.format(Locale.ROOT, "every table identical on PostgreSQL: %s; back in SQLite: %s%n", r.identicalOnPostgres() ? "yes" : "NO",
						r.identicalBack() ? "yes" : "NO");
	}
}
