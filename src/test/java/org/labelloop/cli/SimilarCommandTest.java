package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.Status;

/** {@code labelloop similar} on the demo project: a query, a bulk label, bad input, and the index location setting. */
class SimilarCommandTest extends CommandLineTest {

	@TempDir
	Path dir;

	@Test
	void similarFindsLabelsAndSaysWhatIsWrong() {
		Path p = dir.resolve("demo");
		DemoProject.createFashion(TestData.folder(), p, "ann");
		String project = p.toString();
		assertEquals(1, run("similar", "-p", project, "image:1"));
		assertTrue(err().contains("No image model yet") && err().contains("Retrain"), err());
		assertEquals(0, run("train", "-p", project, "-u", "ann", "--task", "image"), err());
		assertEquals(0, run("similar", "-p", project, "-u", "ann", "image:1", "-k", "3", "--filter", "not reviewed", "--label", "bag"), err());
		assertTrue(out().matches("(?s)1\timage:\\d+\t\\S+\t\\d\\.\\d{4}\t-\t-\n2\t.*3\t.*\n3 item\\(s\\) labelled as bag \\(weak\\)\n"), out());
		try (LocalBackend b = LocalBackend.open(p, "x")) {
			assertEquals(3, b.store().allAnnotations().stream()
					.filter(a -> a.data().origin().toString().equals("weak:like image:1 [not reviewed]") && a.data().status() == Status.PROPOSED).count());
		}
		assertEquals(1, run("similar", "-p", project, "image:1", "--filter", "class:mitosis"));
		assertTrue(err().contains("No class 'mitosis' in this project; its classes are: tshirt, trouser"), err());
		assertEquals(0, run("similar", "-p", project, "image:1", "--filter", "status:rejected"));
		assertTrue(out().contains("No image matches the filter [status:rejected]"), out());
		assertEquals(0, run("similar", "-p", project, "--qdrant", "http://qdrant.lab:6333"));
		assertTrue(out().contains("Vector indexes: Qdrant at http://qdrant.lab:6333"), out());
		assertEquals(0, run("similar", "-p", project, "--local"));
		assertTrue(out().contains("Vector indexes: in the project folder"), out());
	}
}
