package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.labelloop.TestData;
import org.labelloop.core.model.LabelLoopException;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;

class ImagesTest {

	/** Every image in test-data (bad/ aside) with what ImageJ reports: width, height, channels, slices, frames, bits. */
	private static final Map<String, ImageMeta> EXPECTED = new TreeMap<>();
	static {
		EXPECTED.put("microscopy/cell.png", new ImageMeta(550, 660, 1, 1, 1, 8));
		EXPECTED.put("microscopy/coins.png", new ImageMeta(384, 303, 1, 1, 1, 8));
		EXPECTED.put("microscopy/ihc.png", new ImageMeta(512, 512, 1, 1, 1, 24));
		for (String z : List.of("090", "100", "110")) {
			EXPECTED.put("mri/ch2_axial_z" + z + ".png", new ImageMeta(181, 217, 1, 1, 1, 8));
			EXPECTED.put("mri/aal_axial_z" + z + ".png", new ImageMeta(181, 217, 1, 1, 1, 8));
		}
		for (String nii : List.of("mri/ch2_crop.nii", "mri/ch2_crop.nii.gz", "mri/aal_crop.nii.gz"))
			EXPECTED.put(nii, new ImageMeta(48, 56, 1, 8, 1, 8));
		EXPECTED.put("dicom/CT_small.dcm", new ImageMeta(128, 128, 1, 1, 1, 16));
		EXPECTED.put("dicom/MR_small.dcm", new ImageMeta(64, 64, 1, 1, 1, 16));
		EXPECTED.put("dicom/MR_small_implicit.dcm", new ImageMeta(64, 64, 1, 1, 1, 16));
	}
	private static final Set<String> NOT_IMAGES = Set.of("README.md", "make_test_data.py", "mri/aal_labels.txt", "fashion/labels.csv",
			"dicom/MR_small_seg.dcm"); // labels: DicomSegFormatTest

	private static ImageMeta meta(ImagePlus imp) {
		return new ImageMeta(imp.getWidth(), imp.getHeight(), imp.getNChannels(), imp.getNSlices(), imp.getNFrames(), imp.getBitDepth());
	}

	private static String rel(Path p) {
		return TestData.path("").relativize(p).toString().replace('\\', '/');
	}

