package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.Status;
import org.labelloop.testing.HeadlessBatch;

/** Segment at Click in a headless {@code -batch} macro on the real coins image: a coin's mask, accepted, from one click. */
class SegmentAtClickMacroTest {

	private static final String TD = Path.of(System.getProperty("labelloop.testData", "test-data")).toAbsolutePath().toString();

	@TempDir
	Path tmp;

	@Test
	void aClickOnACoinAddsItsMaskAndAClickOutsideIsRefused() throws Exception {
		Path project = tmp.resolve("coins"), images = tmp.resolve("images");
		Files.createDirectories(images);
		Files.copy(Path.of(TD, "microscopy/coins.png"), images.resolve("coins.png"));
		Path macro = tmp.resolve("job.ijm");
		// (215, 51) is the centre of a coin of the top row (about 1,630 px by Otsu's threshold); (275, 52) the next one
		Files.writeString(macro, "run(\"New Project\", \"folder=[" + project + "] name=coins user=hal\");\n"
				+ "run(\"Add Images\", \"path=[" + images + "]\");\n"
				+ "run(\"Edit Classes\", \"action=add class=coin color=#e6194b hotkey=1\");\n"
				+ "run(\"Next Image\", \"strategy=sequential\");\n"
				+ "run(\"Segment at Click\", \"x=215 y=51 slice=1 class=coin negative=[]\");\n"
				+ "run(\"Segment at Click\", \"x=900 y=51 slice=1 class=coin negative=[]\");\n"
				+ "run(\"Save Labels\");\n");
		String out = HeadlessBatch.run(tmp, macro, null, 60);
		assertTrue(out.contains("outside the image"), out);
		assertFalse(out.contains("Exception"), out);
		try (LocalBackend b = LocalBackend.open(project, "tester")) {
			List<Annotation> masks = b.annotations(b.images().get(0).id()).stream().filter(a -> a.data().isMask()).toList();
			assertEquals(1, masks.size(), out);
			Mask m = masks.get(0).data().mask();
			assertTrue(m.contains(215, 51, 0));
			assertFalse(m.contains(275, 52, 0), "the neighbouring coin is not part of it");
			assertTrue(m.voxelCount() > 1200 && m.voxelCount() < 2300, m.voxelCount() + " px");
			assertEquals(Status.ACCEPTED, masks.get(0).data().status());
			assertEquals("human:hal", masks.get(0).data().origin().toString());
		}
	}
}
