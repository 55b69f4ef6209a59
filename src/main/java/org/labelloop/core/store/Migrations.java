package org.labelloop.core.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.labelloop.core.model.LabelLoopException;

/**
 * Schema versions, kept in SQLite's {@code user_version} (on PostgreSQL, in the table {@code labelloop_schema}). The
 * steps are written once, in SQLite's words; {@link #postgres} says each in PostgreSQL's. Each step runs in its own
 * transaction; a project made by a newer LabelLoop is refused instead of being damaged. Append new steps at the end,
 * never edit old ones.
 */
final class Migrations {

	static final String[][] STEPS = { {
			"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT)",
			"CREATE TABLE events(id INTEGER PRIMARY KEY, time TEXT NOT NULL, user TEXT, kind TEXT NOT NULL, detail TEXT)",
			"CREATE TABLE images(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,"
					+ " width INTEGER NOT NULL, height INTEGER NOT NULL, channels INTEGER NOT NULL, slices INTEGER NOT NULL,"
					+ " frames INTEGER NOT NULL, bit_depth INTEGER NOT NULL, split TEXT NOT NULL, added_by TEXT, added_at TEXT NOT NULL)",
			"CREATE TABLE classes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, color TEXT NOT NULL, hotkey TEXT NOT NULL DEFAULT '', ord INTEGER NOT NULL)",
			"CREATE TABLE class_revisions(id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL REFERENCES classes(id), name TEXT NOT NULL,"
					+ " color TEXT NOT NULL, hotkey TEXT, ord INTEGER, user TEXT, time TEXT NOT NULL, kind TEXT NOT NULL)",
			"CREATE TABLE changesets(id INTEGER PRIMARY KEY, user TEXT NOT NULL, time TEXT NOT NULL, description TEXT,"
					+ " kind TEXT NOT NULL, undoes INTEGER REFERENCES changesets(id), undone_by INTEGER REFERENCES changesets(id), edits INTEGER NOT NULL DEFAULT 0)",
			"CREATE INDEX changesets_user ON changesets(user, id)",
			"CREATE TABLE annotations(id INTEGER PRIMARY KEY, image_id INTEGER NOT NULL REFERENCES images(id), revision INTEGER NOT NULL,"
					+ " deleted INTEGER NOT NULL, class_id INTEGER REFERENCES classes(id), origin TEXT, status TEXT, confidence REAL,"
					+ " probabilities TEXT, geometry TEXT, author TEXT NOT NULL, time TEXT NOT NULL)",
			"CREATE INDEX annotations_image ON annotations(image_id)",
			"CREATE TABLE annotation_revisions(annotation_id INTEGER NOT NULL REFERENCES annotations(id), image_id INTEGER NOT NULL,"
					+ " revision INTEGER NOT NULL, changeset_id INTEGER NOT NULL REFERENCES changesets(id), deleted INTEGER NOT NULL,"
					+ " class_id INTEGER, origin TEXT, status TEXT, confidence REAL, probabilities TEXT, geometry TEXT,"
					+ " author TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY(annotation_id, revision))",
			"CREATE INDEX revisions_changeset ON annotation_revisions(changeset_id)" },
			{ // 2: comments and flags; who holds which role
					"CREATE TABLE comments(id INTEGER PRIMARY KEY, target_kind TEXT NOT NULL, target_id INTEGER NOT NULL,"
							+ " parent_id INTEGER REFERENCES comments(id), author TEXT NOT NULL, time TEXT NOT NULL, kind TEXT NOT NULL,"
							+ " text TEXT NOT NULL, open INTEGER NOT NULL, resolved_by TEXT, resolved_at TEXT, revision INTEGER NOT NULL)",
					"CREATE INDEX comments_target ON comments(target_kind, target_id)",
					"CREATE TABLE users(name TEXT PRIMARY KEY, role TEXT NOT NULL)",
					"ALTER TABLE changesets ADD COLUMN role TEXT" },
			{ // 3: model versions, their predictions, and cached embeddings
					"CREATE TABLE model_versions(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, task TEXT NOT NULL, created TEXT NOT NULL,"
							+ " user TEXT NOT NULL, embedder TEXT NOT NULL, classifier TEXT NOT NULL, class_ids TEXT NOT NULL, train_size INTEGER NOT NULL,"
							+ " metrics TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 0, detail TEXT)",
					"CREATE TABLE predictions(model_id INTEGER NOT NULL REFERENCES model_versions(id), target_kind TEXT NOT NULL,"
							+ " target_id INTEGER NOT NULL, probabilities TEXT NOT NULL, out_of_fold INTEGER NOT NULL,"
							+ " PRIMARY KEY(model_id, target_kind, target_id))",
					"CREATE TABLE embeddings(embedder TEXT NOT NULL, target_kind TEXT NOT NULL, target_id INTEGER NOT NULL,"
							+ " stamp TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY(embedder, target_kind, target_id))" },
			// 4: leases: an item handed out by Next Image belongs to one labeller until it expires or is released.
			// expires is UTC, fixed width (yyyy-MM-ddTHH:mm:ss.SSSZ), so text comparison orders it in time.
			{ "CREATE TABLE leases(image_id INTEGER PRIMARY KEY REFERENCES images(id), user TEXT NOT NULL, expires TEXT NOT NULL,"
					+ " strategy TEXT, reason TEXT)" },
			// 5: lab server tokens: only the SHA-256 of each user's token is kept, never the token itself.
			{ "CREATE TABLE tokens(user TEXT PRIMARY KEY, sha256 TEXT NOT NULL, created TEXT NOT NULL, created_by TEXT)" },
			// 6: mask annotations: the object's voxels as a MaskCodec blob (geometry stays NULL for them), and the current
			// mask's first and last slice, so one slice's masks are read without the others
			{ "ALTER TABLE annotations ADD COLUMN mask BLOB", "ALTER TABLE annotations ADD COLUMN mask_z0 INTEGER",
					"ALTER TABLE annotations ADD COLUMN mask_z1 INTEGER", "ALTER TABLE annotation_revisions ADD COLUMN mask BLOB" },
			// 7: image metadata that labellers filter by (DICOM's modality, patient, study, series, body part,
			// description): short keys, text values; an image without metadata has no rows
			{ "CREATE TABLE image_metadata(image_id INTEGER NOT NULL REFERENCES images(id), key TEXT NOT NULL, value TEXT NOT NULL,"
					+ " PRIMARY KEY(image_id, key))" } };

