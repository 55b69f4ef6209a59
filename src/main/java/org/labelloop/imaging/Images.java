package org.labelloop.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.labelloop.core.geom.Plane;

import ij.ImagePlus;
import ij.io.Opener;
import ij.plugin.DICOM;

/**
 * Reads images for LabelLoop, headless: ImageJ's {@link Opener} for TIFF, PNG, JPEG, BMP, GIF (and the few other
 * formats it knows by content), ImageJ's {@link DICOM} reader for uncompressed DICOM, our own {@link NiftiReader} for
 * NIfTI-1, and Bio-Formats by reflection, when present, for everything else (compressed DICOM included).
 * <p>
 * The format is decided by content, not by the file name ("DICM" at byte 128 wins over a TIFF-like preamble). Every
 * failure is an {@link ImageReadException} naming the file and the reason.
 */
public final class Images {

	private static final Set<String> EXTENSIONS = Set.of("tif", "tiff", "png", "jpg", "jpeg", "bmp", "gif", "dcm", "nii");
	private static final Map<String, String> FORMAT_OF_EXTENSION = Map.of("tif", "TIFF", "tiff", "TIFF", "png", "PNG",
			"jpg", "JPEG", "jpeg", "JPEG", "bmp", "BMP", "gif", "GIF", "dcm", "DICOM");
	/** Types that {@link Opener#getFileType} finds by name or content beyond the magic numbers checked here. */
	private static final Set<Integer> OTHER_OPENER_TYPES = Set.of(Opener.DICOM, Opener.FITS, Opener.PGM, Opener.ZIP);
	private static final int HEAD_BYTES = 4096;

	private Images() {
	}

	/**
	 * Opens the image with its pixels.
	 *
	 * @throws ImageReadException if the file is missing, empty, truncated, corrupt or in a format that cannot be read
	 */
	public static ImagePlus open(Path file) {
		return open(file, BioFormats.DEFAULT);
	}

	static ImagePlus open(Path file, BioFormats bioFormats) {
		byte[] head = head(file);
		String name = lowerName(file);
		if (DicomSeries.isManifest(file)) return DicomSeries.open(file);
		if (isDicom(head)) return openDicom(file, head, bioFormats);
		if (NiftiReader.claims(name, head)) return NiftiReader.read(file);
		if (name.endsWith(".img") && Files.exists(file.resolveSibling(file.getFileName().toString().replaceFirst("(?i)img$", "hdr"))))
			throw new ImageReadException(file, "NIfTI/Analyze .hdr/.img pairs are not supported; save it as a single .nii or .nii.gz file");
		String path = file.toAbsolutePath().toString();
		String format = magic(head);
		Integer openerType = format != null ? null : quietly(() -> new Opener().getFileType(path)).value();
		if (format != null || openerType != null && OTHER_OPENER_TYPES.contains(openerType)) {
			if (format != null) Completeness.check(file, format);
			ReaderOutput.Result<ImagePlus> read = quietly(() -> {
				Opener opener = new Opener();
				opener.setSilentMode(true);
				return opener.openImage(path);
			});
			if (hasPixels(read.value())) return read.value();
			ImagePlus bf = tryBioFormats(file, bioFormats);
			if (bf != null) return bf;
			// no magic number: ImageJ went by the name (.dcm, .fits, ...) and the content is something else
			if (format == null) throw unknownFormat(file, name);
			throw new ImageReadException(file, "file is truncated or corrupt" + detail(read), read.error());
		}
		ImagePlus imp = bioFormats(file, bioFormats);
		if (imp != null) return imp;
		throw unknownFormat(file, name);
	}

	private static ImageReadException unknownFormat(Path file, String name) {
		String claimed = FORMAT_OF_EXTENSION.get(extension(name));
		return new ImageReadException(file, claimed != null ? "not a " + claimed + " file (unknown or unsupported format)"
				: "unknown or unsupported format");
	}

	private static <T> ReaderOutput.Result<T> quietly(java.util.function.Supplier<T> read) {
		return ReaderOutput.call(read);
	}

	private static boolean hasPixels(ImagePlus imp) {
		return imp != null && imp.getWidth() > 0 && imp.getHeight() > 0 && imp.getStack() != null && imp.getStackSize() > 0
				&& imp.getProcessor() != null;
	}

