package org.labelloop.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.labelloop.TestData;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ShortProcessor;

/**
 * Unusual but valid image files, made from test-data's: each must be added to a project like any other. Progressive
 * JPEG, bytes after a JPEG's end marker and after a PNG's IEND, 16-bit PNG, LZW and deflate TIFF, a TIFF stack, a
 * multi-frame DICOM, a DICOM with a nested undefined-length sequence, a .nii.gz with bytes after the voxels, and files
 * whose extension lies (a PNG named .tif, a DICOM named .png).
 */
public final class UnusualImages {

	private UnusualImages() {
	}

	public static List<Path> write(Path dir) throws IOException {
		Files.createDirectories(dir);
		List<Path> files = new ArrayList<>();
		Path cellPng = TestData.path("microscopy/cell.png");
		ImagePlus cell = new Opener().openImage(cellPng.toString());
		files.add(imageIo(cell, "jpeg", null, dir.resolve("progressive.jpg")));
		Path jpg = dir.resolve("plain.jpg");
		new FileSaver(cell).saveAsJpeg(jpg.toString());
		files.add(Files.write(dir.resolve("tail.jpg"), concat(Files.readAllBytes(jpg), new byte[100])));
		Files.delete(jpg);
		files.add(Files.write(dir.resolve("tail.png"), concat(Files.readAllBytes(cellPng), "trailing".getBytes(StandardCharsets.US_ASCII))));
		ShortProcessor sp = new ShortProcessor(40, 30);
		sp.set(3, 4, 60000);
		Path deep = dir.resolve("deep16.png");
		new FileSaver(new ImagePlus("deep", sp)).saveAsPng(deep.toString());
		files.add(deep);
		files.add(imageIo(cell, "tiff", "LZW", dir.resolve("lzw.tif")));
		files.add(imageIo(cell, "tiff", "Deflate", dir.resolve("deflate.tif")));
		ImageStack stack = new ImageStack(20, 10);
		for (int i = 0; i < 3; i++) stack.addSlice(new ByteProcessor(20, 10));
		Path tif = dir.resolve("stack.tif");
		new FileSaver(new ImagePlus("s", stack)).saveAsTiffStack(tif.toString());
		files.add(tif);
		files.add(Files.write(dir.resolve("two-frames.dcm"),
				TestDicom.dicom(TestDicom.EXPLICIT_LE, TestDicom.image(TestDicom.MR, "MR", 6, 8, 2, 16, new byte[8 * 6 * 2 * 2]))));
		files.add(Files.write(dir.resolve("nested.dcm"), nestedDicom()));
		Path nii = dir.resolve("tail.nii.gz");
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(nii))) {
			out.write(Files.readAllBytes(TestData.path("mri/ch2_crop.nii")));
			out.write(new byte[64]);
		}
		files.add(nii);
		files.add(Files.copy(TestData.path("fashion/0000_ankle_boot.png"), dir.resolve("really-png.tif")));
		files.add(Files.copy(TestData.path("dicom/MR_small_implicit.dcm"), dir.resolve("really-dicom.png")));
		return files;
	}

	/** A 5×4 16-bit DICOM whose undefined-length sequence nests an item with Rows 999 (not the image's). */
	public static byte[] nestedDicom() {
		ByteBuffer item = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
		item.putShort((short) 0xfffe).putShort((short) 0xe000).putInt(-1);
		item.put(TestDicom.element(0x0028, 0x0010, "US", TestDicom.us(999)));
		item.putShort((short) 0xfffe).putShort((short) 0xe00d).putInt(0);
		item.putShort((short) 0xfffe).putShort((short) 0xe0dd).putInt(0);
		byte[] seq = ByteBuffer.allocate(12 + item.position()).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x0008).putShort((short) 0x1140)
				.put("SQ".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0).putInt(-1).put(Arrays.copyOf(item.array(), item.position())).array();
		byte[] pixels = new byte[5 * 4 * 2];
		pixels[2] = 7;
		return TestDicom.dicom(TestDicom.EXPLICIT_LE, TestDicom.image(TestDicom.MR, "MR", 4, 5, 1, 16, pixels, seq));
	}

	/** Writes with ImageIO, with a compression type (TIFF) or, when it is null, in progressive mode (JPEG). */
	public static Path imageIo(ImagePlus imp, String format, String compression, Path f) throws IOException {
		BufferedImage img = imp.getBufferedImage();
		ImageWriter w = ImageIO.getImageWritersByFormatName(format).next();
		ImageWriteParam p = w.getDefaultWriteParam();
		if (compression != null) {
			p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
			p.setCompressionType(compression);
		} else {
			p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
		}
		Files.deleteIfExists(f);
		try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
			w.setOutput(out);
			w.write(null, new IIOImage(img, null, null), p);
		} finally {
			w.dispose();
		}
		return f;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] c = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, c, a.length, b.length);
		return c;
	}
}