	@Test
	void opensAndProbesEveryGoodFileInTestData() throws IOException {
		Set<String> seen = new HashSet<>();
		int fashion = 0;
		try (Stream<Path> files = Files.walk(TestData.path(""))) {
			for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
				String rel = rel(f);
				if (rel.startsWith("bad/") || NOT_IMAGES.contains(rel)) continue;
				ImageMeta want = rel.startsWith("fashion/") ? new ImageMeta(28, 28, 1, 1, 1, 8) : EXPECTED.get(rel);
				if (rel.startsWith("fashion/")) fashion++;
				assertTrue(want != null, "test-data has an image this test does not know: " + rel);
				assertTrue(Images.looksLikeImage(f), rel);
				assertEquals(want, meta(Images.open(f)), rel);
				assertEquals(want, Images.probe(f), rel);
				seen.add(rel);
			}
		}
		assertEquals(20, fashion);
		assertTrue(seen.containsAll(EXPECTED.keySet()), "missing from test-data: " + EXPECTED.keySet());
	}

	@Test
	void dicomIsReadAsDicomDespiteItsTiffPreamble() {
		ImagePlus ct = Images.open(TestData.path("dicom/CT_small.dcm"));
		Calibration cal = ct.getCalibration();
		assertEquals("mm", cal.getUnit());
		assertEquals(0.661468, cal.pixelWidth, 1e-6);
		// signed 16-bit with RescaleIntercept -1024: ImageJ calibrates, so the value is the file's in HU
		assertEquals(-849, ct.getProcessor().getPixelValue(0, 0), 1e-6);
		ImagePlus explicit = Images.open(TestData.path("dicom/MR_small.dcm"));
		ImagePlus implicit = Images.open(TestData.path("dicom/MR_small_implicit.dcm"));
		assertArrayEquals((short[]) explicit.getProcessor().getPixels(), (short[]) implicit.getProcessor().getPixels());
		assertEquals(0.3125, explicit.getCalibration().pixelWidth, 1e-9);
	}

	@Test
	void readsTheTransferSyntaxFromTheDicomMetaGroup() throws IOException {
		assertEquals("1.2.840.10008.1.2.1", Images.transferSyntax(Files.readAllBytes(TestData.path("dicom/CT_small.dcm"))));
		assertEquals("1.2.840.10008.1.2", Images.transferSyntax(Files.readAllBytes(TestData.path("dicom/MR_small_implicit.dcm"))));
		assertTrue(Images.isCompressed("1.2.840.10008.1.2.4.50"));
		assertTrue(Images.isCompressed("1.2.840.10008.1.2.5"));
		assertFalse(Images.isCompressed("1.2.840.10008.1.2.1"));
	}

	@ParameterizedTest
	@CsvSource({ "bad/empty.png, file is empty", "bad/truncated.png, 'file is truncated: pixel data ends at byte 300 of the 65,593 expected'",
			"bad/not_an_image.tif, not a TIFF file", "bad/corrupt.nii.gz, not a NIfTI-1 file (header size 123456, expected 348)",
			"bad/missing.png, file not found" })
	void badFilesNameTheFileAndTheReason(String file, String reason) {
		Path path = TestData.path(file);
		for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> Images.open(path), () -> Images.probe(path))) {
			ImageReadException e = assertThrows(ImageReadException.class, call);
			assertTrue(e.getMessage().startsWith("Cannot read image " + path + ": " + reason), e.getMessage());
			assertEquals(path, e.file());
			assertTrue(e instanceof LabelLoopException);
		}
	}

	@Test
	void aFolderIsNotAnImage() {
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(TestData.path("mri")));
		assertTrue(e.getMessage().endsWith("not a regular file"), e.getMessage());
	}

	@Test
	void unknownContentIsRefusedWithoutBioFormatsAndOpenedWithIt(@TempDir Path dir) throws IOException {
		Path czi = dir.resolve("scan.czi");
		Files.write(czi, "ZISRAWFILE and more bytes".getBytes(StandardCharsets.US_ASCII));
		BioFormats absent = new BioFormats("no.such.BF", "no.such.Reader");
		assertFalse(absent.available());
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(czi, absent));
		assertEquals("Cannot read image " + czi + ": unknown or unsupported format", e.getMessage());

		BioFormats fake = new BioFormats(FakeBioFormats.CLASS, FakeBioFormats.CLASS);
		assertTrue(fake.available());
		assertEquals(czi.toAbsolutePath().toString(), Images.open(czi, fake).getTitle());
		assertTrue(fake.accepts("scan.czi"));
		assertFalse(fake.accepts("notes.txt"));
		assertFalse(absent.accepts("scan.czi"));

		Path failing = dir.resolve("fail.czi");
		Files.write(failing, new byte[] { 1, 2, 3 });
		e = assertThrows(ImageReadException.class, () -> Images.open(failing, fake));
		assertEquals("Cannot read image " + failing + ": Bio-Formats could not read it (fake failure)", e.getMessage());
	}

	/** A minimal DICOM file: preamble, DICM, and a meta group whose only element is the transfer syntax. */
	private static byte[] dicom(String transferSyntax) {
		byte[] uid = (transferSyntax.length() % 2 == 0 ? transferSyntax : transferSyntax + "\0").getBytes(StandardCharsets.US_ASCII);
		ByteBuffer b = ByteBuffer.allocate(132 + 8 + uid.length + 64).order(ByteOrder.LITTLE_ENDIAN);
		b.position(128);
		b.put("DICM".getBytes(StandardCharsets.US_ASCII));
		b.putShort((short) 2).putShort((short) 0x10).put("UI".getBytes(StandardCharsets.US_ASCII)).putShort((short) uid.length).put(uid);
		return b.array();
	}

	@Test
	void compressedDicomNeedsBioFormats(@TempDir Path dir) throws IOException {
		Path jpeg = dir.resolve("jpeg.dcm");
		Files.write(jpeg, dicom("1.2.840.10008.1.2.4.50"));
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(jpeg, new BioFormats("no.BF", "no.Reader")));
		assertEquals("Cannot read image " + jpeg + ": compressed DICOM (transfer syntax 1.2.840.10008.1.2.4.50) is not supported by"
				+ " ImageJ; needs Bio-Formats (Fiji has it)", e.getMessage());
		// the real default has no Bio-Formats on the test class path either
		assertThrows(ImageReadException.class, () -> Images.open(jpeg));
		assertEquals(3, Images.open(jpeg, new BioFormats(FakeBioFormats.CLASS, FakeBioFormats.CLASS)).getWidth());
	}

	@Test
	void uncompressedDicomWithoutPixelsIsReported(@TempDir Path dir) throws IOException {
		Path empty = dir.resolve("nopixels.dcm");
		Files.write(empty, dicom("1.2.840.10008.1.2.1"));
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(empty));
		assertTrue(e.getMessage().contains(": not a DICOM image ImageJ can read"), e.getMessage());
	}

	@Test
	void opensWhatImageJWrites(@TempDir Path dir) {
		ImageStack stack = new ImageStack(5, 4);
		for (int i = 0; i < 2 * 3 * 4; i++) {
			ByteProcessor p = new ByteProcessor(5, 4);
			p.set(1, 2, i);
			stack.addSlice(p);
		}
		ImagePlus hyper = new ImagePlus("h", stack);
		hyper.setDimensions(2, 3, 4);
		Path tif = dir.resolve("hyper.tif");
		assertTrue(new FileSaver(hyper).saveAsTiff(tif.toString()));
		assertEquals(new ImageMeta(5, 4, 2, 3, 4, 8), Images.probe(tif));
		ImagePlus back = Images.open(tif);
		assertEquals(17, back.getStack().getProcessor(18).get(1, 2));

		ImagePlus gray = new ImagePlus("g", new ByteProcessor(7, 6));
		gray.getProcessor().set(3, 3, 200);
		for (String ext : List.of("png", "gif", "bmp", "jpg")) {
			Path f = dir.resolve("gray." + ext);
			FileSaver saver = new FileSaver(gray);
			assertTrue(switch (ext) {
				case "png" -> saver.saveAsPng(f.toString());
				case "gif" -> saver.saveAsGif(f.toString());
				case "bmp" -> saver.saveAsBmp(f.toString());
				default -> saver.saveAsJpeg(f.toString());
			}, ext);
			ImagePlus imp = Images.open(f);
			assertEquals(7, imp.getWidth(), ext);
			assertEquals(6, imp.getHeight(), ext);
			if (!ext.equals("jpg")) assertEquals(200, imp.getProcessor().getPixelValue(3, 3), 1e-9, ext);
		}
		ImagePlus rgb = Images.open(TestData.path("microscopy/ihc.png"));
		assertEquals(ImagePlus.COLOR_RGB, rgb.getType());
	}

	@Test
	void wrongExtensionIsJudgedByContent(@TempDir Path dir) throws IOException {
		Path pngNamedTif = dir.resolve("really_png.tif");
		Files.copy(TestData.path("fashion/0000_ankle_boot.png"), pngNamedTif);
		assertEquals(new ImageMeta(28, 28, 1, 1, 1, 8), Images.probe(pngNamedTif));
		Path textNamedPng = dir.resolve("text.png");
		Files.writeString(textNamedPng, "hello");
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(textNamedPng));
		assertTrue(e.getMessage().endsWith(": not a PNG file (unknown or unsupported format)"), e.getMessage());
	}

	@Test
	void sha256IsTheHexDigestOfTheBytes(@TempDir Path dir) throws IOException {
		assertEquals("8d23a7fb81f7cc877cd09f330357fc7f595651306e84e17252f6e0a1b3f61515", Images.sha256(TestData.path("microscopy/cell.png")));
		Path empty = dir.resolve("e");
		Files.write(empty, new byte[0]);
		assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Images.sha256(empty));
		Path missing = dir.resolve("missing.png");
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.sha256(missing));
		assertEquals("Cannot read image " + missing + ": file not found", e.getMessage());
	}

	@Test
	void looksLikeImageGoesByExtension() {
		for (String yes : List.of("a.tif", "a.TIFF", "b.png", "c.jpg", "c.JPEG", "d.bmp", "e.gif", "f.dcm", "g.nii", "h.NII.GZ"))
			assertTrue(Images.looksLikeImage(Path.of("dir", yes)), yes);
		for (String no : List.of("a.txt", "labels.csv", "a.gz", "README", "x.roi", "notes.tif.txt"))
			assertFalse(Images.looksLikeImage(Path.of("dir", no)), no);
		assertFalse(Images.looksLikeImage(Path.of("/")));
	}

	@Test
	void openReturnsAnImageWithPixels() {
		ImagePlus cell = Images.open(TestData.path("microscopy/cell.png"));
		ImageProcessor ip = cell.getProcessor();
		assertSame(byte[].class, ip.getPixels().getClass());
		assertEquals(71, ip.get(0, 0));
		// reading must not depend on the working directory: relative and absolute paths give the same image
		assertEquals(meta(cell), meta(Images.open(TestData.path("microscopy/cell.png").toAbsolutePath())));
	}
}
