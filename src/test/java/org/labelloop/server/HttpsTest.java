package org.labelloop.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.remote.RemoteBackend;
import org.labelloop.core.model.LabelLoopException;

/** Direct HTTPS with a PKCS#12 key store made by keytool; a bad key store or password is a clear error. */
class HttpsTest {

	@TempDir
	Path dir;

	@Test
	void servesOverHttpsWithAKeyStoreAndRefusesABadOne() throws Exception {
		LabFixture lab = LabFixture.create(dir.resolve("lab"));
		Path ks = dir.resolve("server.p12");
		char[] pw = "s3cret-pw".toCharArray();
		Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "labelloop",
				"-keyalg", "EC", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", new String(pw), "-dname", "CN=127.0.0.1",
				"-ext", "SAN=IP:127.0.0.1", "-validity", "2").redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);

		try (LabServer server = LabServer.start(lab.folder(), LabServer.Config.loopback(0).withKeystore(ks, pw))) {
			assertTrue(server.url().startsWith("https://"), server.url());
			KeyStore trust = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(ks)) {
				trust.load(in, pw);
			}
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			SSLContext ctx = SSLContext.getInstance("TLS");
			ctx.init(null, tmf.getTrustManagers(), null);
			HttpResponse<String> r = HttpClient.newBuilder().sslContext(ctx).build().send(HttpRequest.newBuilder(URI.create(server.url() + "/api/project"))
					.header("Authorization", "Bearer " + lab.token("bob")).build(), HttpResponse.BodyHandlers.ofString());
			assertEquals(200, r.statusCode(), r.body());
			assertTrue(r.body().contains("\"user\":\"bob\""), r.body());
			// a client that does not trust the certificate is told it cannot connect, not left hanging
			LabelLoopException untrusted = assertThrows(LabelLoopException.class,
					() -> RemoteBackend.connect(server.url(), "bob", lab.token("bob"), dir.resolve("cache"), Duration.ofSeconds(10)));
			assertTrue(untrusted.getMessage().startsWith("Cannot reach the LabelLoop server at https://"), untrusted.getMessage());
		}
		LabelLoopException wrong = assertThrows(LabelLoopException.class,
				() -> LabServer.start(lab.folder(), LabServer.Config.loopback(0).withKeystore(ks, "nope".toCharArray())));
		assertTrue(wrong.getMessage().contains("Cannot use key store " + ks) && wrong.getMessage().contains("password"), wrong.getMessage());
		Files.writeString(dir.resolve("broken.p12"), "not a key store");
		LabelLoopException broken = assertThrows(LabelLoopException.class,
				() -> LabServer.start(lab.folder(), LabServer.Config.loopback(0).withKeystore(dir.resolve("broken.p12"), pw)));
		assertTrue(broken.getMessage().contains("broken.p12"), broken.getMessage());
		// the project was not left locked by the failed starts
		LabServer.start(lab.folder(), LabServer.Config.loopback(0)).close();
	}
}
