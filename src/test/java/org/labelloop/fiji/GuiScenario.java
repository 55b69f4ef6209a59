package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.labelloop.testing.ChildJvm;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs one {@link GuiDriver} scenario in a child JVM on a display: ImageJ with the plugin's menu (a jar holding
 * {@code plugins.config}), the test data, screenshots into {@code target/gui-artifacts/}; returns its results,
 * failing on a crash, a timeout or an exception in the scenario.
 */
final class GuiScenario {

	static final Path ARTIFACTS = Path.of("target", "gui-artifacts").toAbsolutePath();

	private GuiScenario() {
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> run(VirtualDisplay display, String scenario, Path work, int seconds, String... props) throws Exception {
		Path home = work.resolve("home");
		Files.createDirectories(home.resolve("plugins"));
		Files.createDirectories(ARTIFACTS);
		try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(home.resolve("plugins/LabelLoop_.jar")))) {
			jar.putNextEntry(new JarEntry("plugins.config"));
			jar.write(Files.readAllBytes(Path.of("plugins.config")));
			jar.closeEntry();
		}
		Path out = work.resolve(scenario);
		List<String> jvm = new ArrayList<>(List.of("-Dplugins.dir=" + home, "-Duser.home=" + home,
				"-Dlabelloop.testData=" + Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath(), "-Djava.awt.headless=false",
				"-Dgui.shots=" + ARTIFACTS));
		jvm.addAll(List.of(props));
		ProcessBuilder pb = ChildJvm.builder(jvm, GuiDriver.class, scenario, out.toString());
		pb.environment().put("DISPLAY", display.display());
		pb.environment().put("HOME", home.toString());
		Path log = ARTIFACTS.resolve(scenario + ".log");
		pb.redirectErrorStream(true).redirectOutput(log.toFile());
		Process p = pb.start();
		if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("the " + scenario + " scenario did not finish; see " + log);
		}
		Path results = out.resolve("results.json");
		if (!Files.exists(results)) fail("no results (exit " + p.exitValue() + "):\n" + Files.readString(log));
		Map<String, Object> r = new ObjectMapper().readValue(results.toFile(), Map.class);
		Files.copy(results, ARTIFACTS.resolve(scenario + ".json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		assertNull(r.get("timeout"), () -> String.valueOf(r.get("timeout")));
		assertNull(r.get("exception"), () -> r.get("exception") + "\nlog:\n" + r.get("log"));
		assertNull(r.get("closeException"), () -> String.valueOf(r.get("closeException")));
		return r;
	}
}
