package org.labelloop.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.backend.LocalBackend;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.Progress;

import ij.IJ;

/** Esc cancels long work: the progress adapter reads ImageJ's Esc flag, and a new operation starts uncancelled. */
class ImageJProgressTest {

	@TempDir
	Path tmp;

	@AfterEach
	void clearEscape() {
		IJ.resetEscape();
	}

	@Test
	void escapeCancelsAddingImagesAndTheNextOperationStartsAfresh() {
		Path fashion = Path.of(System.getProperty("labelloop.testData", "test-data"), "fashion");
		try (LocalBackend b = LocalBackend.create(tmp.resolve("p"), "esc", "eve")) {
			ImageJProgress progress = new ImageJProgress("Adding images");
			int[] reports = { 0 };
			Progress userPressesEsc = new Progress() {
				@Override
				public void report(double fraction, String message) {
					progress.report(fraction, message);
					if (++reports[0] == 3) IJ.setKeyDown(KeyEvent.VK_ESCAPE); // part-way through
				}

				@Override
				public boolean isCancelled() {
					return progress.isCancelled();
				}
			};
			assertFalse(progress.isCancelled());
			assertThrows(CancelledException.class, () -> b.addImages(List.of(fashion), userPressesEsc));
			assertTrue(progress.isCancelled());
			assertTrue(b.images().size() < 20, "stopped early: " + b.images().size());
			ImageJProgress again = new ImageJProgress("Adding images");
			assertFalse(again.isCancelled());
			b.addImages(List.of(fashion), again);
			assertEquals(20, b.images().size());
		}
	}
}
