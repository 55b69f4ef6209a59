package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.core.model.Role;

/**
 * The server refuses what it must: no or a wrong token (401), a role that may not (403), paths that try to leave
 * the project, bodies that are too large or malformed; it stays up after each, and stores hostile text verbatim.
 */
class ServerSecurityTest {

	@TempDir
	Path dir;
	LabFixture lab;
	LabServer server;
	String url;

	@BeforeEach
	void start() throws Exception {
		lab = LabFixture.create(dir.resolve("lab"));
		server = LabServer.start(lab.folder(), LabServer.Config.loopback(0).withMaxBody(64 << 10));
		url = server.url();
	}

	@AfterEach
	void stop() {
		server.close();
	}

	private static String concrete(Route r) {
		return r.path().replace("{id}", "1").replace("{user}", "bob");
	}

	private void stillServes() throws Exception {
		Http.Answer a = Http.get(url, "/api/images", lab.token("bob"));
		assertEquals(200, a.status(), a.body());
		assertEquals(11, a.json().size());
	}

	@Test
	void everyRouteButThePublicOnesNeedsAValidToken() throws Exception {
		int checked = 0;
		String token = lab.token("alice");
		// the real token with its first character changed (never to itself: a token may well start with 'x')
		String wrongToken = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
		for (Route r : server.routes()) {
			if (r.access() == Access.PUBLIC) continue;
			Http.Answer none = Http.send(url, r.method(), concrete(r), null, r.method().equals("GET") ? null : new byte[0], "application/json");
			assertEquals(401, none.status(), r.method() + " " + r.path() + ": " + none.body());
			assertTrue(none.error().contains("token"), none.body());
			Http.Answer wrong = Http.send(url, r.method(), concrete(r), wrongToken,
					r.method().equals("GET") ? null : new byte[0], "application/json");
			assertEquals(401, wrong.status(), r.method() + " " + r.path() + ": " + wrong.body());
			checked++;
		}
		assertTrue(checked > 40, "routes checked: " + checked);
		// a token is only valid for the project that made it: another project's admin token reads nothing here
		LabFixture other = LabFixture.create(dir.resolve("other"));
		Http.Answer foreign = Http.get(url, "/api/images", other.token("alice"));
		assertEquals(401, foreign.status(), foreign.body());
		assertEquals(200, Http.get(url, "/api/openapi.json", null).status());
	}

	@Test
	void eachRoleIsRefusedWhatItMayNotDo() throws Exception {
		int checked = 0;
		String token = lab.token("alice");
		// the real token with its first character changed (never to itself: a token may well start with 'x')
		String wrongToken = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
		for (Route r : server.routes()) {
			for (String user : List.of("bob", "rita", "sam")) {
				Role role = server.store().role(user);
				if (r.access().allows(role)) continue;
				Http.Answer a = Http.send(url, r.method(), concrete(r), lab.token(user), "{}".getBytes(), "application/json");
				assertEquals(403, a.status(), user + " on " + r.method() + " " + r.path() + ": " + a.body());
				assertTrue(a.error().contains(user + " is a " + role.key()), a.body());
				checked++;
			}
		}
		assertTrue(checked >= 20, "refusals checked: " + checked);
		// labellers reject labels; deleting one is for admins
		long img = server.store().images().get(0).id();
		Http.Answer made = Http.post(url, "/api/changesets", lab.token("bob"), "{\"description\":\"d\",\"edits\":[{\"op\":\"create\",\"imageId\":" + img
				+ ",\"data\":{\"geometry\":null,\"classId\":1,\"origin\":{\"kind\":\"HUMAN\",\"source\":\"bob\"},\"status\":\"ACCEPTED\",\"confidence\":null,\"probabilities\":{}}}]}");
		assertEquals(200, made.status(), made.body());
		long ann = server.store().annotations(img).get(0).id();
		Http.Answer del = Http.post(url, "/api/changesets", lab.token("bob"), "{\"edits\":[{\"op\":\"delete\",\"annotationId\":" + ann + ",\"baseRevision\":1}]}");
		assertEquals(403, del.status(), del.body());
		assertEquals(1, server.store().annotations(img).size(), "nothing deleted");
		assertEquals(200, Http.post(url, "/api/changesets", lab.token("alice"), "{\"edits\":[{\"op\":\"delete\",\"annotationId\":" + ann + ",\"baseRevision\":1}]}").status());
		assertTrue(server.store().annotations(img).isEmpty());
	}

