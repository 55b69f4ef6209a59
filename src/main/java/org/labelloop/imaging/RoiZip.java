package org.labelloop.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.labelloop.core.model.LabelLoopException;

import ij.gui.Roi;
import ij.io.RoiDecoder;
import ij.io.RoiEncoder;

/**
 * Reads and writes ImageJ ROI Manager {@code .zip} files: one {@code .roi} entry per ROI, encoded by ImageJ's own
 * {@link RoiEncoder} (which keeps name, position, colours and {@link Roi#setProperty properties}).
 */
public final class RoiZip {

	private static final int MAX_ROI_BYTES = 64 << 20;

	private RoiZip() {
	}

	/**
	 * Writes the ROIs in order, replacing the file only when complete. Entries are named after the ROI names (or
	 * 0001, 0002, … when unnamed), made unique with a "-2", "-3" suffix; the ROIs themselves are not changed.
	 *
	 * @throws LabelLoopException if the file cannot be written
	 */
	public static void write(Path zip, List<Roi> rois) {
		Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
		try {
			try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
				Set<String> used = new HashSet<>();
				for (int i = 0; i < rois.size(); i++) {
					Roi roi = rois.get(i);
					String base = roi.getName() == null || roi.getName().isBlank() ? String.format(Locale.ROOT, "%04d", i + 1)
							: roi.getName().replaceAll("[/\\\\\\p{Cntrl}]", "_");
					String name = base;
					for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) name = base + "-" + k;
					out.putNextEntry(new ZipEntry(name + ".roi"));
					out.write(RoiEncoder.saveAsByteArray(roi));
					out.closeEntry();
				}
			}
			Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			try {
				Files.deleteIfExists(tmp);
			} catch (IOException ignored) {
				// the original error matters more
			}
			throw new LabelLoopException("Cannot write ROI zip " + zip + ": " + e, e);
		}
	}

	/**
	 * Reads every ROI in entry order; an unnamed ROI is named after its entry, as ImageJ's ROI Manager does.
	 *
	 * @throws LabelLoopException naming the file (and the entry) if it is missing, not a zip, or holds an entry that is
	 *         not a readable {@code .roi}
	 */
	public static List<Roi> read(Path zip) {
		if (!Files.isRegularFile(zip)) throw new LabelLoopException("Cannot read ROI zip " + zip + ": file not found");
		List<Roi> rois = new ArrayList<>();
		try (ZipFile file = new ZipFile(zip.toFile())) {
			for (Enumeration<? extends ZipEntry> en = file.entries(); en.hasMoreElements();) {
				ZipEntry entry = en.nextElement();
				if (entry.isDirectory()) continue;
				String name = entry.getName();
				if (!name.toLowerCase(Locale.ROOT).endsWith(".roi")) throw bad(zip, name, "not a .roi file");
				byte[] bytes;
				try (InputStream in = file.getInputStream(entry)) {
					bytes = in.readNBytes(MAX_ROI_BYTES + 1);
				}
				if (bytes.length > MAX_ROI_BYTES) throw bad(zip, name, "too large for a ROI");
				if (bytes.length < 64 || bytes[0] != 'I' || bytes[1] != 'o' || bytes[2] != 'u' || bytes[3] != 't')
					throw bad(zip, name, "not an ImageJ ROI (bad header)");
				Roi roi;
				try {
					String label = name.substring(name.lastIndexOf('/') + 1);
					roi = new RoiDecoder(bytes, label).getRoi();
				} catch (IOException | RuntimeException e) {
					throw new LabelLoopException("Cannot read ROI zip " + zip + ": entry " + name + " is corrupt (" + e + ")", e);
				}
				if (roi == null) throw bad(zip, name, "corrupt or of an unknown ROI type");
				rois.add(roi);
			}
		} catch (ZipException e) {
			throw new LabelLoopException("Cannot read ROI zip " + zip + ": not a zip file or corrupt (" + e.getMessage() + ")", e);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read ROI zip " + zip + ": " + e, e);
		}
		return rois;
	}

	private static LabelLoopException bad(Path zip, String entry, String reason) {
		return new LabelLoopException("Cannot read ROI zip " + zip + ": entry " + entry + " is " + reason);
	}
}
