package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.testing.ChildJvm;

/**
 * The shaded command-line jar that {@code mvn package} builds (run by Failsafe after {@code package}), called as the
 * README says, {@code java -jar target/labelloop.jar ...}: it carries its SLF4J binding, so no SLF4J line reaches
 * stderr, and {@code --help} works on subcommands.
 */
class CliJarIT {

	static final Path JAR = Path.of("target/labelloop.jar").toAbsolutePath();

	@TempDir
	Path dir;

	private static CliProcess jar(String... args) throws Exception {
		List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-Djava.awt.headless=true", "-jar", JAR.toString()));
		cmd.addAll(List.of(args));
		return CliProcess.run(new ProcessBuilder(cmd));
	}

	@Test
	void theJarHasOneSlf4jBindingAndPrintsNoSlf4jLines() throws Exception {
		assertTrue(Files.isRegularFile(JAR), JAR + " is missing: mvn -o -q package -DskipTests builds it");
		try (ZipFile z = new ZipFile(JAR.toFile())) {
			assertTrue(z.getEntry("org/slf4j/impl/StaticLoggerBinder.class") != null, "the shaded jar has no SLF4J binding");
			assertTrue(z.getEntry("org/slf4j/impl/SimpleLogger.class") != null, "the binding is slf4j-simple");
		}
		CliProcess version = jar("--version");
		assertEquals(0, version.code(), version.toString());
		assertTrue(version.out().startsWith("LabelLoop "), version.toString());
		assertEquals("", version.err(), version.toString());

		Path p = dir.resolve("proj");
		for (String[] call : List.of(new String[] { "init", p.toString(), "--class", "cell" },
				new String[] { "add", "-p", p.toString(), TestData.path("microscopy").toString() },
				new String[] { "info", "-p", p.toString(), "--images" }, new String[] { "init", "--help" },
				new String[] { "user", "--help" })) {
			CliProcess r = jar(call);
			assertEquals("", r.err(), String.join(" ", call) + ": " + r);
			assertEquals(0, r.code(), String.join(" ", call) + ": " + r);
		}
	}
}
