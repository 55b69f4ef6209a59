package org.labelloop.imaging;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ij.io.FileInfo;
import ij.io.TiffDecoder;

/**
 * Checks, before a reader sees the file, that its pixel data are all there. ImageJ opens a truncated TIFF or DICOM
 * without a word (the missing part is black) and a truncated JPEG with grey rows (and libjpeg's "Premature end of JPEG
 * file" on the process's stderr); a LabelLoop project must not take such a file for an image. Each check reads only
 * the file's structure: TIFF strips and planes (through ImageJ's own {@link TiffDecoder}), PNG chunks up to IEND, JPEG
 * segments up to the end-of-image marker, GIF blocks up to the trailer, BMP's header sizes. A file whose structure
 * cannot be checked this way is left to its reader.
 */
final class Completeness {

	private Completeness() {
	}

	/** The reason for a truncated file, with the numbers: "pixel data ends at byte 37,084 of the 524,288 expected". */
	static ImageReadException truncated(Path file, long actual, long expected) {
		return new ImageReadException(file, reason(actual, expected));
	}

	static String reason(long actual, long expected) {
		return String.format(Locale.ROOT, "file is truncated: pixel data ends at byte %,d of the %,d expected", actual, expected);
	}

	/** Throws {@link ImageReadException} naming how much is missing when the file in {@code format} is incomplete. */
	static void check(Path file, String format) {
		try {
			long size = Files.size(file);
			switch (format) {
				case "TIFF" -> tiff(file, size);
				case "PNG" -> png(file, size);
				case "JPEG" -> jpeg(file, size);
				case "GIF" -> gif(file, size);
				case "BMP" -> bmp(file, size);
				default -> {
				}
			}
		} catch (IOException e) {
			throw new ImageReadException(file, "cannot be read (" + e.getMessage() + ")", e);
		}
	}

	private static void tiff(Path file, long size) {
		FileInfo[] infos;
		try {
			Path dir = file.toAbsolutePath().getParent();
			infos = new TiffDecoder(dir.toString() + java.io.File.separator, file.getFileName().toString()).getTiffInfo();
		} catch (IOException | RuntimeException e) {
			throw new ImageReadException(file, "TIFF header is truncated or corrupt (" + e.getMessage() + ")", e);
		}
		if (infos == null || infos.length == 0) throw new ImageReadException(file, "TIFF file has no image in it");
		long end = 0;
		for (FileInfo fi : infos) end = Math.max(end, end(fi));
		if (end > size) throw truncated(file, size, end);
	}

	/** Where the pixel data of an image described by ImageJ's TIFF decoder end (0 when it cannot tell). */
	private static long end(FileInfo fi) {
		boolean uncompressed = fi.compression <= FileInfo.COMPRESSION_NONE;
		if (fi.stripOffsets != null && fi.stripLengths != null && fi.stripOffsets.length == fi.stripLengths.length
				&& (fi.nImages <= 1 || !uncompressed)) {
			long end = 0;
			for (int i = 0; i < fi.stripOffsets.length; i++)
				end = Math.max(end, (fi.stripOffsets[i] & 0xffffffffL) + (fi.stripLengths[i] & 0xffffffffL));
			return end;
		}
		if (!uncompressed) return 0;
		long plane = switch (fi.fileType) {
			case FileInfo.BITMAP -> (long) (fi.width + 7) / 8 * fi.height;
			case FileInfo.GRAY12_UNSIGNED -> ((long) fi.width * fi.height * 3 + 1) / 2;
			default -> (long) fi.width * fi.height * fi.getBytesPerPixel();
		};
		int n = Math.max(1, fi.nImages);
		return fi.getOffset() + plane * n + (long) Math.max(0, fi.gapBetweenImages) * (n - 1);
	}

	private static void png(Path file, long size) throws IOException {
		try (FileChannel ch = FileChannel.open(file)) {
			ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
			long pos = 8;
			while (true) {
				if (pos + 12 > size) throw truncated(file, size, pos + 12);
				b.clear();
				ch.read(b, pos);
				long length = b.getInt(0) & 0xffffffffL;
				String type = new String(b.array(), 4, 4, StandardCharsets.US_ASCII);
				long end = pos + 12 + length;
				if (end > size) throw truncated(file, size, type.equals("IEND") ? end : end + 12);
				if (type.equals("IEND")) return;
				pos = end;
			}
		}
	}

