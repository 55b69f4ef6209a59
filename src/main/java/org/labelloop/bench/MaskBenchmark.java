package org.labelloop.bench;

import org.labelloop.core.store.Folders;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Split;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.interop.LabelMapFormat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Masks at CT scale: a synthetic 512×512×300 volume with non-touching bumpy ellipsoids ("organs", one class each)
 * stored as mask annotations in a real project store. Measures the store's size, loading one slice's masks, a brush
 * stroke saved as a revision, and a label-map export + re-import (NIfTI .nii.gz) checked voxel for voxel.
 */
public final class MaskBenchmark {

	public record Config(int width, int height, int slices, int objects, int repetitions, double brushRadius, long seed) {
		public Config {
			if (width < 16 || height < 16 || slices < 1 || objects < 1 || repetitions < 1 || !(brushRadius > 0))
				throw new IllegalArgumentException("Need width, height >= 16, slices >= 1, objects >= 1, repetitions >= 1, brush radius > 0");
		}
	}

	/** Timings of repeated runs, in milliseconds. */
	public record Timing(double p50Ms, double p95Ms, double maxMs, int runs) {
		static Timing of(double[] ms) {
			double[] s = ms.clone();
			Arrays.sort(s);
			return new Timing(round(s[(s.length - 1) / 2]), round(s[(int) Math.ceil(0.95 * s.length) - 1]), round(s[s.length - 1]), s.length);
		}
	}

	public record Report(String benchmark, Map<String, Object> machine, Config config, long voxels, long objectVoxels,
			double sliceMasksLoadMs, Timing sliceMasksLoad, double strokeSaveMs, Timing strokeSave, double labelmapRoundtripS,
			double labelmapExportS, double labelmapImportS, double labelmapRoundtripCpuS, double sliceMasksLoadCpuMs, long roundtripVoxelsDiffering, boolean roundtripMasksEqual,
			long storeBytes, long maskBlobBytes, long labelmapFileBytes, long rawLabelmapBytes, Map<String, Object> goals) {
	}

	private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

	private MaskBenchmark() {
	}

	/** Non-touching ellipsoids with a bumpy surface, each 6-connected, inside the volume. */
	static List<Mask> organs(Config c, Random r) {
		List<double[]> placed = new ArrayList<>(); // cx, cy, cz, bounding radius
		List<Mask> out = new ArrayList<>();
		int tries = 0;
		while (out.size() < c.objects() && tries++ < 100_000) {
			double rx = 6 + r.nextDouble() * Math.min(40, c.width() / 8.0), ry = 6 + r.nextDouble() * Math.min(40, c.height() / 8.0);
			double rz = Math.max(1.5, Math.min(6 + r.nextDouble() * 30, c.slices() / 2.5));
			double br = Math.max(rx, Math.max(ry, rz)) * 1.15 + 2;
			double cx = rx * 1.2 + 1 + r.nextDouble() * (c.width() - 2 * rx * 1.2 - 2), cy = ry * 1.2 + 1 + r.nextDouble() * (c.height() - 2 * ry * 1.2 - 2);
			double cz = rz * 1.2 + r.nextDouble() * Math.max(0, c.slices() - 2 * rz * 1.2 - 1);
			boolean free = true;
			for (double[] p : placed)
				if (Math.hypot(Math.hypot(p[0] - cx, p[1] - cy), p[2] - cz) < p[3] + br) free = false;
			if (!free) continue;
			placed.add(new double[] { cx, cy, cz, br });
			double f1 = 2 + r.nextInt(4), f2 = 1 + r.nextInt(3), ph = r.nextDouble() * 6.28, amp = 0.08 + 0.07 * r.nextDouble();
			Mask.Builder b = Mask.builder();
			for (int z = (int) Math.floor(cz - rz); z <= Math.ceil(cz + rz); z++) {
				if (z < 0 || z >= c.slices()) continue;
				double dz = (z - cz) / rz;
				if (dz * dz > 1) continue;
				double k = Math.sqrt(1 - dz * dz);
				for (int y = (int) Math.floor(cy - ry * k); y <= Math.ceil(cy + ry * k); y++) {
					double dy = (y - cy) / (ry * k);
					if (dy * dy > 1) continue;
					double bump = 1 + amp * Math.sin(f1 * Math.atan2(dy, dz) + ph) * Math.cos(f2 * dz * 3);
					double half = rx * k * Math.sqrt(1 - dy * dy) * bump;
					int xs = (int) Math.round(cx - half), xe = (int) Math.round(cx + half) + 1;
					b.addRun(z, y, Math.max(0, xs), Math.min(c.width(), xe));
				}
			}
			Mask m = b.build();
			if (!m.isEmpty()) out.add(m);
		}
		if (out.size() < c.objects())
			throw new IllegalArgumentException("Could place only " + out.size() + " of " + c.objects() + " non-touching objects in the volume; make it larger");
		return out;
	}

