package org.labelloop.interop;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.geom.Mask;
import org.labelloop.imaging.MaskRois;
import org.labelloop.imaging.RoiBridge;
import org.labelloop.imaging.RoiZip;

import ij.gui.Roi;

/**
 * ImageJ ROI sets: one {@code .zip} per image, named after the image file ({@code cell.png → cell.zip}), that the
 * ROI Manager opens as it is. Each ROI is named {@code <class> <annotation id>}, drawn in its class colour, and
 * carries the properties {@code labelloop.class}, {@code labelloop.status}, {@code labelloop.origin} and
 * {@code labelloop.confidence}, which ImageJ keeps in the file, so a round trip loses nothing. On import, ROIs
 * without these properties are accepted human labels; their class comes from the property (a class the project
 * lacks is created, in the ROI's colour, as COCO and CSV do: {@link FormatSupport.Batch#commit}), else from the
 * ROI's name up to the first space when such a class exists, else none. All ROIs go in one change set, or none when
 * a zip or a property is malformed. Image-level labels have no ROI and are left out (use COCO or CSV for them). A
 * mask annotation becomes one ROI per slice (its outline, holes included) at its slice position, each with the
 * property {@code labelloop.mask} = the annotation id, so the ROIs of one mask come back as one mask annotation,
 * voxel for voxel.
 */
public final class RoiZipFormat implements LabelFormat {

	static final String CLASS = "labelloop.class", STATUS = "labelloop.status", ORIGIN = "labelloop.origin",
			CONFIDENCE = "labelloop.confidence", MASK = "labelloop.mask";

