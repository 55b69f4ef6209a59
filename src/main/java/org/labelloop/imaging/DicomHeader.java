package org.labelloop.imaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The few top-level elements of a DICOM file that decide whether ImageJ can read it and whether its pixel data are
 * all there: transfer syntax, SOP class, modality, rows, columns, samples, bits allocated, frames, and where the Pixel
 * Data element starts and how long it says it is. The file is walked element by element (explicit or implicit VR,
 * either byte order; sequences of undefined length are stepped through, so values nested in them are not taken for
 * the image's), reading only element headers and the small values needed.
 */
record DicomHeader(String transferSyntax, String sopClass, String modality, int rows, int columns, int samples, int bitsAllocated,
		int frames, long pixelOffset, long pixelLength, long fileSize, boolean bigEndian, Map<Integer, String> values) {

	static final int SOP_INSTANCE_UID = 0x00080018, SERIES_DESCRIPTION = 0x0008103e, PATIENT_ID = 0x00100020,
			BODY_PART = 0x00180015, SLICE_THICKNESS = 0x00180050, SPACING_BETWEEN_SLICES = 0x00180088, STUDY_UID = 0x0020000d,
			SERIES_UID = 0x0020000e, INSTANCE_NUMBER = 0x00200013, POSITION = 0x00200032, ORIENTATION = 0x00200037,
			PIXEL_SPACING = 0x00280030, PIXEL_REPRESENTATION = 0x00280103, RESCALE_INTERCEPT = 0x00281052, RESCALE_SLOPE = 0x00281053;
	/** The text values kept in {@link #values}: what series assembly and item metadata need. */
	private static final Set<Integer> KEPT = Set.of(SOP_INSTANCE_UID, SERIES_DESCRIPTION, PATIENT_ID, BODY_PART, SLICE_THICKNESS,
			SPACING_BETWEEN_SLICES, STUDY_UID, SERIES_UID, INSTANCE_NUMBER, POSITION, ORIENTATION, PIXEL_SPACING, RESCALE_INTERCEPT,
			RESCALE_SLOPE);

	DicomHeader {
		values = Map.copyOf(values);
	}

	/** A kept top-level text value, trimmed, or null when absent or empty. */
	String value(int tag) {
		String v = values.get(tag);
		return v == null || v.isEmpty() ? null : v;
	}

	/** A backslash-separated decimal value ("0.5\\0.5"), or null when absent or not numbers. */
	double[] numbers(int tag) {
		return numbers(value(tag));
	}

	/** The numbers of a backslash-separated decimal value, or null when absent or not numbers. */
	static double[] numbers(String v) {
		if (v == null) return null;
		String[] parts = v.split("\\\\");
		double[] out = new double[parts.length];
		try {
			for (int i = 0; i < parts.length; i++) out[i] = Double.parseDouble(parts[i].strip());
		} catch (NumberFormatException e) {
			return null;
		}
		return out;
	}

	static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
	private static final long UNDEFINED = 0xffffffffL;
	private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");

	/** A segmentation object (DICOM-SEG): labels, not an image. */
	boolean isSegmentation() {
		return SEGMENTATION_STORAGE.equals(sopClass) || "SEG".equals(modality);
	}

	boolean hasPixelData() {
		return pixelOffset >= 0;
	}

	/** Pixel data as a sequence of compressed fragments (undefined length) rather than plain pixels. */
	boolean encapsulated() {
		return pixelLength == UNDEFINED;
	}

	/** The bytes the plain pixel data need: rows × columns × samples × frames × bits allocated / 8 (bits packed). */
	long neededBytes() {
		return ((long) rows * columns * Math.max(1, samples) * Math.max(1, frames) * bitsAllocated + 7) / 8;
	}

	/** Reads the header of a file that has "DICM" at byte 128. */
	static DicomHeader read(Path file) {
		try (FileChannel ch = FileChannel.open(file)) {
			return new Walker(file, ch).walk();
		} catch (IOException e) {
			throw new ImageReadException(file, "cannot be read (" + e.getMessage() + ")", e);
		}
	}

	private static final class Walker {
		private final Path file;
		private final FileChannel ch;
		private final long size;
		private final ByteBuffer b = ByteBuffer.allocate(12);
		private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
		private boolean explicit = true;
		private String syntax, sopClass, modality;
		private int rows, columns, samples = 1, bits, frames = 1;
		private final Map<Integer, String> values = new HashMap<>();

		Walker(Path file, FileChannel ch) throws IOException {
			this.file = file;
			this.ch = ch;
			this.size = ch.size();
		}

		private ByteBuffer at(long pos, int n) throws IOException {
			b.clear().limit(n);
			while (b.hasRemaining()) if (ch.read(b, pos + b.position()) < 0) throw new ImageReadException(file, headerTruncated(pos + n));
			return b.flip().order(order);
		}

		private String headerTruncated(long expected) {
			return String.format(Locale.ROOT, "file is truncated: the DICOM header ends at byte %,d of the %,d expected", size, expected);
		}

		private String text(long pos, long length) throws IOException {
			if (length > 256) return null;
			if (pos + length > size) throw new ImageReadException(file, headerTruncated(pos + length));
			ByteBuffer v = ByteBuffer.allocate((int) length);
			while (v.hasRemaining()) ch.read(v, pos + v.position());
			return new String(v.array(), StandardCharsets.US_ASCII).replace('\0', ' ').trim();
		}

		private int unsignedShort(long pos, long length) throws IOException {
			return length >= 2 ? at(pos, 2).getShort() & 0xffff : 0;
		}

		DicomHeader walk() throws IOException {
			long pos = 132;
			Deque<Long> open = new ArrayDeque<>(); // undefined-length sequences and items we are inside
			boolean meta = true;
			while (pos + 8 <= size) {
				ByteBuffer h = at(pos, 8);
				int group = h.getShort(0) & 0xffff, element = h.getShort(2) & 0xffff;
				if (meta && group != 0x0002) {
					meta = false;
					if ("1.2.840.10008.1.2".equals(syntax)) explicit = false;
					if ("1.2.840.10008.1.2.2".equals(syntax)) order = ByteOrder.BIG_ENDIAN;
					continue; // read this tag again in the data set's encoding
				}
				if (group == 0xfffe) { // item, item delimiter, sequence delimiter: no VR, 4-byte length
					long length = h.getInt(4) & 0xffffffffL;
					pos += 8;
					if (element == 0xe000) {
						if (length == UNDEFINED) open.push(pos);
						else pos += length;
					} else if (!open.isEmpty()) {
						open.pop();
					}
					continue;
				}
				String vr = explicit || meta ? new String(new byte[] { h.get(4), h.get(5) }, StandardCharsets.US_ASCII) : null;
				long length;
				long value;
				if (vr != null && LONG_VRS.contains(vr)) {
					length = at(pos + 8, 4).getInt(0) & 0xffffffffL;
					value = pos + 12;
				} else if (vr != null) {
					length = h.getShort(6) & 0xffff;
					value = pos + 8;
				} else {
					length = h.getInt(4) & 0xffffffffL;
					value = pos + 8;
				}
				boolean top = open.isEmpty();
				if (top && group == 0x7fe0 && element == 0x0010)
					return new DicomHeader(syntax, sopClass, modality, rows, columns, samples, bits, frames, value, length, size, order == ByteOrder.BIG_ENDIAN, values);
				if (length == UNDEFINED) { // a sequence (or UN) of undefined length: step into it
					open.push(value);
					pos = value;
					continue;
				}
				if (value + length > size) throw new ImageReadException(file, headerTruncated(value + length));
				if (meta && element == 0x0010) syntax = text(value, length);
				if (top && !meta) {
					int tag = group << 16 | element;
					switch (tag) {
						case 0x00080016 -> sopClass = text(value, length);
						case 0x00080060 -> modality = text(value, length);
						case 0x00280002 -> samples = unsignedShort(value, length);
						case 0x00280008 -> frames = parseFrames(text(value, length));
						case 0x00280010 -> rows = unsignedShort(value, length);
						case 0x00280011 -> columns = unsignedShort(value, length);
						case 0x00280100 -> bits = unsignedShort(value, length);
						case 0x00280103 -> values.put(tag, Integer.toString(unsignedShort(value, length)));
						default -> {
							if (KEPT.contains(tag)) {
								String t = text(value, length);
								if (t != null) values.put(tag, t);
							}
						}
					}
				}
				pos = value + length;
			}
			return new DicomHeader(syntax, sopClass, modality, rows, columns, samples, bits, frames, -1, 0, size, order == ByteOrder.BIG_ENDIAN, values);
		}

		private static int parseFrames(String s) {
			try {
				return s == null || s.isEmpty() ? 1 : Math.max(1, Integer.parseInt(s.trim()));
			} catch (NumberFormatException e) {
				return 1;
			}
		}
	}
}
