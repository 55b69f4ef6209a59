package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.remote.TokenFile;
import org.labelloop.backend.remote.Wire;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;
import org.labelloop.testing.ChildJvm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The "done when", headless: two ImageJ instances share one server; both label, neither gets the other's
 * image, a flag raised in one shows on the open image of the other (live updates), and the dashboard's data shows
 * the progress and the flag.
 */
class TwoLabellersTest {

	@TempDir
	Path tmp;

	private Process imagej(String macro, String home) throws Exception {
		Path file = tmp.resolve("job" + System.nanoTime() + ".ijm");
		Files.writeString(file, macro);
		ProcessBuilder pb = ChildJvm.builder(List.of("-Djava.awt.headless=true", "-Duser.home=" + home, "-Dlabelloop.liveUpdateMillis=300"),
				HeadlessImageJ.class, "-batch", file.toString());
		ChildJvm.headless(pb);
		pb.environment().put("HOME", home);
		pb.redirectErrorStream(true);
		return pb.start();
	}

	@Test
	void twoImageJsShareOneServer() throws Exception {
		Path p = tmp.resolve("lab");
		Files.createDirectories(p.resolve("images"));
		for (String m : List.of("cell.png", "coins.png")) Files.copy(TestData.path("microscopy/" + m), p.resolve("images/" + m));
		String ann, bob, head;
		try (LocalBackend b = LocalBackend.create(p, "lab", "head")) {
			b.addImages(List.of(p.resolve("images")), Progress.NONE);
			b.addClass("cell", null, "1");
			ann = Tokens.addUser(b.store(), "ann", Role.LABELLER, "head");
			bob = Tokens.addUser(b.store(), "bob", Role.LABELLER, "head");
			head = Tokens.addUser(b.store(), "head", Role.ADMIN, "head");
		}
		Path sync = tmp.resolve("sync");
		Files.createDirectories(sync);
		try (LabServer server = LabServer.start(p, LabServer.Config.loopback(0))) {
			String annHome = tmp.resolve("ann").toString(), bobHome = tmp.resolve("bob").toString();
			TokenFile.write(Path.of(annHome, ".config/labelloop/tokens.properties"), server.url(), "ann", ann);
			TokenFile.write(Path.of(bobHome, ".config/labelloop/tokens.properties"), server.url(), "bob", bob);
			Process a = imagej("run(\"Connect to Server...\", \"url=[" + server.url() + "] user=ann remember=no\");\n"
					+ "run(\"Next Image\", \"strategy=random\");\n" + "print(\"A got: \" + getTitle());\n" + "run(\"Label Whole Image\", \"class=cell\");\n"
					+ "s = \"\";\nfor (i = 0; i < Overlay.size; i++) { Overlay.activateSelection(i); s = s + \"|\" + Roi.getName + \" flagged=\" + Roi.getProperty(\"labelloop.flagged\"); }\n"
					+ "print(\"A before: \" + s);\n" + "File.saveString(getTitle(), \"" + sync.resolve("a-ready") + "\");\n"
					+ "while (!File.exists(\"" + sync.resolve("b-flagged") + "\")) wait(100);\n" + "wait(3000);\n"
					+ "s = \"\";\nfor (i = 0; i < Overlay.size; i++) { Overlay.activateSelection(i); s = s + \"|\" + Roi.getName + \" flagged=\" + Roi.getProperty(\"labelloop.flagged\"); }\n"
					+ "print(\"A overlay: \" + s);\n", annHome);
			Process b = imagej("run(\"Connect to Server...\", \"url=[" + server.url() + "] user=bob remember=no\");\n"
					+ "while (!File.exists(\"" + sync.resolve("a-ready") + "\")) wait(100);\n" + "run(\"Next Image\", \"strategy=random\");\n"
					+ "print(\"B got: \" + getTitle());\n" + "run(\"Label Whole Image\", \"class=cell\");\n"
					+ "aTitle = File.openAsString(\"" + sync.resolve("a-ready") + "\");\n"
					+ "for (k = 0; k < 3 && getTitle() != aTitle; k++) run(\"Next Image\", \"strategy=sequential\");\n"
					+ "print(\"B now on: \" + getTitle());\n" + "run(\"Comment\", \"kind=question-label text=[Is this really a cell?]\");\n"
					+ "File.saveString(\"x\", \"" + sync.resolve("b-flagged") + "\");\n", bobHome);
			String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
			String aGot = group("A got: (\\S+)", outA), bGot = group("B got: (\\S+)", outB);
			assertNotEquals(aGot, bGot, "neither gets the other's image:\n" + outA + "\n" + outB);
			assertEquals(aGot, group("B now on: (\\S+)", outB), outB);
			assertTrue(group("A before: (.*)", outA).contains("flagged=") && !group("A before: (.*)", outA).contains("flagged=yes"), outA);
			assertTrue(group("A overlay: (.*)", outA).contains("flagged=yes"), "the flag shows on A's open image: " + outA + "\n---\n" + outB);

			JsonNode d = Wire.MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/dashboard"))
					.header("Authorization", "Bearer " + head).build(), HttpResponse.BodyHandlers.ofString()).body());
			assertEquals(2, d.get("labelledImages").asInt(), d.toString());
			assertEquals(1, d.get("perUser").get("ann").asInt());
			assertEquals(1, d.get("perUser").get("bob").asInt());
			assertEquals("Is this really a cell?", d.get("openFlags").get(0).get("text").asText());
		}
	}

	private static String group(String regex, String text) {
		Matcher m = Pattern.compile(regex).matcher(text);
		assertTrue(m.find(), regex + " not in:\n" + text);
		return m.group(1);
	}
}
