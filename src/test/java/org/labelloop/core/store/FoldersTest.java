package org.labelloop.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

	@TempDir
	Path dir;

	@Test
	void aFolderIsMeasuredThenDeletedWithEverythingInItAndItsNeighbourStays() throws Exception {
		Path tree = dir.resolve("tree"), deep = tree.resolve("a/b/c");
		Files.createDirectories(deep);
		Files.write(tree.resolve("one"), new byte[10]);
		Files.write(deep.resolve("two"), new byte[25]);
		Files.createDirectories(tree.resolve("empty"));
		Path neighbour = Files.write(dir.resolve("tree2"), new byte[3]);
		assertEquals(35, Folders.bytes(tree));
		Folders.delete(tree);
		assertFalse(Files.exists(tree));
		assertTrue(Files.exists(neighbour));
		Folders.delete(tree); // gone already: nothing to do
		Folders.deleteQuietly(dir.resolve("never-was"));
		Folders.delete(neighbour); // a file is deleted too
		assertFalse(Files.exists(neighbour));
	}
}
