package org.labelloop.backend.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.imaging.Images;

/** A server's image files on this machine: one folder per server, one per image hash; each file checked once per session. */
final class ImageCache {

	private final ServerClient client;
	private final Path cache;
	private final Map<Long, Path> verified = new ConcurrentHashMap<>();

	ImageCache(ServerClient client, Path cache) {
		this.client = client;
		this.cache = cache;
	}

	/**
	 * The image's file from the cache, downloaded on first use. A cached file is checked against the image's
	 * SHA-256 once per session; a download is written to a temporary file, checked, then moved into place, so a
	 * broken download never passes for the image.
	 */
	Path file(ImageRecord im) {
		long imageId = im.id();
		Path dir = cache.resolve(im.sha256());
		Path f = dir.resolve(safeFileName(im.name()));
		if (f.equals(verified.get(imageId)) && Files.isRegularFile(f)) return f;
		try {
			if (Files.isRegularFile(f) && Images.sha256(f).equals(im.sha256())) {
				verified.put(imageId, f);
				return f;
			}
			Files.createDirectories(dir);
			Path tmp = Files.createTempFile(dir, "download", ".part");
			try {
				String sha = client.download("/api/images/" + imageId + "/file", tmp);
				if (!sha.equals(im.sha256()))
					throw new LabelLoopException("The download of image '" + im.path() + "' from " + client.base() + " does not match its SHA-256; it was not kept. Try again.");
				try {
					Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				} catch (AtomicMoveNotSupportedException e) {
					Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
				}
			} finally {
				Files.deleteIfExists(tmp);
			}
			verified.put(imageId, f);
			return f;
		} catch (IOException e) {
			throw new LabelLoopException("Cannot keep image '" + im.path() + "' in the cache " + dir + ": " + e.getMessage(), e);
		}
	}

	static String safeFileName(String n) {
		String s = n.replaceAll("[^\\p{L}\\p{N}._ -]", "_");
		return s.isBlank() || s.startsWith(".") ? "image" + s : s;
	}

	static String sha256(String s) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
