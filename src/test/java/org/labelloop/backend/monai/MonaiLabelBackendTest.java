package org.labelloop.backend.monai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.Backend;
import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.NextOptions;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;

/**
 * Contract tests of {@link MonaiLabelBackend} against MONAI Label 0.8.5's REST API, served by MockWebServer from the
 * fixtures in {@code src/test/resources/monai/0.8.5/} (written from the published API docs: no MONAI Label server runs
 * here).
 */
public class MonaiLabelBackendTest {

	static final Path FIXTURES = Path.of("src/test/resources/monai/0.8.5");

	@TempDir
	Path tmp;

	final MockWebServer server = new MockWebServer();
	final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
	String version = "0.8.5";
	String token;

	@AfterEach
	void stop() throws IOException {
		server.shutdown();
	}

	public static String fixture(String name) {
		try {
			return Files.readString(FIXTURES.resolve(name));
		} catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	/** The served image (cell.png): its size is the mask's. */
	static final ImagePlus IMAGE = ij.IJ.openImage(TestData.path("microscopy/cell.png").toString());

	/** The model's answer: a label mask of the image's size with a nucleus (1) at 10,10 12×8 and a cell (2) at 40,20 16×16. */
	public static byte[] mask() {
		ByteProcessor ip = new ByteProcessor(IMAGE.getWidth(), IMAGE.getHeight());
		ip.setValue(1);
		ip.fillRect(10, 10, 12, 8);
		ip.setValue(2);
		ip.fillRect(40, 20, 16, 16);
		return new FileSaver(new ImagePlus("mask", ip)).serialize();
	}

	public static MockResponse json(String body) {
		return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
	}

	void start() throws IOException {
		byte[] image = Files.readAllBytes(TestData.path("microscopy/cell.png"));
		server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest r) {
				requests.add(r);
				String path = r.getPath();
				if (path.equals("/auth/token")) {
					String form = r.getBody().readUtf8();
					return form.equals("username=ann&password=secret") ? json(fixture("auth-token.json")) : new MockResponse().setResponseCode(401);
				}
				if (token != null && !("Bearer " + token).equals(r.getHeader("Authorization")))
					return new MockResponse().setResponseCode(401).setBody("{\"detail\":\"Not authenticated\"}");
				if (path.equals("/info/")) return json(fixture("info.json").replace("\"version\": \"0.8.5\"", "\"version\": \"" + version + "\""));
				if (path.equals("/datastore/?output=all")) return json(fixture("datastore.json"));
				if (path.equals("/activelearning/random") && r.getMethod().equals("POST")) return json(fixture("activelearning-random.json"));
				if (path.startsWith("/datastore/image?image=")) return new MockResponse().setBody(new Buffer().write(image));
				if (path.startsWith("/infer/segmentation_nuclei?image=") && r.getMethod().equals("POST")) return new MockResponse().setBody(new Buffer().write(mask()));
				if (path.equals("/datastore/label?image=cell_b&tag=final") && r.getMethod().equals("PUT")) return json(fixture("label.json"));
				if (path.equals("/train/segmentation_nuclei") && r.getMethod().equals("POST")) return json(fixture("train.json"));
				if (path.equals("/train/")) return json(fixture("train-status.json"));
				return new MockResponse().setResponseCode(404).setBody("{\"detail\":\"Not Found\"}");
			}
		});
		server.start();
	}

	MonaiLabelBackend connect(AtomicInteger logins, String password) {
		return new MonaiLabelBackend(server.url("/").toString(), "ann", url -> {
			logins.incrementAndGet();
			return password == null ? null : new MonaiLabelBackend.Credentials("ann", password);
		}, tmp.resolve("cache"));
	}

	@Test
	void nextImageProposalsFromTheModelAndLabelSubmissionAsAMask() throws Exception {
		start();
		try (MonaiLabelBackend b = connect(new AtomicInteger(), null)) {
			assertEquals("MONAILabel - Nuclei 2D", b.projectName());
			assertEquals(List.of(), b.warnings());
			assertEquals("segmentation_nuclei", b.model());
			assertEquals(List.of("nucleus 1", "cell 2"), b.classes().stream().map(c -> c.name() + " " + c.id()).toList());
			assertEquals(List.of("cell_a.png", "cell_b.png", "cell_c.png"), b.images().stream().map(i -> i.name()).toList());

			var chosen = b.nextItem("random", NextOptions.DEFAULT).orElseThrow();
			assertEquals("cell_b.png", chosen.image().name());
			long id = chosen.image().id();
			assertTrue(Files.size(b.imageFile(id)) > 0, "downloaded from /datastore/image");
			assertTrue(requests.stream().anyMatch(r -> r.getPath().equals("/datastore/image?image=cell_b")));

			List<Annotation> proposals = b.annotations(id);
			assertEquals(2, proposals.size(), proposals::toString);
			Annotation nucleus = proposals.stream().filter(a -> a.data().classId() == 1L).findFirst().orElseThrow();
			Annotation cell = proposals.stream().filter(a -> a.data().classId() == 2L).findFirst().orElseThrow();
			assertEquals(10, nucleus.data().geometry().bounds().x(), 0.01);
			assertEquals(12 * 8, nucleus.data().geometry().area(), 0.5);
			assertEquals(16 * 16, cell.data().geometry().area(), 0.5);
			assertTrue(proposals.stream().allMatch(a -> a.data().status() == Status.PROPOSED && a.data().origin().toString().equals("model:segmentation_nuclei")));
			assertEquals(1, requests.stream().filter(r -> r.getPath().startsWith("/infer/")).count());
			assertEquals(proposals, b.annotations(id), "inferred once per image");

			// accept the nucleus, reject the cell: the mask sent holds the nucleus only
			b.apply("Accept", List.of(new Edit.Update(nucleus.id(), nucleus.revision(), nucleus.data().withStatus(Status.ACCEPTED)),
					new Edit.Update(cell.id(), cell.revision(), cell.data().withStatus(Status.REJECTED))));
			RecordedRequest put = requests.stream().filter(r -> r.getMethod().equals("PUT")).findFirst().orElseThrow();
			assertEquals("/datastore/label?image=cell_b&tag=final", put.getPath());
			byte[] body = put.getBody().readByteArray();
			String text = new String(body, StandardCharsets.ISO_8859_1);
			assertTrue(text.contains("name=\"label\"; filename=\"cell_b.tif\""), text.substring(0, 300));
			assertTrue(text.contains("name=\"params\""));
			int start = text.indexOf("MM\u0000*") >= 0 ? text.indexOf("MM\u0000*") : text.indexOf("II*\u0000");
			ImagePlus sent = new Opener().openTiff(new ByteArrayInputStream(body, start, body.length - start), "label");
			ImageProcessor ip = sent.getProcessor();
			assertEquals(IMAGE.getWidth(), ip.getWidth(), "the mask has the image's size");
			assertEquals(IMAGE.getHeight(), ip.getHeight());
			assertEquals(1, ip.get(15, 14), "the accepted nucleus, as label 1");
			assertEquals(0, ip.get(45, 25), "the rejected cell is not in the mask");
			assertEquals(0, ip.get(0, 0));
			assertEquals(Status.ACCEPTED, b.annotation(nucleus.id()).orElseThrow().data().status());

			// a stale write is refused, and nothing is sent
			assertThrows(org.labelloop.core.model.ConflictException.class,
					() -> b.apply("Stale", List.of(new Edit.Update(nucleus.id(), nucleus.revision(), nucleus.data().withStatus(Status.REJECTED)))));
			assertEquals(1, requests.stream().filter(r -> r.getMethod().equals("PUT")).count());

			var report = b.retrain(org.labelloop.backend.TrainOptions.defaults(), org.labelloop.core.model.Progress.NONE);
			assertTrue(report.summary().contains("training started on the MONAI Label server"), report.summary());
			assertEquals("RUNNING", b.trainingStatus());
		}
	}

	@Test
	void facetsTheServerLacksAreMissingByTypeWithTheReason() throws Exception {
		start();
		try (MonaiLabelBackend b = connect(new AtomicInteger(), null)) {
			for (Class<?> f : List.of(Backend.Similarity.class, Backend.Comments.class, Backend.Reviewing.class, Backend.History.class,
					Backend.LabelFiles.class, Backend.ImageImport.class, Backend.OwnModels.class)) {
				assertTrue(b.facet(f).isEmpty(), f.getSimpleName());
				assertTrue(b.missing(f).contains("needs a LabelLoop project"), b.missing(f));
			}
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.require(Backend.Comments.class));
			assertTrue(e.getMessage().startsWith("MONAI Label has no comments or flags."), e.getMessage());
			e = assertThrows(LabelLoopException.class, () -> b.require(Backend.History.class));
			assertTrue(e.getMessage().startsWith("MONAI Label keeps one label per image"), e.getMessage());
			IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> b.nextItems("entropy", 1, NextOptions.DEFAULT));
			assertEquals("The MONAI Label server has no strategy 'entropy'. Its strategies: random, first.", unknown.getMessage());
			assertEquals(Optional.empty(), b.imagePrediction(1));
		}
		try (LocalBackend local = LocalBackend.create(tmp.resolve("local"), "local", "ann")) {
			for (Class<?> f : LabelLoopBackend.class.getInterfaces())
				assertTrue(local.facet(f).isPresent(), "a local project has " + Backend.describe(f));
		}
	}

	@Test
	void aServerOfAnotherVersionGivesAWarningAndOneWithoutAVersionIsRefused() throws Exception {
		version = "0.7.1";
		start();
		try (MonaiLabelBackend b = connect(new AtomicInteger(), null)) {
			assertEquals(List.of("MONAI Label server " + server.url("/") + " runs version 0.7.1; LabelLoop was tested with 0.8.x. If something fails, use a 0.8.x server."),
					b.warnings());
			assertEquals(3, b.images().size(), "it still works as far as the API is the same");
		}
		version = "";
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> connect(new AtomicInteger(), null));
		assertTrue(e.getMessage().endsWith("answered /info/ without a version: is it a MONAI Label server?"), e.getMessage());
	}

	@Test
	void withAuthOnA401AsksForALoginAndRetriesWithTheToken() throws Exception {
		token = "eyJhbGciOiJIUzI1NiJ9.fixture.token";
		start();
		AtomicInteger logins = new AtomicInteger();
		try (MonaiLabelBackend b = connect(logins, "secret")) {
			assertEquals(1, logins.get(), "asked once");
			assertEquals(3, b.images().size());
			assertEquals(List.of("/info/", "/auth/token", "/info/", "/datastore/?output=all"), requests.stream().map(RecordedRequest::getPath).toList());
			assertEquals("Bearer " + token, requests.get(3).getHeader("Authorization"));
		}
		requests.clear();
		LabelLoopException wrong = assertThrows(LabelLoopException.class, () -> connect(new AtomicInteger(), "guess"));
		assertEquals("MONAI Label server " + server.url("/") + " refused the login for 'ann' (401).", wrong.getMessage());
		LabelLoopException cancelled = assertThrows(LabelLoopException.class, () -> connect(new AtomicInteger(), null));
		assertEquals("MONAI Label server " + server.url("/") + " needs a login; none was given.", cancelled.getMessage());
	}

	@Test
	void anUnreachableServerOrABadAddressIsAClearError() throws Exception {
		start();
		String url = server.url("/").toString();
		server.shutdown();
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> new MonaiLabelBackend(url, "ann", u -> null, tmp));
		assertTrue(e.getMessage().startsWith("Cannot reach the MONAI Label server " + url), e.getMessage());
		e = assertThrows(LabelLoopException.class, () -> new MonaiLabelBackend("localhost 8000", "ann", u -> null, tmp));
		assertEquals("Not a server address: 'localhost 8000' (expected e.g. http://localhost:8000).", e.getMessage());
		assertFalse(Files.exists(tmp.resolve("cache")));
	}
}
