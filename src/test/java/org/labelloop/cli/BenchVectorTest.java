package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code bench vector} with tiny sizes: it runs end to end and writes the JSON the docs describe. */
class BenchVectorTest {

	@TempDir
	Path dir;

	/** A dataset in the Fashion-MNIST layout: 3 classes of 6×6 images (bright rows 0-1, 2-3 or 4-5) with noise. */
	static Path tinyIdx(Path folder, int train, int test) throws IOException {
		Files.createDirectories(folder);
		Random r = new Random(1);
		for (String part : new String[] { "train", "t10k" }) {
			int n = part.equals("train") ? train : test;
			byte[] labels = new byte[n];
			try (DataOutputStream img = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(folder.resolve(part + "-images-idx3-ubyte.gz"))))) {
				img.writeInt(0x803);
				img.writeInt(n);
				img.writeInt(6);
				img.writeInt(6);
				for (int i = 0; i < n; i++) {
					int c = r.nextInt(3);
					labels[i] = (byte) c;
					for (int p = 0; p < 36; p++) img.writeByte(p / 12 == c ? 200 + r.nextInt(55) : 10 + r.nextInt(40));
				}
			}
			try (DataOutputStream lab = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(folder.resolve(part + "-labels-idx1-ubyte.gz"))))) {
				lab.writeInt(0x801);
				lab.writeInt(n);
				lab.write(labels);
			}
		}
		return folder;
	}

	@Test
	void tinyRunWritesTheJson() throws IOException {
		Path data = tinyIdx(dir.resolve("tiny"), 400, 100);
		Path json = dir.resolve("out/bench.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchVector());
		cl.setOut(new PrintWriter(out));
		int code = cl.execute("--sizes", "1500", "--dim", "16", "--clusters", "20", "--dataset", data.toString(), "--umap-sizes", "300",
				"--queries", "8", "--candidates", "100,200", "--render-points", "5000", "--json", json.toString());
		assertEquals(0, code, out.toString());
		assertTrue(out.toString().contains("recommend_best_score"), out.toString());
		JsonNode r = new ObjectMapper().readTree(json.toFile());
		assertEquals("vector", r.path("bench").asText());
		assertEquals(2, r.path("datasets").size());
		JsonNode syn = r.path("datasets").get(0);
		assertEquals("synthetic", syn.path("name").asText());
		assertEquals(1500, syn.path("items").asInt());
		assertTrue(syn.path("queries").path("plain").path("by_candidates").has("200"));
		// plain and 10%-filtered queries are also run from one thread per core at once
		for (String kind : new String[] { "plain", "filtered_10pct" }) {
			JsonNode c = syn.path("queries").path(kind).path("concurrent");
			assertEquals(Runtime.getRuntime().availableProcessors(), c.path("threads").asInt(), kind + " " + c);
			assertTrue(c.path("qps").asDouble() > 0, kind + " " + c);
		}
		for (String kind : new String[] { "plain", "filtered_10pct", "filtered_10pct_class", "recommend_average_vector", "recommend_best_score" }) {
			JsonNode q = syn.path("queries").path(kind);
			assertTrue(q.path("recall_at_10").asDouble() >= 0.9, kind + " " + q);
			assertTrue(q.path("labelloop").path("qps").asDouble() > 0 && q.path("exact").path("p95_ms").asDouble() > 0, kind);
		}
		assertEquals("tiny", r.path("datasets").get(1).path("name").asText());
		assertEquals(500, r.path("datasets").get(1).path("items").asInt());
		assertEquals(36, r.path("datasets").get(1).path("dimension").asInt());
		JsonNode umap = r.path("umap").get(0);
		assertEquals(300, umap.path("items").asInt());
		assertTrue(umap.path("every_point_placed").asBoolean());
		assertTrue(umap.path("label_purity_10nn_2d").asDouble() > 0.9, umap.toString());
		JsonNode render = r.path("map_render");
		assertEquals(5000, render.path("points").asInt());
		assertTrue(render.path("redraw_ms_p95").asDouble() > 0 && render.path("lasso_points").asInt() > 0, render.toString());
		assertTrue(r.path("goals").has("all_met"));
		assertTrue(r.path("machine").path("cores").asInt() >= 1);
	}

	@Test
	void aFolderWithoutTheIdxFilesIsNamed() throws IOException {
		StringWriter err = new StringWriter();
		CommandLine cl = new CommandLine(new BenchVector());
		cl.setErr(new PrintWriter(err));
		Files.createDirectories(dir.resolve("empty"));
		int code = cl.execute("--sizes", "0", "--dataset", dir.resolve("empty").toString());
		assertTrue(code != 0);
		assertTrue(err.toString().contains("Missing dataset file") && err.toString().contains("train-images-idx3-ubyte.gz"), err.toString());
	}
}
