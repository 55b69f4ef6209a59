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

class BenchProjectTest {

	@TempDir
	Path dir;

	@Test
	void aSmallProjectGoesThroughEveryStepAndWritesItsNumbers() throws Exception {
		Path json = dir.resolve("project.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchProject());
		cl.setOut(new PrintWriter(out));
		int rc = cl.execute("--images", "400", "--labelled", "60", "--added", "20", "--picks", "3", "--json", json.toString());
		assertEquals(0, rc, out.toString());
		assertTrue(out.toString().contains("Retrain after 20 new labels"), out.toString());
		JsonNode j = new ObjectMapper().readTree(json.toFile());
		assertEquals(400, j.get("images").asInt());
		assertEquals("v2", j.get("retrain_after_added_model").asText(), "the timed Retrain made the second version");
		assertEquals("v3", j.get("retrain_running_alongside").asText());
		assertEquals(3, j.get("next_picks").get("count").asInt());
		assertEquals(3, j.get("similar").get("count").asInt());
		assertEquals(400, j.get("map_points").asInt(), "every image is on the map");
		for (String k : new String[] { "retrain_after_added_s", "first_pick_ms", "map_ready_s", "first_pick_cold_ms", "first_map_s" })
			assertTrue(j.get(k).asDouble() > 0, k + " = " + j.get(k));
		assertTrue(j.get("next_during_retrain").get("count").asInt() >= 1, "Next Image was asked while the third Retrain ran");
		assertTrue(j.get("first_pick_during_retrain_from_previous_version").asBoolean(), "and answered by the version before it");
		// four new images (a hundredth) and a fourth Retrain: their points are placed into the map
		assertEquals(4, j.get("new_images").asInt());
		assertTrue(j.get("map_after_new_images_note").asText().startsWith("4 of 404 points placed"), j.get("map_after_new_images_note").asText());
		assertTrue(j.get("retrain_after_new_images_s").asDouble() > 0);
		// and the calls after it by v2, or by v3 once that was active while the Retrain finished (its pool, the map's start)
		String by = j.get("answered_during_retrain_by").asText();
		assertTrue(by.equals("v2") || by.equals("v2, v3"), by);
	}

	@Test
	void refusesMoreLabelsThanImages() {
		CommandLine cl = new CommandLine(new BenchProject());
		cl.setErr(new PrintWriter(new StringWriter()));
		assertTrue(cl.execute("--images", "50", "--labelled", "60") != 0);
	}
}