	public static Report run(Config c, Path work, PrintWriter log) throws IOException {
		Random r = new Random(c.seed());
		log.println("  placing " + c.objects() + " objects in " + c.width() + "x" + c.height() + "x" + c.slices() + " ...");
		log.flush();
		List<Mask> organs = organs(c, r);
		long objectVoxels = organs.stream().mapToLong(Mask::voxelCount).sum();
		long blobBytes = organs.stream().mapToLong(Mask::encodedSize).sum();
		Path project = work.resolve("ct-project");
		ImageRecord ct = new ImageRecord(0, "ct.tif", "0".repeat(64), 0, c.width(), c.height(), 1, c.slices(), 1, 16, Split.UNASSIGNED, "bench", Instant.now());
		long imageId;
		try (SqlProjectStore s = SqlProjectStore.create(project, "ct")) {
			imageId = s.addImage(ct).id();
			List<Edit> edits = new ArrayList<>();
			for (int i = 0; i < organs.size(); i++) {
				long cls = s.addClass(new LabelClass(0, String.format(Locale.ROOT, "organ %02d", i + 1), SqlProjectStore.defaultColor(i), "", 0), "bench").id();
				edits.add(new Edit.Create(imageId, AnnotationData.ofMask(organs.get(i), cls, Origin.human("bench"), Status.ACCEPTED, null)));
			}
			s.apply("bench", "organs", edits);
		}
		long storeBytes = Folders.bytes(project);

		// one slice's masks: read the image's annotations, decode their masks' slice z, paint the label slice
		double[] load = new double[c.repetitions()];
		double loadCpuMs;
		double[] stroke = new double[c.repetitions()];
		int[] labels = new int[c.width() * c.height()];
		try (SqlProjectStore s = SqlProjectStore.open(project)) {
			for (int k = 0; k < 3; k++) loadSlice(s, imageId, c.slices() / 2, labels, c.width(), c.height()); // warm up
			long cpu0 = CPU.getCurrentThreadCpuTime();
			for (int i = 0; i < load.length; i++) {
				int z = r.nextInt(c.slices());
				long t0 = System.nanoTime();
				loadSlice(s, imageId, z, labels, c.width(), c.height());
				load[i] = (System.nanoTime() - t0) / 1e6;
			}
			loadCpuMs = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6 / load.length;
			// a brush stroke: a disc painted into the largest object on one of its slices, saved as a new revision
			Annotation big = s.annotations(imageId).stream().max(Comparator.comparingLong(a -> a.data().mask().voxelCount())).orElseThrow();
			for (int i = 0; i < stroke.length; i++) {
				long t0 = System.nanoTime();
				Annotation now = s.annotation(big.id()).orElseThrow();
				Mask m = now.data().mask();
				int z = m.minZ() + r.nextInt(m.depth());
				Mask.Slice sl = m.slice(z);
				int cx = sl.isEmpty() ? (m.minX() + m.maxX()) / 2 : sl.x0() + sl.w() - 1, cy = sl.isEmpty() ? (m.minY() + m.maxY()) / 2 : sl.y0() + sl.h() / 2;
				Mask painted = i % 2 == 0 ? m.union(Mask.disc(cx, cy, c.brushRadius(), z)) : m.subtract(Mask.disc(cx, cy, c.brushRadius() / 2, z));
				s.apply("bench", "brush stroke", List.of(new Edit.Update(now.id(), now.revision(), now.data().withMask(painted).withStatus(Status.CORRECTED))));
				stroke[i] = (System.nanoTime() - t0) / 1e6;
			}
			// take the strokes back so the round trip below sees the organs as made
			for (int i = 0; i < stroke.length; i++) s.undo("bench");
		}

		// label map export + re-import of the whole volume
		Path out = work.resolve("export/ct_labels.nii.gz");
		LabelMapFormat nifti = new LabelMapFormat(LabelMapFormat.Kind.NIFTI, LabelMapFormat.Options.DEFAULT, id -> work.resolve("ct.tif"));
		long t0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
		try (SqlProjectStore s = SqlProjectStore.open(project)) {
			nifti.export(s, out);
		}
		long t1 = System.nanoTime();
		Path second = work.resolve("reimport");
		try (SqlProjectStore t = SqlProjectStore.create(second, "again")) {
			t.addImage(ct);
			nifti.importLabels(t, "bench", out);
		}
		long t2 = System.nanoTime(), c2 = CPU.getCurrentThreadCpuTime();
		long differing;
		boolean masksEqual;
		try (SqlProjectStore s = SqlProjectStore.open(project); SqlProjectStore t = SqlProjectStore.open(second)) {
			List<LabelMap.Labelled> a = labelled(s, imageId), b = labelled(t, t.images().get(0).id());
			differing = 0;
			int[] la = new int[c.width() * c.height()], lb = new int[la.length];
			for (int z = 0; z < c.slices(); z++) {
				LabelMap.slice(a, c.width(), c.height(), z, la);
				LabelMap.slice(b, c.width(), c.height(), z, lb);
				for (int i = 0; i < la.length; i++) if (la[i] != lb[i]) differing++;
			}
			masksEqual = a.stream().map(LabelMap.Labelled::mask).sorted(Comparator.comparingInt(Mask::hashCode)).toList()
					.equals(b.stream().map(LabelMap.Labelled::mask).sorted(Comparator.comparingInt(Mask::hashCode)).toList());
		}
		Map<String, Object> goals = new LinkedHashMap<>();
		goals.put("slice_masks_load_ms", "<= 10");
		goals.put("stroke_save_ms", "<= 50");
		goals.put("labelmap_roundtrip_s", "<= 2");
		goals.put("roundtrip_voxels_differing", "0");
		Timing lt = Timing.of(load), st = Timing.of(stroke);
		return new Report("masks", Machine.describe(), c, (long) c.width() * c.height() * c.slices(), objectVoxels, lt.p50Ms(), lt, st.p50Ms(), st,
				round((t2 - t0) / 1e9), round((t1 - t0) / 1e9), round((t2 - t1) / 1e9), round((c2 - c0) / 1e9), round(loadCpuMs), differing, masksEqual, storeBytes, blobBytes,
				Files.size(out), (long) c.width() * c.height() * c.slices(), goals);
	}

