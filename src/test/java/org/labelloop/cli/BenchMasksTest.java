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

/** {@code bench masks} on a small volume: it runs, prints its table and writes the numbers docs/benchmarks.md quotes. */
class BenchMasksTest {

	@TempDir
	Path dir;

	@Test
	void writesEveryNumberAndTheRoundTripIsLossless() throws Exception {
		Path json = dir.resolve("out/masks.json");
		StringWriter out = new StringWriter();
		CommandLine cl = new CommandLine(new BenchMasks());
		cl.setOut(new PrintWriter(out));
		int rc = cl.execute("--width", "128", "--height", "96", "--slices", "40", "--objects", "6", "--repetitions", "5", "--work",
				dir.resolve("work").toString(), "--json", json.toString());
		assertEquals(0, rc, out.toString());
		assertTrue(out.toString().contains("slice_masks_load_ms"), out.toString());
		JsonNode j = new ObjectMapper().readTree(json.toFile());
		assertEquals("masks", j.get("benchmark").asText());
		for (String k : new String[] { "slice_masks_load_ms", "stroke_save_ms", "labelmap_roundtrip_s", "store_bytes" })
			assertTrue(j.get(k).asDouble() > 0, k + " in " + j);
		assertEquals(0, j.get("roundtrip_voxels_differing").asLong());
		assertTrue(j.get("roundtrip_masks_equal").asBoolean());
		assertEquals(6, j.at("/config/objects").asInt());
		assertTrue(j.get("object_voxels").asLong() > 0);
	}
}
