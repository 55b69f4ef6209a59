package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What a reader prints is kept from the user's streams; other threads' output is not, and the streams come back. */
class ReaderOutputTest {

	@Test
	void keepsTheReadersOutputOnlyAndRestoresTheStreams() throws Exception {
		PrintStream out = System.out, err = System.err;
		ByteArrayOutputStream seen = new ByteArrayOutputStream();
		PrintStream mine = new PrintStream(seen, true, StandardCharsets.UTF_8);
		System.setOut(mine);
		System.setErr(mine);
		try {
			CountDownLatch reading = new CountDownLatch(1), printed = new CountDownLatch(1);
			Thread other = new Thread(() -> {
				try {
					assertTrue(reading.await(10, TimeUnit.SECONDS));
					System.out.println("another thread's line");
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				} finally {
					printed.countDown();
				}
			});
			other.start();
			ReaderOutput.Result<String> r = ReaderOutput.call(() -> {
				System.err.println("javax.imageio.IIOException: Error reading PNG image data");
				new RuntimeException("a reader's stack trace").printStackTrace();
				ij.IJ.error("Opener", "File is not in a supported format"); // headless: to IJ.log, then System.out
				reading.countDown();
				try {
					assertTrue(printed.await(10, TimeUnit.SECONDS));
				} catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
				return "image";
			});
			other.join();
			assertEquals("image", r.value());
			assertTrue(r.printed().contains("Error reading PNG image data"), r.printed());
			assertTrue(r.printed().contains("a reader's stack trace"), r.printed());
			assertEquals("javax.imageio.IIOException: Error reading PNG image data", ReaderOutput.firstLine(r.printed()));
			assertEquals("another thread's line" + System.lineSeparator(), seen.toString(StandardCharsets.UTF_8));
			assertSame(mine, System.out, "the caller's stream is back");
			assertSame(mine, System.err);

			ReaderOutput.Result<Object> failed = ReaderOutput.call(() -> {
				throw new IllegalStateException("reader broke");
			});
			assertEquals("reader broke", failed.error().getMessage());
		} finally {
			System.setOut(out);
			System.setErr(err);
		}
	}
}
