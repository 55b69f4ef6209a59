package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.Task;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.TrainOptions;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Target;

/**
 * The dashboard in headless Chromium against a real server: the page loads, reads /api/dashboard with the token
 * from the address, and draws progress, classes, users, the learning curve and the open flags. A screenshot goes
 * to {@code target/dashboard.png}. Skipped (saying so) only when Chromium is missing and
 * {@code LABELLOOP_REQUIRE_GUI} is not set.
 */
class DashboardTest {

	@TempDir
	Path dir;

	static String chromium() {
		for (String c : List.of("chromium", "chromium-browser", "google-chrome"))
			for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
				if (Files.isExecutable(Path.of(d, c))) return Path.of(d, c).toString();
		return null;
	}

	private static String run(List<String> cmd) throws Exception {
		Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		byte[] out = p.getInputStream().readAllBytes();
		if (!p.waitFor(120, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			fail("chromium did not finish: " + cmd);
		}
		return new String(out, StandardCharsets.UTF_8);
	}

	@Test
	void theDashboardDrawsTheProjectInHeadlessChromium() throws Exception {
		String chrome = chromium();
		if (chrome == null) {
			if (System.getenv("LABELLOOP_REQUIRE_GUI") != null) fail("Chromium is missing but LABELLOOP_REQUIRE_GUI is set: apt-get install -y chromium");
			Assumptions.abort("Chromium is not installed (apt-get install -y chromium): the dashboard test is skipped.");
		}
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		try (LocalBackend sam = LocalBackend.open(lab.folder(), "sam")) {
			long top = sam.classes().stream().filter(c -> c.name().equals("top")).findFirst().orElseThrow().id();
			long foot = sam.classes().stream().filter(c -> c.name().equals("footwear")).findFirst().orElseThrow().id();
			List<Edit> labels = new ArrayList<>();
			for (var im : sam.images())
				if (LabFixture.FASHION.contains(im.name()))
					labels.add(new Edit.Create(im.id(), AnnotationData.human(null, im.name().matches(".*(boot|sandal|sneaker).*") ? foot : top, "sam")));
			sam.apply("label", labels);
			sam.retrain(TrainOptions.defaults().withTasks(List.of(Task.IMAGE)), Progress.NONE);
			sam.addComment(Target.image(sam.images().get(0).id()), null, Comment.Kind.QUESTION_LABEL, "Is this a coat?");
		}
		try (LabServer server = LabServer.start(lab.folder(), LabServer.Config.loopback(0))) {
			String page = server.url() + "/#token=" + lab.token("bob");
			List<String> base = List.of(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
					"--user-data-dir=" + dir.resolve("chrome"), "--virtual-time-budget=10000", "--window-size=1280,900");
			List<String> dump = new ArrayList<>(base);
			dump.addAll(List.of("--dump-dom", page));
			String dom = run(dump);
			assertTrue(dom.contains("data-ready=\"yes\""), dom);
			assertTrue(dom.contains("LabelLoop — lab"), dom);
			assertTrue(dom.contains("Is this a coat?"), "the open flag is listed: " + dom);
			assertTrue(dom.contains(">footwear<") && dom.contains(">top<"), dom);
			assertTrue(dom.contains("<polyline"), "the learning curve is drawn");
			assertTrue(dom.contains("<td>sam</td><td>8</td>"), "sam's 8 labels: " + dom);

			Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
			Files.deleteIfExists(shot);
			List<String> screenshot = new ArrayList<>(base);
			screenshot.addAll(List.of("--screenshot=" + shot, page));
			run(screenshot);
			assertTrue(Files.size(shot) > 10_000, "screenshot written: " + shot);
			java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(shot.toFile());
			assertEquals(1280, img.getWidth());

			String noToken = run(concat(base, "--dump-dom", server.url() + "/"));
			assertTrue(noToken.contains("id=\"login\"") && !noToken.contains("data-ready=\"yes\""), "without a token the page asks for one");
		}
	}

	private static List<String> concat(List<String> a, String... b) {
		List<String> l = new ArrayList<>(a);
		l.addAll(List.of(b));
		return l;
	}
}