	/** " (what the reader said)", without exception class names, or "" when it said nothing. */
	private static String detail(ReaderOutput.Result<?> read) {
		String said = read.error() != null && read.error().getMessage() != null ? read.error().getMessage() : ReaderOutput.firstLine(read.printed());
		// "Open Using ImageIO: javax.imageio.IIOException: Error reading PNG image data" → "Error reading PNG image data"
		said = said.replaceFirst("^(?:[^:]*:\\s*)?(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*:\\s*", "").strip();
		return said.isEmpty() ? "" : " (" + said + ")";
	}

	/** Bio-Formats' image with its own output kept, null when it is absent; its failure is thrown. */
	private static ImagePlus bioFormats(Path file, BioFormats bioFormats) {
		ReaderOutput.Result<ImagePlus> read = quietly(() -> bioFormats.open(file));
		if (read.error() != null) throw read.error();
		return read.value();
	}

	/** Bio-Formats' image, or null if it is absent or fails too (the caller then reports its own reason). */
	private static ImagePlus tryBioFormats(Path file, BioFormats bioFormats) {
		try {
			return bioFormats(file, bioFormats);
		} catch (ImageReadException e) {
			return null;
		}
	}

	/**
	 * DICOM: the header decides first (DicomHeader), so that what ImageJ cannot read is refused with the reason and
	 * what it would read wrongly (truncated pixel data, which it fills with black) is refused as truncated.
	 */
	private static ImagePlus openDicom(Path file, byte[] head, BioFormats bioFormats) {
		DicomHeader h = DicomHeader.read(file);
		if (h.isSegmentation())
			throw new ImageReadException(file, "DICOM-SEG: this file is a segmentation, not an image; import it with Import Labels (format dicom-seg)");
		String syntax = h.transferSyntax() != null ? h.transferSyntax() : transferSyntax(head);
		if (syntax != null && isCompressed(syntax) || h.hasPixelData() && h.encapsulated()) {
			ImagePlus imp = bioFormats(file, bioFormats);
			if (imp != null) return imp;
			throw new ImageReadException(file, "compressed DICOM (transfer syntax " + syntax
					+ ") is not supported by ImageJ; needs Bio-Formats (Fiji has it)");
		}
		if (!h.hasPixelData()) {
			ImagePlus bf = tryBioFormats(file, bioFormats);
			if (bf != null) return bf;
			throw new ImageReadException(file, "not a DICOM image ImageJ can read: it has no pixel data"
					+ (h.modality() == null || h.modality().isEmpty() ? "" : " (modality " + h.modality() + ")"));
		}
		if (h.pixelOffset() + h.pixelLength() > h.fileSize()) throw Completeness.truncated(file, h.fileSize(), h.pixelOffset() + h.pixelLength());
		if (h.bitsAllocated() == 1) {
			ImagePlus bf = tryBioFormats(file, bioFormats);
			if (bf != null) return bf;
			throw new ImageReadException(file, "1-bit DICOM pixels are not supported by ImageJ; needs Bio-Formats (Fiji has it)");
		}
		if (h.rows() > 0 && h.columns() > 0 && h.bitsAllocated() > 0 && h.pixelLength() < h.neededBytes())
			throw new ImageReadException(file, String.format(Locale.ROOT, "DICOM pixel data are incomplete: %,d bytes of the %,d that %d×%d×%d"
					+ " pixels of %d bits need", h.pixelLength(), h.neededBytes(), h.columns(), h.rows(), h.frames(), h.bitsAllocated()));
		ReaderOutput.Result<DICOM> read = quietly(() -> {
			DICOM dicom = new DICOM();
			dicom.open(file.toAbsolutePath().toString());
			return dicom;
		});
		if (hasPixels(read.value())) return read.value();
		ImagePlus bf = tryBioFormats(file, bioFormats);
		if (bf != null) return bf;
		throw new ImageReadException(file, "not a DICOM image ImageJ can read (corrupt)" + detail(read), read.error());
	}

	/**
	 * The plane an object found at channel {@code c}, slice {@code z}, frame {@code t} of the image lies on: 0 for each
	 * dimension the image does not have, so a plain 2D image gives {@link Plane#ALL}.
	 */
	public static Plane plane(ImagePlus imp, int c, int z, int t) {
		return new Plane(imp.getNChannels() > 1 ? c : 0, imp.getNSlices() > 1 ? z : 0, imp.getNFrames() > 1 ? t : 0);
	}

