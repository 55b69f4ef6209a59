package org.labelloop.backend.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.LabelLoopException;

class TokenFileTest {

	@TempDir
	Path dir;

	@Test
	void tokensAreKeptOwnerOnlyPerUserAndServer() throws Exception {
		Path f = dir.resolve("cfg/labelloop/tokens.properties");
		assertEquals(Optional.empty(), TokenFile.read(f, "http://lab:8080", "bob"));
		TokenFile.write(f, "http://lab:8080/", "bob", "t-bob");
		TokenFile.write(f, "http://lab:8080", "ann", "t-ann");
		TokenFile.write(f, "https://other", "bob", "t-other");
		assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
		assertEquals(Optional.of("t-bob"), TokenFile.read(f, "http://lab:8080", "bob"));
		assertEquals(Optional.of("t-ann"), TokenFile.read(f, "http://lab:8080/", "ann"));
		assertEquals(Optional.of("t-other"), TokenFile.read(f, "https://other", "bob"));
		TokenFile.write(f, "http://lab:8080", "bob", "t-bob-2");
		assertEquals(Optional.of("t-bob-2"), TokenFile.read(f, "http://lab:8080", "bob"));
		try (var s = Files.list(f.getParent())) {
			assertEquals(1, s.count(), "no temporary file left behind");
		}
	}

	@Test
	void aFileOthersCanReadIsRefused() throws Exception {
		Path f = dir.resolve("tokens.properties");
		TokenFile.write(f, "http://lab", "bob", "secret");
		Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> TokenFile.read(f, "http://lab", "bob"));
		assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
	}
}
