package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.remote.Wire;

import com.fasterxml.jackson.databind.JsonNode;

/** A short {@code bench server} run: the table, the JSON, and no lost or duplicated write or lease. */
class BenchServerTest extends CommandLineTest {

	@TempDir
	Path dir;

	@Test
	void aShortRunWithFewLabellersLosesNothing() throws Exception {
		Path json = dir.resolve("server.json");
		assertEquals(0, run("bench", "server", "--users", "4", "--minutes", "0.1", "--images", "40", "--json", json.toString()), err());
		assertTrue(out().contains("writes acknowledged"), out());
		JsonNode r = Wire.MAPPER.readTree(json.toFile());
		assertEquals(0, r.get("lost_writes").asInt());
		assertEquals(0, r.get("duplicated_writes").asInt());
		assertEquals(0, r.get("duplicate_leases").asInt());
		assertTrue(r.get("writes_acknowledged").asInt() > 0, r.toString());
		assertEquals(5, r.get("per_call").size());
		assertTrue(r.get("per_call").get(0).get("p95_ms").asDouble() > 0);
		assertTrue(Files.size(json) > 100);
	}
}
