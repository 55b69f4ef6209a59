package org.labelloop.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.DicomSeg;

/**
 * DICOM-SEG import ({@link DicomSeg}: BINARY, uncompressed): each segment becomes one mask annotation, accepted,
 * origin {@code human:<user>}, of the class named by its Segment Label, on the project image the SEG was made on.
 * <p>
 * <b>Which image, which slice.</b> The SEG names the series it segments (Referenced Series Sequence) and, for each
 * frame, the SOP instance (slice) it was derived from. The image is the project's image of that series (its
 * {@code series} metadata; {@link LabelMapFormat.Options#image} chooses among several, such as one slice saved twice)
 * whose slices hold the frames' instances; a frame goes onto the slice of its instance. Refused, naming the file and the
 * reason, and writing nothing: a SEG of a series the project does not have, a frame whose instance is not a slice of
 * the image, a frame of another size than the image, and whatever {@link DicomSeg#read} refuses. One change set (one undo).
 * <p>
 * Export is not offered: the masks go out as NIfTI or TIFF label maps, or COCO RLE.
 */
public final class DicomSegFormat implements LabelFormat {

	private static final String TITLE = "DICOM-SEG";
	private final LabelMapFormat.Options options;
	private final LongFunction<Path> imageFile;

	/** @param imageFile the checked file of a project image */
	public DicomSegFormat(LabelMapFormat.Options options, LongFunction<Path> imageFile) {
		this.options = options == null ? LabelMapFormat.Options.DEFAULT : options;
		this.imageFile = imageFile;
	}

	@Override
	public ExportReport export(ProjectStore store, Path target) {
		throw new LabelLoopException("LabelLoop reads DICOM-SEG but does not write it: export the masks as a NIfTI label map (format nifti), "
				+ "a TIFF label image (tiff-labels) or COCO RLE (coco).");
	}

	@Override
	public ImportReport importLabels(ProjectStore store, String user, Path source) {
		FormatSupport.Batch b = new FormatSupport.Batch(store, user, TITLE, source);
		DicomSeg seg;
		try {
			seg = DicomSeg.read(source);
		} catch (LabelLoopException e) {
			throw b.unreadable(e);
		}
		Target t = target(b, store, seg);
		ImageRecord im = t.image();
		int w = im.width(), h = im.height(), d = Math.max(1, im.slices());
		if (seg.columns() != w || seg.rows() != h)
			throw b.malformed("", "its frames are " + seg.columns() + "x" + seg.rows() + " but image '" + im.path() + "' is " + w + "x" + h);
		int[] slice = new int[seg.frames().size()];
		for (int f = 0; f < slice.length; f++) {
			DicomSeg.Frame fr = seg.frames().get(f);
			Integer z = fr.sourceInstance() == null ? (d == 1 ? Integer.valueOf(1) : null) : t.slices().get(fr.sourceInstance());
			if (z == null)
				throw b.malformed("frame " + (f + 1), fr.sourceInstance() == null ? "names no source image (Derivation Image Sequence), and image '" + im.path()
						+ "' has " + d + " slices" : "its source image (SOP instance " + fr.sourceInstance() + ") is not a slice of image '" + im.path() + "'");
			slice[f] = z;
		}
		for (DicomSeg.Segment s : seg.segments()) {
			String name = b.check("segment " + s.number(), () -> LabelClass.checkName(s.label()));
			int[] plane = new int[w * h];
			List<LabelMap.Labelled> objects = LabelMap.toMasks(w, h, d, z -> {
				java.util.Arrays.fill(plane, 0);
				for (int f = 0; f < slice.length; f++) {
					if (slice[f] != z + 1 || seg.frames().get(f).segment() != s.number()) continue;
					for (int y = 0; y < h; y++)
						for (int x = 0; x < w; x++)
							if (seg.set(f, x, y)) plane[y * w + x] = 1;
				}
				return plane;
			}, LabelMap.Split.BY_VALUE);
			for (LabelMap.Labelled o : objects) b.addMask(im.id(), o.mask(), name, Origin.human(user), Status.ACCEPTED, null, Map.of());
		}
		return b.commit("Import " + TITLE + " " + source.getFileName());
	}

	/** The image a SEG is on, with its slices by SOP Instance UID. */
	private record Target(ImageRecord image, Map<String, Integer> slices) {
	}

	private Target target(FormatSupport.Batch b, ProjectStore store, DicomSeg seg) {
		List<String> instances = seg.frames().stream().map(DicomSeg.Frame::sourceInstance).filter(java.util.Objects::nonNull).distinct().toList();
		if (options.image() != null) {
			ImageRecord im = b.chosenImage(options.image());
			return new Target(im, DicomSeg.instances(imageFile.apply(im.id())));
		}
		if (seg.referencedSeries() == null)
			throw b.malformed("", "it names no series (Referenced Series Sequence 0008,1115); say which image it labels (image=… / --image)");
		Map<Long, Map<String, String>> metadata = store.imageMetadata();
		List<ImageRecord> ofSeries = store.images().stream()
				.filter(i -> seg.referencedSeries().equals(metadata.getOrDefault(i.id(), Map.of()).get("series"))).toList();
		if (ofSeries.isEmpty())
			throw b.malformed("", "it segments DICOM series " + seg.referencedSeries() + ", which is not in the project; add that series (its folder) first");
		List<Target> holding = new ArrayList<>();
		for (ImageRecord im : ofSeries) {
			Map<String, Integer> slices = DicomSeg.instances(imageFile.apply(im.id()));
			if (slices.keySet().containsAll(instances)) holding.add(new Target(im, slices));
		}
		if (holding.size() == 1) return holding.get(0);
		if (holding.isEmpty())
			throw b.malformed("", "it segments DICOM series " + seg.referencedSeries() + ", but no project image of that series holds all of its "
					+ instances.size() + " source slice(s) (a slice is missing from the project)");
		throw b.malformed("", holding.size() + " project images hold its source slices (" + String.join(", ", holding.stream().map(x -> x.image().name()).toList())
				+ "); say which one it labels (image=… / --image)");
	}
}
