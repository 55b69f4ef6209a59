package org.labelloop.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;

/**
 * A labelled image set in the MNIST / Fashion-MNIST layout: a folder with {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}
 * (gzipped IDX files of unsigned bytes; any image size and number of classes).
 */
public record IdxDataset(Path folder, Split train, Split test, int classes) {

	/** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
	public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

	/** One part of the set: {@code count} images of rows×cols bytes, one after the other, and their labels. */
	public record Split(int count, int rows, int cols, byte[] pixels, int[] labels) {

		public FloatImage image(int i) {
			return FloatImage.ofUnsignedBytes(cols, rows, pixels, i * rows * cols);
		}

		/** The first {@code n} images as a list that makes each image when asked. */
		public List<FloatImage> images(int n) {
			int size = Math.min(n, count);
			return new AbstractList<>() {
				@Override public FloatImage get(int i) { return image(i); }
				@Override public int size() { return size; }
			};
		}
	}

	/**
	 * Resolves a {@code --dataset} value: {@code fashion-mnist} names Debian's package folder, anything else is a
	 * folder path.
	 *
	 * @throws LabelLoopException if the folder or a file is missing or not a valid gzipped IDX file
	 */
	public static IdxDataset open(String dataset) {
		if (dataset.equals("fashion-mnist")) {
			if (!Files.isDirectory(FASHION_MNIST))
				throw new LabelLoopException("Fashion-MNIST is not installed in " + FASHION_MNIST
						+ ": install it with apt-get install dataset-fashion-mnist or pass a folder holding the four IDX files");
			return read(FASHION_MNIST);
		}
		return read(Path.of(dataset));
	}

	/** Reads the four files of a folder. */
	public static IdxDataset read(Path folder) {
		if (!Files.isDirectory(folder))
			throw new LabelLoopException("No dataset folder " + folder + ": pass fashion-mnist or a folder holding "
					+ "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz");
		Split train = split(folder, "train"), test = split(folder, "t10k");
		if (train.rows != test.rows || train.cols != test.cols)
			throw new LabelLoopException("In " + folder + " the training images are " + train.cols + "x" + train.rows
					+ " but the test images " + test.cols + "x" + test.rows);
		int classes = 0;
		for (int[] labels : new int[][] { train.labels, test.labels })
			for (int l : labels) classes = Math.max(classes, l + 1);
		return new IdxDataset(folder, train, test, classes);
	}

	private static Split split(Path folder, String prefix) {
		Path imagesFile = folder.resolve(prefix + "-images-idx3-ubyte.gz"), labelsFile = folder.resolve(prefix + "-labels-idx1-ubyte.gz");
		Idx images = readIdx(imagesFile, 3), labels = readIdx(labelsFile, 1);
		if (images.dims[0] != labels.dims[0])
			throw new LabelLoopException(imagesFile + " holds " + images.dims[0] + " images but " + labelsFile + " " + labels.dims[0] + " labels");
		int[] y = new int[labels.data.length];
		for (int i = 0; i < y.length; i++) y[i] = labels.data[i] & 0xff;
		return new Split(images.dims[0], images.dims[1], images.dims[2], images.data, y);
	}

	private record Idx(int[] dims, byte[] data) {
	}

	/** Reads a gzipped IDX file of unsigned bytes with the given number of dimensions. */
	private static Idx readIdx(Path file, int ndims) {
		try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
			int magic = in.readInt();
			if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08 || (magic & 0xff) != ndims)
				throw corrupt(file, String.format("its header 0x%08x is not that of an IDX file of unsigned bytes with %d dimension(s)", magic, ndims), null);
			int[] dims = new int[ndims];
			long size = 1;
			for (int d = 0; d < ndims; d++) {
				dims[d] = in.readInt();
				if (dims[d] <= 0) throw corrupt(file, "dimension " + d + " is " + dims[d], null);
				size *= dims[d];
			}
			if (size > Integer.MAX_VALUE - 8) throw corrupt(file, "it holds " + size + " values, more than one array can", null);
			byte[] data = new byte[(int) size];
			in.readFully(data);
			return new Idx(dims, data);
		} catch (NoSuchFileException e) {
			throw new LabelLoopException("Missing dataset file " + file + " (a dataset folder needs train-images-idx3-ubyte.gz, "
					+ "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz)", e);
		} catch (EOFException e) {
			throw corrupt(file, "it is truncated", e);
		} catch (ZipException e) {
			throw corrupt(file, "it is not gzip-compressed or the compressed data is damaged (" + e.getMessage() + ")", e);
		} catch (IOException e) {
			throw new LabelLoopException("Could not read " + file + ": " + e.getMessage(), e);
		}
	}

	private static LabelLoopException corrupt(Path file, String why, Throwable cause) {
		return new LabelLoopException("Dataset file " + file + " is not valid: " + why, cause);
	}
}
