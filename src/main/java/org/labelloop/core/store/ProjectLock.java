package org.labelloop.core.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.labelloop.core.model.LabelLoopException;

/**
 * One writer per project: an OS file lock on {@code .labelloop.lock} in the project folder. The lock goes away
 * with the process, so a crashed ImageJ never leaves a project locked. Several people share a project through
 * the lab server, which holds this lock.
 */
final class ProjectLock implements AutoCloseable {
	static final String FILE = ".labelloop.lock";
	private final FileChannel channel;
	private final FileLock lock;

	private ProjectLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	static ProjectLock acquire(Path folder) {
		Path file = folder.resolve(FILE);
		FileChannel ch;
		try {
			ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot open project " + folder + ": cannot create its lock file (" + e.getMessage()
					+ "). Is the folder read-only?", e);
		}
		FileLock l;
		try {
			l = ch.tryLock();
		} catch (OverlappingFileLockException e) {
			l = null;
		} catch (IOException e) {
			close(ch);
			throw new LabelLoopException("Cannot lock project " + folder + ": " + e.getMessage(), e);
		}
		if (l == null) {
			String holder;
			try {
				holder = Files.readString(file, StandardCharsets.UTF_8).strip();
			} catch (IOException e) {
				holder = "";
			}
			close(ch);
			throw new LabelLoopException("Project " + folder + " is already open in another LabelLoop"
					+ (holder.isEmpty() ? "" : " (" + holder + ")")
					+ ". Close it there first, or share the project through a LabelLoop server.");
		}
		try {
			String who = "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + host() + " since " + Instant.now();
			ch.truncate(0);
			ch.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
			ch.force(true);
		} catch (IOException ignored) {
			// the holder note is informative only
		}
		return new ProjectLock(ch, l);
	}

	private static String host() {
		try {
			return InetAddress.getLocalHost().getHostName();
		} catch (IOException e) {
			return "unknown host";
		}
	}

	private static void close(FileChannel ch) {
		try {
			ch.close();
		} catch (IOException ignored) {
			// nothing to do
		}
	}

	@Override
	public void close() {
		try {
			lock.release();
		} catch (IOException ignored) {
			// released with the channel anyway
		}
		close(channel);
	}
}
