package org.labelloop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Role;
import org.labelloop.core.store.Database;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.StoreMigration;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code labelloop serve} and {@code labelloop user …}: the lab server and its users. */
final class ServerCommands {

	private ServerCommands() {
	}

	@Command(name = "serve", description = "Serve a project to many users over HTTP(S) until stopped (Ctrl+C). Users need a token: see 'labelloop user'.")
	static final class Serve implements Callable<Integer> {
		@Option(names = { "-p", "--project" }, required = true, description = "The project folder.")
		Path project;
		@Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
		int port;
		@Option(names = "--host", defaultValue = "127.0.0.1",
				description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every interface — use HTTPS or a TLS proxy then).")
		String host;
		@Option(names = "--keystore", description = "PKCS#12 key store for direct HTTPS.")
		Path keystore;
		@Option(names = "--keystore-password-file", description = "File whose first line is the key store's password.")
		Path passwordFile;
		@Option(names = "--max-body-mb", defaultValue = "16", description = "Largest request body accepted, in MB (default: ${DEFAULT-VALUE}).")
		int maxBodyMb;
		@Option(names = "--db", description = "The project's store on PostgreSQL: postgresql://[user@]host[:port]/database (no password here: it comes from "
				+ "LABELLOOP_DB_PASSWORD, a file named by LABELLOOP_DB_PASSWORD_FILE, or ~/.pgpass). Default: the folder's own store.")
		String db;
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public Integer call() throws InterruptedException {
			LabServer.Config cfg = LabServer.Config.loopback(port).withHost(host).withMaxBody(maxBodyMb << 20);
			if (keystore != null) {
				if (passwordFile == null) throw new LabelLoopException("--keystore needs --keystore-password-file (a password on the command line would show in ps).");
				cfg = cfg.withKeystore(keystore, password(passwordFile));
			}
			LabServer server = LabServer.start(project, db == null ? null : Database.parse(db), cfg);
			CountDownLatch stopped = new CountDownLatch(1);
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				server.close();
				stopped.countDown();
			}, "labelloop-stop"));
			PrintWriter out = spec.commandLine().getOut();
			String where = server.store() instanceof SqlProjectStore s ? s.database().map(d -> ", store on " + d).orElse("") : "";
			out.println("Serving project '" + server.store().name() + "' at " + server.url() + " (API description: " + server.url() + "/api/openapi.json" + where + ")");
			if (keystore == null && !host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1"))
				spec.commandLine().getErr().println("labelloop: warning: plain HTTP on " + host + " sends tokens in clear text; use --keystore or a TLS proxy"
						+ " (see docs/server.md).");
			out.flush();
			stopped.await();
			return 0;
		}

		private static char[] password(Path file) {
			try {
				String s = Files.readString(file, StandardCharsets.UTF_8);
				int nl = s.indexOf('\n');
				return (nl < 0 ? s : s.substring(0, nl)).strip().toCharArray();
			} catch (IOException e) {
				throw new LabelLoopException("Cannot read the key store password from " + file + ": " + e.getMessage(), e);
			}
		}
	}

	@Command(name = "migrate", description = "Move a project's store from its folder's SQLite file to a PostgreSQL database, or back (--to sqlite),"
			+ " with every server of it stopped. Every row is copied in one transaction and counted; the old store is kept, renamed *.moved.")
	static final class Migrate implements Callable<Integer> {
		@Option(names = { "-p", "--project" }, required = true, description = "The project folder.")
		Path project;
		@Option(names = "--to", required = true, description = "postgresql://[user@]host[:port]/database (an empty database; password as for serve --db), or sqlite.")
		String to;
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public Integer call() {
			boolean back = to.strip().equalsIgnoreCase("sqlite");
			Database db = back ? null : Database.parse(to);
			Map<String, Long> rows = back ? StoreMigration.toSqlite(project) : StoreMigration.toPostgres(project, db);
			PrintWriter out = spec.commandLine().getOut();
			out.println("Moved project " + project + (back ? " into its folder's " + SqlProjectStore.DB_FILE : " to " + db) + "; rows copied and counted:");
			rows.forEach((table, n) -> out.printf("  %-22s %,d%n", table, n));
			return 0;
		}
	}

	@Command(name = "user", description = "Manage the lab server's users and tokens (with the server stopped: it holds the project).",
			subcommands = { UserAdd.class, UserList.class, UserToken.class })
	static final class User implements Callable<Integer> {
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public Integer call() {
			// a subcommand is missing: a usage error, so the usage goes to stderr as picocli's own errors do
			spec.commandLine().usage(spec.commandLine().getErr());
			return 2;
		}
	}

	abstract static class UserCommand implements Callable<Integer> {
		@Option(names = { "-p", "--project" }, required = true, description = "The project folder.")
		Path project;
		@Option(names = { "-u", "--user" }, description = "Who makes the change (default: ${DEFAULT-VALUE}).", defaultValue = "${sys:user.name}")
		String by;
		@CommandLine.Spec
		CommandLine.Model.CommandSpec spec;

		@Override
		public Integer call() {
			try (ProjectStore store = SqlProjectStore.open(project)) {
				return run(store, spec.commandLine().getOut());
			}
		}

		abstract int run(ProjectStore store, PrintWriter out);
	}

	@Command(name = "add", description = "Add a user with a role (labeller, reviewer, researcher, admin) and print their new token once.")
	static final class UserAdd extends UserCommand {
		@Parameters(index = "0", description = "The user's name.")
		String name;
		@Option(names = "--role", defaultValue = "labeller", description = "labeller, reviewer, researcher or admin (default: ${DEFAULT-VALUE}).")
		String role;

		@Override
		int run(ProjectStore store, PrintWriter out) {
			Role r = Role.parse(role);
			String token = Tokens.addUser(store, name, r, by);
			out.println("User " + name + " (" + r.key() + "). Token, shown only now — give it to them privately:");
			out.println(token);
			return 0;
		}
	}

	@Command(name = "list", description = "List users with their role and whether they have a token.")
	static final class UserList extends UserCommand {
		@Override
		int run(ProjectStore store, PrintWriter out) {
			SortedMap<String, Role> roles = store.roles();
			Map<String, String> tokens = store.tokenHashes();
			TreeSet<String> names = new TreeSet<>(roles.keySet());
			names.addAll(tokens.keySet());
			if (names.isEmpty()) out.println("No users yet: add one with 'labelloop user add NAME --role admin -p " + project + "'.");
			for (String n : names)
				out.printf("%-24s %-10s %s%n", n, roles.getOrDefault(n, Role.LABELLER).key(), tokens.containsKey(n) ? "token" : "no token");
			return 0;
		}
	}

	@Command(name = "token", description = "Give a user a new token (printed once); the old one stops working.")
	static final class UserToken extends UserCommand {
		@Parameters(index = "0", description = "The user's name.")
		String name;

		@Override
		int run(ProjectStore store, PrintWriter out) {
			if (!store.roles().containsKey(name) && !store.tokenHashes().containsKey(name))
				throw new LabelLoopException("No user '" + name + "' in this project: add them with 'labelloop user add " + name + " --role labeller'.");
			out.println(Tokens.newToken(store, name, by));
			return 0;
		}
	}
}
