package org.labelloop.imaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;

/**
 * Single-slice DICOM files of one series (same folder, same Series Instance UID) as one volume.
 * <p>
 * <b>Grouping</b> ({@link #group}): files are grouped by folder and Series Instance UID; a group of two or more
 * distinct SOP instances is a series (copies of one instance, such as the same slice saved in two encodings, stay
 * separate images). Slices are ordered by Image Position (Patient) projected on the slice normal (the cross product of
 * Image Orientation (Patient)'s row and column directions), or by Instance Number when positions are missing.
 * <p>
 * <b>Refused</b>, with the series and the reason: a gap in positions (a step over 1.5 × the usual spacing: a slice is
 * missing, and a volume built anyway would put labels at wrong depths), two slices at one position, slices of
 * different sizes, multi-frame files. A refused series adds nothing.
 * <p>
 * <b>Stored</b> as a small text manifest ({@code .dcmseries}) that the project keeps: the series UID, the voxel
 * spacing, then one line per slice in order with its SHA-256 and path (relative to the manifest when the slice lies
 * under the manifest's project, else absolute). {@link Images#open} reads a manifest as a 32-bit stack of the
 * rescaled values (Rescale Slope/Intercept applied: Hounsfield units for CT), with the pixel and slice spacing as
 * calibration; each slice's hash is checked, so a changed or moved slice is refused by name.
 */
public final class DicomSeries {

	static final String MAGIC = "LabelLoop DICOM series 1";
	public static final String EXTENSION = ".dcmseries";

	/** One series, slices in order. */
	public record Series(String uid, Path folder, List<Path> slices, double[] spacing, Map<String, String> metadata) {
		/** The file name its manifest gets: the UID, which is unique and file-name safe (digits and dots). */
		public String manifestName() {
			return uid.replaceAll("[^0-9A-Za-z.]", "_") + EXTENSION;
		}
	}

	/** What {@link #group} found: series, files that stay single images, and refused series (one message each). */
	public record Grouping(List<Series> series, List<Path> singles, List<String> problems) {
	}

	private DicomSeries() {
	}

	public static boolean isManifest(Path file) {
		return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(EXTENSION);
	}

	/**
	 * Sorts files into series and single images. Files that are not DICOM, or whose header cannot be read, are
	 * singles (their reading reports the problem later).
	 */
	public static Grouping group(List<Path> files) {
		Map<List<Object>, List<Entry>> groups = new LinkedHashMap<>();
		List<Path> singles = new ArrayList<>();
		for (Path f : files) {
			DicomHeader h = header(f);
			String uid = h == null ? null : h.value(DicomHeader.SERIES_UID);
			if (h == null || uid == null || h.isSegmentation() || !h.hasPixelData()) {
				singles.add(f);
				continue;
			}
			groups.computeIfAbsent(List.of(f.toAbsolutePath().getParent(), uid), k -> new ArrayList<>()).add(new Entry(f, h));
		}
		List<Series> series = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		for (List<Entry> g : groups.values()) {
			Set<String> instances = new HashSet<>();
			for (Entry e : g) instances.add(e.h.value(DicomHeader.SOP_INSTANCE_UID) == null ? e.file.toString() : e.h.value(DicomHeader.SOP_INSTANCE_UID));
			if (instances.size() < 2) {
				g.forEach(e -> singles.add(e.file));
				continue;
			}
			try {
				series.add(assemble(g));
			} catch (ImageReadException e) {
				problems.add(e.getMessage());
			}
		}
		return new Grouping(series, singles, problems);
	}

	private record Entry(Path file, DicomHeader h) {
	}

	private static DicomHeader header(Path f) {
		try {
			byte[] head = new byte[132];
			try (var in = Files.newInputStream(f)) {
				if (in.readNBytes(head, 0, 132) < 132) return null;
			}
			if (!new String(head, 128, 4, StandardCharsets.US_ASCII).equals("DICM")) return null;
			return DicomHeader.read(f);
		} catch (IOException | ImageReadException e) {
			return null;
		}
	}

