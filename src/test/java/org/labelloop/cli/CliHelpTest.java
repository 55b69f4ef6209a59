package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * {@code --help} and {@code --version} on every command and subcommand, found by walking the picocli command tree (so
 * a command added later is covered without touching this test); usage errors go to stderr only.
 */
class CliHelpTest extends CommandLineTest {

	/** Every command path ("labelloop user add" → [user, add]), the root as an empty list, by qualified name. */
	static Map<String, List<String>> commandPaths() {
		Map<String, List<String>> paths = new TreeMap<>();
		walk(Main.commandLine(), new ArrayList<>(), paths);
		return paths;
	}

	private static void walk(CommandLine cl, List<String> path, Map<String, List<String>> paths) {
		paths.put(cl.getCommandSpec().qualifiedName(), List.copyOf(path));
		// getSubcommands() lists aliases too; each command is walked once under its own name
		for (CommandLine sub : cl.getSubcommands().values()) {
			String name = sub.getCommandName();
			if (paths.containsKey(sub.getCommandSpec().qualifiedName())) continue;
			path.add(name);
			walk(sub, path, paths);
			path.remove(path.size() - 1);
		}
	}

	private static String[] with(List<String> path, String option) {
		List<String> args = new ArrayList<>(path);
		args.add(option);
		return args.toArray(String[]::new);
	}

	@Test
	void theWalkFindsNestedSubcommands() {
		Map<String, List<String>> paths = commandPaths();
		for (String c : List.of("labelloop", "labelloop init", "labelloop add", "labelloop user", "labelloop user add",
				"labelloop user token", "labelloop bench", "labelloop bench vector", "labelloop serve"))
			assertTrue(paths.containsKey(c), c + " not in " + paths.keySet());
		assertTrue(paths.size() > 20, paths.keySet().toString());
	}

	@Test
	void helpOnEveryCommandExits0WithUsageOnStdout() {
		for (Map.Entry<String, List<String>> c : commandPaths().entrySet()) {
			for (String help : List.of("--help", "-h")) {
				int code = run(with(c.getValue(), help));
				assertEquals(0, code, c.getKey() + " " + help + ": exit code; stderr: " + err());
				assertTrue(out().startsWith("Usage: " + c.getKey()), c.getKey() + " " + help + ": " + out());
				assertEquals("", err(), c.getKey() + " " + help + " wrote to stderr");
			}
		}
	}

	@Test
	void versionOnEveryCommandExits0() {
		for (Map.Entry<String, List<String>> c : commandPaths().entrySet()) {
			assertEquals(0, run(with(c.getValue(), "--version")), c.getKey() + " --version; stderr: " + err());
			assertTrue(out().startsWith("LabelLoop "), c.getKey() + " --version printed: " + out());
			assertEquals("", err(), c.getKey());
		}
	}

	@Test
	void usageErrorsGoToStderrWithExitCode2() {
		assertEquals(2, run("init"));
		assertTrue(err().contains("Missing required parameter"), err());
		assertTrue(err().contains("Usage: labelloop init"), err());
		assertEquals("", out());

		assertEquals(2, run("user"));
		assertTrue(err().contains("Usage: labelloop user"), err());
		assertEquals("", out());

		assertEquals(2, run("add", "-p", "x", "--frobnicate", "y.png"));
		assertTrue(err().contains("Unknown option: '--frobnicate'"), err());
		assertEquals("", out());
	}
}
