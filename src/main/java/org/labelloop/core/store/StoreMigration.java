package org.labelloop.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.labelloop.core.model.LabelLoopException;

/**
 * Moves a project's store between its folder's SQLite file and a PostgreSQL database, losslessly: every row of every
 * table, ids kept, copied in one transaction on the target, and each table's row count and digest (SHA-256 of every
 * row's values, {@link #digests}) checked against the source's before the folder is switched over. The store left behind is kept, renamed ({@code labelloop.db.moved} or {@code database.properties.moved},
 * with the time added when an earlier move's copy has that name), never deleted.
 */
public final class StoreMigration {

	/** Every table, parents before children. */
	static final List<String> TABLES = List.of("settings", "events", "images", "image_metadata", "classes", "class_revisions", "users", "tokens",
			"changesets", "annotations", "annotation_revisions", "comments", "model_versions", "predictions", "embeddings", "leases");
	/** Columns that point at a later row of their own table: written after all rows are in. */
	private static final Map<String, String> FORWARD = Map.of("changesets", "undone_by");
	private static final int BATCH = 1000;

	private StoreMigration() {
	}

	/** Moves the folder's SQLite project onto the (empty) database; returns the rows copied per table. */
	public static Map<String, Long> toPostgres(Path folder, Database db) {
		Map<String, Long> rows;
		try (SqlProjectStore from = SqlProjectStore.open(folder)) {
			if (from.database().isPresent()) throw new LabelLoopException("Project " + folder + " is already on PostgreSQL (" + from.database().get() + ").");
			try (SqlProjectStore to = SqlProjectStore.empty(folder, db)) {
				rows = copy(from, to);
			}
		}
		db.writePointer(folder);
		moveAside(folder.resolve(SqlProjectStore.DB_FILE));
		return rows;
	}

	/** Moves the project the folder points to on PostgreSQL back into a SQLite file in the folder. */
	public static Map<String, Long> toSqlite(Path folder) {
		Map<String, Long> rows;
		try (SqlProjectStore from = SqlProjectStore.open(folder)) {
			if (from.database().isEmpty()) throw new LabelLoopException("Project " + folder + " is already in its folder's " + SqlProjectStore.DB_FILE + ".");
			try (SqlProjectStore to = SqlProjectStore.empty(folder, null)) {
				rows = copy(from, to);
			} catch (RuntimeException e) {
				try {
					Files.deleteIfExists(folder.resolve(SqlProjectStore.DB_FILE)); // the half-made file, never the source
				} catch (IOException ignored) {
					// the error says what failed
				}
				throw e;
			}
		}
		moveAside(folder.resolve(Database.POINTER));
		return rows;
	}

	private static void moveAside(Path file) {
		try {
			Path aside = file.resolveSibling(file.getFileName() + ".moved");
			if (Files.exists(aside)) // an earlier move's copy is kept too
				aside = file.resolveSibling(file.getFileName() + ".moved-" + java.time.Instant.now().toString().replace(':', '-'));
			Files.move(file, aside);
			for (String tail : List.of("-wal", "-shm")) Files.deleteIfExists(file.resolveSibling(file.getFileName() + tail));
		} catch (IOException e) {
			throw new LabelLoopException("The project was copied, but " + file + " could not be moved aside (" + e.getMessage() + "). Move it away by hand"
					+ " so that LabelLoop opens the copy.", e);
		}
	}

	/**
	 * Copies every row of {@code from} into the empty {@code to} in one transaction on {@code to}; each table's rows
	 * are counted and digested as they are copied, and read back from {@code to} to be counted and digested again.
	 */
	static Map<String, Long> copy(SqlProjectStore from, SqlProjectStore to) {
		return to.tx("copy the project", () -> from.read("read the project to copy", () -> {
			if (from.database().isPresent()) {
				// one snapshot of every table, whatever else is written meanwhile
				from.db().setAutoCommit(false);
				from.db().setTransactionIsolation(java.sql.Connection.TRANSACTION_REPEATABLE_READ);
				from.db().setReadOnly(true);
			}
			Map<String, RowDigest> copied = new LinkedHashMap<>();
			for (String table : TABLES) copied.put(table, copyTable(from, to, table));
			if (to.database().isPresent()) restartIdentities(to);
			Map<String, Long> counts = new LinkedHashMap<>();
			for (String table : TABLES) {
				RowDigest source = copied.get(table), there = digest(to, table);
				if (there.rows() != source.rows())
					throw new LabelLoopException("Copying table " + table + " gave " + there.rows() + " rows instead of " + source.rows() + "; nothing was moved.");
				if (!there.hex().equals(source.hex()))
					throw new LabelLoopException("Copying table " + table + " changed some of its values; nothing was moved.");
				counts.put(table, source.rows());
			}
			return counts;
		}));
	}

