package org.labelloop.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.UnavailableException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Where a project's store lives when it is not the folder's SQLite file: a PostgreSQL database, named as
 * {@code postgresql://[user@]host[:port]/database}. The password never travels in the address (so never on a command
 * line or in a log): it comes from the environment ({@code LABELLOOP_DB_PASSWORD}, or {@code PGPASSWORD}), from a file
 * only its owner may read ({@code LABELLOOP_DB_PASSWORD_FILE}), or from PostgreSQL's own {@code ~/.pgpass}, which the
 * driver reads itself.
 *
 * @param user the database user; {@code null}: the operating-system user, as {@code psql} does
 */
public record Database(String host, int port, String name, String user) {

	/** The file in a project folder that names the project's database (address and user, never a password). */
	public static final String POINTER = "database.properties";
	static final String PASSWORD = "LABELLOOP_DB_PASSWORD", PASSWORD_FILE = "LABELLOOP_DB_PASSWORD_FILE";
	/** How often a transaction is tried when PostgreSQL reports a serialisation failure or a deadlock. */
	static final int ATTEMPTS = 8;

	public Database {
		if (host == null || host.isBlank()) throw new LabelLoopException("A database address needs a host, e.g. postgresql://localhost/labelloop.");
		if (name == null || !name.matches("[A-Za-z0-9_\\-.]{1,63}"))
			throw new LabelLoopException("A database address needs a database name of letters, digits, _, - or ., e.g. postgresql://localhost/labelloop; got '" + name + "'.");
		if (port <= 0 || port > 65535) throw new LabelLoopException("Database port " + port + " is not a port (1 to 65535).");
		if (user != null && user.isBlank()) user = null;
	}

	/**
	 * Reads an address {@code postgresql://[user@]host[:port]/database} (also with a {@code jdbc:} in front).
	 *
	 * @throws LabelLoopException for another kind of address, or one with a password in it
	 */
	public static Database parse(String address) {
		if (address == null || address.isBlank()) throw new LabelLoopException("No database address given; e.g. postgresql://localhost/labelloop.");
		String a = address.strip();
		if (a.startsWith("jdbc:")) a = a.substring(5);
		if (a.startsWith("postgres://")) a = "postgresql://" + a.substring("postgres://".length());
		if (!a.startsWith("postgresql://"))
			throw new LabelLoopException("LabelLoop keeps a project in its folder's SQLite file or on PostgreSQL; '" + redact(a)
					+ "' is neither. Write postgresql://[user@]host[:port]/database.");
		URI u;
		try {
			u = new URI(a);
		} catch (URISyntaxException e) {
			throw new LabelLoopException("Database address '" + redact(a) + "' cannot be read: " + e.getReason() + ".");
		}
		String info = u.getRawUserInfo();
		if (info != null && info.contains(":"))
			throw new LabelLoopException("The database address has a password in it: it would be seen on the command line and in logs. Remove it;"
					+ " give it in " + PASSWORD + ", in a file named by " + PASSWORD_FILE + " (readable by you only), or in ~/.pgpass.");
		String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
		if (u.getHost() == null) throw new LabelLoopException("Database address '" + a + "' has no host; e.g. postgresql://localhost/labelloop.");
		return new Database(u.getHost(), u.getPort() < 0 ? 5432 : u.getPort(), path, info);
	}

	private static String redact(String a) {
		return a.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
	}

	@Override
	public String toString() {
		return "postgresql://" + (user == null ? "" : user + "@") + host + ":" + port + "/" + name;
	}

	String jdbcUrl() {
		return "jdbc:postgresql://" + host + ":" + port + "/" + name;
	}

