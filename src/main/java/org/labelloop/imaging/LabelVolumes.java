package org.labelloop.imaging;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

import org.labelloop.core.model.LabelLoopException;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Label maps as files: NIfTI-1 ({@code .nii}, {@code .nii.gz}) and TIFF label images (8, 16 or 32-bit, one page per
 * slice, as ImageJ writes and reads them), headless. Reading goes through {@link Images#open} (so a truncated or
 * corrupt file gives the same clear error as for images); a label map must hold whole, non-negative numbers.
 */
public final class LabelVolumes {

	/** The largest label a 32-bit float TIFF holds exactly. */
	public static final int MAX_FLOAT_LABEL = 1 << 24;

	private LabelVolumes() {
	}

	/** Where a label volume lies in space; only NIfTI files know it. */
	public static final class Grid {
		final NiftiReader.Spatial spatial;

		Grid(NiftiReader.Spatial spatial) {
			this.spatial = spatial;
		}

		/** Whether the two put every voxel at the same place. */
		public boolean same(Grid o) {
			return spatial.sameGrid(o.spatial);
		}

		@Override
		public String toString() {
			return spatial.describe();
		}
	}

	/**
	 * A label volume read from a file. Slices are converted to label values when asked for (a 512×512×300 volume is
	 * not held as 300 int arrays); a value that is not a label fails then, naming the voxel.
	 */
	public static final class Volume {
		private final Path file;
		private final ImageStack stack;
		private final boolean signed16;
		private final Grid grid;

		Volume(Path file, ImageStack stack, boolean signed16, Grid grid) {
			this.file = file;
			this.stack = stack;
			this.signed16 = signed16;
			this.grid = grid;
		}

		public Path file() { return file; }
		public int width() { return stack.getWidth(); }
		public int height() { return stack.getHeight(); }
		public int depth() { return stack.getSize(); }
		/** The file's grid in space (NIfTI), else {@code null}. */
		public Grid grid() { return grid; }

		public String size() {
			return width() + "x" + height() + "x" + depth();
		}

		/**
		 * Slice z (0-based), {@code width * height} values, row-major.
		 *
		 * @throws ImageReadException naming the voxel if a value is not a whole number 0 or more
		 */
		public int[] slice(int z) {
			int w = width(), h = height();
			ImageProcessor ip = stack.getProcessor(z + 1);
			int[] v = new int[w * h];
			if (ip instanceof ByteProcessor) {
				byte[] p = (byte[]) ip.getPixels();
				for (int i = 0; i < v.length; i++) v[i] = p[i] & 0xff;
			} else if (ip instanceof ShortProcessor) {
				short[] p = (short[]) ip.getPixels();
				for (int i = 0; i < v.length; i++) {
					v[i] = (p[i] & 0xffff) - (signed16 ? 32768 : 0);
					if (v[i] < 0) throw bad(file, i, w, z, v[i]);
				}
			} else {
				for (int i = 0; i < v.length; i++) {
					float f = ip.getf(i);
					if (!(f >= 0 && f <= MAX_FLOAT_LABEL && f == Math.rint(f))) throw bad(file, i, w, z, f);
					v[i] = (int) f;
				}
			}
			return v;
		}
	}

