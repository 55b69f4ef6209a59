package org.labelloop.imaging;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Reads single-file NIfTI-1 images ({@code .nii}, or gzip-compressed {@code .nii.gz}, recognised by content), in
 * either byte order, since ImageJ 1 cannot.
 * <ul>
 * <li>Voxel (i, j, k, t) becomes pixel (x = i, y = j) of slice k + 1, frame t + 1: the file order, with no
 * reorientation (for the usual RAS-like sform, anterior is at the bottom of the image).</li>
 * <li>uint8 → 8-bit; uint16 → 16-bit; int16 → 16-bit with 32768 added and ImageJ's signed 16-bit calibration (as
 * ImageJ does for signed DICOM and TIFF), so measured values are the file's; int32, float32, float64 → 32-bit.</li>
 * <li>When scl_slope is neither 0 nor 1, or scl_inter is not 0 (with a non-zero slope), the scaled values
 * {@code slope * v + inter} are returned as 32-bit.</li>
 * <li>pixdim gives the pixel size; the unit is xyzt_units' (mm when unknown).</li>
 * </ul>
 * NIfTI-2, .hdr/.img pairs, other data types and more than four dimensions are refused with a clear reason.
 */
final class NiftiReader {

	private static final int HEADER_SIZE = 348, NIFTI2_HEADER_SIZE = 540;
	private static final int UINT8 = 2, INT16 = 4, INT32 = 8, FLOAT32 = 16, FLOAT64 = 64, UINT16 = 512;

	private NiftiReader() {
	}

	/** The parts of the header we use. */
	private record Header(ByteOrder order, int nx, int ny, int nz, int nt, int datatype, float[] pixdim, float voxOffset,
			float slope, float inter, int units, Spatial spatial) {

		boolean scaled() {
			return slope != 0 && Float.isFinite(slope) && (slope != 1 || (inter != 0 && Float.isFinite(inter)));
		}

		long dataBytes() {
			return (long) nx * ny * nz * nt * bytesPerVoxel();
		}

		int bytesPerVoxel() {
			return switch (datatype) {
				case UINT8 -> 1;
				case INT16, UINT16 -> 2;
				case INT32, FLOAT32 -> 4;
				default -> 8;
			};
		}

		int bitDepth() {
			if (scaled()) return 32;
			return switch (datatype) {
				case UINT8 -> 8;
				case INT16, UINT16 -> 16;
				default -> 32;
			};
		}
	}

	/** Whether this looks like a file for this reader: by name, or by the NIfTI magic of an uncompressed header. */
	static boolean claims(String lowerName, byte[] head) {
		if (lowerName.endsWith(".nii") || lowerName.endsWith(".nii.gz") || lowerName.endsWith(".hdr")) return true;
		return head.length >= HEADER_SIZE && (magic(head, 344, "n+1") || magic(head, 344, "ni1")) || magic(head, 4, "n+2");
	}

	private static boolean magic(byte[] b, int at, String m) {
		return b.length >= at + 4 && new String(b, at, 3, StandardCharsets.US_ASCII).equals(m) && b[at + 3] == 0;
	}

	/**
	 * The header's dimensions, after checking that the voxels are all there: an uncompressed file by its size, a
	 * {@code .nii.gz} by decompressing it to the end (without keeping the voxels).
	 */
	static ImageMeta probe(Path file) {
		try (Counted in = stream(file)) {
			Header h = header(file, in);
			long expected = (long) h.voxOffset + h.dataBytes();
			if (!in.gzip) {
				long size = Files.size(file);
				if (size < expected) throw Completeness.truncated(file, size, expected);
			} else {
				try {
					in.skipNBytes(expected - in.count);
				} catch (EOFException e) {
					throw truncated(file, in, expected);
				}
				checkGzipEnd(file, in);
			}
			return new ImageMeta(h.nx, h.ny, 1, h.nz, h.nt, h.bitDepth());
		} catch (IOException e) {
			throw corrupt(file, e);
		}
	}