	/** The password from the environment or the password file; {@code null} when neither gives one (~/.pgpass may). */
	static String password(Map<String, String> env) {
		String file = env.get(PASSWORD_FILE);
		if (file != null && !file.isBlank()) {
			Path p = Path.of(file);
			try {
				if (Files.getFileStore(p).supportsFileAttributeView("posix")) {
					Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
					if (perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS")))
						throw new LabelLoopException("The password file " + p + " may be read by others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
								+ "); make it yours only (chmod 600 " + p + ").");
				}
				return Files.readString(p, StandardCharsets.UTF_8).strip();
			} catch (IOException e) {
				throw new LabelLoopException("Cannot read the password file " + p + " (" + PASSWORD_FILE + "): " + e.getMessage(), e);
			}
		}
		String pw = env.get(PASSWORD);
		if (pw == null) pw = env.get("PGPASSWORD");
		return pw;
	}

	/** A pool of connections; fails at once (with the database's reason) when the database cannot be reached. */
	HikariDataSource pool() {
		HikariConfig c = new HikariConfig();
		c.setJdbcUrl(jdbcUrl());
		c.setUsername(user == null ? System.getProperty("user.name") : user);
		String pw = password(System.getenv());
		if (pw != null) c.setPassword(pw);
		c.setPoolName("labelloop " + this);
		c.setMaximumPoolSize(8);
		c.setMinimumIdle(1);
		c.setConnectionTimeout(3_000);
		c.setValidationTimeout(2_000);
		c.setInitializationFailTimeout(1);
		c.addDataSourceProperty("connectTimeout", "5");
		c.addDataSourceProperty("ApplicationName", "LabelLoop");
		return new HikariDataSource(c);
	}

	/** Writes the folder's pointer to this database (no password). */
	void writePointer(Path folder) {
		Properties p = new Properties();
		p.setProperty("url", "postgresql://" + host + ":" + port + "/" + name);
		if (user != null) p.setProperty("user", user);
		try (OutputStream out = Files.newOutputStream(folder.resolve(POINTER))) {
			p.store(out, "This project's store is on PostgreSQL. The password is not kept here: see LabelLoop's docs/server.md.");
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write " + folder.resolve(POINTER) + ": " + e.getMessage(), e);
		}
	}

	/** The database the folder's pointer names. */
	public static Database readPointer(Path folder) {
		Path f = folder.resolve(POINTER);
		Properties p = new Properties();
		try (InputStream in = Files.newInputStream(f)) {
			p.load(in);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read " + f + ": " + e.getMessage(), e);
		}
		String url = p.getProperty("url");
		if (url == null) throw new LabelLoopException(f + " names no database (it has no url=postgresql://host:port/database line).");
		Database d = parse(url);
		return new Database(d.host(), d.port(), d.name(), p.getProperty("user", d.user()));
	}

	// ------------------------------------------------------------------ errors

	/** Whether the transaction failed only because another one ran at the same time, so running it again may work. */
	static boolean isRetryable(SQLException e) {
		String s = e.getSQLState();
		return "40001".equals(s) || "40P01".equals(s);
	}

	/** Whether the connection to the database broke (the server went down or restarted). */
	static boolean isConnectionLost(SQLException e) {
		String s = e.getSQLState();
		return s != null && (s.startsWith("08") || s.startsWith("57P"));
	}

	/** Whether the connection broke before the commit was sent: then the database rolled the transaction back. */
	static boolean isLostBeforeCommit(SQLException e) {
		return isConnectionLost(e) && !IN_DOUBT.equals(e.getSQLState()) && !"08004".equals(e.getSQLState());
	}

	/** SQL's "transaction resolution unknown": the connection broke while the commit was on its way. */
	private static final String IN_DOUBT = "08007";

	static SQLException inDoubt(SQLException e) {
		return new SQLException("the connection broke while the change was being committed", IN_DOUBT, e);
	}

	/** Waits a little, longer after each failed attempt, with jitter, so colliding transactions part. */
	static void backOff(int attempt) {
		try {
			Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new LabelLoopException("Interrupted while retrying a database write; nothing of it was written.", e);
		}
	}

	/** Turns PostgreSQL's and the pool's errors into messages a user can act on. */
	static LabelLoopException translate(Throwable t, String what) {
		if (t instanceof LabelLoopException l) return l;
		SQLException e = null;
		for (Throwable c = t; c != null && e == null; c = c.getCause()) if (c instanceof SQLException s) e = s;
		String state = e == null || e.getSQLState() == null ? "" : e.getSQLState();
		String reason = e == null ? String.valueOf(t.getMessage()) : e.getMessage();
		if (state.equals(IN_DOUBT))
			return new UnavailableException("The connection to the project database broke while saving: could not be sure to " + what
					+ ". It may have been saved or not; reload, look, and try again if it is missing.", t);
		if (state.equals("28P01") || state.equals("28000") || state.equals("08004"))
			return new LabelLoopException("PostgreSQL refused the login: could not " + what + " (" + reason + "). Check the user in the address and the"
					+ " password in " + PASSWORD + ", " + PASSWORD_FILE + " or ~/.pgpass.", t);
		if (state.equals("3D000"))
			return new LabelLoopException("Could not " + what + ": " + reason + ". Make it first (createdb), or check the address.", t);
		if (e != null && isConnectionLost(e) || e instanceof SQLTransientConnectionException || e == null && t instanceof com.zaxxer.hikari.pool.HikariPool.PoolInitializationException)
			return new UnavailableException("The project database cannot be reached: could not " + what + " (" + reason + "). Nothing of it was"
					+ " written; try again when the database is back.", t);
		if (e != null && isRetryable(e))
			return new UnavailableException("The project database is busy: could not " + what + " after " + ATTEMPTS
					+ " attempts. Nothing of it was written; try again.", t);
		if (state.equals("53100"))
			return new LabelLoopException("The database's disk is full: could not " + what + ". Nothing of it was written.", t);
		if (state.equals("25006"))
			return new LabelLoopException("The database is read-only: could not " + what + ". Nothing of it was written.", t);
		if (state.equals("23505"))
			return new LabelLoopException("Conflict: could not " + what + ": " + reason + " (someone made the same change at the same time). Nothing of it"
					+ " was written; reload and try again.", t);
		return new LabelLoopException("Could not " + what + ": " + reason, t);
	}
}
