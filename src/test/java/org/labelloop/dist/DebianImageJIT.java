package org.labelloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.testing.ChildJvm;
import org.labelloop.testing.HeadlessBatch;

/**
 * A real install no one here built: Debian's {@code imagej} package (ImageJ 1.53t, older than the ImageJ LabelLoop
 * compiles against), which is what many Linux users have. The update site's plugin and jars go into that
 * installation's user plugins folder ({@code ~/.imagej/plugins}, where Debian's {@code imagej} launcher loads plugins
 * from), plus the jars Fiji would have provided, and the four example macros run there headless with Debian's
 * {@code /usr/share/java/ij.jar}. {@code .ci/run} installs the package and sets
 * {@code LABELLOOP_REQUIRE_DEBIAN_IMAGEJ=1}, so there a missing package fails instead of skipping.
 */
class DebianImageJIT {

	static final Path IJ_JAR = Path.of("/usr/share/java/ij.jar"), LAUNCHER = Path.of("/usr/bin/imagej");

	@TempDir
	Path tmp;

	@BeforeAll
	static void debiansImageJ() {
		boolean installed = Files.isRegularFile(IJ_JAR) && Files.isRegularFile(LAUNCHER);
		if (!installed && "1".equals(System.getenv("LABELLOOP_REQUIRE_DEBIAN_IMAGEJ")))
			fail("Debian's imagej package is not installed (apt-get install imagej), and LABELLOOP_REQUIRE_DEBIAN_IMAGEJ=1");
		assumeTrue(installed, "Debian's imagej package is not installed (apt-get install imagej); .ci/run installs it");
	}

	/** ~/.imagej/plugins with LabelLoop_.jar, and jars/ with the site's jars and those Fiji would ship; returns the class path. */
	private String install(Path home) throws Exception {
		Path plugins = home.resolve(".imagej/plugins"), jars = plugins.resolve("jars"), macros = home.resolve(".imagej/macros");
		Files.createDirectories(jars);
		Files.copy(UpdateSiteIT.SITE.resolve("plugins/LabelLoop_.jar"), plugins.resolve("LabelLoop_.jar"));
		UpdateSiteIT.copyTree(UpdateSiteIT.SITE.resolve("jars"), jars);
		UpdateSiteIT.copyTree(UpdateSiteIT.SITE.resolve("macros"), macros);
		for (String entry : ChildJvm.classPath().split(File.pathSeparator)) {
			String name = Path.of(entry).getFileName().toString();
			if (name.endsWith(".jar") && !name.startsWith("ij-") && !name.contains("-sources") && UpdateSiteIT.FIJI_SHIPS.stream().anyMatch(name::startsWith))
				Files.copy(Path.of(entry), jars.resolve(name));
		}
		return IJ_JAR + File.pathSeparator + plugins + File.separator + "*" + File.pathSeparator + jars + File.separator + "*";
	}

	@Test
	void theFourExampleMacrosRunHeadlessInDebiansImageJ() throws Exception {
		Path home = Files.createDirectories(tmp.resolve("home"));
		String cp = install(home);
		Path macros = home.resolve(".imagej/macros");
		Path version = Files.writeString(tmp.resolve("version.ijm"), "print(\"ImageJ \" + getVersion());\n");
		String out = HeadlessBatch.run(home, cp, version, null);
		Matcher v = Pattern.compile("ImageJ (1\\.\\d\\d[a-z])").matcher(out);
		assertTrue(v.find(), out);
		assertTrue(v.group(1).compareTo("1.54p") < 0, "an older ImageJ than the build's: " + out);
		assertEquals(LabelLoopCommand.MIN_IMAGEJ, v.group(1), "the oldest ImageJ LabelLoop says it needs is this one");

		Path demo = tmp.resolve("demo");
		DemoProject.createFashion(TestData.folder(), demo, "demo");
		out = HeadlessBatch.run(home, cp, macros.resolve("LabelLoop_Labelling_Round.ijm"), "project=[" + demo + "] user=ann rounds=2");
		assertTrue(out.contains("Round 1: ") && out.contains("Round 2: "), out);
		assertFalse(out.contains("Exception") || out.contains("LabelLoop error"), out);
		Path curves = tmp.resolve("curves");
		out = HeadlessBatch.run(home, cp, macros.resolve("LabelLoop_Nightly_Retrain.ijm"), "project=[" + demo + "] out=[" + curves + "]");
		assertTrue(out.contains("Saved " + curves), out);
		assertTrue(Files.isDirectory(curves) && UpdateSiteIT.names(curves).size() == 2, out);
		out = HeadlessBatch.run(home, cp, macros.resolve("LabelLoop_Bulk_Label.ijm"), "project=[" + demo + "] class=coat min=0.5 user=bob");
		assertTrue(out.matches("(?s).*Bulk labelling: \\d+ image\\(s\\) labelled coat\\..*"), out);
		assertFalse(out.contains("Exception"), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			assertEquals(List.of("v1", "v2", "v3"), b.models().stream().map(m -> m.name()).toList(), "two rounds and a nightly retrain");
		}

		Path project = tmp.resolve("imported"), exports = tmp.resolve("exports");
		out = HeadlessBatch.run(home, cp, macros.resolve("LabelLoop_Batch_Import_Export.ijm"), "project=[" + project + "] images=["
				+ TestData.path("fashion").toAbsolutePath() + "] out=[" + exports + "] user=ida labels=[" + TestData.path("fashion/labels.csv").toAbsolutePath()
				+ "] format=csv");
		assertTrue(out.contains("LabelLoop: images 20 added, 0 skipped") && out.contains("LabelLoop: labels 20 added, 0 skipped"), out);
		assertEquals(21, Files.readAllLines(exports.resolve("labels.csv")).size());
		assertTrue(Files.size(exports.resolve("labels-coco.json")) > 0 && Files.isDirectory(exports.resolve("rois")), out);
	}
}
