package org.labelloop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;

class IdxDatasetTest {

	@TempDir
	Path dir;

	@Test
	void readsTheFourFiles() throws IOException {
		IdxDataset d = IdxDataset.read(IdxFixtures.writeShapes(dir, 30, 12, 20, 1));
		assertEquals(30, d.train().count());
		assertEquals(12, d.test().count());
		assertEquals(20, d.train().rows());
		assertEquals(20, d.test().cols());
		assertEquals(3, d.classes());
		assertEquals(2, d.train().labels()[5]);
		assertEquals(20, d.train().image(3).width());
		assertEquals(10, d.train().images(10).size());
		assertEquals(30, d.train().images(1000).size());
	}

	private LabelLoopException refused() {
		return assertThrows(LabelLoopException.class, () -> IdxDataset.read(dir));
	}

	@Test
	void missingFilesAreNamed() throws IOException {
		IdxFixtures.writeShapes(dir, 10, 5, 8, 2);
		Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
		LabelLoopException e = refused();
		assertTrue(e.getMessage().contains("Missing dataset file") && e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());
		LabelLoopException noFolder = assertThrows(LabelLoopException.class, () -> IdxDataset.open(dir.resolve("nowhere").toString()));
		assertTrue(noFolder.getMessage().contains("No dataset folder"), noFolder.getMessage());
	}

	@Test
	void truncatedCorruptAndUncompressedFilesAreRefused() throws IOException {
		IdxFixtures.writeShapes(dir, 10, 5, 8, 3);
		Path images = dir.resolve("train-images-idx3-ubyte.gz");
		byte[] raw = new byte[10 * 8 * 8 - 5];
		IdxFixtures.writeIdx(images, new int[] { 10, 8, 8 }, raw);
		assertTrue(refused().getMessage().contains("truncated"));

		IdxFixtures.writeIdx(images, new int[] { 10, 64 }, new byte[640]); // two dimensions where three belong
		assertTrue(refused().getMessage().contains("not that of an IDX file"));

		Files.write(images, new byte[] { 0, 0, 8, 3, 0, 0, 0, 1 });
		assertTrue(refused().getMessage().contains("not gzip-compressed"));

		IdxFixtures.writeShapes(dir, 10, 5, 8, 3);
		IdxFixtures.writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] { 9 }, new byte[9]);
		assertTrue(refused().getMessage().contains("10 images but"));
	}

	@Test
	void testImagesMustHaveTheTrainingSize() throws IOException {
		IdxFixtures.writeShapes(dir, 10, 5, 8, 4);
		IdxFixtures.writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] { 5, 9, 9 }, new byte[5 * 81]);
		assertTrue(refused().getMessage().contains("8x8 but the test images 9x9"));
	}

	@Test
	void fashionMnistSaysHowToInstallItWhenAbsent() {
		if (Files.isDirectory(IdxDataset.FASHION_MNIST)) {
			IdxDataset d = IdxDataset.open("fashion-mnist");
			assertEquals(60_000, d.train().count());
			assertEquals(10, d.classes());
			assertTrue(Arrays.stream(d.test().labels()).allMatch(l -> l < 10));
		} else {
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> IdxDataset.open("fashion-mnist"));
			assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
		}
	}
}
