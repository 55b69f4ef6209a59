package org.labelloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.testing.ChildJvm;
import org.labelloop.testing.HeadlessBatch;

/**
 * The update sites that {@code mvn package} assembles (run by Failsafe after {@code package}): the layout and the
 * exact jar lists, built twice the same, and the "done when": an empty folder standing for {@code Fiji.app}, plus the
 * jars Fiji itself ships that LabelLoop relies on, gets the site copied in, and the example macros run there with a
 * plain {@code java -cp Fiji.app/jars/*:Fiji.app/plugins/*}, headless, with the results the tests expect.
 */
class UpdateSiteIT {

	static final Path SITE = Path.of("target/update-site").toAbsolutePath(), DL = Path.of("target/update-site-dl").toAbsolutePath();

	/** The runtime jars Fiji does not ship (docs/distribution.md gives the reason for each decision). */
	static final List<String> OUR_JARS = List.of("external-umap-java-1.0.jar", "lucene-core-9.12.3.jar", "smile-core-2.6.0.jar", "smile-data-2.6.0.jar",
			"smile-graph-2.6.0.jar", "smile-math-2.6.0.jar", "sqlite-jdbc-3.54.1.0.jar");
	static final List<String> DL_JARS = List.of("api-0.36.0.jar", "onnxruntime-1.21.1.jar", "onnxruntime-engine-0.36.0.jar", "pytorch-engine-0.36.0.jar",
			"pytorch-jni-2.7.1-0.36.0.jar", "pytorch-native-cpu-2.7.1-linux-x86_64.jar");
	/** What Fiji ships that LabelLoop uses at run time (artifact file name prefixes), taken from the local Maven repository. */
	static final List<String> FIJI_SHIPS = List.of("ij-1.54p", "jackson-core-", "jackson-databind-", "jackson-annotations-", "okhttp-4", "okio-3", "okio-jvm-",
			"kotlin-stdlib-1", "gson-", "slf4j-api-", "commons-io-", "commons-compress-", "commons-codec-", "jna-5", "picocli-");

	@TempDir
	Path tmp;

	static List<String> names(Path dir) throws IOException {
		try (Stream<Path> s = Files.list(dir)) {
			return s.map(p -> p.getFileName().toString()).sorted().toList();
		}
	}