	@Test
	void labellersResolveFlagsButOnlyReviewersResolveReviewThreads() throws Exception {
		long img = server.store().images().get(0).id();
		var flag = server.store().addComment("bob", org.labelloop.core.model.Target.image(img), null, org.labelloop.core.model.Comment.Kind.QUESTION_LABEL, "coat?");
		var review = server.store().addComment("rita", org.labelloop.core.model.Target.image(img), null, org.labelloop.core.model.Comment.Kind.REVIEW, "kept");
		assertEquals(200, Http.post(url, "/api/threads/" + flag.id() + "/resolve", lab.token("bob"), "{\"baseRevision\":1,\"resolved\":true}").status());
		Http.Answer refused = Http.post(url, "/api/threads/" + review.id() + "/resolve", lab.token("bob"), "{\"baseRevision\":1,\"resolved\":true}");
		assertEquals(403, refused.status(), refused.body());
		assertTrue(server.store().threads(true).stream().anyMatch(t -> t.id() == review.id()), "still open");
		assertEquals(200, Http.post(url, "/api/threads/" + review.id() + "/resolve", lab.token("rita"), "{\"baseRevision\":1,\"resolved\":true}").status());
	}

	@Test
	void noPathOrIdReachesAFileOutsideTheProject() throws Exception {
		String bob = lab.token("bob");
		for (String p : List.of("/api/images/../../../../etc/passwd", "/api/images/..%2f..%2f..%2fetc%2fpasswd/file", "/api/images/%2e%2e/file",
				"/api/images/%252e%252e%252fetc%252fpasswd/file", "/api/images/1%2f..%2f..%2fetc%2fpasswd/file", "/api/images//etc/passwd/file",
				"/api/images/%2Fetc%2Fpasswd/file", "/api/images/1/file/../../../../etc/passwd", "/api/images/-1/file", "/api/images/1%00/file",
				"/../../etc/passwd", "/api/images/9999999999999999999999/file")) {
			Http.Answer a = Http.raw(server.port(), "GET", p, bob);
			assertTrue(a.status() == 400 || a.status() == 404, p + " → " + a.status() + " " + a.body());
			assertFalse(a.body().contains("root:"), p);
		}
		// adding images names files relative to the project; nothing outside it, also not through a link
		Path outside = Files.copy(TestData.path("microscopy/cell.png"), dir.resolve("outside.png"));
		Files.createSymbolicLink(lab.folder().resolve("images/link.png"), outside);
		String admin = lab.token("alice");
		for (String p : List.of("../outside.png", outside.toString(), "images/../../outside.png", "/etc/passwd", "images/link.png", "..\\\\outside.png")) {
			Http.Answer a = Http.post(url, "/api/images", admin, "{\"paths\":[\"" + p.replace("\\", "\\\\") + "\"]}");
			assertTrue(a.status() == 403 || a.status() == 400 || a.json().path("added").asInt(-1) == 0, p + " → " + a.status() + " " + a.body());
		}
		assertEquals(11, server.store().images().size(), "no image was added from outside");
		// model files the server runs: inside the project folder only
		Path model = Files.write(dir.resolve("outside.onnx"), org.labelloop.core.learn.djl.TinyOnnx.twoClassMap(8, 8));
		String sam = lab.token("sam");
		for (String p : List.of("../outside.onnx", model.toString(), "models/../../outside.onnx", "/etc/passwd")) {
			String settings = "{\"file\":\"" + p + "\",\"width\":8,\"height\":8,\"channels\":1,\"mean\":[0],\"std\":[1],\"outputIndex\":0}";
			Http.Answer put = Http.send(url, "PUT", "/api/embedder-model", sam, settings.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
			assertTrue(put.status() == 403 || put.status() == 400, p + " → " + put.status() + " " + put.body());
			Http.Answer seg = Http.post(url, "/api/propose-model", sam, "{\"imageIds\":[1],\"model\":" + settings
					+ ",\"threshold\":0,\"minArea\":1,\"classes\":[],\"replace\":false}");
			assertTrue(seg.status() == 403 || seg.status() == 400, p + " → " + seg.status() + " " + seg.body());
		}
		assertEquals(204, Http.get(url, "/api/embedder-model", sam).status(), "nothing was set");
		// a zip whose entries try to climb out lands its files inside a temporary folder, by name only
		java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
		try (ZipOutputStream z = new ZipOutputStream(zip)) {
			z.putNextEntry(new ZipEntry("../../../../" + dir.getFileName() + "/escaped.zip"));
			z.write("not a roi".getBytes());
			z.closeEntry();
		}
		Http.Answer imp = Http.send(url, "POST", "/api/import?format=roi-zip&kind=folder-zip&name=..%2F..%2Fevil.zip", bob, zip.toByteArray(),
				"application/octet-stream");
		assertTrue(imp.status() == 200 || imp.status() == 400, imp.body());
		assertFalse(Files.exists(dir.resolve("escaped.zip")));
		assertFalse(Files.exists(dir.getParent().resolve("escaped.zip")));
		stillServes();
	}

	@Test
	void oversizedAndMalformedBodiesAre4xxAndTheServerStaysUp() throws Exception {
		String bob = lab.token("bob");
		byte[] big = new byte[200 << 10];
		java.util.Arrays.fill(big, (byte) ' ');
		Http.Answer a = Http.send(url, "POST", "/api/comments", bob, big, "application/json");
		assertEquals(413, a.status(), a.body());
		assertTrue(a.error().contains("larger than this server accepts"), a.body());
		stillServes();
		for (String bad : List.of("{", "[]", "null", "{\"target\":{\"kind\":\"image\",\"id\":1},\"text\":", "{\"target\":{\"kind\":\"image\",\"id\":1},\"txet\":\"x\"}",
				"{\"target\":{\"kind\":\"imagex\",\"id\":1},\"text\":\"x\"}", "\u0000\u0001", "{\"target\":{\"kind\":\"image\",\"id\":\"one\"},\"text\":\"x\"}")) {
			Http.Answer m = Http.post(url, "/api/comments", bob, bad);
			assertEquals(400, m.status(), bad + " → " + m.body());
			assertFalse(m.error().isBlank());
		}
		assertEquals(400, Http.post(url, "/api/changesets", bob, "{\"edits\":[{\"op\":\"explode\"}]}").status());
		assertEquals(400, Http.post(url, "/api/changesets", bob, "{\"edits\":[]}").status());
		assertEquals(400, Http.get(url, "/api/changes?since=abc", bob).status());
		assertEquals(404, Http.get(url, "/api/nothing-here", bob).status());
		assertEquals(405, Http.send(url, "DELETE", "/api/images", bob, null, null).status());
		assertTrue(server.store().threads(false).isEmpty(), "nothing was written by a refused request");
		stillServes();
	}

	@Test
	void sqlLikeTextIsStoredVerbatim() throws Exception {
		String hostile = "x'); DROP TABLE annotations; -- \" \\ %_ *";
		Http.Answer c = Http.post(url, "/api/classes", lab.token("sam"), "{\"name\":" + org.labelloop.backend.remote.Wire.MAPPER.writeValueAsString(hostile) + "}");
		assertEquals(200, c.status(), c.body());
		assertEquals(hostile, c.json().get("name").asText());
		long img = server.store().images().get(0).id();
		Http.Answer m = Http.post(url, "/api/comments", lab.token("bob"), "{\"target\":{\"kind\":\"image\",\"id\":" + img + "},\"kind\":\"note\",\"text\":"
				+ org.labelloop.backend.remote.Wire.MAPPER.writeValueAsString(hostile) + "}");
		assertEquals(200, m.status(), m.body());
		assertEquals(hostile, server.store().threads(false).get(0).text());
		assertTrue(server.store().classByName(hostile).isPresent());
		assertEquals(0, server.store().allAnnotations().size(), "the annotations table is still there");
		Http.Answer q = Http.get(url, "/api/comments?kind=image&id=" + img + "%20OR%201=1", lab.token("bob"));
		assertEquals(400, q.status(), q.body());
	}
}
