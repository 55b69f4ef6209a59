package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labelloop.TestData;
import org.labelloop.testing.UnusualImages;
import org.labelloop.testing.TestDicom;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

/**
 * Import that tells the truth: every reader path refuses a truncated, empty or mislabelled file with the reason (how
 * much of the pixel data is there), prints nothing of its own on stdout or stderr while doing so, names what would read
 * a valid file it cannot (Bio-Formats, or "import it as labels" for a DICOM-SEG), and still opens unusual but valid
 * files. Broken files are made here from the good ones in test-data.
 */
class ImageCompletenessTest {

	@TempDir
	Path dir;
	private final Map<String, Path> good = new LinkedHashMap<>();

	/** The good files of every format, from test-data or written here from test-data's cell.png by ImageJ and ImageIO. */
	@BeforeEach
	void goodFiles() throws IOException {
		ImagePlus cell = Images.open(TestData.path("microscopy/cell.png"));
		good.put("png", TestData.path("microscopy/cell.png"));
		good.put("jpg", save(cell, "cell.jpg"));
		good.put("tif", save(cell, "cell.tif"));
		good.put("lzw.tif", UnusualImages.imageIo(cell, "tiff", "LZW", dir.resolve("cell-lzw.tif")));
		good.put("gif", save(cell, "cell.gif"));
		good.put("bmp", save(cell, "cell.bmp"));
		good.put("dcm", TestData.path("dicom/CT_small.dcm"));
		good.put("implicit.dcm", TestData.path("dicom/MR_small_implicit.dcm"));
		good.put("nii", TestData.path("mri/ch2_crop.nii"));
		good.put("nii.gz", TestData.path("mri/ch2_crop.nii.gz"));
	}

	private Path save(ImagePlus imp, String name) {
		Path f = dir.resolve(name);
		FileSaver s = new FileSaver(imp);
		boolean ok = switch (name.substring(name.lastIndexOf('.') + 1)) {
			case "jpg" -> s.saveAsJpeg(f.toString());
			case "tif" -> s.saveAsTiff(f.toString());
			case "gif" -> s.saveAsGif(f.toString());
			default -> s.saveAsBmp(f.toString());
		};
		assertTrue(ok, name);
		return f;
	}

	private Path copy(String key, String name, int length) throws IOException {
		byte[] b = Files.readAllBytes(good.get(key));
		return Files.write(dir.resolve(name), Arrays.copyOf(b, length));
	}

	/** The reason Images.open and Images.probe give, checking that neither printed anything meanwhile. */
	private static String refused(Path file) {
		String reason = null;
		for (Executable call : new Executable[] { () -> Images.open(file), () -> Images.probe(file) }) {
			PrintStream out = System.out, err = System.err;
			ByteArrayOutputStream printed = new ByteArrayOutputStream();
			PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
			System.setOut(capture);
			System.setErr(capture);
			ImageReadException e;
			try {
				e = assertThrows(ImageReadException.class, call, file.toString());
			} finally {
				System.setOut(out);
				System.setErr(err);
			}
			assertEquals("", printed.toString(StandardCharsets.UTF_8), "reading " + file + " printed its own text");
			assertEquals(file, e.file());
			String prefix = "Cannot read image " + file + ": ";
			assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
			String r = e.getMessage().substring(prefix.length());
			if (reason != null) assertEquals(reason, r, "open and probe give the same reason");
			reason = r;
		}
		return reason;
	}

	@ParameterizedTest
	@ValueSource(strings = { "png", "jpg", "tif", "lzw.tif", "gif", "bmp", "dcm", "implicit.dcm", "nii", "nii.gz" })
	void everyFormatRefusesATruncatedCopyAndOpensTheWholeFile(String key) throws IOException {
		long size = Files.size(good.get(key));
		ImageMeta whole = Images.probe(good.get(key));
		assertTrue(whole.width() > 0);
		for (long cut : new long[] { size / 2, size - 1 }) {
			if (key.equals("dcm") && cut == size - 1) continue; // CT_small has 138 bytes after its pixel data
			Path t = copy(key, "cut-" + cut + "." + key, (int) cut);
			String reason = refused(t);
			assertTrue(reason.startsWith("file is truncated"), key + " cut at " + cut + ": " + reason);
		}
	}