	private static Series assemble(List<Entry> g) {
		Entry first = g.get(0);
		String uid = first.h.value(DicomHeader.SERIES_UID);
		Path folder = first.file.toAbsolutePath().getParent();
		Path where = folder;
		String name = "DICOM series " + uid;
		for (Entry e : g) {
			if (e.h.frames() > 1)
				throw new ImageReadException(where, name + ": " + e.file.getFileName() + " has " + e.h.frames() + " frames; a series is made of single-slice files");
			String syntax = e.h.transferSyntax();
			if (!e.h.hasPixelData() || e.h.encapsulated() || syntax != null && Images.isCompressed(syntax) || e.h.samples() != 1
					|| e.h.bitsAllocated() != 8 && e.h.bitsAllocated() != 16)
				throw new ImageReadException(where, name + ": " + e.file.getFileName() + " is not an uncompressed 8- or 16-bit grey slice"
						+ " (transfer syntax " + syntax + ", " + e.h.bitsAllocated() + " bits, " + e.h.samples() + " samples); add such files one by one");
			if (e.h.pixelOffset() + e.h.neededBytes() > e.h.fileSize() || e.h.pixelLength() < e.h.neededBytes())
				throw new ImageReadException(where, name + ": " + e.file.getFileName() + " has incomplete pixel data");
			if (e.h.rows() != first.h.rows() || e.h.columns() != first.h.columns())
				throw new ImageReadException(where, String.format(Locale.ROOT, "%s: %s is %d×%d but %s is %d×%d", name, e.file.getFileName(),
						e.h.columns(), e.h.rows(), first.file.getFileName(), first.h.columns(), first.h.rows()));
		}
		double[] normal = normal(first.h.numbers(DicomHeader.ORIENTATION));
		boolean byPosition = normal != null && g.stream().allMatch(e -> position(e) != null && position(e).length == 3);
		double[] key = new double[g.size()];
		List<Entry> sorted = new ArrayList<>(g);
		if (byPosition) {
			sorted.sort(Comparator.comparingDouble(e -> dot(position(e), normal)));
		} else {
			for (Entry e : g)
				if (e.h.numbers(DicomHeader.INSTANCE_NUMBER) == null)
					throw new ImageReadException(where, name + ": " + e.file.getFileName() + " has neither Image Position (Patient) nor Instance Number, so the slice order is unknown");
			sorted.sort(Comparator.comparingDouble(e -> e.h.numbers(DicomHeader.INSTANCE_NUMBER)[0]));
		}
		for (int i = 0; i < sorted.size(); i++)
			key[i] = byPosition ? dot(position(sorted.get(i)), normal) : sorted.get(i).h.numbers(DicomHeader.INSTANCE_NUMBER)[0];
		double[] steps = new double[key.length - 1];
		for (int i = 0; i < steps.length; i++) {
			steps[i] = key[i + 1] - key[i];
			if (Math.abs(steps[i]) < 1e-4)
				throw new ImageReadException(where, name + ": " + sorted.get(i).file.getFileName() + " and " + sorted.get(i + 1).file.getFileName()
						+ " are at the same " + (byPosition ? "position" : "instance number") + " (" + fmt(key[i]) + ")");
		}
		double step = median(steps);
		for (int i = 0; i < steps.length; i++)
			if (steps[i] > 1.5 * step)
				throw new ImageReadException(where, String.format(Locale.ROOT, "%s has a gap: %s between %s (%s) and %s (%s), where the slices are %s apart;"
						+ " a slice is missing. Add the missing file, or add the files one by one as single images", name,
						byPosition ? "no slice" : "no instance", sorted.get(i).file.getFileName(), fmt(key[i]), sorted.get(i + 1).file.getFileName(),
						fmt(key[i + 1]), (byPosition ? fmt(step) + " mm" : fmt(step) + " instance numbers")));
		double[] ps = first.h.numbers(DicomHeader.PIXEL_SPACING);
		double dz = byPosition ? step : firstNumber(first.h, DicomHeader.SPACING_BETWEEN_SLICES, DicomHeader.SLICE_THICKNESS, 1);
		// Pixel Spacing is row spacing (between rows, i.e. y) then column spacing (x)
		double[] spacing = { ps != null && ps.length == 2 ? ps[1] : 1, ps != null && ps.length == 2 ? ps[0] : 1, dz };
		return new Series(uid, folder, sorted.stream().map(e -> e.file.toAbsolutePath().normalize()).toList(), spacing, metadata(first.h));
	}

