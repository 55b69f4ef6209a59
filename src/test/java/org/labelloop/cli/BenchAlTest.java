package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.bench.IdxFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code bench al} on a small dataset the test writes itself: curves, summary fields and the plot. */
class BenchAlTest {

	@TempDir
	Path dir;

	@Test
	void writesCurvesSummariesAndAPlot() throws Exception {
		Path data = IdxFixtures.writeShapes(dir.resolve("shapes"), 400, 120, 20, 3);
		Path json = dir.resolve("out/al.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchAl());
		cl.setOut(new PrintWriter(out));
		int rc = cl.execute("--dataset", data.toString(), "--seeds", "2", "--strategies", "random,margin,hybrid", "--pool", "300",
				"--initial", "10", "--batch", "10", "--budget", "60", "--dims", "8", "--threads", "2", "--json", json.toString());
		assertEquals(0, rc, out.toString());
		assertTrue(out.toString().contains("bench al:") && out.toString().contains("hybrid"), out.toString());
		JsonNode j = new ObjectMapper().readTree(json.toFile());
		assertEquals("al", j.get("benchmark").asText());
		assertEquals(300, j.get("pool").asInt());
		assertEquals(120, j.get("test").asInt());
		assertEquals(3, j.get("classes").asInt());
		double full = j.get("full_accuracy").asDouble();
		assertTrue(full > 0.5 && full <= 1, "full accuracy " + full);
		assertEquals(Set.of("random", "margin", "hybrid"), fields(j.get("strategies")));
		for (JsonNode s : j.get("strategies")) {
			JsonNode curve = s.get("curve");
			assertEquals(6, curve.size()); // 10, 20, …, 60 labels
			for (int i = 0; i < curve.size(); i++) {
				assertEquals(10 * (i + 1), curve.get(i).get("labels").asInt());
				double m = curve.get(i).get("accuracy_mean").asDouble();
				assertTrue(m >= curve.get(i).get("accuracy_min").asDouble() && m <= curve.get(i).get("accuracy_max").asDouble());
			}
			for (String f : new String[] { "labels_to_95pct_of_full", "labels_to_98pct_of_full", "efficiency_vs_random_95", "efficiency_vs_random_98" })
				assertTrue(s.has(f), f);
		}
		assertEquals(1.0, j.at("/strategies/random/efficiency_vs_random_95").asDouble(1.0), 1e-9);
		BufferedImage png = ImageIO.read(dir.resolve("out/al.png").toFile());
		assertEquals(1000, png.getWidth());
		assertEquals(640, png.getHeight());
		assertEquals("al.png", j.get("plot").asText());
	}

	private static Set<String> fields(JsonNode n) {
		Set<String> s = new HashSet<>();
		n.fieldNames().forEachRemaining(s::add);
		return s;
	}
}
