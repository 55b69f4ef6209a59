package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.imaging.Images;

import com.fasterxml.jackson.databind.JsonNode;

/** What each endpoint answers, and that the OpenAPI description and the served routes are the same set. */
class ServerContractTest {

	@TempDir
	Path dir;
	LabFixture lab;
	LabServer server;
	String url;

	@BeforeEach
	void start() throws Exception {
		lab = LabFixture.create(dir.resolve("lab"));
		server = LabServer.start(lab.folder(), LabServer.Config.loopback(0));
		url = server.url();
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void everyServedRouteIsDescribedAndEveryDescribedRouteIsServed() throws Exception {
		JsonNode api = Http.get(url, "/api/openapi.json", null).json();
		assertEquals("3.0.3", api.get("openapi").asText());
		Set<String> described = new HashSet<>();
		for (Iterator<Map.Entry<String, JsonNode>> it = api.get("paths").fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			e.getValue().fieldNames().forEachRemaining(m -> described.add(m.toUpperCase() + " " + e.getKey()));
		}
		Set<String> served = new HashSet<>();
		for (Route r : server.routes()) served.add(r.method() + " " + r.path());
		assertEquals(served, described);
		// and each described one answers as something other than "no such endpoint"
		String admin = lab.token("alice");
		for (String d : described) {
			String method = d.substring(0, d.indexOf(' '));
			String path = d.substring(d.indexOf(' ') + 1).replace("{id}", "1").replace("{user}", "bob");
			Http.Answer a = Http.send(url, method, path, admin, method.equals("GET") ? null : "{}".getBytes(), "application/json");
			assertNotEquals(405, a.status(), d);
			assertFalse(a.status() == 404 && a.body().contains("No such endpoint"), d + ": " + a.body());
			assertTrue(a.status() < 500, d + ": " + a.status() + " " + a.body());
		}
		JsonNode op = api.get("paths").get("/api/annotations/{id}/decide").get("post");
		assertTrue(op.get("description").asText().contains("reviewer or admin"), op.toString());
		assertEquals("id", op.get("parameters").get(0).get("name").asText());
	}

	@Test
	void imagesFileAndThumbnail() throws Exception {
		String bob = lab.token("bob");
		JsonNode images = Http.get(url, "/api/images", bob).json();
		assertEquals(11, images.size());
		JsonNode coins = null;
		for (JsonNode n : images) if (n.get("path").asText().endsWith("coins.png")) coins = n;
		long id = coins.get("id").asLong();
		JsonNode one = Http.get(url, "/api/images/" + id, bob).json();
		assertEquals(coins, one);
		ImageRecord im = server.store().image(id).orElseThrow();
		Http.Answer file = Http.get(url, "/api/images/" + id + "/file", bob);
		assertEquals(200, file.status());
		assertEquals(im.sha256(), file.headers().firstValue("X-LabelLoop-Sha256").orElseThrow());
		java.net.http.HttpResponse<byte[]> png = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create(url + "/api/images/" + id + "/thumbnail?size=32")).header("Authorization", "Bearer " + bob).build(),
				java.net.http.HttpResponse.BodyHandlers.ofByteArray());
		assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
		java.awt.image.BufferedImage t = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
		assertEquals(32, Math.max(t.getWidth(), t.getHeight()), "coins.png is larger, so it is scaled down to 32");
		assertEquals(Math.round(32.0 * Math.min(im.width(), im.height()) / Math.max(im.width(), im.height())), Math.min(t.getWidth(), t.getHeight()), 1.0);
		assertEquals(404, Http.get(url, "/api/images/424242", bob).status());
		assertTrue(Http.get(url, "/api/images/424242", bob).error().contains("424242"));
		assertEquals(im.sha256(), Images.sha256(lab.folder().resolve(im.path())));
	}

	@Test
	void aStaleWriteIs409WithTheCurrentAnnotationAndUndoIs204WhenThereIsNothing() throws Exception {
		String bob = lab.token("bob"), rita = lab.token("rita");
		long img = server.store().images().get(0).id();
		String create = "{\"description\":\"d\",\"edits\":[{\"op\":\"create\",\"imageId\":" + img
				+ ",\"data\":{\"geometry\":{\"kind\":\"RECT\",\"x\":[1,5],\"y\":[2,6],\"parts\":null,\"plane\":{\"c\":0,\"z\":0,\"t\":0}},\"classId\":1,"
				+ "\"origin\":{\"kind\":\"HUMAN\",\"source\":\"bob\"},\"status\":\"ACCEPTED\",\"confidence\":null,\"probabilities\":{}}}]}";
		assertEquals(204, Http.post(url, "/api/undo", bob, null).status());
		JsonNode cs = Http.post(url, "/api/changesets", bob, create).json();
		assertEquals("bob", cs.get("user").asText());
		JsonNode ann = Http.get(url, "/api/images/" + img + "/annotations", rita).json().get(0);
		String update = "{\"edits\":[{\"op\":\"update\",\"annotationId\":" + ann.get("id") + ",\"baseRevision\":1,\"data\":" + ann.get("data").toString()
				.replace("\"ACCEPTED\"", "\"REJECTED\"") + "}]}";
		assertEquals(200, Http.post(url, "/api/changesets", rita, update).status());
		Http.Answer stale = Http.post(url, "/api/changesets", bob, update);
		assertEquals(409, stale.status(), stale.body());
		assertEquals(2, stale.json().get("current").get("revision").asInt());
		assertEquals("rita", stale.json().get("current").get("author").asText());
		assertEquals(1, stale.json().get("baseRevision").asInt());

		JsonNode changes = Http.get(url, "/api/changes?since=0", bob).json();
		assertEquals(2, changes.get("revisions").size());
		long latest = changes.get("latest").asLong();
		assertEquals(0, Http.get(url, "/api/changes?since=" + latest, bob).json().get("revisions").size());
		assertEquals(0, Http.get(url, "/api/changes?since=0&image=" + (img + 1), bob).json().get("revisions").size());
	}

	@Test
	void retrainRunsAsAJobWithStatusAndUsersAreManagedByAdmins() throws Exception {
		Http.Answer job = Http.post(url, "/api/retrain", lab.token("sam"), "{\"classifier\":\"logistic\",\"folds\":0,\"seed\":1,\"tasks\":[\"image\"]}");
		assertEquals(202, job.status(), job.body());
		long id = job.json().get("id").asLong();
		JsonNode st;
		long until = System.currentTimeMillis() + 60000;
		do {
			Thread.sleep(100);
			st = Http.get(url, "/api/jobs/" + id, lab.token("bob")).json();
		} while (!st.get("state").asText().matches("DONE|FAILED|CANCELLED") && System.currentTimeMillis() < until);
		assertEquals("FAILED", st.get("state").asText(), "no labels yet: " + st);
		assertFalse(st.get("error").asText().isBlank());
		assertEquals(404, Http.get(url, "/api/jobs/999", lab.token("bob")).status());

		JsonNode made = Http.post(url, "/api/users", lab.token("alice"), "{\"name\":\"carol\",\"role\":\"reviewer\"}").json();
		String carol = made.get("token").asText();
		assertEquals(43, carol.length());
		assertEquals("carol", Http.get(url, "/api/project", carol).json().get("user").asText());
		JsonNode again = Http.post(url, "/api/users/carol/token", lab.token("alice"), null).json();
		assertEquals(401, Http.get(url, "/api/project", carol).status(), "the old token stops working");
		assertEquals(200, Http.get(url, "/api/project", again.get("token").asText()).status());
		assertFalse(server.store().tokenHashes().containsValue(carol), "only hashes are stored");
		assertTrue(Http.get(url, "/api/users", lab.token("alice")).body().contains("\"carol\""));
		assertEquals(400, Http.post(url, "/api/users", lab.token("alice"), "{\"name\":\"../x\",\"role\":\"admin\"}").status());
	}
}