	/** The tags labellers filter by, under short keys: modality, patient, study, series, bodypart, description. */
	static Map<String, String> metadata(DicomHeader h) {
		Map<String, String> m = new LinkedHashMap<>();
		put(m, "modality", h.modality());
		put(m, "patient", h.value(DicomHeader.PATIENT_ID));
		put(m, "study", h.value(DicomHeader.STUDY_UID));
		put(m, "series", h.value(DicomHeader.SERIES_UID));
		put(m, "bodypart", h.value(DicomHeader.BODY_PART));
		put(m, "description", h.value(DicomHeader.SERIES_DESCRIPTION));
		return m;
	}

	/** The metadata of a single DICOM file (empty for any other file or an unreadable header). */
	public static Map<String, String> metadata(Path file) {
		DicomHeader h = header(file);
		return h == null ? Map.of() : metadata(h);
	}

	private static void put(Map<String, String> m, String k, String v) {
		if (v != null && !v.isBlank()) m.put(k, v.strip());
	}

	private static double firstNumber(DicomHeader h, int a, int b, double otherwise) {
		for (int t : new int[] { a, b }) {
			double[] v = h.numbers(t);
			if (v != null && v.length > 0 && v[0] > 0) return v[0];
		}
		return otherwise;
	}

	private static double[] position(Entry e) {
		return e.h.numbers(DicomHeader.POSITION);
	}

