package org.labelloop.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Role;
import org.labelloop.core.store.ProjectStore;

/**
 * Users' lab-server tokens: 256 random bits, shown once when made; the store keeps only their SHA-256, and a
 * presented token is compared with every stored hash in constant time.
 */
public final class Tokens {

	private static final SecureRandom RANDOM = new SecureRandom();

	private Tokens() {
	}

	/** A new token: 43 URL-safe characters (256 random bits). */
	public static String newToken() {
		byte[] b = new byte[32];
		RANDOM.nextBytes(b);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
	}

	public static String sha256(String token) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	/**
	 * Adds a user (or changes their role) and gives them a new token, which replaces any earlier one.
	 *
	 * @return the token, to show once
	 */
	public static String addUser(ProjectStore store, String name, Role role, String byUser) {
		checkName(name);
		store.setRole(name, role, byUser);
		return newToken(store, name, byUser);
	}

	/** A new token for an existing user; the old one stops working. */
	public static String newToken(ProjectStore store, String name, String byUser) {
		checkName(name);
		String token = newToken();
		store.setTokenHash(name, sha256(token), byUser);
		return token;
	}

	/** The user a token belongs to, if any; every stored hash is compared, in constant time. */
	public static Optional<String> userOf(ProjectStore store, String token) {
		if (token == null || token.isBlank()) return Optional.empty();
		byte[] presented = sha256(token.strip()).getBytes(StandardCharsets.US_ASCII);
		String found = null;
		for (Map.Entry<String, String> e : store.tokenHashes().entrySet())
			if (MessageDigest.isEqual(presented, e.getValue().getBytes(StandardCharsets.US_ASCII))) found = e.getKey();
		return Optional.ofNullable(found);
	}

	/** User names: 1–64 letters, digits, {@code . _ - @}; they appear in URLs and in every change's record. */
	public static String checkName(String name) {
		if (name == null || !name.matches("[\\p{L}\\p{N}._@-]{1,64}") || name.equals(".") || name.equals(".."))
			throw new LabelLoopException("User name '" + name + "' is not allowed: use 1 to 64 letters, digits, '.', '_', '-' or '@'.");
		return name;
	}
}