	static Map<String, String> tree(Path root) throws Exception {
		Map<String, String> t = new TreeMap<>();
		try (Stream<Path> s = Files.walk(root)) {
			for (Path p : s.filter(Files::isRegularFile).toList())
				t.put(root.relativize(p).toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
		}
		return t;
	}

	@Test
	void theSiteHasFijisLayoutAndExactlyTheJarsFijiLacks() throws Exception {
		assertEquals(List.of("jars", "macros", "plugins", "scripts"), names(SITE));
		assertEquals(List.of("LabelLoop_.jar"), names(SITE.resolve("plugins")));
		assertEquals(OUR_JARS, names(SITE.resolve("jars")), "no jar Fiji ships (ij, jackson, okhttp, ...) and no deep-learning jar");
		assertEquals(List.of("LabelLoop_Batch_Import_Export.ijm", "LabelLoop_Bulk_Label.ijm", "LabelLoop_Labelling_Round.ijm", "LabelLoop_Nightly_Retrain.ijm"),
				names(SITE.resolve("macros")));
		assertEquals(DL_JARS, names(DL.resolve("jars")));
		assertEquals(List.of("jars"), names(DL));
		try (ZipFile jar = new ZipFile(SITE.resolve("plugins/LabelLoop_.jar").toFile())) {
			assertTrue(jar.getEntry("plugins.config") != null, "ImageJ reads the menu from the jar's root");
			assertTrue(jar.getEntry("org/labelloop/fiji/commands/NextImage.class") != null);
			assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/sqlite/") || e.getName().startsWith("smile/") || e.getName().startsWith("ai/djl/")
					|| e.getName().startsWith("com/fasterxml/") || e.getName().startsWith("ij/")), "the plugin jar is not shaded");
		}
	}

	@Test
	void builtTwiceTheSameTree() throws Exception {
		Map<String, String> before = tree(SITE), beforeDl = tree(DL);
		// rebuild both sites from the jar already built (what package does after jar:jar), as a second build would
		ProcessBuilder pb = new ProcessBuilder("mvn", "-B", "-o", "-q", "clean:clean@clean-update-sites", "assembly:single@update-site",
				"assembly:single@update-site-dl");
		pb.redirectErrorStream(true);
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(p.waitFor(300, TimeUnit.SECONDS));
		assertEquals(0, p.exitValue(), out);
		assertEquals(before, tree(SITE));
		assertEquals(beforeDl, tree(DL));
	}

	/** An empty Fiji.app with the jars Fiji ships that LabelLoop uses, then the update site copied in as the Updater would. */
	Path fijiWithTheSite() throws IOException {
		Path fiji = tmp.resolve("Fiji.app");
		Files.createDirectories(fiji.resolve("jars"));
		for (String entry : ChildJvm.classPath().split(File.pathSeparator)) {
			String name = Path.of(entry).getFileName().toString();
			if (name.endsWith(".jar") && FIJI_SHIPS.stream().anyMatch(name::startsWith) && !name.contains("-sources"))
				Files.copy(Path.of(entry), fiji.resolve("jars").resolve(name));
		}
		assertTrue(Files.exists(fiji.resolve("jars/ij-1.54p.jar")), "ij.jar from the local repository");
		copyTree(SITE, fiji);
		return fiji;
	}

	static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> s = Files.walk(from)) {
			for (Path p : s.toList()) {
				Path target = to.resolve(from.relativize(p).toString());
				if (Files.isDirectory(p)) Files.createDirectories(target);
				else Files.copy(p, target);
			}
		}
	}

	static String fijiClassPath(Path fiji) {
		return fiji.resolve("jars") + File.separator + "*" + File.pathSeparator + fiji.resolve("plugins") + File.separator + "*";
	}

	@Test
	void aNewUserInstallsTheSiteIntoAnEmptyFijiAndRunsTheExampleMacros() throws Exception {
		Path fiji = fijiWithTheSite();
		String cp = fijiClassPath(fiji);
		Path demo = tmp.resolve("demo");
		DemoProject.createFashion(TestData.folder(), demo, "demo");
		String out = HeadlessBatch.run(tmp, cp, fiji.resolve("macros/LabelLoop_Labelling_Round.ijm"), "project=[" + demo + "] user=ann rounds=2");
		assertTrue(out.matches("(?s).*Round 2: \\S+ \\(model v1: \\S+ \\d\\.\\d\\d\\?[^\n]*\\) -> \n.*"), "v1 is unsure, so round 2 labels nothing:\n" + out);
		assertFalse(out.contains("Exception"), out);
		String rounds = out;
		Path curves = tmp.resolve("curves");
		out = HeadlessBatch.run(tmp, cp, fiji.resolve("macros/LabelLoop_Nightly_Retrain.ijm"), "project=[" + demo + "] out=[" + curves + "]");
		assertTrue(out.contains("Saved " + curves), out);
		try (LocalBackend b = LocalBackend.open(demo, "tester")) {
			assertEquals(List.of("v1 image ready", "v2 image ready", "v3 image ready"),
					b.models().stream().map(m -> m.name() + " " + m.task() + " " + m.state().key()).toList());
			List<ModelVersion> m = b.models();
			assertEquals(m.get(0).trainSize(), m.get(1).trainSize(), "round 2 left v1's unsure guess unlabelled, as in MacroLibraryTest:\n" + rounds);
		}
		assertEquals(2, names(curves).size(), names(curves)::toString);
	}

	@Test
	void deepModelsWithoutTheDeepLearningSiteNameTheMissingJarsAndWorkOnceItIsAdded() throws Exception {
		Path fiji = fijiWithTheSite();
		Path macro = tmp.resolve("dl.ijm");
		Files.writeString(macro, "print(\"[\" + call(\"org.labelloop.core.learn.djl.Djl.missing\", \"PyTorch\") + \"]\");\n"
				+ "print(\"[\" + call(\"org.labelloop.core.learn.djl.Djl.missing\", \"OnnxRuntime\") + \"]\");\n");
		String out = HeadlessBatch.run(tmp, fijiClassPath(fiji), macro, null);
		assertTrue(out.contains("[Deep models (PyTorch) need jars that are not installed: api-0.36.0.jar (DJL), pytorch-engine-0.36.0.jar, "
				+ "pytorch-jni-2.7.1-0.36.0.jar, pytorch-native-cpu-2.7.1-linux-x86_64.jar"), out);
		assertTrue(out.contains("add the LabelLoop-DeepLearning update site"), out);
		assertTrue(out.contains("[Deep models (OnnxRuntime) need jars that are not installed: api-0.36.0.jar (DJL), onnxruntime-engine-0.36.0.jar, onnxruntime-1.21.1.jar."), out);
		copyTree(DL, fiji);
		out = HeadlessBatch.run(tmp, fijiClassPath(fiji), macro, null);
		assertTrue(out.contains("[]\n[]"), "nothing missing with the second site:\n" + out);
	}

	static String read(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}
}
