package org.labelloop.backend.remote;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.labelloop.core.model.LabelLoopException;

/**
 * Lab-server tokens remembered on this computer, in a properties file only its owner may read
 * ({@code ~/.config/labelloop/tokens.properties}, mode 600; key {@code user@server-url}). A file that others can
 * read is refused, not used. Tokens never go into ImageJ's preferences.
 */
public final class TokenFile {

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private TokenFile() {
	}

	public static Path defaultFile() {
		return Path.of(System.getProperty("user.home"), ".config", "labelloop", "tokens.properties");
	}

	static String key(String url, String user) {
		return user.strip() + "@" + url.strip().replaceAll("/+$", "");
	}

	/** The remembered token of {@code user} on {@code url}, if any. */
	public static Optional<String> read(Path file, String url, String user) {
		if (!Files.isRegularFile(file)) return Optional.empty();
		try {
			if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
				Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
				if (!OWNER_ONLY.containsAll(p))
					throw new LabelLoopException("The token file " + file + " can be read by others (" + PosixFilePermissions.toString(p)
							+ "), so it is not used. Run 'chmod 600 " + file + "' and ask an admin for new tokens if it was shared.");
			}
			Properties props = new Properties();
			try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				props.load(r);
			}
			String t = props.getProperty(key(url, user));
			return t == null || t.isBlank() ? Optional.empty() : Optional.of(t.strip());
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read the token file " + file + ": " + e.getMessage(), e);
		}
	}

	/** Remembers a token: the file is written anew (owner-only from its creation) and moved into place. */
	public static void write(Path file, String url, String user, String token) {
		try {
			Path dir = file.toAbsolutePath().getParent();
			boolean posix;
			if (!Files.isDirectory(dir)) {
				Files.createDirectories(dir);
			}
			posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
			Properties props = new Properties();
			if (Files.isRegularFile(file)) try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				props.load(r);
			}
			props.setProperty(key(url, user), token.strip());
			Path tmp = posix ? Files.createTempFile(dir, "tokens", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
					: Files.createTempFile(dir, "tokens", ".tmp");
			try {
				try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
					props.store(w, "LabelLoop lab-server tokens: keep this file private (mode 600)");
				}
				if (posix) Files.setPosixFilePermissions(tmp, OWNER_ONLY);
				try {
					Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				} catch (AtomicMoveNotSupportedException e) {
					Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
				}
			} finally {
				Files.deleteIfExists(tmp);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot remember the token in " + file + ": " + e.getMessage(), e);
		}
	}
}