	/**
	 * Reads a gzip stream to its end, which checks its CRC and length trailer: a .nii.gz cut after its last voxel still
	 * lacks its trailer, so nothing proves that the voxels are the file's.
	 */
	private static void checkGzipEnd(Path file, Counted in) throws IOException {
		in.transferTo(OutputStream.nullOutputStream());
		if (in.cut) throw new ImageReadException(file, "file is truncated: the gzip data stop before their end (the CRC trailer is missing)");
	}

	private static ImageReadException truncated(Path file, Counted in, long expected) {
		return new ImageReadException(file, Completeness.reason(in.count, expected) + (in.gzip ? " (decompressed)" : ""));
	}

	static ImagePlus read(Path file) {
		try (Counted in = stream(file)) {
			Header h = header(file, in);
			long expected = (long) h.voxOffset + h.dataBytes();
			ImagePlus imp;
			try {
				imp = read(file, in, h);
			} catch (EOFException e) {
				throw truncated(file, in, expected);
			}
			if (in.gzip) checkGzipEnd(file, in);
			return imp;
		} catch (IOException e) {
			throw corrupt(file, e);
		}
	}

	private static ImagePlus read(Path file, Counted in, Header h) throws IOException {
		in.skipNBytes((long) h.voxOffset - HEADER_SIZE);
		long sliceBytes = (long) h.nx * h.ny * h.bytesPerVoxel();
		if (sliceBytes > Integer.MAX_VALUE - 16)
			throw new ImageReadException(file, "a NIfTI slice of " + h.nx + "x" + h.ny + " voxels is too large for ImageJ");
		ImageStack stack = new ImageStack(h.nx, h.ny);
		for (long s = 0, n = (long) h.nz * h.nt; s < n; s++) {
			byte[] raw = in.readNBytes((int) sliceBytes);
			if (raw.length < sliceBytes) throw new EOFException();
			stack.addSlice(null, processor(h, raw));
		}
		ImagePlus imp = new ImagePlus(file.getFileName().toString(), stack);
		if (h.nt > 1) {
			imp.setDimensions(1, h.nz, h.nt);
			imp.setOpenAsHyperStack(true);
		}
		imp.setCalibration(calibration(h, imp));
		return imp;
	}

	private static ImageReadException corrupt(Path file, IOException e) {
		String reason = e instanceof EOFException ? "file is truncated" : "file is truncated or corrupt (" + e.getMessage() + ")";
		return new ImageReadException(file, reason, e);
	}

	private static Counted stream(Path file) throws IOException {
		InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
		in.mark(2);
		boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
		in.reset();
		// no buffer above the GZIPInputStream: one that failed half-way through a fill would lose bytes from the count
		return new Counted(gzip ? new GZIPInputStream(in, 1 << 16) : in, gzip);
	}

	/** The (decompressed) NIfTI bytes, counted, so that a truncated file can say where its data end. */
	private static final class Counted extends FilterInputStream {
		final boolean gzip;
		long count;
		/** Whether the gzip stream stopped before its end. */
		boolean cut;

		Counted(InputStream in, boolean gzip) {
			super(in);
			this.gzip = gzip;
		}

		@Override
		public int read() throws IOException {
			int c = in.read();
			if (c >= 0) count++;
			return c;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n;
			try {
				n = in.read(b, off, len);
			} catch (EOFException e) { // GZIPInputStream: "Unexpected end of ZLIB input stream"
				cut = true;
				return -1;
			}
			if (n > 0) count += n;
			return n;
		}

		/** Skips by reading, so that the count stays exact up to a truncated gzip stream's last byte. */
		@Override
		public long skip(long n) throws IOException {
			byte[] scratch = new byte[(int) Math.min(n, 1 << 16)];
			long left = n;
			while (left > 0) {
				int r = read(scratch, 0, (int) Math.min(left, scratch.length));
				if (r < 0) break;
				left -= r;
			}
			return n - left;
		}
	}