	/**
	 * The image's dimensions and bit depth. NIfTI headers are read alone; other files are opened.
	 *
	 * @throws ImageReadException as {@link #open(Path)}
	 */
	public static ImageMeta probe(Path file) {
		byte[] head = head(file);
		if (!isDicom(head) && NiftiReader.claims(lowerName(file), head)) return NiftiReader.probe(file);
		ImagePlus imp = open(file);
		return new ImageMeta(imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames(),
				imp.getBitDepth());
	}

	/**
	 * SHA-256 of the file's bytes as lower-case hex, read as a stream.
	 *
	 * @throws ImageReadException if the file cannot be read
	 */
	public static String sha256(Path file) {
		MessageDigest digest;
		try {
			digest = MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("The JDK has no SHA-256", e);
		}
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
			in.transferTo(OutputStream.nullOutputStream());
		} catch (NoSuchFileException e) {
			throw new ImageReadException(file, "file not found", e);
		} catch (IOException e) {
			throw new ImageReadException(file, e.toString(), e);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	/**
	 * Whether the file name says image: tif, tiff, png, jpg, jpeg, bmp, gif, dcm, nii, nii.gz (any case), or any name
	 * Bio-Formats recognises when it is present. The file is not opened; use it to filter folders.
	 */
	public static boolean looksLikeImage(Path file) {
		Path fileName = file.getFileName();
		if (fileName == null) return false;
		String name = fileName.toString().toLowerCase(Locale.ROOT);
		return EXTENSIONS.contains(extension(name)) || name.endsWith(".nii.gz") || BioFormats.DEFAULT.accepts(name);
	}

	private static String lowerName(Path file) {
		return file.getFileName().toString().toLowerCase(Locale.ROOT);
	}

	private static String extension(String name) {
		int dot = name.lastIndexOf('.');
		return dot < 0 ? "" : name.substring(dot + 1);
	}

	/** The first bytes of the file, after checking that it exists and is not empty. */
	private static byte[] head(Path file) {
		if (!Files.exists(file)) throw new ImageReadException(file, "file not found");
		if (!Files.isRegularFile(file)) throw new ImageReadException(file, "not a regular file");
		try (InputStream in = Files.newInputStream(file)) {
			byte[] head = in.readNBytes(HEAD_BYTES);
			if (head.length == 0) throw new ImageReadException(file, "file is empty");
			return head;
		} catch (IOException e) {
			throw new ImageReadException(file, e.toString(), e);
		}
	}

	/** The format ImageJ reads that the magic number says, or null. */
	private static String magic(byte[] h) {
		if (starts(h, 'I', 'I', 42, 0) || starts(h, 'M', 'M', 0, 42)) return "TIFF";
		if (starts(h, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) return "PNG";
		if (starts(h, 0xff, 0xd8, 0xff)) return "JPEG";
		if (starts(h, 'G', 'I', 'F', '8')) return "GIF";
		if (starts(h, 'B', 'M')) return "BMP";
		return null;
	}

	private static boolean starts(byte[] h, int... bytes) {
		if (h.length < bytes.length) return false;
		for (int i = 0; i < bytes.length; i++)
			if ((h[i] & 0xff) != bytes[i]) return false;
		return true;
	}

	private static boolean isDicom(byte[] h) {
		return h.length >= 132 && new String(h, 128, 4, StandardCharsets.US_ASCII).equals("DICM");
	}

	/** JPEG family (…1.2.4.x), RLE (…1.2.5) and deflate (…1.2.1.99): ImageJ reads none of them. */
	static boolean isCompressed(String transferSyntax) {
		return transferSyntax.startsWith("1.2.840.10008.1.2.4.") || transferSyntax.equals("1.2.840.10008.1.2.5")
				|| transferSyntax.equals("1.2.840.10008.1.2.1.99");
	}

	/** Transfer Syntax UID (0002,0010) from the file meta group, which is always explicit VR little endian. */
	static String transferSyntax(byte[] h) {
		ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
		int p = 132;
		while (p + 8 <= h.length && b.getShort(p) == 0x0002) {
			int element = b.getShort(p + 2) & 0xffff;
			String vr = new String(h, p + 4, 2, StandardCharsets.US_ASCII);
			boolean longForm = Arrays.asList("OB", "OW", "OF", "SQ", "UT", "UN").contains(vr);
			if (longForm && p + 12 > h.length) return null;
			long length = longForm ? b.getInt(p + 8) & 0xffffffffL : b.getShort(p + 6) & 0xffff;
			int start = p + (longForm ? 12 : 8);
			if (start + length > h.length) return null;
			if (element == 0x0010) return new String(h, start, (int) length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
			p = (int) (start + length);
		}
		return null;
	}
}