	/** Copies a table's rows; returns their count and digest, as read from {@code from}. */
	private static RowDigest copyTable(SqlProjectStore from, SqlProjectStore to, String table) throws SQLException {
		String forward = FORWARD.get(table);
		List<Object[]> later = new ArrayList<>();
		RowDigest read;
		try (Statement st = from.db().createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + orderBy(table))) {
			ResultSetMetaData md = rs.getMetaData();
			read = new RowDigest(md);
			int cols = md.getColumnCount(), fwd = -1;
			List<String> names = new ArrayList<>();
			for (int i = 1; i <= cols; i++) {
				names.add('"' + md.getColumnName(i).toLowerCase(java.util.Locale.ROOT) + '"');
				if (md.getColumnName(i).equalsIgnoreCase(forward)) fwd = i;
			}
			String sql = "INSERT INTO " + table + "(" + String.join(", ", names) + ") VALUES (" + "?,".repeat(cols - 1) + "?)";
			try (PreparedStatement ps = to.db().prepareStatement(sql)) {
				while (rs.next()) {
					read.add(rs);
					for (int i = 1; i <= cols; i++) {
						Object v = rs.getObject(i);
						if (i == fwd && v != null) {
							later.add(new Object[] { v, rs.getObject("id") });
							v = null;
						}
						if (v == null) ps.setNull(i, java.sql.Types.NULL);
						else ps.setObject(i, v);
					}
					ps.addBatch();
					if (read.rows() % BATCH == 0) ps.executeBatch();
				}
				ps.executeBatch();
			}
		}
		if (!later.isEmpty())
			try (PreparedStatement ps = to.db().prepareStatement("UPDATE " + table + " SET " + forward + "=? WHERE id=?")) {
				for (Object[] r : later) {
					ps.setObject(1, r[0]);
					ps.setObject(2, r[1]);
					ps.addBatch();
				}
				ps.executeBatch();
			}
		return read;
	}

	/** Rows in key order, so rows that point at earlier rows of the same table come after them. */
	private static String orderBy(String table) {
		return switch (table) {
			case "settings" -> " ORDER BY key";
			case "image_metadata" -> " ORDER BY image_id, key";
			case "users" -> " ORDER BY name";
			case "tokens" -> " ORDER BY \"user\"";
			case "annotation_revisions" -> " ORDER BY annotation_id, revision";
			case "predictions" -> " ORDER BY model_id, target_kind, target_id";
			case "embeddings" -> " ORDER BY embedder, target_kind, target_id";
			case "leases" -> " ORDER BY image_id";
			default -> " ORDER BY id";
		};
	}

	/** PostgreSQL's identity columns go on after the largest id copied. */
	private static void restartIdentities(SqlProjectStore to) throws SQLException {
		List<String> withIds = new ArrayList<>();
		try (Statement st = to.db().createStatement();
				ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id'"
						+ " AND is_identity = 'YES'")) {
			while (rs.next()) withIds.add(rs.getString(1));
		}
		try (Statement st = to.db().createStatement()) {
			for (String table : withIds)
				st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), COALESCE((SELECT MAX(id) FROM " + table + "), 0) + 1, false)");
		}
	}

	/** Every table's digest: what a store holds, whichever database it is on (the same rows give the same digests). */
	public static Map<String, String> digests(SqlProjectStore store) {
		return store.read("read the project's digests", () -> {
			Map<String, String> out = new LinkedHashMap<>();
			for (String table : TABLES) out.put(table, digest(store, table).hex());
			return out;
		});
	}

	private static RowDigest digest(SqlProjectStore s, String table) throws SQLException {
		try (Statement st = s.db().createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + orderBy(table))) {
			RowDigest d = new RowDigest(rs.getMetaData());
			while (rs.next()) d.add(rs);
			return d;
		}
	}

	/**
	 * A table's row count and SHA-256 over its rows in key order, each row's columns in name order, each value in one
	 * spelling whatever the database returned it as (a whole number as its digits, a real number as Java writes a
	 * double, bytes as hex).
	 */
	private static final class RowDigest {
		private final java.security.MessageDigest md;
		private final java.util.Collection<Integer> columns;
		private final StringBuilder row = new StringBuilder();
		private long rows;

		RowDigest(ResultSetMetaData m) throws SQLException {
			try {
				md = java.security.MessageDigest.getInstance("SHA-256");
			} catch (java.security.NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
			java.util.TreeMap<String, Integer> byName = new java.util.TreeMap<>();
			for (int i = 1; i <= m.getColumnCount(); i++) byName.put(m.getColumnName(i).toLowerCase(java.util.Locale.ROOT), i);
			columns = byName.values();
		}

		void add(ResultSet rs) throws SQLException {
			row.setLength(0);
			for (int i : columns) row.append(canonical(rs.getObject(i))).append('\u0001');
			md.update(row.append('\n').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
			rows++;
		}

		long rows() {
			return rows;
		}

		/** The digest; read once, when every row is added. */
		String hex() {
			return java.util.HexFormat.of().formatHex(md.digest());
		}

		private static String canonical(Object v) {
			if (v == null) return "\u0000";
			if (v instanceof Double || v instanceof Float) return Double.toString(((Number) v).doubleValue());
			if (v instanceof Number n) return new java.math.BigDecimal(n.toString()).toBigInteger().toString();
			if (v instanceof byte[] b) return java.util.HexFormat.of().formatHex(b);
			return v.toString();
		}
	}
}