	private Migrations() {
	}

	static int latest() {
		return STEPS.length;
	}

	static void migrate(Connection c) throws SQLException {
		int version;
		try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
			version = rs.next() ? rs.getInt(1) : 0;
		}
		if (version > STEPS.length)
			throw new LabelLoopException("This project was written by a newer LabelLoop (schema " + version
					+ ", this one knows up to " + STEPS.length + "). Update LabelLoop to open it.");
		for (int v = version; v < STEPS.length; v++) {
			c.setAutoCommit(false);
			try (Statement st = c.createStatement()) {
				for (String sql : STEPS[v]) st.execute(sql);
				st.execute("PRAGMA user_version = " + (v + 1));
				c.commit();
			} catch (SQLException e) {
				c.rollback();
				throw e;
			} finally {
				c.setAutoCommit(true);
			}
		}
	}

	/**
	 * Brings a PostgreSQL database to the latest schema. The steps run under a transaction-scoped advisory lock, so two
	 * server processes starting at once do not both migrate; each step is its own transaction (DDL is transactional
	 * there), so a migration cut short leaves the last finished version.
	 */
	static void migratePostgres(Connection c) throws SQLException {
		for (;;) {
			c.setAutoCommit(false);
			try (Statement st = c.createStatement()) {
				st.execute("SELECT pg_advisory_xact_lock(7294512318)");
				st.execute("CREATE TABLE IF NOT EXISTS labelloop_schema(version INTEGER NOT NULL)");
				int version;
				try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM labelloop_schema")) {
					version = rs.next() ? rs.getInt(1) : 0;
				}
				if (version > STEPS.length)
					throw new LabelLoopException("This database was written by a newer LabelLoop (schema " + version
							+ ", this one knows up to " + STEPS.length + "). Update LabelLoop to open it.");
				if (version == STEPS.length) {
					c.commit();
					return;
				}
				for (String sql : STEPS[version]) st.execute(postgres(sql));
				st.execute("INSERT INTO labelloop_schema(version) VALUES (" + (version + 1) + ")");
				c.commit();
			} catch (SQLException | RuntimeException e) {
				c.rollback();
				throw e;
			} finally {
				c.setAutoCommit(true);
			}
		}
	}

	/**
	 * A step in PostgreSQL's words: 64-bit integers and identity keys for SQLite's rowids, double precision for REAL,
	 * bytea for BLOB, the column {@code user} quoted (a reserved word there), and lease times compared byte by byte
	 * (fixed-width UTC text, whose order is time order only in the C collation).
	 */
	static String postgres(String sqlite) {
		return sqlite.replace("INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
				.replaceAll("\\bINTEGER\\b", "BIGINT").replaceAll("\\bREAL\\b", "DOUBLE PRECISION").replaceAll("\\bBLOB\\b", "BYTEA")
				.replaceAll("([(,]\\s*)user\\b", "$1\"user\"").replace("expires TEXT", "expires TEXT COLLATE \"C\"");
	}
}
