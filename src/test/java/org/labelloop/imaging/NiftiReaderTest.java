package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.labelloop.TestData;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ImageProcessor;

class NiftiReaderTest {

	@TempDir
	Path dir;

	@Test
	void compressedAndPlainCropsAreTheSameVolume() {
		ImagePlus gz = Images.open(TestData.path("mri/ch2_crop.nii.gz"));
		ImagePlus nii = Images.open(TestData.path("mri/ch2_crop.nii"));
		assertEquals(48, gz.getWidth());
		assertEquals(56, gz.getHeight());
		assertEquals(8, gz.getNSlices());
		assertEquals(8, gz.getBitDepth());
		for (int s = 1; s <= 8; s++)
			assertArrayEquals((byte[]) nii.getStack().getPixels(s), (byte[]) gz.getStack().getPixels(s), "slice " + s);
		Calibration cal = gz.getCalibration();
		assertEquals("mm", cal.getUnit());
		assertEquals(1, cal.pixelWidth);
		assertEquals(1, cal.pixelHeight);
		assertEquals(1, cal.pixelDepth);
	}

	/**
	 * The crop holds voxels i 66..113, j 80..135, k 86..93 of the source; source slice k = 90 is crop index 4 (0-based),
	 * i.e. ImageJ slice 5. The ch2 PNG is scaled 0..254 → 0..255 (numpy rint); the AAL PNG keeps the values.
	 */
	@Test
	void cropSliceIndex4IsTheZ090PngOverTheCropRegion() {
		ImageProcessor ch2Png = Images.open(TestData.path("mri/ch2_axial_z090.png")).getProcessor();
		ImageStack ch2 = Images.open(TestData.path("mri/ch2_crop.nii.gz")).getStack();
		ImageProcessor aalPng = Images.open(TestData.path("mri/aal_axial_z090.png")).getProcessor();
		ImageStack aal = Images.open(TestData.path("mri/aal_crop.nii.gz")).getStack();
		for (int slice = 1; slice <= 8; slice++) {
			int ch2Diff = 0, aalDiff = 0;
			for (int y = 0; y < 56; y++)
				for (int x = 0; x < 48; x++) {
					if ((int) Math.rint(ch2.getProcessor(slice).get(x, y) * 255.0 / 254) != ch2Png.get(66 + x, 80 + y)) ch2Diff++;
					if (aal.getProcessor(slice).get(x, y) != aalPng.get(66 + x, 80 + y)) aalDiff++;
				}
			if (slice == 5) {
				assertEquals(0, ch2Diff, "ch2 crop slice 5 vs z090");
				assertEquals(0, aalDiff, "aal crop slice 5 vs z090");
			} else {
				assertTrue(ch2Diff > 100, "ch2 crop slice " + slice + " should differ from z090, " + ch2Diff + " pixels do");
			}
		}
	}

	enum Type {
		UINT8(2, 1, 8), INT16(4, 2, 16), UINT16(512, 2, 16), INT32(8, 4, 32), FLOAT32(16, 4, 32), FLOAT64(64, 8, 32);

		final int code, bytes, bitDepth;

		Type(int code, int bytes, int bitDepth) {
			this.code = code;
			this.bytes = bytes;
			this.bitDepth = bitDepth;
		}
	}

	/** A NIfTI-1 header with the fields the reader uses, followed by the 4 extension bytes. */
	private static ByteBuffer header(ByteOrder order, Type type, short[] dim, float slope, float inter) {
		ByteBuffer b = ByteBuffer.allocate(352).order(order);
		b.putInt(0, 348);
		for (int i = 0; i < dim.length; i++) b.putShort(40 + 2 * i, dim[i]);
		b.putShort(70, (short) type.code).putShort(72, (short) (8 * type.bytes));
		float[] pixdim = { 1, 0.5f, 0.75f, 2.5f, 1.5f };
		for (int i = 0; i < pixdim.length; i++) b.putFloat(76 + 4 * i, pixdim[i]);
		b.putFloat(108, 352).putFloat(112, slope).putFloat(116, inter);
		b.put(123, (byte) (2 | 8)); // mm, seconds
		b.put(344, "n+1\0".getBytes(StandardCharsets.US_ASCII));
		return b;
	}

