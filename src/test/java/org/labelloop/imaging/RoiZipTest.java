package org.labelloop.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.LabelLoopException;

import ij.gui.Roi;
import ij.io.RoiEncoder;

class RoiZipTest {

	@TempDir
	Path dir;

	@Test
	void writesWhatImageJReadsBackWithNamesPositionsAndProperties() throws IOException {
		List<Roi> rois = new ArrayList<>();
		for (Geometry g : RoiBridgeTest.everyKind()) rois.add(RoiBridge.toRoi(g));
		rois.get(0).setName("cell");
		rois.get(1).setName("cell");
		rois.get(2).setName("a/b");
		rois.get(3).setProperty("labelloop.class", "nucleus");
		rois.get(3).setProperty("labelloop.confidence", "0.93");
		Path zip = dir.resolve("rois.zip");
		RoiZip.write(zip, rois);
		try (ZipFile z = new ZipFile(zip.toFile())) {
			assertEquals(List.of("cell.roi", "cell-2.roi", "a_b.roi", "0004.roi"),
					z.stream().map(ZipEntry::getName).toList().subList(0, 4));
		}
		assertEquals("cell", rois.get(1).getName(), "the caller's ROIs are left alone");
		List<Roi> back = RoiZip.read(zip);
		assertEquals(rois.size(), back.size());
		for (int i = 0; i < rois.size(); i++)
			assertEquals(RoiBridge.toGeometry(rois.get(i)), RoiBridge.toGeometry(back.get(i)), "ROI " + i);
		assertEquals("nucleus", back.get(3).getProperty("labelloop.class"));
		assertEquals("0.93", back.get(3).getProperty("labelloop.confidence"));
		assertEquals("cell", back.get(1).getName(), "the name stored in the ROI wins");
		assertEquals("0004", back.get(3).getName(), "an unnamed ROI is named after its entry");
		assertFalse(Files.exists(dir.resolve("rois.zip.tmp")));
		RoiZip.write(zip, List.of());
		assertTrue(RoiZip.read(zip).isEmpty(), "an existing file is replaced");
	}

	private Path zipOf(String entry, byte[] content) throws IOException {
		Path zip = dir.resolve("bad.zip");
		try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
			out.putNextEntry(new ZipEntry("ok.roi"));
			out.write(RoiEncoder.saveAsByteArray(new Roi(1, 2, 3, 4)));
			out.putNextEntry(new ZipEntry(entry));
			out.write(content);
		}
		return zip;
	}

	private static void assertMessage(Path zip, String tail) {
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> RoiZip.read(zip));
		assertTrue(e.getMessage().startsWith("Cannot read ROI zip " + zip + ": " + tail), e.getMessage());
	}

	@Test
	void malformedZipsNameTheFileAndTheEntry() throws IOException {
		Path text = Files.writeString(dir.resolve("text.zip"), "not a zip at all");
		assertMessage(text, "not a zip file or corrupt");
		assertMessage(dir.resolve("missing.zip"), "file not found");
		assertMessage(zipOf("notes.txt", "hello".getBytes()), "entry notes.txt is not a .roi file");
		assertMessage(zipOf("junk.roi", new byte[100]), "entry junk.roi is not an ImageJ ROI (bad header)");
		byte[] polygon = RoiEncoder.saveAsByteArray(RoiBridge.toRoi(RoiBridgeTest.compositeWithHole(null)));
		assertMessage(zipOf("cut.roi", Arrays.copyOf(polygon, 70)), "entry cut.roi is corrupt");
	}
}
