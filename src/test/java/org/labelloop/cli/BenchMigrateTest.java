package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.remote.Wire;

import com.fasterxml.jackson.databind.JsonNode;

/** A small {@code bench migrate}: there and back, every table identical, the counts in the JSON. */
class BenchMigrateTest extends CommandLineTest {
	@TempDir
	Path dir;

	@Test
	void aProjectMovedThereAndBackReadsTheSame() throws Exception {
		org.labelloop.core.store.PostgresCluster.get(); // skips without PostgreSQL (unless CI requires it)
		Path json = dir.resolve("m.json");
		assertEquals(0, run("bench", "migrate", "--annotations", "2500", "--images", "30", "--json", json.toString()), err());
		assertTrue(out().contains("every table identical on PostgreSQL: yes; back in SQLite: yes"), out());
		JsonNode r = Wire.MAPPER.readTree(json.toFile());
		assertEquals(2500, r.get("rows").get("annotations").asInt());
		assertEquals(3, r.get("rows").get("changesets").asInt(), "change sets of 1,000");
		assertTrue(r.get("identical_back").asBoolean());
	}
}