	/** SOI, then segments; after each start-of-scan the entropy-coded data run to the next marker; done at EOI. */
	private static void jpeg(Path file, long size) throws IOException {
		try (CountingStream in = new CountingStream(Files.newInputStream(file))) {
			try {
				in.next();
				in.next(); // FF D8
				int marker = marker(in);
				while (marker != 0xd9) {
					if (marker == 0x01 || marker >= 0xd0 && marker <= 0xd7) {
						marker = marker(in);
						continue;
					}
					int length = in.next() << 8 | in.next();
					in.skip(length - 2L);
					if (marker != 0xda) {
						marker = marker(in);
						continue;
					}
					// entropy-coded data: FF 00 is a data byte, FF D0..D7 a restart marker; any other FF xx ends the scan
					while (true) {
						int c = in.next();
						if (c != 0xff) continue;
						int m = in.next();
						while (m == 0xff) m = in.next();
						if (m == 0 || m >= 0xd0 && m <= 0xd7) continue;
						marker = m;
						break;
					}
				}
			} catch (EOFException e) {
				throw new ImageReadException(file, String.format(Locale.ROOT,
						"file is truncated: the JPEG data stop at byte %,d, before their end-of-image marker", size));
			}
		}
	}

	private static int marker(CountingStream in) throws IOException {
		int c = in.next();
		if (c != 0xff) throw new IOException("no JPEG marker at byte " + (in.count - 1));
		int m = in.next();
		while (m == 0xff) m = in.next();
		return m;
	}

	/** Header, screen descriptor, colour table, then image and extension blocks up to the trailer (0x3B). */
	private static void gif(Path file, long size) throws IOException {
		try (CountingStream in = new CountingStream(Files.newInputStream(file))) {
			try {
				in.skip(10);
				int flags = in.next();
				in.skip(2);
				if ((flags & 0x80) != 0) in.skip(3L << ((flags & 7) + 1));
				while (true) {
					int block = in.next();
					if (block == 0x3b) return;
					if (block == 0x2c) {
						in.skip(8);
						int f = in.next();
						if ((f & 0x80) != 0) in.skip(3L << ((f & 7) + 1));
						in.next(); // LZW minimum code size
					} else if (block == 0x21) {
						in.next(); // extension label
					} else {
						throw new ImageReadException(file, String.format(Locale.ROOT, "GIF data are corrupt (block 0x%02x at byte %,d)", block, in.count - 1));
					}
					for (int n = in.next(); n != 0; n = in.next()) in.skip(n);
				}
			} catch (EOFException e) {
				throw new ImageReadException(file, String.format(Locale.ROOT,
						"file is truncated: the GIF data stop at byte %,d, before their trailer", size));
			}
		}
	}

	private static void bmp(Path file, long size) throws IOException {
		byte[] h;
		try (InputStream in = Files.newInputStream(file)) {
			h = in.readNBytes(54);
		}
		if (h.length < 26) throw truncated(file, size, 54);
		ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
		long offset = b.getInt(10) & 0xffffffffL;
		int dib = b.getInt(14);
		long width, height;
		int bits, compression = 0;
		long sizeImage = 0;
		if (dib == 12) {
			width = b.getShort(18) & 0xffff;
			height = b.getShort(20) & 0xffff;
			bits = b.getShort(24) & 0xffff;
		} else {
			if (h.length < 54) throw truncated(file, size, 54);
			width = Math.abs((long) b.getInt(18));
			height = Math.abs((long) b.getInt(22));
			bits = b.getShort(28) & 0xffff;
			compression = b.getInt(30);
			sizeImage = b.getInt(34) & 0xffffffffL;
		}
		long expected;
		if (compression == 0 || compression == 3) expected = offset + (bits * width + 31) / 32 * 4 * height;
		else if (sizeImage > 0) expected = offset + sizeImage;
		else return;
		if (expected > size) throw truncated(file, size, expected);
	}

	/** An input stream that counts what it gave and throws {@link EOFException} at the end. */
	static final class CountingStream extends java.io.FilterInputStream {
		long count;

		CountingStream(InputStream in) {
			super(new BufferedInputStream(in, 1 << 16));
		}

		int next() throws IOException {
			int c = in.read();
			if (c < 0) throw new EOFException();
			count++;
			return c;
		}

		@Override
		public long skip(long n) throws IOException {
			long left = n;
			while (left > 0) {
				long s = in.skip(left);
				if (s <= 0) {
					if (in.read() < 0) throw new EOFException();
					s = 1;
				}
				left -= s;
				count += s;
			}
			return n;
		}
	}
}
