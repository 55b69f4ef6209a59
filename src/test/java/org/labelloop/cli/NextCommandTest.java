package org.labelloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.TestData;
import org.labelloop.backend.DemoProject;

/** {@code labelloop next} on the demo project, before and after training. */
class NextCommandTest extends CommandLineTest {

	@TempDir
	Path dir;

	/** Image ids of the printed choices (second column). */
	private Set<String> ids() {
		Set<String> s = new HashSet<>();
		for (String line : out().split("\n"))
			if (line.matches("\\d+\t\\d+\t.*")) s.add(line.split("\t")[1]);
		return s;
	}

	@Test
	void nextPrintsReasonsAndLeasesSoAnotherUserGetsOtherImages() {
		Path p = dir.resolve("demo");
		DemoProject.createFashion(TestData.folder(), p, "ann");
		String project = p.toString();
		assertEquals(0, run("next", "-p", project, "-u", "ann", "--strategy", "entropy"));
		assertTrue(out().contains("No model predictions yet"), out());
		assertEquals(0, run("import", "-p", project, "-u", "ann", "-f", "csv", TestData.path("fashion/labels.csv").toString()));
		assertEquals(0, run("train", "-p", project, "-u", "ann", "--task", "image"), err.toString());

		assertEquals(0, run("next", "-p", project, "-u", "ann", "--strategy", "review", "--count", "2"));
		String review = out();
		assertTrue(review.matches("(?s)1\t\\d+\t\\S+\t.*rank 1 of .*\n2\t\\d+\t\\S+\t.*rank 2 of .*"), review);
		assertEquals(2, ids().size(), review);
		assertTrue(review.contains("Leased 2 image(s) to ann for 30 min (strategy review)."), review);
		Set<String> ann = ids();
		assertEquals(0, run("next", "-p", project, "-u", "bob", "--strategy", "review", "--count", "2", "--lease-minutes", "5"));
		Set<String> bob = ids();
		assertEquals(2, bob.size(), out());
		bob.retainAll(ann);
		assertTrue(bob.isEmpty(), "bob gets none of ann's leased images: " + out());

		assertEquals(1, run("next", "-p", project, "-u", "ann", "--strategy", "more-of-class", "--class", "mitosis"));
		assertTrue(err.toString().contains("mitosis"), err.toString());
		assertEquals(2, run("next", "-p", project, "--count", "x"));
		assertEquals(1, run("next", "-p", project, "-u", "ann", "--task", "pixels"));
		assertTrue(err.toString().contains("Unknown task 'pixels' (expected image, roi, seg)"), err.toString());
		assertEquals(0, run("next", "-p", project, "-u", "ann", "--strategy", "entropy", "--task", "seg"));
		assertTrue(out().contains("No segmentation model yet"), out());
	}
}