	@Override
	public ExportReport export(ProjectStore store, Path folder) {
		Map<Long, LabelClass> classes = new HashMap<>();
		store.classes().forEach(c -> classes.put(c.id(), c));
		int images = 0, count = 0;
		Set<String> names = new HashSet<>();
		try {
			Files.createDirectories(folder);
			for (ImageRecord im : store.images()) {
				List<Roi> rois = new ArrayList<>();
				for (Annotation a : store.annotations(im.id())) {
					if (a.data().isImageLevel()) continue;
					if (a.data().isMask()) {
						for (Roi r : MaskRois.toRois(a.data().mask())) {
							describe(r, a, classes.get(a.data().classId()));
							r.setProperty(MASK, Long.toString(a.id()));
							rois.add(r);
						}
						continue;
					}
					rois.add(toRoi(a, classes.get(a.data().classId())));
				}
				if (rois.isEmpty()) continue;
				String name = stem(im.name()) + ".zip";
				if (!names.add(name.toLowerCase(Locale.ROOT))) name = stem(im.name()) + "-" + im.id() + ".zip";
				RoiZip.write(folder.resolve(name), rois);
				images++;
				count += rois.size();
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write ROI sets to " + folder + ": " + e.getMessage(), e);
		}
		return new ExportReport(folder, images, count);
	}

	static Roi toRoi(Annotation a, LabelClass c) {
		return describe(RoiBridge.toRoi(a.data().geometry()), a, c);
	}

	private static Roi describe(Roi roi, Annotation a, LabelClass c) {
		roi.setName((c == null ? "unclassified" : c.name()) + " " + a.id());
		if (c != null) {
			roi.setStrokeColor(Color.decode(c.color()));
			roi.setProperty(CLASS, c.name());
		}
		roi.setProperty(STATUS, a.data().status().key());
		roi.setProperty(ORIGIN, a.data().origin().toString());
		if (a.data().confidence() != null) roi.setProperty(CONFIDENCE, Double.toString(a.data().confidence()));
		return roi;
	}

	private static String stem(String fileName) {
		String n = fileName.toLowerCase(Locale.ROOT).endsWith(".nii.gz") ? fileName.substring(0, fileName.length() - 7) : fileName;
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	@Override
	public ImportReport importLabels(ProjectStore store, String user, Path source) {
		List<Path> zips = new ArrayList<>();
		if (Files.isDirectory(source)) {
			try (Stream<Path> s = Files.list(source)) {
				s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")).sorted().forEach(zips::add);
			} catch (IOException e) {
				throw new LabelLoopException("Cannot list " + source + ": " + e.getMessage(), e);
			}
		} else {
			zips.add(source);
		}
		Map<String, List<ImageRecord>> byStem = new HashMap<>();
		for (ImageRecord im : store.images()) byStem.computeIfAbsent(stem(im.name()), k -> new ArrayList<>()).add(im);
		Set<String> classes = new HashSet<>();
		store.classes().forEach(c -> classes.add(c.name()));

		FormatSupport.Batch b = new FormatSupport.Batch(store, user, "ROI set", source);
		for (Path zip : zips) {
			String stem = stem(zip.getFileName().toString());
			List<ImageRecord> match = byStem.getOrDefault(stem, List.of());
			if (match.size() != 1) {
				b.skip(0, zip.getFileName() + ": " + (match.isEmpty() ? "no image named " + stem + ".* in the project"
						: match.size() + " images are named " + stem + ".*; rename the zip to one of them with its id, e.g. " + stem + "-" + match.get(0).id() + ".zip"));
				continue;
			}
			List<Roi> rois = RoiZip.read(zip); // throws, naming the entry, on a malformed zip: nothing written yet
			Map<String, List<Roi>> masks = new java.util.LinkedHashMap<>();
			for (Roi roi : rois) {
				if (roi.getProperty(MASK) != null) {
					masks.computeIfAbsent(roi.getProperty(MASK), k -> new ArrayList<>()).add(roi);
					continue;
				}
				Geometry g;
				try {
					g = RoiBridge.toGeometry(roi);
				} catch (IllegalArgumentException e) {
					b.skip(1, zip.getFileName() + " / " + roi.getName() + ": " + e.getMessage());
					continue;
				}
				add(b, match.get(0).id(), roi, g, null, classes, zip);
			}
			for (List<Roi> parts : masks.values()) {
				Mask m;
				try {
					m = MaskRois.toMask(parts);
				} catch (IllegalArgumentException e) {
					b.skip(1, zip.getFileName() + " / " + parts.get(0).getName() + ": " + e.getMessage());
					continue;
				}
				add(b, match.get(0).id(), parts.get(0), null, m, classes, zip);
			}
		}
		return b.commit("Import ROI sets from " + source.getFileName());
	}

	/**
	 * Queues one ROI. Its class is the {@code labelloop.class} property (created by the import when the project lacks
	 * it, as for COCO and CSV), else the ROI's name up to the first space when that is a class of the project (ImageJ
	 * names ROIs "0012-0034" or "Roi 1", which must not become classes), else none. A mask's first ROI carries the
	 * mask's properties.
	 */
	private static void add(FormatSupport.Batch b, long imageId, Roi roi, Geometry g, Mask mask, Set<String> classes, Path zip) {
		String where = "ROI '" + roi.getName() + "' in " + zip.getFileName();
		String className = roi.getProperty(CLASS);
		if (className != null) {
			String name = className.strip();
			className = b.check(where, () -> LabelClass.checkName(name));
		} else if (roi.getName() != null) {
			String first = roi.getName().split(" ", 2)[0];
			if (classes.contains(first)) className = first;
		}
		if (className != null) {
			Color stroke = roi.getStrokeColor();
			if (stroke != null) b.colour(className, String.format("#%06x", stroke.getRGB() & 0xffffff));
		}
		String status = roi.getProperty(STATUS), origin = roi.getProperty(ORIGIN), confidence = roi.getProperty(CONFIDENCE);
		Origin o = origin == null ? Origin.human(b.user()) : b.check(where + ": " + ORIGIN, () -> Origin.parse(origin));
		Status st = status == null ? Status.ACCEPTED : b.check(where + ": " + STATUS, () -> Status.parse(status));
		Double conf = confidence == null ? null : b.check(where + ": " + CONFIDENCE, () -> Double.valueOf(confidence));
		if (mask != null) b.addMask(imageId, mask, className, o, st, conf, Map.of());
		else b.add(imageId, g, className, o, st, conf, Map.of());
	}
}