	@Test
	void theReasonSaysHowMuchOfThePixelDataIsThere() throws IOException {
		// CT_small: 128×128 16-bit pixels (32,768 bytes) from byte 6,300
		assertEquals("file is truncated: pixel data ends at byte 19,603 of the 39,068 expected", refused(copy("dcm", "ct.dcm", 19603)));
		assertEquals("file is truncated: pixel data ends at byte 10,928 of the 21,856 expected", refused(copy("nii", "ch2.nii", 10928)));
		assertEquals("file is truncated: pixel data ends at byte 363,159 of the 363,160 expected",
				refused(copy("tif", "cell.tif", (int) Files.size(good.get("tif")) - 1)));
		assertEquals("file is truncated: pixel data ends at byte 365,397 of the 365,398 expected",
				refused(copy("bmp", "cell.bmp", (int) Files.size(good.get("bmp")) - 1)));
		String gz = refused(copy("nii.gz", "ch2.nii.gz", 7695));
		assertTrue(gz.matches("file is truncated: pixel data ends at byte [0-9,]+ of the 21,856 expected \\(decompressed\\)"), gz);
		assertEquals("file is truncated: the JPEG data stop at byte 5,000, before their end-of-image marker", refused(copy("jpg", "c.jpg", 5000)));
		assertEquals("file is truncated: the GIF data stop at byte 5,000, before their trailer", refused(copy("gif", "c.gif", 5000)));
		String png = refused(copy("png", "c.png", 37084));
		assertTrue(png.matches("file is truncated: pixel data ends at byte 37,084 of the [0-9,]+ expected"), png);
	}

	@ParameterizedTest
	@ValueSource(strings = { "png", "jpg", "tif", "gif", "bmp", "dcm", "nii", "nii.gz" })
	void anEmptyFileIsRefused(String ext) throws IOException {
		assertEquals("file is empty", refused(Files.write(dir.resolve("empty." + ext), new byte[0])));
	}

	@Test
	void theContentDecidesNotTheExtension() throws IOException {
		assertEquals("not a JPEG file (unknown or unsupported format)", refused(Files.writeString(dir.resolve("notes.jpg"), "just text, no image")));
		assertEquals("not a DICOM file (unknown or unsupported format)", refused(Files.writeString(dir.resolve("notes.dcm"), "just text, no image")));
		// a good PNG named .jpg, a DICOM named .png, a JPEG named .tif: read for what they are
		Path png = Files.copy(good.get("png"), dir.resolve("really-png.jpg"));
		assertEquals(new ImageMeta(550, 660, 1, 1, 1, 8), Images.probe(png));
		Path dcm = Files.copy(good.get("dcm"), dir.resolve("really-dicom.png"));
		assertEquals(new ImageMeta(128, 128, 1, 1, 1, 16), Images.probe(dcm));
		Path jpg = Files.copy(good.get("jpg"), dir.resolve("really-jpeg.tif"));
		assertEquals(550, Images.open(jpg).getWidth());
		// and a truncated one under a wrong name is still refused for what it is
		Path cut = Files.write(dir.resolve("cut-png.tif"), Arrays.copyOf(Files.readAllBytes(good.get("png")), 1000));
		assertTrue(refused(cut).startsWith("file is truncated: pixel data ends at byte 1,000 of the"), refused(cut));
	}

