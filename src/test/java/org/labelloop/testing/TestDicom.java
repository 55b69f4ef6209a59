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
}