	/** Voxel value v = x + 10 y + 100 z + 1000 t - 50 (negative where the type allows), x fastest. */
	private Path write(String name, ByteOrder order, Type type, int nx, int ny, int nz, int nt, float slope, float inter)
			throws IOException {
		short[] dim = { (short) (nt > 1 ? 4 : 3), (short) nx, (short) ny, (short) nz, (short) nt, 1, 1, 1 };
		ByteBuffer data = ByteBuffer.allocate(nx * ny * nz * nt * type.bytes).order(order);
		for (int t = 0; t < nt; t++)
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++) {
						int v = value(type, x, y, z, t);
						switch (type) {
							case UINT8 -> data.put((byte) v);
							case INT16, UINT16 -> data.putShort((short) v);
							case INT32 -> data.putInt(v);
							case FLOAT32 -> data.putFloat(v + 0.25f);
							case FLOAT64 -> data.putDouble(v + 0.25);
						}
					}
		Path file = dir.resolve(name);
		try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
			out.write(header(order, type, dim, slope, inter).array());
			out.write(data.array());
		}
		return file;
	}

	private static int value(Type type, int x, int y, int z, int t) {
		int v = x + 10 * y + 100 * z + 1000 * t;
		return type == Type.UINT8 ? v % 256 : type == Type.UINT16 ? v : v - 50;
	}

	@ParameterizedTest
	@EnumSource(Type.class)
	void readsEachDatatypeInBothByteOrders(Type type) throws IOException {
		for (ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
			String what = type + " " + order;
			Path file = write(type + "_" + order + ".nii.gz", order, type, 4, 3, 2, 2, 1, 0);
			assertEquals(new ImageMeta(4, 3, 1, 2, 2, type.bitDepth), Images.probe(file), what);
			ImagePlus imp = Images.open(file);
			assertEquals(type.bitDepth, imp.getBitDepth(), what);
			assertEquals(2, imp.getNSlices(), what);
			assertEquals(2, imp.getNFrames(), what);
			assertTrue(imp.isHyperStack(), what);
			double frac = type == Type.FLOAT32 || type == Type.FLOAT64 ? 0.25 : 0;
			for (int t = 0; t < 2; t++)
				for (int z = 0; z < 2; z++) {
					ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(1, z + 1, t + 1));
					ip.setCalibrationTable(imp.getCalibration().getCTable());
					for (int y = 0; y < 3; y++)
						for (int x = 0; x < 4; x++)
							assertEquals(value(type, x, y, z, t) + frac, ip.getPixelValue(x, y), 1e-9, what + " at " + x + "," + y + "," + z + "," + t);
				}
			Calibration cal = imp.getCalibration();
			assertEquals(0.5, cal.pixelWidth, 1e-9, what);
			assertEquals(0.75, cal.pixelHeight, 1e-9, what);
			assertEquals(2.5, cal.pixelDepth, 1e-9, what);
			assertEquals(1.5, cal.frameInterval, 1e-9, what);
			assertEquals("mm", cal.getUnit(), what);
			assertEquals(type == Type.INT16, cal.isSigned16Bit(), what);
		}
	}

	@Test
	void int16IsStoredWithTheOffsetImageJUsesForSignedData() throws IOException {
		ImagePlus imp = Images.open(write("s.nii", ByteOrder.LITTLE_ENDIAN, Type.INT16, 4, 3, 1, 1, 1, 0));
		assertEquals(-50 + 32768, imp.getProcessor().get(0, 0));
		assertEquals(-50, imp.getProcessor().getPixelValue(0, 0), 1e-9);
	}

	@Test
	void sclSlopeAndInterceptGiveFloatValues() throws IOException {
		Path file = write("scaled.nii", ByteOrder.BIG_ENDIAN, Type.INT16, 4, 3, 2, 1, 0.5f, 10);
		assertEquals(32, Images.probe(file).bitDepth());
		ImagePlus imp = Images.open(file);
		assertEquals(32, imp.getBitDepth());
		assertEquals((2 + 10 * 1 + 100 - 50) * 0.5 + 10, imp.getStack().getProcessor(2).getf(2, 1), 1e-6);
		// an intercept alone scales too; slope 0 means "no scaling"
		assertEquals(32, Images.open(write("inter.nii", ByteOrder.LITTLE_ENDIAN, Type.UINT8, 2, 2, 1, 1, 1, 5)).getBitDepth());
		assertEquals(8, Images.open(write("zero.nii", ByteOrder.LITTLE_ENDIAN, Type.UINT8, 2, 2, 1, 1, 0, 5)).getBitDepth());
	}

	private void assertRefused(Path file, String reason) {
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(file));
		assertEquals("Cannot read image " + file + ": " + reason, e.getMessage());
		assertEquals(reason, assertThrows(ImageReadException.class, () -> Images.probe(file)).getMessage().substring(
				("Cannot read image " + file + ": ").length()));
	}

	private Path bytes(String name, byte[] content) throws IOException {
		return Files.write(dir.resolve(name), content);
	}

	private static byte[] header(ByteOrder order, Type type) {
		return header(order, type, new short[] { 3, 2, 2, 1, 1, 1, 1, 1 }, 1, 0).array();
	}

	@Test
	void refusesWhatItCannotRead() throws IOException {
		assertRefused(TestData.path("bad/corrupt.nii.gz"), "not a NIfTI-1 file (header size 123456, expected 348)");
		assertRefused(bytes("short.nii", Arrays.copyOf(header(ByteOrder.LITTLE_ENDIAN, Type.UINT8), 200)),
				"NIfTI header is truncated (200 of 348 bytes)");
		assertRefused(bytes("tiny.nii", new byte[] { 1, 2 }), "file is too short for a NIfTI header");
		byte[] nifti2 = new byte[600];
		ByteBuffer.wrap(nifti2).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 540).put(4, "n+2\0".getBytes(StandardCharsets.US_ASCII));
		assertRefused(bytes("two.nii", nifti2), "NIfTI-2 is not supported; save it as NIfTI-1");
		byte[] pair = header(ByteOrder.BIG_ENDIAN, Type.UINT8);
		pair[345] = 'i';
		assertRefused(bytes("pair.hdr", pair), "NIfTI .hdr/.img pairs are not supported; save it as a single .nii or .nii.gz file");
		Path img = bytes("pair.img", new byte[4]);
		ImageReadException e = assertThrows(ImageReadException.class, () -> Images.open(img));
		assertTrue(e.getMessage().contains(".hdr/.img pairs are not supported"), e.getMessage());
		byte[] rgb = header(ByteOrder.LITTLE_ENDIAN, Type.UINT8);
		ByteBuffer.wrap(rgb).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 128);
		assertRefused(bytes("rgb.nii", rgb), "NIfTI datatype 128 is not supported (uint8, int16, uint16, int32, float32 and float64 are)");
		byte[] noData = header(ByteOrder.LITTLE_ENDIAN, Type.UINT16);
		Path truncated = bytes("nodata.nii", Arrays.copyOf(noData, noData.length + 5));
		// 2×2 uint16 voxels (8 bytes) after a vox_offset of 352: the file ends 3 bytes short; probe checks it too
		assertRefused(truncated, "file is truncated: pixel data ends at byte 357 of the 360 expected");
		byte[] fiveD = header(ByteOrder.LITTLE_ENDIAN, Type.UINT8);
		ByteBuffer.wrap(fiveD).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) 5).putShort(50, (short) 2);
		assertRefused(bytes("five.nii", fiveD), "NIfTI images with more than 4 dimensions are not supported");
	}

	@Test
	void magicWithoutTheExtensionIsEnough() throws IOException {
		byte[] h = header(ByteOrder.LITTLE_ENDIAN, Type.UINT8);
		byte[] file = Arrays.copyOf(h, h.length + 4);
		file[h.length + 3] = 42;
		ImagePlus imp = Images.open(bytes("volume.bin", file));
		assertEquals(42, imp.getProcessor().get(1, 1));
		assertFalse(Images.looksLikeImage(dir.resolve("volume.bin")));
	}
}