	@Test
	void unusualButValidFilesAreRead() throws IOException {
		ImagePlus cell = Images.open(good.get("png"));
		// progressive JPEG: several scans before the end-of-image marker
		Path progressive = UnusualImages.imageIo(cell, "jpeg", null, dir.resolve("progressive.jpg"));
		assertEquals(new ImageMeta(550, 660, 1, 1, 1, 8), Images.probe(progressive));
		// bytes after the JPEG's end-of-image marker and after the PNG's IEND chunk (as some cameras and tools write)
		Path jpgTail = Files.write(dir.resolve("tail.jpg"), concat(Files.readAllBytes(good.get("jpg")), new byte[100]));
		assertEquals(550, Images.open(jpgTail).getWidth());
		Path pngTail = Files.write(dir.resolve("tail.png"), concat(Files.readAllBytes(good.get("png")), "trailing".getBytes(StandardCharsets.US_ASCII)));
		assertEquals(71, Images.open(pngTail).getProcessor().get(0, 0));
		// 16-bit PNG, deflate-compressed TIFF, a TIFF stack
		ShortProcessor sp = new ShortProcessor(40, 30);
		sp.set(3, 4, 60000);
		Path png16 = dir.resolve("deep.png");
		assertTrue(new FileSaver(new ImagePlus("deep", sp)).saveAsPng(png16.toString()));
		ImagePlus deep = Images.open(png16);
		assertEquals(16, deep.getBitDepth());
		assertEquals(60000, deep.getProcessor().get(3, 4));
		Path deflate = UnusualImages.imageIo(cell, "tiff", "Deflate", dir.resolve("deflate.tif"));
		assertEquals(Images.open(good.get("png")).getProcessor().get(100, 200), Images.open(deflate).getProcessor().get(100, 200));
		ij.ImageStack stack = new ij.ImageStack(20, 10);
		for (int i = 0; i < 3; i++) stack.addSlice(new ij.process.ByteProcessor(20, 10));
		Path tifStack = dir.resolve("stack.tif");
		assertTrue(new FileSaver(new ImagePlus("s", stack)).saveAsTiffStack(tifStack.toString()));
		assertEquals(new ImageMeta(20, 10, 1, 3, 1, 8), Images.probe(tifStack));
		assertTrue(refused(Files.write(dir.resolve("stack-cut.tif"), Arrays.copyOf(Files.readAllBytes(tifStack), (int) Files.size(tifStack) / 2)))
				.startsWith("file is truncated"));
		// .nii.gz with bytes after the voxels
		Path niiTail = dir.resolve("tail.nii.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(niiTail))) {
			out.write(Files.readAllBytes(good.get("nii")));
			out.write(new byte[64]);
		}
		assertEquals(new ImageMeta(48, 56, 1, 8, 1, 8), Images.probe(niiTail));
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] c = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}

	private static final String EXPLICIT_LE = TestDicom.EXPLICIT_LE, MR = TestDicom.MR;

	@Test
	void aDicomSegmentationIsRefusedAsLabels() throws IOException {
		// 1-bit, 3 frames of 16×16: how DICOM-SEG stores its masks
		byte[] masks = new byte[16 * 16 * 3 / 8];
		masks[5] = (byte) 0xff;
		Path seg = Files.write(dir.resolve("seg.dcm"), TestDicom.dicom(EXPLICIT_LE, TestDicom.image(DicomHeader.SEGMENTATION_STORAGE, "SEG", 16, 16, 3, 1, masks)));
		assertEquals("DICOM-SEG: this file is a segmentation, not an image; import it with Import Labels (format dicom-seg)", refused(seg));
		// a 1-bit multi-frame file that is not a SEG: ImageJ cannot read it, Bio-Formats can
		Path bits = Files.write(dir.resolve("bits.dcm"), TestDicom.dicom(EXPLICIT_LE, TestDicom.image(MR, "MR", 16, 16, 3, 1, masks)));
		assertEquals("1-bit DICOM pixels are not supported by ImageJ; needs Bio-Formats (Fiji has it)", refused(bits));
		assertEquals(3, Images.open(bits, new BioFormats(FakeBioFormats.CLASS, FakeBioFormats.CLASS)).getWidth());
	}

	@Test
	void dicomPixelDataCutShortOrTooSmallIsRefused() throws IOException {
		byte[] pixels = new byte[8 * 6 * 2 * 2];
		byte[] whole = TestDicom.dicom(EXPLICIT_LE, TestDicom.image(MR, "MR", 6, 8, 2, 16, pixels));
		Path ok = Files.write(dir.resolve("two-frames.dcm"), whole);
		assertEquals(new ImageMeta(8, 6, 1, 2, 1, 16), Images.probe(ok), "a multi-frame DICOM is a stack");
		Path cut = Files.write(dir.resolve("cut.dcm"), Arrays.copyOf(whole, whole.length - 10));
		assertEquals(String.format("file is truncated: pixel data ends at byte %,d of the %,d expected", whole.length - 10, whole.length), refused(cut));
		// the element is whole but holds one frame of the two the header promises
		Path small = Files.write(dir.resolve("small.dcm"), TestDicom.dicom(EXPLICIT_LE, TestDicom.image(MR, "MR", 6, 8, 2, 16, new byte[8 * 6 * 2])));
		assertEquals("DICOM pixel data are incomplete: 96 bytes of the 192 that 8×6×2 pixels of 16 bits need", refused(small));
		// cut inside the header
		assertTrue(refused(Files.write(dir.resolve("head.dcm"), Arrays.copyOf(whole, 190))).startsWith("file is truncated: the DICOM header ends at byte 190"));
	}

	@Test
	void dicomValuesInsideSequencesAreNotTheImagesOwn() throws IOException {
		// an undefined-length sequence whose item has its own Rows (as SEG and enhanced objects nest per-frame values)
		Path f = Files.write(dir.resolve("nested.dcm"), UnusualImages.nestedDicom());
		DicomHeader h = DicomHeader.read(f);
		assertEquals(4, h.rows());
		assertEquals(5, h.columns());
		ImagePlus imp = Images.open(f);
		assertEquals(5, imp.getWidth());
		assertEquals(4, imp.getHeight());
	}

	@Test
	void nothingLeaksWhileImageJFailsOnAWholeButCorruptFile() throws IOException {
		// a complete PNG whose compressed pixel data are garbage: ImageIO throws "Error reading PNG image data" and
		// ImageJ prints its stack trace; LabelLoop says it in one line
		byte[] png = Files.readAllBytes(good.get("png"));
		for (int i = 200; i < 2000; i++) png[i] = (byte) (i * 31);
		String reason = refused(Files.write(dir.resolve("garbage.png"), png));
		assertEquals("file is truncated or corrupt (Error reading PNG image data)", reason);
	}
}
