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

	/** Two servers on a throw-away PostgreSQL cluster the bench starts itself, and says so. */
	@Test
	void twoServersOnAThrowAwayPostgresLoseNothing() throws Exception {
		org.labelloop.core.store.PostgresCluster.get(); // skips without PostgreSQL (unless CI requires it)
		Path json = dir.resolve("pg.json");
		assertEquals(0, run("bench", "server", "--db", "postgresql", "--servers", "2", "--users", "6", "--minutes", "0.1", "--images", "40", "--json",
				json.toString()), err());
		assertTrue(out().contains("starting a throw-away PostgreSQL cluster") && out().contains("2 server processes"), out());
		JsonNode r = Wire.MAPPER.readTree(json.toFile());
		assertEquals(2, r.get("servers").asInt());
		assertTrue(r.get("store").asText().startsWith("PostgreSQL"), r.toString());
		assertEquals(0, r.get("lost_writes").asInt());
		assertEquals(0, r.get("duplicate_leases").asInt());
		assertTrue(r.get("writes_acknowledged").asInt() > 0, r.toString());
		assertEquals(1, run("bench", "server", "--servers", "2", "--minutes", "0.1"), "two servers on SQLite are refused");
		assertTrue(err().contains("--db postgresql"), err());
	}
}