	/** Whether the file name says NIfTI. */
	public static boolean isNifti(Path file) {
		String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".nii") || n.endsWith(".nii.gz");
	}

	/** The grid of a NIfTI image (its header's qform/sform), or {@code null} for other files. */
	public static Grid gridOf(Path image) {
		return isNifti(image) ? new Grid(NiftiReader.spatial(image)) : null;
	}

	/**
	 * Reads a label map.
	 *
	 * @throws LabelLoopException naming the file and the reason: unreadable, truncated, several channels or
	 *         frames, colour ({@link Volume#slice} refuses values that are not whole numbers ≥ 0)
	 */
	public static Volume read(Path file) {
		ImagePlus imp = Images.open(file);
		if (imp.getNChannels() > 1 || imp.getNFrames() > 1)
			throw new ImageReadException(file, "a label map has one channel and one time point, this has " + imp.getNChannels()
					+ " channels and " + imp.getNFrames() + " frames");
		if (imp.getBitDepth() == 24) throw new ImageReadException(file, "an RGB image is not a label map (save it as 8, 16 or 32-bit grey)");
		return new Volume(file, imp.getStack(), imp.getCalibration().isSigned16Bit(), gridOf(file));
	}

	/**
	 * Why a label map cannot label an image, or {@code null} when it can: it must have the image's width, height and
	 * slices, and (a NIfTI label map on a NIfTI image) its grid in space. The one rule of every label-map import.
	 *
	 * @param image how messages name the image, e.g. {@code image 'ch2.nii'}
	 * @param imageGrid the image's grid ({@link #gridOf}, may give {@code null}); asked only when the sizes agree and the
	 *                  label map has a grid
	 */
	public static String mismatch(Volume labels, String image, int width, int height, int depth, Supplier<Grid> imageGrid) {
		if (labels.width() != width || labels.height() != height || labels.depth() != depth)
			return "the label map is " + labels.size() + " voxels but " + image + " is " + width + "x" + height + "x" + depth
					+ "; a label map must have its image's grid";
		if (labels.grid() == null) return null;
		Grid g = imageGrid.get();
		if (g != null && !g.same(labels.grid()))
			return "its orientation in space differs from " + image + " (label map " + labels.grid() + ", image " + g
					+ "); resample the label map onto the image's grid first";
		return null;
	}

	private static ImageReadException bad(Path file, int i, int w, int z, double value) {
		return new ImageReadException(file, "not a label map: voxel (" + i % w + ", " + i / w + ", " + z + ") holds " + value
				+ " (labels are whole numbers 0 and up, 0 = background)");
	}

	/**
	 * Writes a NIfTI-1 label map (gzip-compressed when the name ends in {@code .gz}), uint8, uint16 or int32 by its
	 * largest label, on the grid of {@code like} (its qform, sform and voxel size; {@code null}: none).
	 */
	public static void writeNifti(Path file, int width, int height, int depth, IntFunction<int[]> slices, int maxLabel, Grid like) {
		NiftiReader.Spatial sp = like == null ? NiftiReader.Spatial.NONE : like.spatial;
		int datatype = maxLabel <= 255 ? 2 : maxLabel <= 65535 ? 512 : 8, bytes = maxLabel <= 255 ? 1 : maxLabel <= 65535 ? 2 : 4;
		ByteBuffer hdr = ByteBuffer.allocate(352).order(ByteOrder.LITTLE_ENDIAN);
		hdr.putInt(0, 348);
		short[] dim = { 3, (short) width, (short) height, (short) depth, 1, 1, 1, 1 };
		if (width > Short.MAX_VALUE || height > Short.MAX_VALUE || depth > Short.MAX_VALUE)
			throw new LabelLoopException("Cannot write " + file + ": NIfTI-1 holds at most 32767 voxels a side, not " + width + "x" + height + "x" + depth + ".");
		for (int i = 0; i < 8; i++) hdr.putShort(40 + 2 * i, dim[i]);
		hdr.putShort(70, (short) datatype);
		hdr.putShort(72, (short) (8 * bytes));
		float[] pixdim = sp.pixdim().clone();
		if (!(pixdim[0] == 1 || pixdim[0] == -1)) pixdim[0] = 1;
		for (int i = 0; i < 8; i++) hdr.putFloat(76 + 4 * i, pixdim[i]);
		hdr.putFloat(108, 352);
		hdr.putFloat(112, 1);
		hdr.put(123, (byte) 2); // mm
		byte[] descrip = "LabelLoop label map".getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < descrip.length; i++) hdr.put(148 + i, descrip[i]);
		hdr.putShort(252, (short) sp.qformCode());
		hdr.putShort(254, (short) sp.sformCode());
		for (int i = 0; i < 6; i++) hdr.putFloat(256 + 4 * i, sp.quatern()[i]);
		for (int i = 0; i < 12; i++) hdr.putFloat(280 + 4 * i, sp.srow()[i]);
		hdr.put(344, (byte) 'n').put(345, (byte) '+').put(346, (byte) '1').put(347, (byte) 0);
		atomically(file, tmp -> {
			try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
					OutputStream out = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw) {
				out.write(hdr.array());
				ByteBuffer buf = ByteBuffer.allocate(width * height * bytes).order(ByteOrder.LITTLE_ENDIAN);
				for (int z = 0; z < depth; z++) {
					int[] v = slices.apply(z);
					buf.clear();
					for (int i = 0; i < width * height; i++) {
						if (bytes == 1) buf.put((byte) v[i]);
						else if (bytes == 2) buf.putShort((short) v[i]);
						else buf.putInt(v[i]);
					}
					out.write(buf.array(), 0, buf.position());
				}
			}
		});
	}

	/** Writes a TIFF label image, one page per slice: 8-bit up to 255, 16-bit up to 65535, else 32-bit float. */
	public static void writeTiff(Path file, int width, int height, int depth, IntFunction<int[]> slices, int maxLabel) {
		if (maxLabel > MAX_FLOAT_LABEL)
			throw new LabelLoopException("Cannot write " + file + ": a TIFF label image holds labels up to " + MAX_FLOAT_LABEL + ", not " + maxLabel + ".");
		ImageStack st = new ImageStack(width, height);
		for (int z = 0; z < depth; z++) {
			int[] v = slices.apply(z);
			ImageProcessor ip;
			if (maxLabel <= 255) {
				byte[] p = new byte[width * height];
				for (int i = 0; i < p.length; i++) p[i] = (byte) v[i];
				ip = new ByteProcessor(width, height, p);
			} else if (maxLabel <= 65535) {
				short[] p = new short[width * height];
				for (int i = 0; i < p.length; i++) p[i] = (short) v[i];
				ip = new ShortProcessor(width, height, p, null);
			} else {
				float[] p = new float[width * height];
				for (int i = 0; i < p.length; i++) p[i] = v[i];
				ip = new FloatProcessor(width, height, p);
			}
			st.addSlice(null, ip);
		}
		ImagePlus imp = new ImagePlus(file.getFileName().toString(), st);
		atomically(file, tmp -> {
			FileSaver fs = new FileSaver(imp);
			boolean ok = depth > 1 ? fs.saveAsTiffStack(tmp.toString()) : fs.saveAsTiff(tmp.toString());
			if (!ok) throw new IOException("ImageJ could not write the TIFF");
		});
	}

	/** Writes a file's bytes into the temporary file it is given. */
	public interface Writing {
		void to(Path tmp) throws IOException;
	}

	/**
	 * Writes through a temporary file beside the target, so a failed export never leaves half a file in place of a
	 * good one (also the label formats' one way of writing a file).
	 */
	public static void atomically(Path file, Writing w) {
		Path abs = file.toAbsolutePath();
		Path tmp = null;
		try {
			Files.createDirectories(abs.getParent());
			tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
			w.to(tmp);
			try {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			} catch (AtomicMoveNotSupportedException e) {
				Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
			}
		} catch (IOException e) {
			try {
				if (tmp != null) Files.deleteIfExists(tmp);
			} catch (IOException ignored) {
				// the original error matters more
			}
			throw new LabelLoopException("Cannot write " + abs + ": " + e.getMessage() + ".", e);
		}
	}
}
