package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code bench next} with small numbers: it runs, prints its table and writes the JSON the docs quote. */
class BenchNextTest {

	@TempDir
	Path dir;

	@Test
	void writesTimingsForEveryUncertaintyStrategyAndTheHybridBatch() throws Exception {
		Path json = dir.resolve("out/next.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchNext());
		cl.setOut(new PrintWriter(out));
		int rc = cl.execute("--candidates", "20000", "--repetitions", "5", "--batch-items", "3000", "--dim", "16", "--batch", "8",
				"--clusters", "8", "--batch-repetitions", "2", "--json", json.toString());
		assertEquals(0, rc, out.toString());
		assertTrue(out.toString().contains("Next item among 20,000 candidates"), out.toString());
		assertTrue(out.toString().contains("entropy"), out.toString());
		JsonNode j = new ObjectMapper().readTree(json.toFile());
		assertEquals("next", j.get("benchmark").asText());
		assertEquals(20000, j.at("/next/candidates").asInt());
		double slowest = 0;
		for (String s : new String[] { "least-confidence", "margin", "entropy" }) {
			JsonNode t = j.at("/next/strategies/" + s);
			slowest = Math.max(slowest, t.get("p95_ms").asDouble());
			assertTrue(t.get("p50_ms").asDouble() > 0, s);
			assertTrue(t.get("p50_ms").asDouble() <= t.get("p95_ms").asDouble(), s);
			assertTrue(t.get("p95_ms").asDouble() <= t.get("max_ms").asDouble(), s);
		}
		assertEquals(slowest, j.get("first_pick_p95_ms").asDouble(), "the top-level figure is the slowest strategy's first-pick p95");
		assertEquals(3000, j.at("/batch/items").asInt());
		assertEquals(8, j.at("/batch/batch").asInt());
		assertTrue(j.at("/batch/median_seconds").asDouble() > 0);
		// well-separated clusters: a diverse batch of 8 touches most of the 8
		assertTrue(j.at("/batch/distinct_clusters").asInt() >= 6, j.at("/batch").toString());
		assertTrue(j.at("/machine/cores").asInt() >= 1);
		assertTrue(j.at("/goals/met").isBoolean());
	}

	@Test
	void refusesNonsense() {
		CommandLine cl = new CommandLine(new BenchNext());
		cl.setErr(new PrintWriter(new StringWriter()));
		assertTrue(cl.execute("--batch", "0") != 0);
	}
}