	private static Header header(Path file, InputStream in) throws IOException {
		byte[] raw = in.readNBytes(HEADER_SIZE);
		if (raw.length < 4) throw new ImageReadException(file, "file is too short for a NIfTI header");
		ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
		int size = b.getInt(0);
		if (size != HEADER_SIZE && Integer.reverseBytes(size) == HEADER_SIZE) b.order(ByteOrder.BIG_ENDIAN);
		else if (size == NIFTI2_HEADER_SIZE || Integer.reverseBytes(size) == NIFTI2_HEADER_SIZE)
			throw new ImageReadException(file, "NIfTI-2 is not supported; save it as NIfTI-1");
		else if (size != HEADER_SIZE)
			throw new ImageReadException(file, "not a NIfTI-1 file (header size " + size + ", expected 348)");
		if (raw.length < HEADER_SIZE)
			throw new ImageReadException(file, "NIfTI header is truncated (" + raw.length + " of 348 bytes)");
		if (magic(raw, 344, "ni1"))
			throw new ImageReadException(file, "NIfTI .hdr/.img pairs are not supported; save it as a single .nii or .nii.gz file");
		if (!magic(raw, 344, "n+1"))
			throw new ImageReadException(file, "not a NIfTI-1 file (no n+1 magic; Analyze 7.5 is not supported)");
		short[] dim = new short[8];
		for (int i = 0; i < 8; i++) dim[i] = b.getShort(40 + 2 * i);
		if (dim[0] < 1 || dim[0] > 7) throw new ImageReadException(file, "NIfTI header is corrupt (dim[0] = " + dim[0] + ")");
		int[] size4 = { 1, 1, 1, 1 };
		for (int d = 1; d <= dim[0]; d++) {
			if (dim[d] < 1) throw new ImageReadException(file, "NIfTI header is corrupt (dim[" + d + "] = " + dim[d] + ")");
			if (d <= 4) size4[d - 1] = dim[d];
			else if (dim[d] > 1) throw new ImageReadException(file, "NIfTI images with more than 4 dimensions are not supported");
		}
		int datatype = b.getShort(70);
		if (datatype != UINT8 && datatype != INT16 && datatype != UINT16 && datatype != INT32 && datatype != FLOAT32 && datatype != FLOAT64)
			throw new ImageReadException(file, "NIfTI datatype " + datatype
					+ " is not supported (uint8, int16, uint16, int32, float32 and float64 are)");
		float[] pixdim = new float[8];
		for (int i = 0; i < 8; i++) pixdim[i] = b.getFloat(76 + 4 * i);
		float voxOffset = b.getFloat(108);
		if (!(voxOffset >= HEADER_SIZE) || voxOffset > Integer.MAX_VALUE)
			throw new ImageReadException(file, "NIfTI header is corrupt (vox_offset = " + voxOffset + ")");
		float[] quatern = new float[6], srow = new float[12];
		for (int i = 0; i < 6; i++) quatern[i] = b.getFloat(256 + 4 * i);
		for (int i = 0; i < 12; i++) srow[i] = b.getFloat(280 + 4 * i);
		Spatial spatial = new Spatial(b.getShort(252), b.getShort(254), quatern, srow, pixdim.clone());
		return new Header(b.order(), size4[0], size4[1], size4[2], size4[3], datatype, pixdim, voxOffset, b.getFloat(112),
				b.getFloat(116), raw[123], spatial);
	}

	/**
	 * Where a NIfTI file's voxels lie in space: the header's qform and sform (codes and parameters) and pixdim. Two
	 * files are on the same grid when their voxel-to-world affines agree ({@link #sameGrid}).
	 */
	record Spatial(int qformCode, int sformCode, float[] quatern, float[] srow, float[] pixdim) {

		/** No orientation: qform and sform codes 0, unit voxels. */
		static final Spatial NONE = new Spatial(0, 0, new float[6], new float[12], new float[] { 1, 1, 1, 1, 1, 1, 1, 1 });