	private static void loadSlice(SqlProjectStore s, long imageId, int z, int[] labels, int width, int height) {
		Arrays.fill(labels, 0);
		int value = 1;
		for (Annotation a : s.annotationsOnSlice(imageId, z)) {
			Mask m = a.data().mask();
			if (m != null) m.paint(labels, width, height, z, value);
			value++;
		}
	}

	private static List<LabelMap.Labelled> labelled(SqlProjectStore s, long imageId) {
		Map<Long, String> names = new LinkedHashMap<>();
		s.classes().forEach(c -> names.put(c.id(), c.name()));
		List<LabelMap.Labelled> out = new ArrayList<>();
		for (Annotation a : s.annotations(imageId)) {
			String n = names.get(a.data().classId());
			out.add(new LabelMap.Labelled(Integer.parseInt(n.substring("organ ".length())), a.data().mask()));
		}
		return out;
	}

	static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	public static String table(Report r) {
		StringBuilder sb = new StringBuilder();
		Config c = r.config();
		sb.append(String.format(Locale.ROOT, "Masks: %dx%dx%d volume (%,d voxels), %d objects (%,d voxels)%n", c.width(), c.height(), c.slices(),
				r.voxels(), c.objects(), r.objectVoxels()));
		sb.append(String.format(Locale.ROOT, "%-52s %14s %10s%n", "measure", "result", "goal"));
		row(sb, "slice_masks_load_ms (p50; p95 " + r.sliceMasksLoad().p95Ms() + ")", fmt(r.sliceMasksLoadMs()), "<= 10");
		row(sb, "stroke_save_ms (p50; p95 " + r.strokeSave().p95Ms() + ")", fmt(r.strokeSaveMs()), "<= 50");
		row(sb, "labelmap_roundtrip_s (export " + r.labelmapExportS() + " + import " + r.labelmapImportS() + ")", fmt(r.labelmapRoundtripS()), "<= 2");
		row(sb, "  of which CPU time of this thread (s)", fmt(r.labelmapRoundtripCpuS()), "");
		row(sb, "  slice load CPU time (ms, mean)", fmt(r.sliceMasksLoadCpuMs()), "");
		row(sb, "roundtrip_voxels_differing", Long.toString(r.roundtripVoxelsDiffering()), "0");
		row(sb, "roundtrip_masks_equal", Boolean.toString(r.roundtripMasksEqual()), "true");
		row(sb, "store_bytes (project folder)", String.format(Locale.ROOT, "%,d", r.storeBytes()), "");
		row(sb, "mask_blob_bytes (MaskCodec, all objects)", String.format(Locale.ROOT, "%,d", r.maskBlobBytes()), "");
		row(sb, "labelmap_file_bytes (.nii.gz)", String.format(Locale.ROOT, "%,d", r.labelmapFileBytes()), "");
		row(sb, "raw_labelmap_bytes (uint8 voxels)", String.format(Locale.ROOT, "%,d", r.rawLabelmapBytes()), "");
		return sb.toString();
	}

	private static String fmt(double v) {
		return String.format(Locale.ROOT, "%.3f", v);
	}

	private static void row(StringBuilder sb, String name, String value, String goal) {
		sb.append(String.format(Locale.ROOT, "%-52s %14s %10s%n", name, value, goal));
	}

	public static void writeJson(Report r, Path json) throws IOException {
		if (json.toAbsolutePath().getParent() != null) Files.createDirectories(json.toAbsolutePath().getParent());
		new ObjectMapper().setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
				.enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r);
	}
}
