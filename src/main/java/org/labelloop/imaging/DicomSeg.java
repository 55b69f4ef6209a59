package org.labelloop.imaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A BINARY DICOM Segmentation object (DICOM-SEG, SOP class {@value DicomHeader#SEGMENTATION_STORAGE}) as read for an
 * import: its segments (number and label), its frames (which segment, which source image slice by SOP Instance UID,
 * where in space) and their 1-bit masks, and the series it references.
 * <p>
 * <b>Why hand-written.</b> No well-kept Java DICOM library resolves from the registries LabelLoop builds from:
 * dcm4che and PixelMed are published in their own repositories, not in Maven Central. A SEG is small (1 bit per
 * voxel, a 512×512×300 CT's is under 10 MB), so it is read whole and walked element by element, nested sequences
 * included, which {@link DicomHeader} (the header walk for images, which never reads a whole file) does not do.
 * Uncompressed little-endian SEGs (explicit or implicit VR) are read; FRACTIONAL ones, other transfer syntaxes and
 * anything malformed are refused naming the file and the reason.
 */
public record DicomSeg(Path file, String referencedSeries, int rows, int columns, List<Segment> segments, List<Frame> frames, byte[] bits) {

	/** A segment: its number (1, 2, …) and label ("liver"). */
	public record Segment(int number, String label) {
	}

	/**
	 * One frame: its segment's number, the SOP Instance UID of the image (slice) it was derived from, or null when not
	 * given, and its Image Position (Patient), or null.
	 */
	public record Frame(int segment, String sourceInstance, double[] position) {
	}

	static final String IMPLICIT_LE = "1.2.840.10008.1.2", EXPLICIT_LE = "1.2.840.10008.1.2.1";
	private static final int PIXEL_DATA = 0x7fe00010, ITEM = 0xfffee000, ITEM_END = 0xfffee00d, SEQUENCE_END = 0xfffee0dd;
	private static final int SOP_CLASS = 0x00080016, REFERENCED_SERIES = 0x00081115, SERIES_UID = 0x0020000e, SEGMENTATION_TYPE = 0x00620001,
			SEGMENTS = 0x00620002, SEGMENT_NUMBER = 0x00620004, SEGMENT_LABEL = 0x00620005, PER_FRAME = 0x52009230, SEGMENT_IDENTIFICATION = 0x0062000a,
			REFERENCED_SEGMENT = 0x0062000b, DERIVATION_IMAGE = 0x00089124, SOURCE_IMAGE = 0x00082112, REFERENCED_INSTANCE = 0x00081155,
			PLANE_POSITION = 0x00209113, POSITION = 0x00200032, ROWS = 0x00280010, COLUMNS = 0x00280011, FRAMES = 0x00280008,
			BITS_ALLOCATED = 0x00280100;
	/** Sequences and binary numbers by tag, for implicit VR (where the file does not say). */
	private static final Set<Integer> SEQUENCES = Set.of(REFERENCED_SERIES, 0x0008114a, SEGMENTS, PER_FRAME, 0x52009229, SEGMENT_IDENTIFICATION,
			DERIVATION_IMAGE, SOURCE_IMAGE, PLANE_POSITION, 0x00209111, 0x00209116, 0x00289110, 0x00220016, 0x00620003, 0x00620007, 0x00081199);
	private static final Set<Integer> UNSIGNED_SHORTS = Set.of(ROWS, COLUMNS, BITS_ALLOCATED, 0x00280101, 0x00280102, 0x00280103, 0x00280002,
			SEGMENT_NUMBER, REFERENCED_SEGMENT);
	private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
	private static final long UNDEFINED = 0xffffffffL;

	/** Whether voxel (x, y) of frame f is in its segment. */
	public boolean set(int f, int x, int y) {
		long i = ((long) f * rows + y) * columns + x;
		return (bits[(int) (i >>> 3)] >> (int) (i & 7) & 1) != 0;
	}

	/**
	 * Reads a DICOM-SEG.
	 *
	 * @throws ImageReadException naming the file and what is wrong: not DICOM, not a SEG, not BINARY, a transfer
	 *         syntax other than uncompressed little endian, a frame without a segment, truncated pixel data
	 */
	public static DicomSeg read(Path file) {
		byte[] bytes;
		try {
			bytes = Files.readAllBytes(file);
		} catch (IOException e) {
			throw new ImageReadException(file, "cannot be read (" + e.getMessage() + ")", e);
		}
		if (bytes.length < 132 || !new String(bytes, 128, 4, StandardCharsets.US_ASCII).equals("DICM"))
			throw new ImageReadException(file, "not a DICOM file (no DICM at byte 128)");
		ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
		Parser p = new Parser(file, b);
		b.position(132);
		Map<Integer, Object> meta = p.dataset(bytes.length, true, true);
		String syntax = text(meta, 0x00020010);
		if (!IMPLICIT_LE.equals(syntax) && !EXPLICIT_LE.equals(syntax))
			throw new ImageReadException(file, "DICOM-SEG in transfer syntax " + syntax + " is not supported; LabelLoop reads uncompressed little-endian SEGs"
					+ " (convert it, e.g. with dcmtk: dcmconv +te)");
		Map<Integer, Object> ds = p.dataset(bytes.length, EXPLICIT_LE.equals(syntax), false);
		if (!DicomHeader.SEGMENTATION_STORAGE.equals(text(ds, SOP_CLASS)))
			throw new ImageReadException(file, "not a DICOM-SEG (SOP class " + text(ds, SOP_CLASS) + ")");
		String type = text(ds, SEGMENTATION_TYPE);
		if (!"BINARY".equals(type))
			throw new ImageReadException(file, "a " + type + " segmentation; LabelLoop reads BINARY DICOM-SEGs (one bit per voxel)");
		int rows = number(file, ds, ROWS), columns = number(file, ds, COLUMNS);
		if (number(file, ds, BITS_ALLOCATED) != 1) throw new ImageReadException(file, "a BINARY DICOM-SEG has 1 bit per voxel, not " + text(ds, BITS_ALLOCATED));
		List<Segment> segments = new ArrayList<>();
		Map<Integer, Segment> byNumber = new HashMap<>();
		for (Map<Integer, Object> s : items(ds, SEGMENTS)) {
			Segment sg = new Segment(number(file, s, SEGMENT_NUMBER), text(s, SEGMENT_LABEL) == null ? "segment " + text(s, SEGMENT_NUMBER) : text(s, SEGMENT_LABEL));
			if (byNumber.put(sg.number(), sg) != null) throw new ImageReadException(file, "segment number " + sg.number() + " is used twice");
			segments.add(sg);
		}
		if (segments.isEmpty()) throw new ImageReadException(file, "the DICOM-SEG lists no segment (Segment Sequence 0062,0002)");
		List<Map<Integer, Object>> perFrame = items(ds, PER_FRAME);
		int n = text(ds, FRAMES) == null ? 1 : number(file, ds, FRAMES);
		if (perFrame.size() != n)
			throw new ImageReadException(file, "it says " + n + " frame(s) but describes " + perFrame.size() + " (Per-frame Functional Groups 5200,9230)");
		List<Frame> frames = new ArrayList<>();
		for (int f = 0; f < n; f++) {
			Map<Integer, Object> fg = perFrame.get(f);
			Map<Integer, Object> ident = first(fg, SEGMENT_IDENTIFICATION);
			if (ident == null || text(ident, REFERENCED_SEGMENT) == null)
				throw new ImageReadException(file, "frame " + (f + 1) + " names no segment (Segment Identification 0062,000A)");
			int segment = number(file, ident, REFERENCED_SEGMENT);
			if (!byNumber.containsKey(segment)) throw new ImageReadException(file, "frame " + (f + 1) + " names segment " + segment + ", which is not listed");
			Map<Integer, Object> derivation = first(fg, DERIVATION_IMAGE), source = derivation == null ? null : first(derivation, SOURCE_IMAGE);
			Map<Integer, Object> plane = first(fg, PLANE_POSITION);
			frames.add(new Frame(segment, source == null ? null : text(source, REFERENCED_INSTANCE), plane == null ? null : DicomHeader.numbers(text(plane, POSITION))));
		}
		Map<Integer, Object> series = first(ds, REFERENCED_SERIES);
		String referenced = series == null ? null : text(series, SERIES_UID);
		long[] pixels = (long[]) ds.get(PIXEL_DATA);
		long need = ((long) rows * columns * n + 7) / 8;
		if (pixels == null) throw new ImageReadException(file, "the DICOM-SEG has no pixel data");
		if (pixels[1] < need || pixels[0] + need > bytes.length)
			throw new ImageReadException(file, String.format(Locale.ROOT, "file is truncated: %d frame(s) of %dx%d need %,d bytes of pixel data, it has %,d",
					n, columns, rows, need, Math.min(pixels[1], bytes.length - pixels[0])));
		byte[] bits = new byte[(int) need];
		System.arraycopy(bytes, (int) pixels[0], bits, 0, bits.length);
		return new DicomSeg(file, referenced, rows, columns, List.copyOf(segments), List.copyOf(frames), bits);
	}

	/**
	 * The slices of a project image by SOP Instance UID (1-based z): a DICOM series' slice files (its manifest), or
	 * the one slice of a single DICOM file; empty for any other image, or slices whose header names no instance.
	 */
	public static Map<String, Integer> instances(Path imageFile) {
		List<Path> slices = DicomSeries.isManifest(imageFile) ? DicomSeries.sliceFiles(imageFile) : List.of(imageFile);
		Map<String, Integer> out = new HashMap<>();
		for (int z = 0; z < slices.size(); z++) {
			DicomHeader h;
			try {
				h = DicomHeader.read(slices.get(z));
			} catch (ImageReadException e) {
				continue;
			}
			String uid = h.value(DicomHeader.SOP_INSTANCE_UID);
			if (uid != null) out.putIfAbsent(uid.strip(), z + 1);
		}
		return out;
	}

	private static String text(Map<Integer, Object> ds, int tag) {
		return ds.get(tag) instanceof String s ? s : null;
	}

	private static int number(Path file, Map<Integer, Object> ds, int tag) {
		String v = text(ds, tag);
		try {
			return Integer.parseInt(v.strip());
		} catch (RuntimeException e) {
			throw new ImageReadException(file, String.format(Locale.ROOT, "element (%04x,%04x) should be a number, not %s", tag >>> 16, tag & 0xffff, v));
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<Integer, Object>> items(Map<Integer, Object> ds, int tag) {
		return ds.get(tag) instanceof List<?> l ? (List<Map<Integer, Object>>) l : List.of();
	}

	private static Map<Integer, Object> first(Map<Integer, Object> ds, int tag) {
		List<Map<Integer, Object>> l = items(ds, tag);
		return l.isEmpty() ? null : l.get(0);
	}

	/**
	 * Walks a dataset into a map of tag → value: text (trimmed) for text and number VRs, a list of item maps for a
	 * sequence, {offset, length} for the pixel data; other binary values are skipped.
	 */
	private static final class Parser {
		private final Path file;
		private final ByteBuffer b;

		Parser(Path file, ByteBuffer b) {
			this.file = file;
			this.b = b;
		}

		private ImageReadException truncated() {
			return new ImageReadException(file, "file is truncated or malformed at byte " + b.position() + " of " + b.limit());
		}

		/** Elements from here to {@code end} (or a delimiter); the meta group only when {@code metaOnly}. */
		Map<Integer, Object> dataset(long end, boolean explicit, boolean metaOnly) {
			Map<Integer, Object> out = new LinkedHashMap<>();
			while (b.position() < end) {
				if (b.remaining() < 8) throw truncated();
				int at = b.position();
				int tag = (b.getShort() & 0xffff) << 16 | b.getShort() & 0xffff;
				if (metaOnly && tag >>> 16 != 0x0002) {
					b.position(at);
					break;
				}
				if (tag == ITEM_END || tag == SEQUENCE_END) {
					b.getInt();
					if (tag == ITEM_END) break;
					b.position(at); // the sequence's end: left for the sequence
					break;
				}
				String vr = null;
				long length;
				if (explicit) {
					vr = new String(new byte[] { b.get(), b.get() }, StandardCharsets.US_ASCII);
					if (LONG_VRS.contains(vr)) {
						b.getShort();
						length = b.getInt() & 0xffffffffL;
					} else length = b.getShort() & 0xffff;
				} else length = b.getInt() & 0xffffffffL;
				boolean sequence = "SQ".equals(vr) || !explicit && (SEQUENCES.contains(tag) || length == UNDEFINED && tag != PIXEL_DATA);
				if (sequence) {
					out.put(tag, sequence(length, explicit));
					continue;
				}
				if (length == UNDEFINED) throw new ImageReadException(file, "encapsulated (compressed) pixel data; LabelLoop reads uncompressed DICOM-SEGs");
				if (length > b.remaining()) {
					if (tag == PIXEL_DATA) { // reported with the sizes by the caller
						out.put(tag, new long[] { b.position(), b.remaining() });
						b.position(b.limit());
						break;
					}
					throw truncated();
				}
				if (tag == PIXEL_DATA) out.put(tag, new long[] { b.position(), length });
				else if ("US".equals(vr) || vr == null && UNSIGNED_SHORTS.contains(tag)) out.put(tag, length >= 2 ? Integer.toString(b.getShort(b.position()) & 0xffff) : "");
				else if (length <= 1024 && (vr == null || !LONG_VRS.contains(vr) || "UT".equals(vr) || "UC".equals(vr)))
					out.put(tag, new String(b.array(), b.position(), (int) length, StandardCharsets.ISO_8859_1).replace("\0", "").strip());
				b.position(b.position() + (int) length);
			}
			return out;
		}

		private List<Map<Integer, Object>> sequence(long length, boolean explicit) {
			List<Map<Integer, Object>> items = new ArrayList<>();
			long end = length == UNDEFINED ? b.limit() : b.position() + length;
			if (end > b.limit()) throw truncated();
			while (b.position() < end) {
				if (b.remaining() < 8) throw truncated();
				int tag = (b.getShort() & 0xffff) << 16 | b.getShort() & 0xffff;
				long itemLength = b.getInt() & 0xffffffffL;
				if (tag == SEQUENCE_END) break;
				if (tag != ITEM) throw new ImageReadException(file, String.format(Locale.ROOT, "a sequence holds (%04x,%04x) where an item should be, at byte %d",
						tag >>> 16, tag & 0xffff, b.position() - 8));
				long itemEnd = itemLength == UNDEFINED ? b.limit() : b.position() + itemLength;
				if (itemEnd > b.limit()) throw truncated();
				items.add(dataset(itemEnd, explicit, false));
			}
			return items;
		}
	}
}
