package org.labelloop.imaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.function.Supplier;

import ij.IJ;

/**
 * Keeps what an image reader prints to itself. ImageJ and ImageIO print their own text while reading
 * ({@code javax.imageio.IIOException: Error reading PNG image data} with a stack trace, {@code FileInfo parameter
 * error}, headless {@code IJ.log} and {@code IJ.error} lines): none of it must reach the user's stdout or stderr, where
 * a script or the command line would show it beside LabelLoop's own message. While a read runs on a thread, what that
 * thread writes to {@code System.out} and {@code System.err} goes to a buffer instead, and {@code IJ.error} is
 * redirected to {@code IJ.log} (no modal dialog in Fiji; headless that is {@code System.out}, so also kept). Other
 * threads' output passes through untouched. The kept text can go into LabelLoop's message as a detail.
 * <p>
 * Native decoders that write to the process's stderr directly (libjpeg's "Premature end of JPEG file") cannot be
 * caught here: {@link Completeness} refuses truncated files before a reader sees them.
 */
final class ReaderOutput {

	/** What a read returned and what it printed meanwhile. */
	record Result<T>(T value, RuntimeException error, String printed) {
	}

	private static final ThreadLocal<ByteArrayOutputStream> CAPTURE = new ThreadLocal<>();
	private static final Object LOCK = new Object();
	private static int active;
	private static PrintStream realOut, realErr, routedOut, routedErr;

	private ReaderOutput() {
	}

	/** Runs {@code read} with this thread's output kept; a runtime exception it throws is returned, not thrown. */
	static <T> Result<T> call(Supplier<T> read) {
		if (CAPTURE.get() != null) return run(read, CAPTURE.get()); // nested: the outer call keeps it all
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		install();
		CAPTURE.set(buffer);
		boolean redirected = IJ.redirectingErrorMessages();
		IJ.redirectErrorMessages(true);
		try {
			return run(read, buffer);
		} finally {
			IJ.redirectErrorMessages(redirected);
			CAPTURE.remove();
			uninstall();
		}
	}

	private static <T> Result<T> run(Supplier<T> read, ByteArrayOutputStream buffer) {
		T value = null;
		RuntimeException error = null;
		try {
			value = read.get();
		} catch (RuntimeException e) {
			error = e;
		}
		System.out.flush();
		System.err.flush();
		return new Result<>(value, error, buffer.toString(Charset.defaultCharset()));
	}

	private static void install() {
		synchronized (LOCK) {
			if (active++ > 0) return;
			realOut = System.out;
			realErr = System.err;
			routedOut = new PrintStream(new Router(realOut), true, Charset.defaultCharset());
			routedErr = new PrintStream(new Router(realErr), true, Charset.defaultCharset());
			System.setOut(routedOut);
			System.setErr(routedErr);
		}
	}

	private static void uninstall() {
		synchronized (LOCK) {
			if (--active > 0) return;
			// someone may have set their own stream meanwhile (a test capturing output): theirs stays
			if (System.out == routedOut) System.setOut(realOut);
			if (System.err == routedErr) System.setErr(realErr);
			realOut = realErr = routedOut = routedErr = null;
		}
	}

	/** The first line of what a reader printed that says something, for a message: "" when it printed nothing. */
	static String firstLine(String printed) {
		for (String line : printed.split("\\R")) {
			String l = line.strip();
			if (!l.isEmpty() && !l.startsWith("at ")) return l.length() > 160 ? l.substring(0, 160) + "…" : l;
		}
		return "";
	}

	/** Writes to the capturing thread's buffer, or to the real stream for every other thread. */
	private static final class Router extends OutputStream {
		private final PrintStream real;

		Router(PrintStream real) {
			this.real = real;
		}

		@Override
		public void write(int b) {
			ByteArrayOutputStream c = CAPTURE.get();
			if (c != null) c.write(b);
			else real.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) {
			ByteArrayOutputStream c = CAPTURE.get();
			if (c != null) c.write(b, off, len);
			else real.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			if (CAPTURE.get() == null) real.flush();
		}
	}
}
