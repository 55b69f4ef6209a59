package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.backend.remote.TokenFile;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.server.LabServer;
import org.labelloop.server.Tokens;
import org.labelloop.testing.ChildJvm;

/** Connect to Server and Share Project in a headless ImageJ, talking to a real server. */
class ServerMacroTest {

	@TempDir
	Path tmp;

	private Path project(String name) throws Exception {
		Path p = tmp.resolve(name);
		Files.createDirectories(p.resolve("images"));
		for (String m : List.of("cell.png", "coins.png")) Files.copy(TestData.path("microscopy/" + m), p.resolve("images/" + m));
		try (LocalBackend b = LocalBackend.create(p, name, "ann")) {
			b.addImages(List.of(p.resolve("images")), Progress.NONE);
			b.addClass("cell", null, "1");
		}
		return p;
	}

	private Process imagej(String macro) throws Exception {
		Path file = tmp.resolve("job" + System.nanoTime() + ".ijm");
		Files.writeString(file, macro);
		ProcessBuilder pb = ChildJvm.builder(List.of("-Djava.awt.headless=true", "-Duser.home=" + tmp), HeadlessImageJ.class, "-batch", file.toString());
		ChildJvm.headless(pb);
		pb.environment().put("HOME", tmp.toString());
		pb.redirectErrorStream(true);
		return pb.start();
	}

	@Test
	void aMacroConnectsToTheServerWithTheRememberedTokenAndLabels() throws Exception {
		Path p = project("remote");
		String token;
		try (LocalBackend b = LocalBackend.open(p, "ann")) {
			token = Tokens.addUser(b.store(), "bob", Role.LABELLER, "ann");
		}
		try (LabServer server = LabServer.start(p, LabServer.Config.loopback(0))) {
			String macro = "run(\"Connect to Server...\", \"url=[" + server.url() + "] user=bob remember=no\");\n"
					+ "run(\"Next Image\", \"strategy=random\");\n" + "run(\"Label Whole Image\", \"class=cell\");\n" + "print(\"shown: \" + getTitle());\n";
			Process none = imagej(macro);
			String refused = new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			none.waitFor(60, TimeUnit.SECONDS);
			assertTrue(refused.contains("No token for bob at " + server.url()), refused);

			TokenFile.write(tmp.resolve(".config/labelloop/tokens.properties"), server.url(), "bob", token);
			Process ij = imagej(macro);
			String out = new String(ij.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertTrue(ij.waitFor(90, TimeUnit.SECONDS));
			assertTrue(out.contains("connected to 'remote' at " + server.url() + " as bob (labeller)"), out);
			assertTrue(out.contains("shown: "), out);
			List<Annotation> bobs = server.store().allAnnotations().stream().filter(a -> a.author().equals("bob")).toList();
			assertEquals(1, bobs.size(), out);
			assertEquals(server.store().classByName("cell").orElseThrow().id(), bobs.get(0).data().classId());
			assertTrue(out.contains(bobs.get(0).imageId() == server.store().images().get(0).id() ? "cell.png" : "coins.png"), out);
			assertTrue(Files.list(tmp.resolve(".cache/labelloop/servers")).findAny().isPresent(), "the image came through the cache");
		}
	}

	@Test
	void shareProjectServesTheOpenProjectAndPrintsAColleaguesTokenOnce() throws Exception {
		Path p = project("shared");
		Path done = tmp.resolve("done");
		Process ij = imagej("run(\"Open Project\", \"folder=[" + p + "] user=ann\");\n"
				+ "run(\"Share Project...\", \"port=0 listen=127.0.0.1 colleague=carol role=reviewer\");\n"
				+ "while (!File.exists(\"" + done + "\")) wait(100);\n" + "run(\"Stop Sharing\");\n" + "print(\"stopped\");\n");
		BufferedReader in = new BufferedReader(new InputStreamReader(ij.getInputStream(), StandardCharsets.UTF_8));
		Pattern share = Pattern.compile("URL (\\S+), user carol, token \\(shown only now\\): (\\S+)");
		String url = null, token = null;
		StringBuilder seen = new StringBuilder();
		for (String line; (line = in.readLine()) != null;) {
			seen.append(line).append('\n');
			Matcher m = share.matcher(line);
			if (m.find()) {
				url = m.group(1);
				token = m.group(2);
				break;
			}
		}
		assertTrue(token != null, seen.toString());
		try (RemoteBackend carol = RemoteBackend.connect(url, "carol", token, tmp.resolve("cache"), Duration.ofSeconds(20))) {
			assertEquals("shared", carol.projectName());
			assertEquals(Role.REVIEWER, carol.role());
			carol.apply("label", List.of(new Edit.Create(carol.images().get(0).id(), AnnotationData.human(null, carol.classes().get(0).id(), "carol"))));
		} finally {
			Files.writeString(done, "");
		}
		String rest = new String(ij.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertTrue(ij.waitFor(60, TimeUnit.SECONDS));
		assertTrue(rest.contains("stopped sharing the project"), rest);
		try (LocalBackend b = LocalBackend.open(p, "ann")) {
			assertEquals("carol", b.annotations(b.images().get(0).id()).get(0).author(), "carol's label is in the project");
			assertEquals(Role.ADMIN, b.role(), "the one who shares becomes admin of a project without one");
		}
	}
}