	private static double[] normal(double[] o) {
		if (o == null || o.length != 6) return null;
		double[] n = { o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3] };
		double len = Math.sqrt(dot(n, n));
		if (len < 1e-6) return null;
		for (int i = 0; i < 3; i++) n[i] /= len;
		return n;
	}

	private static double dot(double[] a, double[] b) {
		return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
	}

	private static double median(double[] v) {
		double[] s = v.clone();
		Arrays.sort(s);
		return s[s.length / 2];
	}

	private static String fmt(double v) {
		return String.format(Locale.ROOT, "%.4g", v).replaceFirst("\\.?0+$", "");
	}

	/** The manifest's text for a series whose manifest will be at {@code manifest}, inside {@code project}. */
	public static String manifest(Series s, Path manifest, Path project) {
		StringBuilder b = new StringBuilder(MAGIC).append('\n');
		b.append("series ").append(s.uid()).append('\n');
		b.append(String.format(Locale.ROOT, "spacing %s %s %s%n", s.spacing()[0], s.spacing()[1], s.spacing()[2]));
		Path base = manifest.toAbsolutePath().normalize().getParent();
		Path root = project.toAbsolutePath().normalize();
		for (Path f : s.slices()) {
			String p = f.startsWith(root) ? base.relativize(f).toString().replace('\\', '/') : f.toString();
			b.append(Images.sha256(f)).append(' ').append(p).append('\n');
		}
		return b.toString();
	}

	/** A slice file a manifest lists, with the SHA-256 it had when the series was added. */
	private record Listed(String sha256, Path file) {
	}

	private static List<Listed> listed(Path manifest, List<String> lines) {
		Path base = manifest.toAbsolutePath().normalize().getParent();
		List<Listed> out = new ArrayList<>();
		for (String line : lines.subList(Math.min(3, lines.size()), lines.size())) {
			if (line.isBlank()) continue;
			int space = line.indexOf(' ');
			if (space < 0) throw new ImageReadException(manifest, "not a LabelLoop DICOM series manifest (line '" + line + "')");
			out.add(new Listed(line.substring(0, space), base.resolve(line.substring(space + 1)).normalize()));
		}
		return out;
	}

	/** The slice files of a series manifest, in slice order (slice 1 first); their content is not checked here. */
	static List<Path> sliceFiles(Path manifest) {
		try {
			return listed(manifest, Files.readAllLines(manifest, StandardCharsets.UTF_8)).stream().map(Listed::file).toList();
		} catch (IOException e) {
			throw new ImageReadException(manifest, "cannot be read (" + e.getMessage() + ")", e);
		}
	}

	/** Reads a manifest's series as a 32-bit stack of rescaled values, checking every slice. */
	static ImagePlus open(Path manifest) {
		List<String> lines;
		try {
			lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new ImageReadException(manifest, "cannot be read (" + e.getMessage() + ")", e);
		}
		if (lines.size() < 4 || !lines.get(0).equals(MAGIC) || !lines.get(1).startsWith("series ") || !lines.get(2).startsWith("spacing "))
			throw new ImageReadException(manifest, "not a LabelLoop DICOM series manifest");
		String uid = lines.get(1).substring(7).strip();
		double[] spacing = Arrays.stream(lines.get(2).substring(8).strip().split(" ")).mapToDouble(Double::parseDouble).toArray();
		ImageStack stack = null;
		boolean ct = false;
		List<Listed> listed = listed(manifest, lines);
		for (int i = 0; i < listed.size(); i++) {
			String sha = listed.get(i).sha256();
			Path f = listed.get(i).file();
			String slice = "slice " + (i + 1) + " of DICOM series " + uid + " (" + f + ")";
			if (!Files.isRegularFile(f)) throw new ImageReadException(manifest, slice + " has moved or was deleted");
			if (!Images.sha256(f).equals(sha)) throw new ImageReadException(manifest, slice + " changed on disk since the series was added");
			FloatProcessor fp = rescaled(f, manifest, slice);
			if (stack == null) ct = "CT".equals(DicomHeader.read(f).modality());
			if (stack == null) {
				stack = new ImageStack(fp.getWidth(), fp.getHeight());
			} else if (fp.getWidth() != stack.getWidth() || fp.getHeight() != stack.getHeight()) {
				throw new ImageReadException(manifest, slice + " is not the size of the first slice");
			}
			stack.addSlice(f.getFileName().toString(), fp);
		}
		if (stack == null) throw new ImageReadException(manifest, "DICOM series " + uid + " lists no slices");
		ImagePlus out = new ImagePlus(manifest.getFileName().toString(), stack);
		out.setDimensions(1, stack.getSize(), 1);
		Calibration c = new Calibration();
		c.pixelWidth = spacing[0];
		c.pixelHeight = spacing[1];
		c.pixelDepth = spacing[2];
		c.setUnit("mm");
		c.setValueUnit(ct ? "HU" : "Gray Value");
		out.setCalibration(c);
		out.resetDisplayRange();
		return out;
	}

	/**
	 * One slice's stored values with Rescale Slope and Intercept applied (HU for CT), read straight from the pixel data
	 * that {@link DicomHeader} located. ImageJ's DICOM reader is not used here: for a slope other than 1 it converts the
	 * image through {@code IJ.run("32-bit")}, which needs ImageJ's menus and fails headless.
	 */
	static FloatProcessor rescaled(Path f, Path manifest, String slice) {
		DicomHeader h = DicomHeader.read(f);
		if (!h.hasPixelData() || h.encapsulated() || h.samples() != 1 || h.bitsAllocated() != 8 && h.bitsAllocated() != 16
				|| h.pixelLength() < h.neededBytes() || h.frames() != 1)
			throw new ImageReadException(manifest, slice + " is not an uncompressed single-frame 8- or 16-bit grey DICOM slice");
		double[] slope = h.numbers(DicomHeader.RESCALE_SLOPE), intercept = h.numbers(DicomHeader.RESCALE_INTERCEPT);
		double m = slope != null && slope.length > 0 && slope[0] != 0 ? slope[0] : 1, b = intercept != null && intercept.length > 0 ? intercept[0] : 0;
		boolean signed = "1".equals(h.values().get(DicomHeader.PIXEL_REPRESENTATION));
		int w = h.columns(), height = h.rows(), n = w * height;
		java.nio.ByteBuffer px = java.nio.ByteBuffer.allocate((int) h.neededBytes())
				.order(h.bigEndian() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
		try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
			while (px.hasRemaining()) if (ch.read(px, h.pixelOffset() + px.position()) < 0) throw new IOException("end of file in the pixel data");
		} catch (IOException e) {
			throw new ImageReadException(manifest, slice + " cannot be read (" + e.getMessage() + ")", e);
		}
		px.flip();
		FloatProcessor fp = new FloatProcessor(w, height);
		for (int i = 0; i < n; i++) {
			int v = h.bitsAllocated() == 8 ? (signed ? px.get(i) : px.get(i) & 0xff) : (signed ? px.getShort(2 * i) : px.getShort(2 * i) & 0xffff);
			fp.setf(i, (float) (m * v + b));
		}
		return fp;
	}
}
