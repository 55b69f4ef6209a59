package org.labelloop.core.store;

import org.labelloop.core.model.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationSnapshot;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Target;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Split;
import org.labelloop.core.model.Status;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The project store, the one home of its SQL. By default one SQLite file, {@code labelloop.db}, in the project folder:
 * WAL journal with full sync, so a process killed in the middle of a write leaves the last committed state, one
 * connection that serialises writes, and {@value #READERS} more for reads, each read one read transaction (a snapshot),
 * so that readers wait neither behind the writer nor behind each other (a Next Image pick does not wait for a Retrain's
 * writes or for the map reading every embedding). A lab server's project may live on PostgreSQL instead ({@link Database}): then
 * each transaction takes a pooled connection and runs SERIALIZABLE, retried when the database reports a
 * serialisation failure, so several threads and several server processes get the same guarantees SQLite's single
 * writer gives (append-only revisions, stale-write conflicts, leases never handed out twice). Every write is one
 * transaction. The table {@code annotations} holds the current state; {@code annotation_revisions} the whole history.
 * <p>
 * Over 400 lines on purpose: it is the one home of the project's SQL (every rule of a label's life that the database
 * enforces: revisions, conflicts, undo, leases), and one class for both databases keeps one copy of each statement;
 * only the connection handling and the error messages differ ({@link Database}, {@link Migrations#postgres}).
 */
public final class SqlProjectStore implements ProjectStore {

	public static final String DB_FILE = "labelloop.db";
	private static final String[] CLASS_COLORS = { "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0",
			"#f032e6", "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3" };

	/** The PostgreSQL advisory lock a transaction holds from the moment it writes a change set until it commits. */
	private static final long CHANGESET_LOCK = 7294512319L;

	private final Path folder;
	/** SQLite: the one connection that writes; {@code null} on PostgreSQL. */
	private final Connection single;
	/** SQLite: the connections that read, not auto-committing, so that a read is one snapshot; {@code null} on PostgreSQL. */
	private final java.util.concurrent.BlockingQueue<Connection> readers;
	/** SQLite: how many connections read beside the one that writes. */
	static final int READERS = 3;
	/** PostgreSQL: the pool; {@code null} on SQLite. */
	private final com.zaxxer.hikari.HikariDataSource pool;
	private final Database database;
	private final ProjectLock lock;
	/** The connection of the transaction or read this thread is in, for the JDBC helpers. */
	private final ThreadLocal<Connection> current = new ThreadLocal<>();
	private volatile Clock clock = Clock.systemUTC();

	private SqlProjectStore(Path folder, Connection single, List<Connection> readers, com.zaxxer.hikari.HikariDataSource pool, Database database,
			ProjectLock lock) {
		this.folder = folder;
		this.single = single;
		this.readers = readers == null ? null : new java.util.concurrent.ArrayBlockingQueue<>(readers.size(), false, readers);
		this.pool = pool;
		this.database = database;
		this.lock = lock;
	}

	/** Whether the folder holds a LabelLoop project (its SQLite file, or a pointer to its database). */
	public static boolean isProject(Path folder) {
		return Files.isRegularFile(folder.resolve(DB_FILE)) || Files.isRegularFile(folder.resolve(Database.POINTER));
	}

	/** Makes a new project in {@code folder} (created if needed; it may already hold images). */
	public static SqlProjectStore create(Path folder, String name) {
		folder = prepareFolder(folder);
		SqlProjectStore s = connect(folder, cfg -> { });
		s.initialise(folder, name);
		return s;
	}

	/**
	 * Makes a new project whose store is the PostgreSQL database given, with {@code folder} for its images, models and
	 * indexes; the folder records where its database is ({@link Database#POINTER}, no password). The database must
	 * hold no LabelLoop project yet.
	 */
	public static SqlProjectStore create(Path folder, String name, Database db) {
		folder = prepareFolder(folder);
		SqlProjectStore s = connect(folder, db);
		if (s.setting("project.created").isPresent()) {
			s.close();
			throw new LabelLoopException("The database " + db + " already holds a LabelLoop project (" + s.name() + "); open it instead.");
		}
		try {
			db.writePointer(folder);
		} catch (RuntimeException e) {
			s.close();
			throw e;
		}
		s.initialise(folder, name);
		return s;
	}

	private void initialise(Path folder, String name) {
		setSetting("project.name", name == null || name.isBlank() ? folder.getFileName().toString() : name.strip());
		setSetting("project.created", Instant.now().toString());
	}

	private static Path prepareFolder(Path folder) {
		folder = folder.toAbsolutePath().normalize();
		if (isProject(folder))
			throw new LabelLoopException("Folder " + folder + " is already a LabelLoop project; open it instead.");
		if (Files.exists(folder) && !Files.isDirectory(folder))
			throw new LabelLoopException("Cannot create a project at " + folder + ": it is a file, not a folder.");
		try {
			Files.createDirectories(folder);
		} catch (Exception e) {
			throw new LabelLoopException("Cannot create project folder " + folder + ": " + e.getMessage(), e);
		}
		return folder;
	}

	/** Opens an existing project: its SQLite file, or the database its folder points to. */
	public static SqlProjectStore open(Path folder) {
		return open(folder, cfg -> { });
	}

	/** Opens the project in {@code folder} on the database given (which overrides the folder's pointer, if any). */
	public static SqlProjectStore open(Path folder, Database db) {
		folder = existingFolder(folder);
		SqlProjectStore s = connect(folder, db);
		if (s.setting("project.created").isEmpty()) {
			s.close();
			throw new LabelLoopException("The database " + db + " holds no LabelLoop project; make one with 'labelloop migrate' or New Project.");
		}
		return s;
	}

	/**
	 * A store with the latest schema and nothing in it, for {@link StoreMigration} to fill: on the database given, or
	 * ({@code db == null}) in a new SQLite file in the folder. Refused when it already holds a project.
	 */
	static SqlProjectStore empty(Path folder, Database db) {
		folder = existingFolder(folder);
		if (db == null && Files.exists(folder.resolve(DB_FILE)))
			throw new LabelLoopException("Folder " + folder + " already has a " + DB_FILE + "; move it away first.");
		SqlProjectStore s = db == null ? connect(folder, cfg -> { }) : connect(folder, db);
		if (s.setting("project.created").isPresent()) {
			s.close();
			throw new LabelLoopException((db == null ? folder.resolve(DB_FILE).toString() : "The database " + db)
					+ " already holds a LabelLoop project; LabelLoop moves a project only into an empty one.");
		}
		return s;
	}

	/** On PostgreSQL: several server processes may serve the project. */
	@Override
	public boolean sharedByProcesses() {
		return pool != null;
	}

	/** Opens with extra SQLite settings; tests use it to provoke a full disk or a read-only file. */
	static SqlProjectStore open(Path folder, java.util.function.Consumer<SQLiteConfig> tune) {
		folder = existingFolder(folder);
		if (!isProject(folder))
			throw new LabelLoopException("Folder " + folder + " is not a LabelLoop project (it has no " + DB_FILE
					+ "). Use New Project to make one.");
		if (!Files.isRegularFile(folder.resolve(DB_FILE))) return open(folder, Database.readPointer(folder));
		return connect(folder, tune);
	}

	private static Path existingFolder(Path folder) {
		folder = folder.toAbsolutePath().normalize();
		if (!Files.isDirectory(folder)) throw new LabelLoopException("Project folder " + folder + " does not exist.");
		return folder;
	}

	/** The PostgreSQL database the project lives on; empty for a project in its SQLite file. */
	public Optional<Database> database() {
		return Optional.ofNullable(database);
	}

	private static SqlProjectStore connect(Path folder, java.util.function.Consumer<SQLiteConfig> tune) {
		ProjectLock lock = ProjectLock.acquire(folder);
		Connection c = null;
		List<Connection> readers = new ArrayList<>();
		try {
			SQLiteConfig cfg = new SQLiteConfig();
			cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
			cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
			cfg.enforceForeignKeys(true);
			cfg.setBusyTimeout(10_000);
			tune.accept(cfg);
			c = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(DB_FILE), cfg.toProperties());
			try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
				String r = rs.next() ? rs.getString(1) : "no answer";
				if (!"ok".equals(r)) throw new LabelLoopException("Project database " + folder.resolve(DB_FILE) + " is damaged: " + r);
			}
			Migrations.migrate(c);
			for (int i = 0; i < READERS; i++) {
				Connection r = DriverManager.getConnection("jdbc:sqlite:" + folder.resolve(DB_FILE), cfg.toProperties());
				readers.add(r);
				try (Statement st = r.createStatement()) {
					st.execute("PRAGMA query_only=ON"); // a write through a reader would bypass the writer's turn
				}
				r.setAutoCommit(false);
			}
			return new SqlProjectStore(folder, c, readers, null, null, lock);
		} catch (SQLException e) {
			closeQuietly(c);
			readers.forEach(SqlProjectStore::closeQuietly);
			lock.close();
			throw translate(e, "open project " + folder);
		} catch (RuntimeException e) {
			closeQuietly(c);
			lock.close();
			throw e;
		}
	}

	/**
	 * Connects to PostgreSQL. The folder's process lock is not taken: the database keeps several processes consistent,
	 * which is what a project on PostgreSQL is for.
	 */
	private static SqlProjectStore connect(Path folder, Database db) {
		com.zaxxer.hikari.HikariDataSource pool;
		try {
			pool = db.pool();
		} catch (RuntimeException e) {
			throw Database.translate(e, "open project " + folder + " on " + db);
		}
		try (Connection c = pool.getConnection()) {
			Migrations.migratePostgres(c);
		} catch (SQLException e) {
			pool.close();
			throw Database.translate(e, "open project " + folder + " on " + db);
		} catch (RuntimeException e) {
			pool.close();
			throw e;
		}
		return new SqlProjectStore(folder, null, null, pool, db, null);
	}

	private static void rollbackQuietly(Connection c) {
		try {
			c.rollback();
		} catch (SQLException ignored) {
			// the read changed nothing; the next one begins afresh
		}
	}

	private static void closeQuietly(Connection c) {
		if (c == null) return;
		try {
			c.close();
		} catch (SQLException ignored) {
			// nothing more to do
		}
	}

	/** Turns SQLite's errors into messages a user can act on. */
	static LabelLoopException translate(SQLException e, String what) {
		SQLiteErrorCode code = e instanceof SQLiteException se ? se.getResultCode() : null;
		String base = code == null ? "" : code.name();
		String msg;
		if (base.startsWith("SQLITE_FULL")) msg = "The disk is full: could not " + what + ". Nothing of it was written; free some space and try again.";
		else if (base.startsWith("SQLITE_READONLY")) msg = "The project is read-only: could not " + what + ". Nothing of it was written; check the folder's permissions.";
		else if (base.startsWith("SQLITE_NOTADB") || base.startsWith("SQLITE_CORRUPT")) msg = "The project database is damaged or not a LabelLoop database: could not " + what + ".";
		else if (base.startsWith("SQLITE_BUSY") || base.startsWith("SQLITE_LOCKED")) msg = "The project database is busy: could not " + what + ". Try again.";
		else if (base.startsWith("SQLITE_IOERR") || base.startsWith("SQLITE_CANTOPEN")) msg = "Disk error: could not " + what + " (" + e.getMessage() + "). Nothing of it was written.";
		else msg = "Could not " + what + ": " + e.getMessage();
		return new LabelLoopException(msg, e);
	}

	@Override
	public Path folder() {
		return folder;
	}

	@Override
	public String name() {
		return setting("project.name").orElse(folder.getFileName().toString());
	}

	// ----------------------------------------------------------------- transactions

	interface Work<T> {
		T run() throws SQLException;
	}

	<T> T tx(String what, Work<T> work) {
		if (current.get() != null) throw new IllegalStateException("a transaction inside a transaction: " + what);
		if (pool == null) synchronized (this) {
			try {
				return inTransaction(single, work);
			} catch (SQLException e) {
				throw translate(e, what);
			}
		}
		for (int attempt = 1;; attempt++) {
			Connection c;
			try {
				c = pool.getConnection(); // none within the pool's timeout: the database is down, and a retry would only wait again
			} catch (SQLException e) {
				throw Database.translate(e, what);
			}
			T result;
			try {
				c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
				result = inTransaction(c, work);
			} catch (SQLException e) {
				closeQuietly(c, e);
				// a serialisation failure, or a connection lost before the commit (so nothing was written): run it again
				if (attempt < Database.ATTEMPTS && (Database.isRetryable(e) || Database.isLostBeforeCommit(e))) {
					Database.backOff(attempt);
					continue;
				}
				throw Database.translate(e, what);
			} catch (RuntimeException | Error e) {
				closeQuietly(c, null); // a conflict, a refused edit: the connection goes back to the pool as always
				throw e;
			}
			// Committed. Handing the connection back resets its isolation level, which fails on a connection that broke
			// since; that must not look like a failed write (it would be retried, and written twice, or reported unwritten).
			closeQuietly(c, null);
			return result;
		}
	}

	/** Hands a pooled connection back; a broken one is dropped by the pool, and the error is kept beside {@code failure}, if any. */
	private static void closeQuietly(Connection c, SQLException failure) {
		try {
			c.close();
		} catch (SQLException e) {
			if (failure != null) failure.addSuppressed(e);
		}
	}

	/** Runs the work as one transaction on the connection: committed, or rolled back and the error thrown. */
	private <T> T inTransaction(Connection db, Work<T> work) throws SQLException {
		current.set(db);
		boolean committed = false;
		try {
			db.setAutoCommit(false);
			try {
				T t = work.run();
				try {
					db.commit();
				} catch (SQLException e) {
					if (pool != null && Database.isConnectionLost(e)) throw Database.inDoubt(e);
					throw e;
				}
				committed = true;
				return t;
			} catch (SQLException | RuntimeException e) {
				// SQLite may have rolled the transaction back itself (a full disk in the middle of a large write): then
				// rollback, and the commit that leaving transaction mode runs, fail too; they must not hide e
				try {
					db.rollback();
				} catch (SQLException again) {
					e.addSuppressed(again);
				}
				try {
					db.setAutoCommit(true);
				} catch (SQLException again) {
					e.addSuppressed(again);
				}
				throw e;
			} finally {
				// after a failure the catch above restored auto-commit, and an error here must not replace the failure's own
				// (a pool hands a broken connection back closed); after a commit, a connection that breaks now must not look
				// like a failed write (it would be retried)
				if (committed) try {
					if (!db.getAutoCommit()) db.setAutoCommit(true);
				} catch (SQLException e) {
					// the pool drops the broken connection
				}
			}
		} finally {
			current.remove();
		}
	}

	<T> T read(String what, Work<T> work) {
		if (current.get() != null) throw new IllegalStateException("a read inside a transaction: " + what);
		if (pool == null) {
			Connection c;
			try {
				c = readers.take();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new LabelLoopException("Interrupted while waiting to " + what + ".", e);
			}
			current.set(c);
			try {
				T result = work.run();
				c.commit(); // ends the read transaction: the next read sees the newest commit
				return result;
			} catch (SQLException e) {
				rollbackQuietly(c);
				throw translate(e, what);
			} catch (RuntimeException | Error e) {
				rollbackQuietly(c);
				throw e;
			} finally {
				current.remove();
				readers.add(c);
			}
		}
		for (int attempt = 1;; attempt++) {
			Connection c;
			try {
				c = pool.getConnection();
			} catch (SQLException e) {
				throw Database.translate(e, what);
			}
			try (c) {
				current.set(c);
				return work.run();
			} catch (SQLException e) {
				// reads change nothing: one lost to a dropped connection is simply read again
				if (attempt < 3 && Database.isConnectionLost(e)) continue;
				throw Database.translate(e, what);
			} finally {
				current.remove();
			}
		}
	}

	/** The connection of this thread's transaction or read. */
	Connection db() {
		Connection c = current.get();
		if (c == null) throw new IllegalStateException("SQL outside a transaction or read");
		return c;
	}

	// ----------------------------------------------------------------- images

	private static final String IMAGE_COLS = "id, path, sha256, bytes, width, height, channels, slices, frames, bit_depth, split, added_by, added_at";

	private static ImageRecord image(ResultSet rs) throws SQLException {
		return new ImageRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5), rs.getInt(6),
				rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), Split.parse(rs.getString(11)), rs.getString(12),
				Instant.parse(rs.getString(13)));
	}

	/**
	 * The image list and metadata, kept between calls: Next Image and the lab server read them for every choice, and
	 * they change only when images are added or relinked or their metadata is set. Every such write moves the images'
	 * generation, a setting written in the same transaction; a read asks for the generation first (one row) and reads
	 * the list again only when it moved, so a list kept here is never older than its generation, whichever process of
	 * a shared database wrote last.
	 */
	private record Kept(long generation, List<ImageRecord> images, Map<Long, Map<String, String>> metadata) {
	}

	private static final String GENERATION = "images.generation";
	private volatile Kept kept = new Kept(-1, null, null);

	private long imagesGeneration() {
		return read("read the image list's generation", () -> first("SELECT value FROM settings WHERE key=?", rs -> Long.parseLong(rs.getString(1)), GENERATION)
				.orElse(0L));
	}

	/** Moves the images' generation; called in every transaction that writes images or their metadata. */
	private void imagesWritten() throws SQLException {
		update("INSERT INTO settings(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value=CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)", GENERATION);
	}

	@Override
	public List<ImageRecord> images() {
		long g = imagesGeneration(); // first: a list read after it is at least as new
		Kept k = kept;
		if (k.generation() == g && k.images() != null) return k.images();
		List<ImageRecord> fresh = read("list images", () -> List.copyOf(list("SELECT " + IMAGE_COLS + " FROM images ORDER BY id", SqlProjectStore::image)));
		kept = new Kept(g, fresh, k.generation() == g ? k.metadata() : null);
		return fresh;
	}

	@Override
	public Optional<ImageRecord> image(long id) {
		return read("read image " + id, () -> first("SELECT " + IMAGE_COLS + " FROM images WHERE id=?", SqlProjectStore::image, id));
	}

	@Override
	public Optional<ImageRecord> imageByPath(String path) {
		return read("find image " + path, () -> first("SELECT " + IMAGE_COLS + " FROM images WHERE path=?", SqlProjectStore::image, path));
	}

	@Override
	public ImageRecord addImage(ImageRecord im) {
		return addImage(im, Map.of());
	}

	@Override
	public ImageRecord addImage(ImageRecord im, Map<String, String> metadata) {
		return tx("add image " + im.path(), () -> {
			if (first("SELECT id FROM images WHERE path=?", rs -> rs.getLong(1), im.path()).isPresent())
				throw new LabelLoopException("Image " + im.path() + " is already in the project.");
			long id = insert("INSERT INTO images(path, sha256, bytes, width, height, channels, slices, frames, bit_depth, split, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
					im.path(), im.sha256(), im.bytes(), im.width(), im.height(), im.channels(), im.slices(), im.frames(),
					im.bitDepth(), im.split().key(), im.addedBy(), im.addedAt().toString());
			for (Map.Entry<String, String> kv : metadata.entrySet())
				update("INSERT INTO image_metadata(image_id, key, value) VALUES (?,?,?)", id, kv.getKey(), kv.getValue());
			imagesWritten();
			return im.withId(id);
		});
	}

	@Override
	public void setImageMetadata(Map<Long, Map<String, String>> values) {
		if (values.isEmpty()) return;
		tx("set image metadata", () -> {
			for (Map.Entry<Long, Map<String, String>> im : values.entrySet())
				for (Map.Entry<String, String> kv : im.getValue().entrySet())
					update("INSERT INTO image_metadata(image_id, key, value) VALUES (?,?,?) ON CONFLICT(image_id, key) DO UPDATE SET value=excluded.value", im.getKey(), kv.getKey(), kv.getValue());
			imagesWritten();
			return null;
		});
	}

	@Override
	public Map<String, String> imageMetadata(long imageId) {
		return read("read metadata of image " + imageId, () -> {
			Map<String, String> m = new java.util.TreeMap<>();
			for (String[] kv : list("SELECT key, value FROM image_metadata WHERE image_id=?", rs -> new String[] { rs.getString(1), rs.getString(2) }, imageId))
				m.put(kv[0], kv[1]);
			return Map.copyOf(m);
		});
	}

	@Override
	public Map<Long, Map<String, String>> imageMetadata() {
		long g = imagesGeneration();
		Kept k = kept;
		if (k.generation() == g && k.metadata() != null) return k.metadata();
		Map<Long, Map<String, String>> fresh = read("read image metadata", () -> {
			Map<Long, Map<String, String>> all = new java.util.HashMap<>();
			for (Object[] r : list("SELECT image_id, key, value FROM image_metadata", rs -> new Object[] { rs.getLong(1), rs.getString(2), rs.getString(3) }))
				all.computeIfAbsent((Long) r[0], x -> new java.util.TreeMap<>()).put((String) r[1], (String) r[2]);
			Map<Long, Map<String, String>> frozen = new java.util.HashMap<>();
			all.forEach((x, v) -> frozen.put(x, Map.copyOf(v)));
			return Map.copyOf(frozen);
		});
		kept = new Kept(g, k.generation() == g ? k.images() : null, fresh);
		return fresh;
	}

	@Override
	public ImageRecord relinkImage(long id, String path, String sha256, String user) {
		return tx("relink image " + id, () -> {
			ImageRecord old = first("SELECT " + IMAGE_COLS + " FROM images WHERE id=?", SqlProjectStore::image, id)
					.orElseThrow(() -> new LabelLoopException("No image with id " + id + " in the project."));
			update("INSERT INTO events(time, \"user\", kind, detail) VALUES (?,?,?,?)", Instant.now().toString(), user, "relink",
					"image " + id + ": " + old.path() + " (" + old.sha256() + ") -> " + path + " (" + sha256 + ")");
			update("UPDATE images SET path=?, sha256=? WHERE id=?", path, sha256, id);
			imagesWritten();
			return first("SELECT " + IMAGE_COLS + " FROM images WHERE id=?", SqlProjectStore::image, id).orElseThrow();
		});
	}

	// ----------------------------------------------------------------- classes

	private static LabelClass labelClass(ResultSet rs) throws SQLException {
		return new LabelClass(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5));
	}

	@Override
	public List<LabelClass> classes() {
		return read("list classes", () -> list("SELECT id, name, color, hotkey, ord FROM classes ORDER BY ord, id", SqlProjectStore::labelClass));
	}

	@Override
	public Optional<LabelClass> classByName(String name) {
		return read("find class", () -> first("SELECT id, name, color, hotkey, ord FROM classes WHERE name=?", SqlProjectStore::labelClass, name.strip()));
	}

	@Override
	public LabelClass addClass(LabelClass c, String user) {
		return tx("add class '" + c.name() + "'", () -> {
			checkUnique(c, -1);
			int order = first("SELECT COALESCE(MAX(ord), -1) + 1 FROM classes", rs -> rs.getInt(1)).orElse(0);
			long id = insert("INSERT INTO classes(name, color, hotkey, ord) VALUES (?,?,?,?)", c.name(), c.color(), c.hotkey(), order);
			LabelClass added = new LabelClass(id, c.name(), c.color(), c.hotkey(), order);
			classEvent(added, user, "add");
			return added;
		});
	}

	@Override
	public LabelClass updateClass(LabelClass c, String user) {
		return tx("change class '" + c.name() + "'", () -> {
			if (first("SELECT id FROM classes WHERE id=?", rs -> rs.getLong(1), c.id()).isEmpty())
				throw new LabelLoopException("No class with id " + c.id() + ".");
			checkUnique(c, c.id());
			update("UPDATE classes SET name=?, color=?, hotkey=?, ord=? WHERE id=?", c.name(), c.color(), c.hotkey(), c.order(), c.id());
			classEvent(c, user, "update");
			return c;
		});
	}

	private void checkUnique(LabelClass c, long self) throws SQLException {
		Optional<Long> same = first("SELECT id FROM classes WHERE name=? AND id<>?", rs -> rs.getLong(1), c.name(), self);
		if (same.isPresent()) throw new LabelLoopException("A class named '" + c.name() + "' already exists.");
		if (!c.hotkey().isEmpty()) {
			Optional<String> other = first("SELECT name FROM classes WHERE hotkey=? AND id<>?", rs -> rs.getString(1), c.hotkey(), self);
			if (other.isPresent())
				throw new LabelLoopException("Hotkey '" + c.hotkey() + "' is already used by class '" + other.get() + "'.");
		}
	}

	private void classEvent(LabelClass c, String user, String kind) throws SQLException {
		update("INSERT INTO class_revisions(class_id, name, color, hotkey, ord, \"user\", time, kind) VALUES (?,?,?,?,?,?,?,?)",
				c.id(), c.name(), c.color(), c.hotkey(), c.order(), user, Instant.now().toString(), kind);
	}

	/** A colour for the n-th class, from a palette of distinct colours. */
	public static String defaultColor(int n) {
		return CLASS_COLORS[Math.floorMod(n, CLASS_COLORS.length)];
	}

	// ----------------------------------------------------------------- annotations

	private static final String ANN_COLS = "id, image_id, revision, class_id, origin, status, confidence, probabilities, geometry, author, time, mask";

	private static Annotation annotation(ResultSet rs) throws SQLException {
		return new Annotation(rs.getLong(1), rs.getLong(2), rs.getLong(3), data(rs, 4, 12, rs.getLong(1)), rs.getString(10), Instant.parse(rs.getString(11)));
	}

	/**
	 * Reads class_id, origin, status, confidence, probabilities, geometry starting at column {@code i}, and the mask
	 * blob ({@link org.labelloop.core.geom.MaskCodec}) at column {@code maskColumn}.
	 */
	private static AnnotationData data(ResultSet rs, int i, int maskColumn, long annotationId) throws SQLException {
		long cls = rs.getLong(i);
		Long classId = rs.wasNull() ? null : cls;
		double conf = rs.getDouble(i + 3);
		Double confidence = rs.wasNull() ? null : conf;
		String geom = rs.getString(i + 5);
		byte[] blob = rs.getBytes(maskColumn);
		Mask mask;
		try {
			mask = blob == null ? null : Mask.decode(blob);
		} catch (IllegalArgumentException e) {
			throw new LabelLoopException("The project database is damaged: the mask of annotation " + annotationId + " cannot be read ("
					+ e.getMessage() + ").", e);
		}
		return new AnnotationData(geom == null ? null : Json.geometry(Json.parse(geom)), classId, Origin.parse(rs.getString(i + 1)),
				Status.parse(rs.getString(i + 2)), confidence, Json.probabilities(rs.getString(i + 4)), mask);
	}

	@Override
	public List<Annotation> annotations(long imageId) {
		return read("read annotations", () -> list("SELECT " + ANN_COLS + " FROM annotations WHERE image_id=? AND deleted=0 ORDER BY id", SqlProjectStore::annotation, imageId));
	}

	@Override
	public List<Annotation> annotationsOnSlice(long imageId, int z) {
		return read("read annotations", () -> list("SELECT " + ANN_COLS + " FROM annotations WHERE image_id=? AND deleted=0"
				+ " AND (mask IS NULL OR (mask_z0<=? AND mask_z1>=?)) ORDER BY id", SqlProjectStore::annotation, imageId, z, z));
	}

	@Override
	public List<LabelClass> addClasses(List<LabelClass> classes, String user) {
		return tx("add " + classes.size() + " classes", () -> {
			List<LabelClass> out = new ArrayList<>();
			for (LabelClass c : classes) {
				checkUnique(c, -1);
				int order = first("SELECT COALESCE(MAX(ord), -1) + 1 FROM classes", rs -> rs.getInt(1)).orElse(0);
				long id = insert("INSERT INTO classes(name, color, hotkey, ord) VALUES (?,?,?,?)", c.name(), c.color(), c.hotkey(), order);
				LabelClass added = new LabelClass(id, c.name(), c.color(), c.hotkey(), order);
				classEvent(added, user, "add");
				out.add(added);
			}
			return out;
		});
	}

	@Override
	public List<Annotation> allAnnotations() {
		return snapshot().all();
	}

	@Override
	public Set<Long> labelledImages() {
		return snapshot().labelledImages();
	}

	/**
	 * Every current annotation, kept with the latest change set it was read after (Next Image reads it for every
	 * choice). Annotations change only in change sets, whose ids commit in order (on PostgreSQL under
	 * CHANGESET_LOCK): the latest one is the snapshot's generation, read first (one row of an index) so that a list
	 * read after it is as new. A later one brings the kept snapshot up to date with only the annotations that change
	 * sets after it wrote (each write adds a revision row with its change set), read as they are now. A row read so
	 * may be newer than the change set it is kept with; it is read again with the next one, which is harmless.
	 */
	private AnnotationSnapshot snapshot() {
		long g = latestChangeSetId();
		KeptAnnotations k = keptAnnotations;
		if (k != null && k.changeSet() == g) return k.snapshot();
		AnnotationSnapshot fresh = k != null && k.changeSet() < g ? read("read changed annotations", () -> changedSince(k))
				: AnnotationSnapshot.of(read("read annotations", () -> list("SELECT " + ANN_COLS + " FROM annotations WHERE deleted=0 ORDER BY id",
						SqlProjectStore::annotation)));
		keptAnnotations = new KeptAnnotations(g, fresh);
		return fresh;
	}

	/** The kept snapshot with the annotations written after it (each read once, however many times it was written). */
	private AnnotationSnapshot changedSince(KeptAnnotations k) throws SQLException {
		Map<Long, Annotation> touched = new HashMap<>(); // id -> the annotation now, or null when deleted
		for (Object[] r : list("SELECT " + ANN_COLS + ", deleted FROM annotations WHERE id IN (SELECT annotation_id FROM annotation_revisions WHERE changeset_id > ?)",
				rs -> new Object[] { rs.getLong(1), rs.getInt(13) == 1 ? null : annotation(rs) }, k.changeSet()))
			touched.put((Long) r[0], (Annotation) r[1]);
		return k.snapshot().with(touched);
	}

	private record KeptAnnotations(long changeSet, AnnotationSnapshot snapshot) {
	}

	private volatile KeptAnnotations keptAnnotations;

	@Override
	public long latestChangeSetId() {
		return read("read the latest change", () -> first("SELECT MAX(id) FROM changesets", rs -> rs.getLong(1)).orElse(0L));
	}

	@Override
	public Optional<Annotation> annotation(long id) {
		return read("read annotation " + id, () -> current(id));
	}

	private Optional<Annotation> current(long id) throws SQLException {
		return first("SELECT " + ANN_COLS + " FROM annotations WHERE id=? AND deleted=0", SqlProjectStore::annotation, id);
	}

	private long currentRevision(long id) throws SQLException {
		return first("SELECT revision FROM annotations WHERE id=?", rs -> rs.getLong(1), id)
				.orElseThrow(() -> new LabelLoopException("No annotation with id " + id + " in the project."));
	}

	@Override
	public ChangeSet apply(String user, String description, List<Edit> edits) {
		return tx(description, () -> applyInTx(user, description, edits, null));
	}

	private ChangeSet applyInTx(String user, String description, List<Edit> edits, Long undoes) throws SQLException {
		checkUser(user);
		if (pool != null) {
			// Change sets commit in the order of their ids, as with SQLite's one writer: a reader of "changes since N"
			// (live updates, the server's polling clients) would otherwise step past a change set that commits late.
			first("SELECT pg_advisory_xact_lock(" + CHANGESET_LOCK + ")", rs -> 1);
		}
		Instant now = Instant.now();
		String kind = undoes == null ? "edit" : "revert";
		String role = first("SELECT role FROM users WHERE name=?", rs -> rs.getString(1), user).orElse(Role.LABELLER.key());
		long cs = insert("INSERT INTO changesets(\"user\", time, description, undoes, kind, role) VALUES (?,?,?,?,?,?)", user, now.toString(),
				description, undoes, kind, role);
		for (Edit e : edits) {
			if (e instanceof Edit.Create c) {
				if (first("SELECT id FROM images WHERE id=?", rs -> rs.getLong(1), c.imageId()).isEmpty())
					throw new LabelLoopException("No image with id " + c.imageId() + " in the project.");
				checkClass(c.data());
				long id = insert("INSERT INTO annotations(image_id, revision, deleted, author, time) VALUES (?,?,?,?,?)", c.imageId(), 0, 0, user, now.toString());
				write(id, c.imageId(), 1, c.data(), cs, user, now);
			} else if (e instanceof Edit.Update u) {
				long rev = currentRevision(u.annotationId());
				boolean deleted = first("SELECT deleted FROM annotations WHERE id=?", rs -> rs.getInt(1) == 1, u.annotationId()).orElse(true);
				if (rev != u.baseRevision() || deleted)
					throw new ConflictException(u.annotationId(), u.baseRevision(), current(u.annotationId()).orElse(null));
				checkClass(u.data());
				write(u.annotationId(), imageOf(u.annotationId()), rev + 1, u.data(), cs, user, now);
			} else if (e instanceof Edit.Delete d) {
				long rev = currentRevision(d.annotationId());
				if (rev != d.baseRevision() || current(d.annotationId()).isEmpty())
					throw new ConflictException(d.annotationId(), d.baseRevision(), current(d.annotationId()).orElse(null));
				write(d.annotationId(), imageOf(d.annotationId()), rev + 1, null, cs, user, now);
			}
		}
		update("UPDATE changesets SET edits=? WHERE id=?", edits.size(), cs);
		return new ChangeSet(cs, user, now, description, undoes, edits.size());
	}

	private static void checkUser(String user) {
		if (user == null || user.isBlank()) throw new LabelLoopException("Every change needs a user name.");
	}

	private void checkClass(AnnotationData d) throws SQLException {
		if (d != null && d.classId() != null && first("SELECT id FROM classes WHERE id=?", rs -> rs.getLong(1), d.classId()).isEmpty())
			throw new LabelLoopException("No class with id " + d.classId() + " in the project.");
	}

	private long imageOf(long annotationId) throws SQLException {
		return first("SELECT image_id FROM annotations WHERE id=?", rs -> rs.getLong(1), annotationId).orElseThrow();
	}

	/** Appends revision {@code rev} and makes it current; {@code d == null} deletes. */
	private void write(long id, long imageId, long rev, AnnotationData d, long cs, String user, Instant now) throws SQLException {
		Object[] cols = d == null ? new Object[] { null, null, null, null, null, null, null }
				: new Object[] { d.classId(), d.origin().toString(), d.status().key(), d.confidence(),
						Json.probabilities(d.probabilities()), d.geometry() == null ? null : Json.text(Json.geometry(d.geometry())),
						d.mask() == null ? null : d.mask().encode() };
		update("INSERT INTO annotation_revisions(annotation_id, image_id, revision, changeset_id, deleted, class_id, origin, status, confidence, probabilities, geometry, author, time, mask) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
				id, imageId, rev, cs, d == null ? 1 : 0, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], user, now.toString(), cols[6]);
		if (d == null) {
			update("UPDATE annotations SET revision=?, deleted=1, author=?, time=? WHERE id=?", rev, user, now.toString(), id);
		} else {
			Integer z0 = d.mask() == null ? null : d.mask().minZ(), z1 = d.mask() == null ? null : d.mask().maxZ();
			update("UPDATE annotations SET revision=?, deleted=0, class_id=?, origin=?, status=?, confidence=?, probabilities=?, geometry=?, author=?, time=?, mask=?,"
					+ " mask_z0=?, mask_z1=? WHERE id=?", rev, cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], user, now.toString(), cols[6], z0, z1, id);
		}
	}

	private static final String REV_COLS = "annotation_id, image_id, revision, changeset_id, deleted, class_id, origin, status, confidence, probabilities, geometry, author, time, mask";

	private static AnnotationRevision revision(ResultSet rs) throws SQLException {
		boolean deleted = rs.getInt(5) == 1;
		return new AnnotationRevision(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), deleted ? null : data(rs, 6, 14, rs.getLong(1)),
				rs.getString(12), Instant.parse(rs.getString(13)));
	}

	@Override
	public List<AnnotationRevision> history(long annotationId) {
		return read("read history", () -> list("SELECT " + REV_COLS + " FROM annotation_revisions WHERE annotation_id=? ORDER BY revision",
				SqlProjectStore::revision, annotationId));
	}

	private static ChangeSet changeSet(ResultSet rs) throws SQLException {
		long u = rs.getLong(5);
		return new ChangeSet(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getString(4), rs.wasNull() ? null : u, rs.getInt(6));
	}

	@Override
	public Map<Long, Long> annotationsChangedSince(long changeSetId) {
		return read("list changed annotations", () -> {
			Map<Long, Long> out = new LinkedHashMap<>();
			for (long[] r : list("SELECT DISTINCT annotation_id, image_id FROM annotation_revisions WHERE changeset_id > ? ORDER BY annotation_id",
					rs -> new long[] { rs.getLong(1), rs.getLong(2) }, changeSetId))
				out.put(r[0], r[1]);
			return out;
		});
	}

	@Override
	public List<ChangeSet> changeSets(int limit) {
		return read("list changes", () -> list("SELECT id, \"user\", time, description, undoes, edits FROM changesets ORDER BY id DESC LIMIT ?",
				SqlProjectStore::changeSet, limit));
	}

	@Override
	public Optional<ChangeSet> undo(String user) {
		// The latest edit or redo of this user that is still in effect.
		return tx("undo", () -> {
			Optional<ChangeSet> target = first("SELECT id, \"user\", time, description, undoes, edits FROM changesets WHERE \"user\"=? AND undone_by IS NULL "
					+ "AND (kind='edit' OR kind='redo') ORDER BY id DESC LIMIT 1", SqlProjectStore::changeSet, user);
			if (target.isEmpty()) return Optional.empty();
			return Optional.of(revert(target.get(), user, "undo", "Undo " + target.get().description()));
		});
	}

	@Override
	public Optional<ChangeSet> redo(String user) {
		// The latest undo of this user still in effect, provided the user made no new edit after it.
		return tx("redo", () -> {
			Optional<ChangeSet> target = first("SELECT id, \"user\", time, description, undoes, edits FROM changesets WHERE \"user\"=? AND undone_by IS NULL "
					+ "AND kind='undo' AND id > COALESCE((SELECT MAX(id) FROM changesets WHERE \"user\"=? AND kind='edit'), 0) ORDER BY id DESC LIMIT 1",
					SqlProjectStore::changeSet, user, user);
			if (target.isEmpty()) return Optional.empty();
			String desc = target.get().description().startsWith("Undo ") ? "Redo " + target.get().description().substring(5) : "Redo";
			return Optional.of(revert(target.get(), user, "redo", desc));
		});
	}

	private ChangeSet revert(ChangeSet target, String user, String kind, String description) throws SQLException {
		List<AnnotationRevision> revs = list("SELECT " + REV_COLS + " FROM annotation_revisions WHERE changeset_id=? ORDER BY annotation_id",
				SqlProjectStore::revision, target.id());
		List<Edit> edits = new ArrayList<>();
		List<long[]> restores = new ArrayList<>(); // annotation id, revision reverted, current revision
		for (AnnotationRevision r : revs) {
			// Allowed when the annotation still says what the target wrote (later changes were undone in turn).
			Optional<Annotation> now = current(r.annotationId());
			if (!java.util.Objects.equals(now.map(Annotation::data).orElse(null), r.data()))
				throw new ConflictException(r.annotationId(), r.revision(), now.orElse(null));
			restores.add(new long[] { r.annotationId(), r.revision(), currentRevision(r.annotationId()) });
		}
		ChangeSet cs = applyInTx(user, description, edits, target.id());
		Instant t = Instant.now();
		for (long[] a : restores) {
			long id = a[0], rev = a[1], latest = a[2];
			AnnotationData before = rev <= 1 ? null
					: first("SELECT " + REV_COLS + " FROM annotation_revisions WHERE annotation_id=? AND revision=?",
							SqlProjectStore::revision, id, rev - 1).orElseThrow().data();
			write(id, imageOf(id), latest + 1, before, cs.id(), user, t);
		}
		update("UPDATE changesets SET kind=?, edits=? WHERE id=?", kind, restores.size(), cs.id());
		update("UPDATE changesets SET undone_by=? WHERE id=?", cs.id(), target.id());
		return new ChangeSet(cs.id(), user, cs.time(), description, target.id(), restores.size());
	}

	// ----------------------------------------------------------------- comments

	private static final String COMMENT_COLS = "id, target_kind, target_id, parent_id, author, time, kind, text, open, resolved_by, resolved_at, revision";

	private static Comment comment(ResultSet rs) throws SQLException {
		long parent = rs.getLong(4);
		Long parentId = rs.wasNull() ? null : parent;
		String resolvedAt = rs.getString(11);
		return new Comment(rs.getLong(1), new Target(rs.getString(2), rs.getLong(3)), parentId, rs.getString(5),
				Instant.parse(rs.getString(6)), Comment.Kind.parse(rs.getString(7)), rs.getString(8), rs.getInt(9) == 1,
				rs.getString(10), resolvedAt == null ? null : Instant.parse(resolvedAt), rs.getLong(12));
	}

	@Override
	public Comment addComment(String user, Target target, Long parentId, Comment.Kind kind, String text) {
		checkUser(user);
		if (text == null || text.isBlank()) throw new LabelLoopException("A comment needs some text.");
		return tx("add a comment", () -> {
			if (Target.IMAGE.equals(target.kind())) {
				if (first("SELECT id FROM images WHERE id=?", rs -> rs.getLong(1), target.id()).isEmpty())
					throw new LabelLoopException("Cannot comment on image " + target.id() + ": it is not in the project.");
			} else {
				Optional<Integer> deleted = first("SELECT deleted FROM annotations WHERE id=?", rs -> rs.getInt(1), target.id());
				if (deleted.isEmpty())
					throw new LabelLoopException("Cannot comment on annotation " + target.id() + ": it is not in the project.");
				if (deleted.get() == 1)
					throw new LabelLoopException("Cannot comment on annotation " + target.id() + ": it was deleted since. Its history and"
							+ " earlier comments are kept; comment on its image instead.");
			}
			Long root = null;
			if (parentId != null) {
				Comment parent = first("SELECT " + COMMENT_COLS + " FROM comments WHERE id=?", SqlProjectStore::comment, parentId)
						.orElseThrow(() -> new LabelLoopException("Cannot reply to comment " + parentId + ": it does not exist."));
				if (!parent.target().equals(target))
					throw new LabelLoopException("Comment " + parentId + " is on another " + parent.target().kind() + ".");
				root = parent.parentId() == null ? parent.id() : parent.parentId();
			}
			String now = Instant.now().toString();
			long id = insert("INSERT INTO comments(target_kind, target_id, parent_id, author, time, kind, text, open, revision) VALUES (?,?,?,?,?,?,?,?,?)",
					target.kind(), target.id(), root, user, now, kind.key(), text.strip(), root == null ? 1 : 0, 1);
			if (root != null) update("UPDATE comments SET revision = revision + 1 WHERE id=?", root);
			return first("SELECT " + COMMENT_COLS + " FROM comments WHERE id=?", SqlProjectStore::comment, id).orElseThrow();
		});
	}

	@Override
	public List<Comment> comments(Target target) {
		return read("read comments", () -> list("SELECT " + COMMENT_COLS + " FROM comments WHERE target_kind=? AND target_id=?"
				+ " ORDER BY COALESCE(parent_id, id), id", SqlProjectStore::comment, target.kind(), target.id()));
	}

	@Override
	public List<Comment> threads(boolean openOnly) {
		return read("read threads", () -> list("SELECT " + COMMENT_COLS + " FROM comments WHERE parent_id IS NULL"
				+ (openOnly ? " AND open=1" : "") + " ORDER BY id DESC", SqlProjectStore::comment));
	}

	@Override
	public Comment setResolved(long threadId, long baseRevision, boolean resolved, String user) {
		checkUser(user);
		return tx(resolved ? "resolve a thread" : "reopen a thread", () -> {
			Comment c = first("SELECT " + COMMENT_COLS + " FROM comments WHERE id=?", SqlProjectStore::comment, threadId)
					.orElseThrow(() -> new LabelLoopException("No comment thread " + threadId + "."));
			if (c.parentId() != null) throw new LabelLoopException("Comment " + threadId + " is a reply; resolve its thread " + c.parentId() + ".");
			if (c.revision() != baseRevision)
				throw new LabelLoopException("Conflict: thread " + threadId + " changed since you saw it"
						+ (c.open() ? "" : " (resolved by " + c.resolvedBy() + " at " + c.resolvedAt() + ")") + ". Nothing was written; reload it.");
			String now = Instant.now().toString();
			update("UPDATE comments SET open=?, resolved_by=?, resolved_at=?, revision=revision+1 WHERE id=?", resolved ? 0 : 1,
					resolved ? user : null, resolved ? now : null, threadId);
			update("INSERT INTO events(time, \"user\", kind, detail) VALUES (?,?,?,?)", now, user, resolved ? "resolve" : "reopen", "thread " + threadId);
			return first("SELECT " + COMMENT_COLS + " FROM comments WHERE id=?", SqlProjectStore::comment, threadId).orElseThrow();
		});
	}

	// ----------------------------------------------------------------- roles

	@Override
	public Role role(String user) {
		return read("read role", () -> first("SELECT role FROM users WHERE name=?", rs -> Role.parse(rs.getString(1)), user)).orElse(Role.LABELLER);
	}

	@Override
	public void setRole(String user, Role role, String byUser) {
		checkUser(user);
		tx("set role of " + user, () -> {
			update("INSERT INTO users(name, role) VALUES (?,?) ON CONFLICT(name) DO UPDATE SET role=excluded.role", user, role.key());
			return update("INSERT INTO events(time, \"user\", kind, detail) VALUES (?,?,?,?)", Instant.now().toString(), byUser, "role", user + " = " + role.key());
		});
	}

	@Override
	public java.util.SortedMap<String, Role> roles() {
		return read("read roles", () -> {
			java.util.SortedMap<String, Role> out = new java.util.TreeMap<>();
			for (Map.Entry<String, Role> e : list("SELECT name, role FROM users", rs -> Map.entry(rs.getString(1), Role.parse(rs.getString(2)))))
				out.put(e.getKey(), e.getValue());
			return out;
		});
	}

	// ----------------------------------------------------------------- lab-server tokens

	@Override
	public void setTokenHash(String user, String sha256Hex, String byUser) {
		checkUser(user);
		if (sha256Hex == null || !sha256Hex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("A token hash is 64 lower-case hex digits");
		tx("set the token of " + user, () -> {
			String now = Instant.now().toString();
			update("INSERT INTO tokens(\"user\", sha256, created, created_by) VALUES (?,?,?,?) ON CONFLICT(\"user\") DO UPDATE SET sha256=excluded.sha256,"
					+ " created=excluded.created, created_by=excluded.created_by", user, sha256Hex, now, byUser);
			return update("INSERT INTO events(time, \"user\", kind, detail) VALUES (?,?,?,?)", now, byUser, "token", "new token for " + user);
		});
	}

	@Override
	public Map<String, String> tokenHashes() {
		return read("read tokens", () -> {
			Map<String, String> out = new java.util.TreeMap<>();
			for (Map.Entry<String, String> e : list("SELECT \"user\", sha256 FROM tokens", rs -> Map.entry(rs.getString(1), rs.getString(2))))
				out.put(e.getKey(), e.getValue());
			return out;
		});
	}

	@Override
	public List<AnnotationRevision> revisionsSince(long changeSetId, int limit) {
		return read("read changes", () -> list("SELECT " + REV_COLS + " FROM annotation_revisions WHERE changeset_id>? ORDER BY changeset_id, annotation_id, revision LIMIT ?",
				SqlProjectStore::revision, changeSetId, limit));
	}

	// ----------------------------------------------------------------- models

	private static final String MODEL_COLS = "id, name, task, created, \"user\", embedder, classifier, class_ids, train_size, metrics, state, active";

	private static ModelVersion model(ResultSet rs) throws SQLException {
		List<Long> classIds = new ArrayList<>();
		Json.parse(rs.getString(8)).forEach(n -> classIds.add(n.asLong()));
		Map<String, Double> metrics = new java.util.LinkedHashMap<>();
		Json.parse(rs.getString(10)).fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
		return new ModelVersion(rs.getLong(1), rs.getString(2), Task.parse(rs.getString(3)), Instant.parse(rs.getString(4)), rs.getString(5),
				rs.getString(6), rs.getString(7), classIds, rs.getInt(9), metrics, ModelVersion.State.parse(rs.getString(11)), rs.getInt(12) == 1);
	}

	private Optional<ModelVersion> modelById(long id) throws SQLException {
		return first("SELECT " + MODEL_COLS + " FROM model_versions WHERE id=?", SqlProjectStore::model, id);
	}

	@Override
	public ModelVersion startModel(Task task, String user, String embedder, String classifier, List<Long> classIds, int trainSize) {
		checkUser(user);
		return tx("start training", () -> {
			int n = first("SELECT COUNT(*) FROM model_versions", rs -> rs.getInt(1)).orElse(0);
			long id = insert("INSERT INTO model_versions(name, task, created, \"user\", embedder, classifier, class_ids, train_size, state) VALUES (?,?,?,?,?,?,?,?,?)",
					"v" + (n + 1), task.key(), Instant.now().toString(), user, embedder, classifier, Json.MAPPER.valueToTree(classIds).toString(),
					trainSize, ModelVersion.State.TRAINING.key());
			return modelById(id).orElseThrow();
		});
	}

	@Override
	public ModelVersion finishModel(long modelId, Map<String, Double> metrics, List<Prediction> predictions, String user, List<Edit> edits) {
		try {
			for (int from = 0; from < predictions.size(); from += PREDICTIONS_PER_TRANSACTION) {
				List<Prediction> part = List.copyOf(predictions.subList(from, Math.min(predictions.size(), from + PREDICTIONS_PER_TRANSACTION)));
				tx("save the trained model's predictions", () -> {
					training(modelId);
					try (PreparedStatement ps = db().prepareStatement("INSERT INTO predictions(model_id, target_kind, target_id, probabilities, out_of_fold) VALUES (?,?,?,?,?)")) {
						for (Prediction p : part) {
							ps.setLong(1, modelId);
							ps.setString(2, p.target().kind());
							ps.setLong(3, p.target().id());
							ps.setString(4, Json.probabilities(p.probabilities()));
							ps.setInt(5, p.outOfFold() ? 1 : 0);
							ps.addBatch();
						}
						ps.executeBatch();
					}
					return null;
				});
			}
			return tx("save the trained model", () -> {
				ModelVersion m = training(modelId);
				if (!edits.isEmpty()) applyInTx(user, "Model " + m.name() + " predictions", edits, null);
				update("UPDATE model_versions SET active=0 WHERE task=?", m.task().key());
				update("UPDATE model_versions SET metrics=?, state=?, active=1 WHERE id=?", Json.MAPPER.valueToTree(metrics).toString(),
						ModelVersion.State.READY.key(), modelId);
				return modelById(modelId).orElseThrow();
			});
		} catch (RuntimeException | Error e) {
			try {
				tx("discard the trained model's predictions", () -> discardPredictions(modelId));
			} catch (RuntimeException again) {
				e.addSuppressed(again);
			}
			throw e;
		}
	}

	/**
	 * Predictions are written this many to a transaction before the one that makes the version active, so that another
	 * write (a Next Image lease) waits for one part, not for the 100,000 predictions of a big project (2 s).
	 */
	static final int PREDICTIONS_PER_TRANSACTION = 4096;

	/** The version, which must still be training. Call inside a transaction. */
	private ModelVersion training(long modelId) throws SQLException {
		ModelVersion m = modelById(modelId).orElseThrow(() -> new LabelLoopException("No model version " + modelId + "."));
		if (m.state() != ModelVersion.State.TRAINING) throw new LabelLoopException("Model " + m.name() + " is " + m.state().key() + ", not training.");
		return m;
	}

	/** Deletes what a run still training wrote of its predictions (nothing of a ready version). Call inside a transaction. */
	private int discardPredictions(long modelId) throws SQLException {
		return update("DELETE FROM predictions WHERE model_id=? AND EXISTS (SELECT 1 FROM model_versions WHERE id=? AND state=?)", modelId, modelId,
				ModelVersion.State.TRAINING.key());
	}

	@Override
	public void abandonModel(long modelId, ModelVersion.State state, String reason) {
		tx("record the end of training", () -> {
			discardPredictions(modelId);
			return update("UPDATE model_versions SET state=?, detail=? WHERE id=? AND state=?", state.key(), reason, modelId,
					ModelVersion.State.TRAINING.key());
		});
	}

	@Override
	public List<ModelVersion> models() {
		return read("list models", () -> list("SELECT " + MODEL_COLS + " FROM model_versions ORDER BY id", SqlProjectStore::model));
	}

	@Override
	public Optional<ModelVersion> activeModel(Task task) {
		return read("read the active model", () -> {
			Optional<Long> id = first("SELECT id FROM model_versions WHERE task=? AND active=1", rs -> rs.getLong(1), task.key());
			if (id.isEmpty()) return Optional.<ModelVersion>empty();
			ModelVersion k = keptActive.get(task);
			if (k != null && k.id() == id.get()) return Optional.of(k);
			// a ready version's row never changes but for its active flag, which was just read: kept, its metrics
			// (one per predicted item, for the familiarity check) are not parsed again for every Next Image
			Optional<ModelVersion> m = modelById(id.get());
			m.filter(v -> v.active() && v.state() == ModelVersion.State.READY).ifPresent(v -> keptActive.put(task, v));
			return m;
		});
	}

	/** The active version of each task as last read (see {@link #activeModel}). */
	private final Map<Task, ModelVersion> keptActive = new java.util.concurrent.ConcurrentHashMap<>();

	@Override
	public ModelVersion activate(long modelId, String user) {
		return tx("activate model", () -> {
			ModelVersion m = modelById(modelId).orElseThrow(() -> new LabelLoopException("No model version " + modelId + "."));
			if (m.state() != ModelVersion.State.READY)
				throw new LabelLoopException("Model " + m.name() + " cannot be used: its training " + (m.state() == ModelVersion.State.TRAINING ? "is still running" : "was " + m.state().key()) + ".");
			update("UPDATE model_versions SET active=0 WHERE task=?", m.task().key());
			update("UPDATE model_versions SET active=1 WHERE id=?", modelId);
			update("INSERT INTO events(time, \"user\", kind, detail) VALUES (?,?,?,?)", Instant.now().toString(), user, "activate", m.name());
			return modelById(modelId).orElseThrow();
		});
	}

	private static Prediction prediction(ResultSet rs) throws SQLException {
		return new Prediction(rs.getLong(1), new Target(rs.getString(2), rs.getLong(3)), Json.probabilities(rs.getString(4)), rs.getInt(5) == 1);
	}

	@Override
	public List<Prediction> predictions(long modelId) {
		return read("read predictions", () -> list("SELECT model_id, target_kind, target_id, probabilities, out_of_fold FROM predictions WHERE model_id=?"
				+ " ORDER BY target_kind, target_id", SqlProjectStore::prediction, modelId));
	}

	@Override
	public Optional<Prediction> prediction(long modelId, Target target) {
		return read("read prediction", () -> first("SELECT model_id, target_kind, target_id, probabilities, out_of_fold FROM predictions"
				+ " WHERE model_id=? AND target_kind=? AND target_id=?", SqlProjectStore::prediction, modelId, target.kind(), target.id()));
	}

	@Override
	public Optional<float[]> embedding(String embedder, Target target, String stamp) {
		return read("read embedding", () -> first("SELECT vector FROM embeddings WHERE embedder=? AND target_kind=? AND target_id=? AND stamp=?",
				rs -> floats(rs.getBytes(1)), embedder, target.kind(), target.id(), stamp));
	}

	@Override
	public Map<Target, Cached> embeddings(String embedder) {
		return read("read embeddings", () -> {
			Map<Target, Cached> out = new java.util.HashMap<>();
			for (Map.Entry<Target, Cached> e : list("SELECT target_kind, target_id, stamp, vector FROM embeddings WHERE embedder=?",
					rs -> Map.entry(new Target(rs.getString(1), rs.getLong(2)), new Cached(rs.getString(3), floats(rs.getBytes(4)))), embedder))
				out.put(e.getKey(), e.getValue());
			return out;
		});
	}

	@Override
	public void putEmbeddings(String embedder, Map<Target, float[]> vectors, Map<Target, String> stamps) {
		tx("save embeddings", () -> {
			try (PreparedStatement ps = db().prepareStatement("INSERT INTO embeddings(embedder, target_kind, target_id, stamp, vector) VALUES (?,?,?,?,?)"
					+ " ON CONFLICT(embedder, target_kind, target_id) DO UPDATE SET stamp=excluded.stamp, vector=excluded.vector")) {
				for (Map.Entry<Target, float[]> e : vectors.entrySet()) {
					ps.setString(1, embedder);
					ps.setString(2, e.getKey().kind());
					ps.setLong(3, e.getKey().id());
					ps.setString(4, stamps.get(e.getKey()));
					ps.setBytes(5, bytes(e.getValue()));
					ps.addBatch();
				}
				return ps.executeBatch().length;
			}
		});
	}

	private static byte[] bytes(float[] v) {
		java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(v);
		return b.array();
	}

	private static float[] floats(byte[] bytes) {
		float[] v = new float[bytes.length / 4];
		java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
		return v;
	}

	// ----------------------------------------------------------------- leases

	/** Fixed width, so SQLite's text comparison is time order. */
	private static final DateTimeFormatter LEASE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

	/** Tests move time forward to expire leases. */
	void clock(Clock c) {
		this.clock = c;
	}

	@Override
	public boolean tryLease(long imageId, String user, Duration ttl, String strategy, String reason) {
		checkUser(user);
		if (ttl == null || ttl.isNegative() || ttl.isZero()) throw new LabelLoopException("A lease needs a positive duration, not " + ttl + ".");
		Instant now = clock.instant();
		return tx("lease image " + imageId, () -> {
			if (first("SELECT id FROM images WHERE id=?", rs -> rs.getLong(1), imageId).isEmpty())
				throw new LabelLoopException("No image with id " + imageId + " in the project.");
			// One statement: insert, or take over a lease that is ours or expired; otherwise change nothing.
			return update("INSERT INTO leases(image_id, \"user\", expires, strategy, reason) VALUES (?,?,?,?,?) "
					+ "ON CONFLICT(image_id) DO UPDATE SET \"user\"=excluded.\"user\", expires=excluded.expires, strategy=excluded.strategy, "
					+ "reason=excluded.reason WHERE leases.\"user\"=excluded.\"user\" OR leases.expires<=?",
					imageId, user, LEASE_TIME.format(now.plus(ttl)), strategy, reason, LEASE_TIME.format(now)) == 1;
		});
	}

	@Override
	public void release(long imageId, String user) {
		tx("release image " + imageId, () -> update("DELETE FROM leases WHERE image_id=? AND \"user\"=?", imageId, user));
	}

	@Override
	public Set<Long> leasedByOthers(String user) {
		String now = LEASE_TIME.format(clock.instant());
		return read("list leases", () -> new HashSet<>(list("SELECT image_id FROM leases WHERE \"user\"<>? AND expires>?",
				rs -> rs.getLong(1), user, now)));
	}

	// ----------------------------------------------------------------- settings

	@Override
	public Optional<String> setting(String key) {
		return read("read setting", () -> first("SELECT value FROM settings WHERE key=?", rs -> rs.getString(1), key));
	}

	@Override
	public void setSetting(String key, String value) {
		tx("save setting " + key, () -> update("INSERT INTO settings(key, value) VALUES (?,?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", key, value));
	}

	@Override
	public void close() {
		if (pool != null) {
			pool.close();
			return;
		}
		synchronized (this) {
			try {
				readers.forEach(SqlProjectStore::closeQuietly);
				single.close();
			} catch (SQLException ignored) {
				// closing anyway
			} finally {
				lock.close();
			}
		}
	}

	// ----------------------------------------------------------------- JDBC helpers

	private interface Row<T> {
		T map(ResultSet rs) throws SQLException;
	}

	private PreparedStatement prepare(String sql, Object... args) throws SQLException {
		PreparedStatement ps = db().prepareStatement(sql);
		bind(ps, args);
		return ps;
	}

	private static void bind(PreparedStatement ps, Object... args) throws SQLException {
		for (int i = 0; i < args.length; i++) {
			Object a = args[i];
			if (a == null) ps.setNull(i + 1, Types.NULL);
			else ps.setObject(i + 1, a);
		}
	}

	private <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
		try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
			List<T> out = new ArrayList<>();
			while (rs.next()) out.add(row.map(rs));
			return out;
		}
	}

	private <T> Optional<T> first(String sql, Row<T> row, Object... args) throws SQLException {
		try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
			return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
		}
	}

	private int update(String sql, Object... args) throws SQLException {
		try (PreparedStatement ps = prepare(sql, args)) {
			return ps.executeUpdate();
		}
	}

	private long insert(String sql, Object... args) throws SQLException {
		// PostgreSQL returns generated keys only when asked for them by name
		try (PreparedStatement ps = pool == null ? db().prepareStatement(sql) : db().prepareStatement(sql, new String[] { "id" })) {
			bind(ps, args);
			ps.executeUpdate();
			try (ResultSet k = ps.getGeneratedKeys()) {
				k.next();
				return k.getLong(1);
			}
		}
	}
}
