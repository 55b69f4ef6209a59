package org.labelloop.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** DICOM files written by hand for tests (explicit VR little endian): what test-data has not, such as a DICOM-SEG. */
public final class TestDicom {

	public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1", MR = "1.2.840.10008.5.1.4.1.1.4",
			SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";

	private TestDicom() {
	}


	/** A DICOM file: preamble, DICM, meta group with the transfer syntax, then the given elements in order. */
	public static byte[] dicom(String transferSyntax, byte[]... elements) {
		ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
		b.position(128);
		b.put("DICM".getBytes(StandardCharsets.US_ASCII));
		b.put(element(0x0002, 0x0010, "UI", text(transferSyntax)));
		for (byte[] e : elements) b.put(e);
		return Arrays.copyOf(b.array(), b.position());
	}

	public static byte[] text(String s) {
		return (s.length() % 2 == 0 ? s : s + (Character.isDigit(s.charAt(s.length() - 1)) ? "\0" : " ")).getBytes(StandardCharsets.US_ASCII);
	}

	public static byte[] us(int v) {
		return ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).array();
	}

	public static byte[] element(int group, int element, String vr, byte[] value) {
		boolean longForm = vr.equals("OB") || vr.equals("OW") || vr.equals("SQ") || vr.equals("UN");
		ByteBuffer b = ByteBuffer.allocate(12 + value.length).order(ByteOrder.LITTLE_ENDIAN);
		b.putShort((short) group).putShort((short) element).put(vr.getBytes(StandardCharsets.US_ASCII));
		if (longForm) b.putShort((short) 0).putInt(value.length);
		else b.putShort((short) value.length);
		b.put(value);
		return Arrays.copyOf(b.array(), b.position());
	}

	/** Image elements of a monochrome image: the pixel data is the last element. */
	public static byte[] image(String sopClass, String modality, int rows, int columns, int frames, int bits, byte[] pixels, byte[]... more) {
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		o.writeBytes(element(0x0008, 0x0016, "UI", text(sopClass)));
		o.writeBytes(element(0x0008, 0x0060, "CS", text(modality)));
		for (byte[] m : more) o.writeBytes(m);
		o.writeBytes(element(0x0028, 0x0002, "US", us(1)));
		o.writeBytes(element(0x0028, 0x0004, "CS", text("MONOCHROME2")));
		if (frames > 1) o.writeBytes(element(0x0028, 0x0008, "IS", text(Integer.toString(frames))));
		o.writeBytes(element(0x0028, 0x0010, "US", us(rows)));
		o.writeBytes(element(0x0028, 0x0011, "US", us(columns)));
		o.writeBytes(element(0x0028, 0x0100, "US", us(bits)));
		o.writeBytes(element(0x0028, 0x0101, "US", us(bits)));
		o.writeBytes(element(0x0028, 0x0102, "US", us(bits - 1)));
		o.writeBytes(element(0x0028, 0x0103, "US", us(0)));
		o.writeBytes(element(0x7fe0, 0x0010, bits == 1 ? "OB" : "OW", pixels));
		return o.toByteArray();
	}

	/** A DICOM-SEG's shape: 3 frames of 16×16 1-bit masks. */
	public static byte[] segmentation() {
		byte[] masks = new byte[16 * 16 * 3 / 8];
		masks[5] = (byte) 0xff;
		return dicom(EXPLICIT_LE, image(SEGMENTATION_STORAGE, "SEG", 16, 16, 3, 1, masks));
	}

	public static final String CT = "1.2.840.10008.5.1.4.1.1.2";

	/**
	 * One CT slice of a series: signed 16-bit stored values {@code stored}, Rescale Slope 2 and Intercept -624 (so
	 * HU = 2 × stored − 624), Image Position (0, 0, z), axial orientation, Pixel Spacing 0.7 (rows) \ 0.8 (columns).
	 */
	public static byte[] ctSlice(String series, String patient, int instance, double z, int rows, int columns, short[] stored) {
		java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
		o.writeBytes(element(0x0008, 0x0016, "UI", text(CT)));
		o.writeBytes(element(0x0008, 0x0018, "UI", text(series + "." + instance)));
		o.writeBytes(element(0x0008, 0x0060, "CS", text("CT")));
		o.writeBytes(element(0x0008, 0x103e, "LO", text("test head")));
		o.writeBytes(element(0x0010, 0x0020, "LO", text(patient)));
		o.writeBytes(element(0x0018, 0x0015, "CS", text("HEAD")));
		o.writeBytes(element(0x0018, 0x0050, "DS", text("2.5")));
		o.writeBytes(element(0x0020, 0x000d, "UI", text("1.2.826.0.1.3680043.2.1125.9")));
		o.writeBytes(element(0x0020, 0x000e, "UI", text(series)));
		o.writeBytes(element(0x0020, 0x0013, "IS", text(Integer.toString(instance))));
		o.writeBytes(element(0x0020, 0x0032, "DS", text("0\\0\\" + z)));
		o.writeBytes(element(0x0020, 0x0037, "DS", text("1\\0\\0\\0\\1\\0")));
		o.writeBytes(element(0x0028, 0x0002, "US", us(1)));
		o.writeBytes(element(0x0028, 0x0004, "CS", text("MONOCHROME2")));
		o.writeBytes(element(0x0028, 0x0010, "US", us(rows)));
		o.writeBytes(element(0x0028, 0x0011, "US", us(columns)));
		o.writeBytes(element(0x0028, 0x0030, "DS", text("0.7\\0.8")));
		o.writeBytes(element(0x0028, 0x0100, "US", us(16)));
		o.writeBytes(element(0x0028, 0x0101, "US", us(16)));
		o.writeBytes(element(0x0028, 0x0102, "US", us(15)));
		o.writeBytes(element(0x0028, 0x0103, "US", us(1)));
		o.writeBytes(element(0x0028, 0x1052, "DS", text("-624")));
		o.writeBytes(element(0x0028, 0x1053, "DS", text("2")));
		ByteBuffer px = ByteBuffer.allocate(stored.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		for (short v : stored) px.putShort(v);
		o.writeBytes(element(0x7fe0, 0x0010, "OW", px.array()));
		return dicom(EXPLICIT_LE, o.toByteArray());
	}

	/**
	 * A CT series made from a real volume (test-data/mri/ch2_crop.nii, 48×56×8, 8-bit, read by the caller): slice k
	 * of the volume is {@code stored = 2v − 200} (some negative), so HU = 4v − 1024, at z = 2.5 k mm. The files are
	 * named and numbered so that neither name order nor Instance Number gives the slice order; only the positions do.
	 * {@code skip} leaves slices out (a gap). Returns the files written.
	 */
	public static java.util.List<java.nio.file.Path> ctSeries(java.nio.file.Path folder, String series, String patient, int[][] volume, int width,
			int height, int... skip) throws java.io.IOException {
		java.nio.file.Files.createDirectories(folder);
		java.util.List<java.nio.file.Path> out = new java.util.ArrayList<>();
		java.util.Set<Integer> skipped = new java.util.HashSet<>();
		for (int k : skip) skipped.add(k);
		for (int k = 0; k < volume.length; k++) {
			if (skipped.contains(k)) continue;
			short[] stored = new short[width * height];
			for (int i = 0; i < stored.length; i++) stored[i] = (short) (2 * volume[k][i] - 200);
			int instance = (k * 5) % volume.length + 1; // not the slice order
			java.nio.file.Path f = folder.resolve(series.substring(series.length() - 2) + "_IM" + ((k * 3) % volume.length) + "_" + k + ".dcm");
			java.nio.file.Files.write(f, ctSlice(series, patient, instance, 2.5 * k, height, width, stored));
			out.add(f);
		}
		return out;
	}
}
