package org.labelloop.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.learn.djl.DjlSegmenter;
import org.labelloop.core.seg.SegObject;
import org.labelloop.core.seg.SegObjects;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.ClassicalProposer;
import org.labelloop.imaging.FloatImages;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelMaps;
import org.labelloop.imaging.VolumeProposer;

import ij.ImagePlus;
import ij.process.FloatProcessor;

/**
 * Object proposals: the classical proposer and the user's segmentation model, run over images and written as
 * {@code proposed} annotations in one change set by the user who asked.
 */
final class Proposals {

	private final ProjectStore store;
	private final ImageFiles files;
	private final String user;

	Proposals(ProjectStore store, ImageFiles files, String user) {
		this.store = store;
		this.files = files;
		this.user = user;
	}

	ProposeReport objects(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace, Progress progress) {
		return propose(imageIds, replace, progress, Origin.weak(settings.id()), "Propose objects (" + settings.method() + ")", imp -> {
			List<Proposal> found = new ArrayList<>();
			for (int t = 1; t <= imp.getNFrames(); t++)
				for (int z = 1; z <= imp.getNSlices(); z++)
					for (Geometry g : ClassicalProposer.propose(imp, settings, z, t)) found.add(new Proposal(g, null));
			return found;
		});
	}

	ProposeReport withModel(List<Long> imageIds, ModelProposal proposal, boolean replace, Progress progress) {
		Map<String, LabelClass> byName = store.classes().stream().collect(Collectors.toMap(LabelClass::name, c -> c));
		for (String name : proposal.classes())
			if (!byName.containsKey(name))
				throw new LabelLoopException("The segmentation model's labels name class '" + name + "', which the project does not have (it has: "
						+ String.join(", ", byName.keySet()) + ")");
		progress.report(0, "Loading " + proposal.model().modelFile().getFileName());
		try (DjlSegmenter seg = DjlSegmenter.open(Embedders.inProject(store, proposal.model()), proposal.threshold())) {
			String name = proposal.model().modelFile().getFileName().toString();
			if (proposal.masks())
				return propose(imageIds, replace, progress, Origin.model(seg.id()), "Propose masks (model " + name + ")", imp -> modelMasks(seg, imp, proposal, byName));
			return propose(imageIds, replace, progress, Origin.model(seg.id()), "Propose objects (model " + name + ")", imp -> {
				List<Proposal> found = new ArrayList<>();
				FloatImages.Planes read = FloatImages.of(imp);
				for (int t = 1; t <= imp.getNFrames(); t++)
					for (int z = 1; z <= imp.getNSlices(); z++) {
						Plane plane = Images.plane(imp, 0, z, t);
						int[] labels = labels(seg, read.plane(new Plane(0, z, t)), proposal);
						FloatProcessor map = new FloatProcessor(imp.getWidth(), imp.getHeight());
						float[] px = (float[]) map.getPixels();
						for (int i = 0; i < px.length; i++) px[i] = labels[i];
						for (LabelMaps.Region r : LabelMaps.toGeometries(map, proposal.minArea(), plane)) {
							String cls = r.label() <= proposal.classes().size() ? proposal.classes().get(r.label() - 1) : null;
							found.add(new Proposal(r.geometry(), cls == null ? null : byName.get(cls).id()));
						}
					}
				return found;
			});
		}
	}

	/**
	 * The model's label map of every slice (the current frame) as mask objects: each connected object of a label (face
	 * connectivity, across slices on a volume) of at least {@code minArea} voxels is one mask.
	 */
	private static List<Proposal> modelMasks(DjlSegmenter seg, ImagePlus imp, ModelProposal proposal, Map<String, LabelClass> byName) {
		int w = imp.getWidth(), h = imp.getHeight(), d = imp.getNSlices(), t = imp.getT(), plane = w * h;
		int[] labels = new int[plane * d];
		FloatImages.Planes read = FloatImages.of(imp);
		for (int z = 1; z <= d; z++) System.arraycopy(labels(seg, read.plane(new Plane(0, z, t)), proposal), 0, labels, (z - 1) * plane, plane);
		List<Proposal> out = new ArrayList<>();
		int minVoxels = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(proposal.minArea())));
		for (SegObject obj : SegObjects.fromLabels(labels, w, h, d, minVoxels, proposal.classes())) {
			String cls = obj.classIndex() <= proposal.classes().size() ? proposal.classes().get(obj.classIndex() - 1) : null;
			out.add(new Proposal(null, cls == null ? null : byName.get(cls).id(), obj.mask()));
		}
		return out;
	}

	private static int[] labels(DjlSegmenter seg, org.labelloop.core.learn.FloatImage slice, ModelProposal proposal) {
		return proposal.tiles() ? seg.labelMapTiled(slice, ModelProposal.TILE_OVERLAP) : seg.labelMap(slice);
	}

	/** One object a proposer found (a shape or a mask), with its class if the proposer knows it. */
	private record Proposal(Geometry geometry, Long classId, Mask mask) {
		Proposal(Geometry geometry, Long classId) {
			this(geometry, classId, null);
		}
	}

	/** 3D objects: one proposed mask annotation per object the volume proposer finds. */
	ProposeReport volumeObjects(List<Long> imageIds, VolumeProposer.Settings settings, boolean replace, Progress progress) {
		return propose(imageIds, replace, progress, Origin.weak(settings.id()), "Propose 3D objects (" + settings.method() + ")",
				imp -> VolumeProposer.propose(imp, settings).stream().map(m -> new Proposal(null, null, m)).toList());
	}

	/** Runs a proposer over images and writes what it finds as {@code proposed} annotations in one change set. */
	private ProposeReport propose(List<Long> imageIds, boolean replace, Progress progress, Origin origin, String what,
			java.util.function.Function<ImagePlus, List<Proposal>> proposer) {
		List<Edit> edits = new ArrayList<>();
		List<String> problems = new ArrayList<>();
		int images = 0, objects = 0, replaced = 0, skipped = 0;
		for (int i = 0; i < imageIds.size(); i++) {
			progress.checkCancelled("Proposing objects");
			ImageRecord im = files.image(imageIds.get(i));
			progress.report((double) i / imageIds.size(), "Proposing objects on " + im.name());
			List<Annotation> proposals = store.annotations(im.id()).stream()
					.filter(a -> !a.data().isImageLevel() && a.data().status() == Status.PROPOSED).toList();
			if (!proposals.isEmpty() && !replace) {
				skipped++;
				continue;
			}
			List<Proposal> found;
			try {
				found = proposer.apply(Images.open(files.file(im.id())));
			} catch (LabelLoopException | IllegalArgumentException e) {
				problems.add(im.name() + ": " + e.getMessage());
				continue;
			}
			for (Annotation a : proposals) edits.add(new Edit.Delete(a.id(), a.revision()));
			replaced += proposals.size();
			for (Proposal p : found)
				edits.add(new Edit.Create(im.id(), new AnnotationData(p.geometry(), p.classId(), origin, Status.PROPOSED, null, Map.of(), p.mask())));
			objects += found.size();
			images++;
		}
		progress.checkCancelled("Proposing objects");
		if (!edits.isEmpty()) store.apply(user, what + " on " + images + " image(s)", edits);
		progress.report(1, "Proposed " + objects + " object(s)");
		return new ProposeReport(images, objects, replaced, skipped, problems);
	}

}
