package org.labelloop.backend.monai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.Backend;
import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.NextOptions;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelVolumes;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import okhttp3.MediaType;
import okhttp3.MultipartReader;
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
	/** The app served: "" the 2D nuclei app of {@code info.json}, "radiology-" the 3D app of {@code radiology-info.json}. */
	String app = "";
	String model = "segmentation_nuclei", labelled = "cell_b";
	byte[] image;
	/** The model's answer to /infer; {@code null}: {@link #mask()}. Read per request, so a test may change it. */
	volatile byte[] inferAnswer;

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
		if (image == null) image = Files.readAllBytes(TestData.path("microscopy/cell.png"));
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
				if (path.equals("/info/")) return json(fixture(app + "info.json").replace("\"version\": \"0.8.5\"", "\"version\": \"" + version + "\""));
				if (path.equals("/datastore/?output=all")) return json(fixture(app + "datastore.json"));
				if (path.equals("/activelearning/random") && r.getMethod().equals("POST")) return json(fixture("activelearning-random.json"));
				if (path.startsWith("/datastore/image?image=")) return new MockResponse().setBody(new Buffer().write(image));
				if (path.startsWith("/infer/" + model + "?image=") && r.getMethod().equals("POST"))
					return new MockResponse().setBody(new Buffer().write(inferAnswer != null ? inferAnswer : mask()));
				if (path.equals("/datastore/label?image=" + labelled + "&tag=final") && r.getMethod().equals("PUT")) return json(fixture(app + "label.json"));
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

	// ---- 3D: the radiology app's NIfTI volumes and label maps ------------------------------------------------------

	/** The datastore's volume (48×56×8 T1 MRI) and the model's answer, its AAL atlas label map on the same grid. */
	static final Path CH2 = TestData.path("mri/ch2_crop.nii.gz"), AAL = TestData.path("mri/aal_crop.nii.gz");

	/** Serves the 3D radiology app: its fixtures, ch2_crop.nii.gz as every image, {@code answer} from /infer. */
	void startRadiology(byte[] answer) throws IOException {
		app = "radiology-";
		model = "segmentation";
		labelled = "ch2_crop";
		image = Files.readAllBytes(CH2);
		inferAnswer = answer;
		start();
	}

	/** The voxels of a label map, read with the project's reader: [z][x + y * width]. */
	static int[][] voxels(Path labelMap) {
		LabelVolumes.Volume v = LabelVolumes.read(labelMap);
		int[][] out = new int[v.depth()][];
		for (int z = 0; z < v.depth(); z++) out[z] = v.slice(z);
		return out;
	}

	static byte[] gunzip(Path p) throws IOException {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
			return in.readAllBytes();
		}
	}

	/** The bytes of the multipart part {@code name} of a request, with its file name. */
	static Map.Entry<String, byte[]> part(RecordedRequest r, String name) throws IOException {
		String boundary = MediaType.get(r.getHeader("Content-Type")).parameter("boundary");
		try (MultipartReader mr = new MultipartReader(r.getBody().clone(), boundary)) {
			for (MultipartReader.Part p = mr.nextPart(); p != null; p = mr.nextPart()) {
				String cd = p.headers().get("Content-Disposition");
				if (!cd.contains("name=\"" + name + "\"")) continue;
				java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(cd);
				return Map.entry(m.find() ? m.group(1) : "", p.body().readByteArray());
			}
		}
		throw new AssertionError("no part '" + name + "' in " + r.getPath());
	}

	@Test
	void aVolumeIsOneItemItsNiftiLabelMapOneMaskPerLabelAndSaveSendsTheAcceptedMasksAsANiftiLabelMap() throws Exception {
		startRadiology(Files.readAllBytes(AAL));
		try (MonaiLabelBackend b = connect(new AtomicInteger(), null)) {
			assertEquals("segmentation", b.model(), "the first model of type segmentation, not deepedit");
			List<Long> classIds = b.classes().stream().map(c -> c.id()).toList();
			assertEquals(List.of(35L, 36L, 67L, 68L, 71L, 72L, 73L, 74L, 77L), classIds, "class id = label value");
			assertEquals(List.of("ch2_crop.nii.gz", "ch2_crop_rescan.nii.gz"), b.images().stream().map(i -> i.name()).toList());
			long id = b.images().get(0).id();

			// one volume item, its size from the downloaded file
			ImagePlus volume = Images.open(CH2);
			assertTrue(volume.getNSlices() > 1);
			b.imageFile(id);
			ImageRecord r = b.image(id);
			assertEquals(List.of(volume.getWidth(), volume.getHeight(), volume.getNSlices()), List.of(r.width(), r.height(), r.slices()));
			assertEquals(1, b.images().stream().filter(i -> i.id() == id).count());

			// proposals: one mask per label value, voxel for voxel the label map's
			List<Annotation> proposals = b.annotations(id);
			int[][] atlas = voxels(AAL);
			int w = r.width(), h = r.height();
			Map<Integer, Long> expected = new TreeMap<>(), got = new TreeMap<>();
			for (int[] slice : atlas) for (int v : slice) if (v != 0) expected.merge(v, 1L, Long::sum);
			assertTrue(expected.size() > 1, "the atlas has several labels");
			assertEquals(expected.size(), proposals.size(), "one per label value");
			Map<Long, Integer> valueOf = new HashMap<>();
			for (int z = 0; z < atlas.length; z++)
				for (int i = 0; i < w * h; i++) {
					int x = i % w, y = i / w, zz = z;
					List<Annotation> at = proposals.stream().filter(a -> a.data().mask().contains(x, y, zz)).toList();
					assertEquals(atlas[z][i] == 0 ? 0 : 1, at.size(), "voxel " + x + "," + y + "," + z);
					if (at.isEmpty()) continue;
					Integer before = valueOf.putIfAbsent(at.get(0).id(), atlas[z][i]);
					assertEquals(atlas[z][i], before == null ? atlas[z][i] : before, "one label value per mask");
				}
			for (Annotation a : proposals) got.put(valueOf.get(a.id()), a.data().mask().voxelCount());
			assertEquals(expected, got, "voxel count per label value");
			for (Annotation a : proposals) {
				int v = valueOf.get(a.id());
				assertEquals(classIds.contains((long) v) ? Long.valueOf(v) : null, a.data().classId(), "class of value " + v);
				assertEquals(Status.PROPOSED, a.data().status());
				assertEquals("model:segmentation", a.data().origin().toString());
			}
			assertTrue(proposals.stream().anyMatch(a -> a.data().classId() == null), "Thalamus_R (78) is not one of the model's labels");
			assertTrue(proposals.stream().anyMatch(a -> a.data().mask().depth() > 1), "3D masks");

			// accept some, reject some, correct one (a slice erased) and relabel one, accept the unclassified one, add a stroke
			List<Edit> edits = new ArrayList<>();
			for (Annotation a : proposals) {
				int v = valueOf.get(a.id());
				var d = a.data();
				if (v == 71) {
					int z = d.mask().slices()[d.mask().slices().length / 2];
					d = d.withMask(d.mask().subtract(d.mask().sliceMoved(z, z))).withStatus(Status.CORRECTED);
				} else if (v == 73) d = d.withClass(74L).withStatus(Status.CORRECTED);
				else d = d.withStatus(v == 36 || v == 77 ? Status.REJECTED : Status.ACCEPTED);
				edits.add(new Edit.Update(a.id(), a.revision(), d));
			}
			edits.add(new Edit.Create(id, AnnotationData.ofMask(Mask.disc(24, 28, 4, 3), 35L, Origin.human("ann"), Status.ACCEPTED, null)));
			b.apply("Save", edits);
			List<Annotation> after = b.annotations(id);
			assertEquals(proposals.size() + 1, after.size());

			List<RecordedRequest> puts = requests.stream().filter(q -> q.getMethod().equals("PUT")).toList();
			assertEquals(1, puts.size());
			assertEquals("/datastore/label?image=ch2_crop&tag=final", puts.get(0).getPath());
			Map.Entry<String, byte[]> label = part(puts.get(0), "label");
			assertEquals("ch2_crop.nii.gz", label.getKey());
			Path sent = tmp.resolve("sent.nii.gz");
			Files.write(sent, label.getValue());
			LabelVolumes.Volume v = LabelVolumes.read(sent);
			assertEquals(r.width() + "x" + r.height() + "x" + r.slices(), v.size(), "the image's size");
			assertTrue(v.grid().same(LabelVolumes.gridOf(CH2)), "the image's grid: " + v.grid() + " vs " + LabelVolumes.gridOf(CH2));
			// every voxel: the class of the last decided, classified mask that holds it, else 0
			long labelledVoxels = 0;
			Map<Integer, Long> sentCounts = new TreeMap<>();
			for (int z = 0; z < r.slices(); z++) {
				int[] slice = v.slice(z);
				for (int i = 0; i < w * h; i++) {
					int want = 0;
					for (Annotation a : after)
						if (a.data().status().isDecided() && a.data().classId() != null && a.data().mask().contains(i % w, i / w, z))
							want = (int) (long) a.data().classId();
					assertEquals(want, slice[i], "voxel " + i % w + "," + i / w + "," + z);
					if (want != 0) labelledVoxels++;
					if (slice[i] != 0) sentCounts.merge(slice[i], 1L, Long::sum);
				}
			}
			assertTrue(labelledVoxels > 0);
			assertFalse(sentCounts.containsKey(36) || sentCounts.containsKey(77) || sentCounts.containsKey(78) || sentCounts.containsKey(73),
					"rejected, unclassified and relabelled values are not sent: " + sentCounts);
			assertEquals(expected.get(72), sentCounts.get(72), "an accepted region has all its voxels");
			assertEquals(expected.get(73) + expected.get(74), sentCounts.get(74), "Putamen_L relabelled as Putamen_R");
			assertTrue(sentCounts.get(71) < expected.get(71), "the erased slice of Caudate_L is not sent");
		}
	}

	@Test
	void aLabelMapOfAnotherGeometryIsRefusedNamingBothAndChangesNothing() throws Exception {
		byte[] raw = gunzip(AAL);
		byte[] seven = Arrays.copyOf(raw, 352 + 48 * 56 * 7);
		ByteBuffer.wrap(seven).order(ByteOrder.LITTLE_ENDIAN).putShort(46, (short) 7); // dim[3] = 7 slices
		byte[] flipped = raw.clone();
		ByteBuffer.wrap(flipped).order(ByteOrder.LITTLE_ENDIAN).putFloat(280, -1f); // srow_x[0]: x flipped
		startRadiology(seven);
		try (MonaiLabelBackend b = connect(new AtomicInteger(), null)) {
			long id = b.images().get(0).id();
			LabelLoopException e = assertThrows(LabelLoopException.class, () -> b.annotations(id));
			assertEquals("The MONAI Label model's label map for ch2_crop.nii.gz does not fit the image: the label map is 48x56x7 voxels but image"
					+ " 'ch2_crop.nii.gz' is 48x56x8; a label map must have its image's grid. No proposal was added.", e.getMessage());

			inferAnswer = flipped;
			e = assertThrows(LabelLoopException.class, () -> b.annotations(id));
			String image = LabelVolumes.gridOf(CH2).toString();
			assertTrue(e.getMessage().startsWith("The MONAI Label model's label map for ch2_crop.nii.gz does not fit the image: its orientation in space"
					+ " differs from image 'ch2_crop.nii.gz' (label map sform [-1 0 0"), e.getMessage());
			assertTrue(e.getMessage().contains(", image " + image + ")"), e.getMessage());
			assertTrue(image.startsWith("sform [1 0 0"), image);

			inferAnswer = "not a label map".getBytes(StandardCharsets.US_ASCII);
			e = assertThrows(LabelLoopException.class, () -> b.annotations(id));
			assertTrue(e.getMessage().startsWith("The MONAI Label model's label map for ch2_crop.nii.gz cannot be read: Cannot read image "), e.getMessage());

			// nothing was kept or sent: the next answer is asked for again and used
			assertEquals(0, requests.stream().filter(q -> q.getMethod().equals("PUT")).count());
			inferAnswer = Files.readAllBytes(AAL);
			assertEquals(10, b.annotations(id).size());
			assertEquals(4, requests.stream().filter(q -> q.getPath().startsWith("/infer/")).count());
		}
	}
}