		/**
		 * The voxel-to-world affine, 3 rows of 4, by the NIfTI-1 rules: the sform when its code is set, else the
		 * qform (quaternion, offset, qfac = pixdim[0]), else the voxel sizes alone.
		 */
		double[] affine() {
			if (sformCode > 0) {
				double[] a = new double[12];
				for (int i = 0; i < 12; i++) a[i] = srow[i];
				return a;
			}
			double dx = pixdim[1], dy = pixdim[2], dz = pixdim[3];
			if (qformCode > 0) {
				double b = quatern[0], c = quatern[1], d = quatern[2];
				double a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
				double qfac = pixdim[0] < 0 ? -1 : 1;
				double[][] r = { { a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) },
						{ 2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) },
						{ 2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b } };
				double[] s = { dx, dy, qfac * dz };
				double[] out = new double[12];
				for (int i = 0; i < 3; i++) {
					for (int j = 0; j < 3; j++) out[4 * i + j] = r[i][j] * s[j];
					out[4 * i + 3] = quatern[3 + i];
				}
				return out;
			}
			return new double[] { dx, 0, 0, 0, 0, dy, 0, 0, 0, 0, dz, 0 };
		}

		/** Whether both put every voxel at the same place, within a thousandth of a voxel. */
		boolean sameGrid(Spatial o) {
			double[] a = affine(), b = o.affine();
			double tol = 1e-3 * Math.max(1, Math.max(Math.abs(pixdim[1]), Math.max(Math.abs(pixdim[2]), Math.abs(pixdim[3]))));
			for (int i = 0; i < 12; i++)
				if (!(Math.abs(a[i] - b[i]) <= tol)) return false;
			return true;
		}

		/** The affine as text, for messages: {@code sform [1 0 0 -24; 0 1 0 -45; 0 0 1 15]}. */
		String describe() {
			double[] a = affine();
			StringBuilder sb = new StringBuilder(sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "no qform/sform, voxel size").append(" [");
			for (int i = 0; i < 12; i++) {
				if (i > 0) sb.append(i % 4 == 0 ? "; " : " ");
				double v = Math.round(a[i] * 1000) / 1000.0;
				sb.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
			}
			return sb.append(']').toString();
		}
	}

	/** The spatial part of a NIfTI file's header. */
	static Spatial spatial(Path file) {
		try (InputStream in = stream(file)) {
			return header(file, in).spatial();
		} catch (IOException e) {
			throw corrupt(file, e);
		}
	}

	private static ImageProcessor processor(Header h, byte[] raw) {
		int n = h.nx * h.ny;
		ByteBuffer b = ByteBuffer.wrap(raw).order(h.order);
		if (!h.scaled()) {
			switch (h.datatype) {
				case UINT8:
					return new ByteProcessor(h.nx, h.ny, raw);
				case INT16, UINT16: {
					short[] p = new short[n];
					b.asShortBuffer().get(p);
					if (h.datatype == INT16) for (int i = 0; i < n; i++) p[i] ^= (short) 0x8000; // + 32768
					return new ShortProcessor(h.nx, h.ny, p, null);
				}
				default:
			}
		}
		boolean scaled = h.scaled();
		double slope = h.slope, inter = Float.isFinite(h.inter) ? h.inter : 0;
		float[] f = new float[n];
		for (int i = 0; i < n; i++) {
			double v = switch (h.datatype) {
				case UINT8 -> raw[i] & 0xff;
				case INT16 -> b.getShort(2 * i);
				case UINT16 -> b.getShort(2 * i) & 0xffff;
				case INT32 -> b.getInt(4 * i);
				case FLOAT32 -> b.getFloat(4 * i);
				default -> b.getDouble(8 * i);
			};
			f[i] = (float) (scaled ? v * slope + inter : v);
		}
		return new FloatProcessor(h.nx, h.ny, f);
	}

	private static Calibration calibration(Header h, ImagePlus imp) {
		Calibration cal = new Calibration(imp);
		cal.pixelWidth = size(h.pixdim[1]);
		cal.pixelHeight = size(h.pixdim[2]);
		cal.pixelDepth = size(h.pixdim[3]);
		cal.setUnit(switch (h.units & 0x07) {
			case 1 -> "m";
			case 3 -> "micron";
			default -> "mm";
		});
		if (h.nt > 1 && h.pixdim[4] > 0 && Float.isFinite(h.pixdim[4])) {
			cal.frameInterval = h.pixdim[4];
			cal.setTimeUnit(switch (h.units & 0x38) {
				case 16 -> "ms";
				case 24 -> "us";
				default -> "sec";
			});
		}
		if (h.datatype == INT16 && !h.scaled()) cal.setSigned16BitCalibration();
		return cal;
	}

	private static double size(float d) {
		return Float.isFinite(d) && d != 0 ? Math.abs(d) : 1;
	}
}
