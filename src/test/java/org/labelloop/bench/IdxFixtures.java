package org.labelloop.bench;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small IDX datasets that tests write themselves. */
public final class IdxFixtures {

	private IdxFixtures() {
	}

	/** Writes a gzipped IDX file of unsigned bytes. */
	public static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
		try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
			out.writeInt(0x0800 | dims.length);
			for (int d : dims) out.writeInt(d);
			out.write(data);
		}
	}

	/**
	 * Writes a small dataset in the Fashion-MNIST layout: size×size images of a bright disc (class 0), square (1) or
	 * horizontal bar (2) of random size and place on a noisy background.
	 */
	public static Path writeShapes(Path folder, int train, int test, int size, long seed) throws IOException {
		Files.createDirectories(folder);
		Random r = new Random(seed);
		for (String prefix : new String[] { "train", "t10k" }) {
			int n = prefix.equals("train") ? train : test;
			byte[] pixels = new byte[n * size * size], labels = new byte[n];
			for (int i = 0; i < n; i++) {
				int kind = i % 3;
				labels[i] = (byte) kind;
				double cx = size * (0.3 + 0.4 * r.nextDouble()), cy = size * (0.3 + 0.4 * r.nextDouble()), rad = size * (0.15 + 0.1 * r.nextDouble());
				for (int y = 0; y < size; y++)
					for (int x = 0; x < size; x++) {
						double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
						boolean in = switch (kind) {
							case 0 -> dx * dx + dy * dy < rad * rad;
							case 1 -> Math.abs(dx) < rad && Math.abs(dy) < rad;
							default -> Math.abs(dx) < rad * 1.4 && Math.abs(dy) < rad * 0.35;
						};
						pixels[(i * size + y) * size + x] = (byte) Math.max(0, Math.min(255, (in ? 200 : 30) + r.nextGaussian() * 15));
					}
			}
			writeIdx(folder.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] { n, size, size }, pixels);
			writeIdx(folder.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] { n }, labels);
		}
		return folder;
	}
}
