package org.labelloop.fiji;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.labelloop.backend.Backend;
import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.RoiBridge;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;

/**
 * Turns what the user did to the ROIs of a LabelLoop image into {@link Edit}s, and writes them as one undoable step.
 * A ROI's {@value AnnotationView#REV} property is the revision an edit is based on, so a change someone else made in
 * the meantime is refused (never overwritten) and reported with both versions.
 */
public final class RoiEdits {

	private final Backend backend;
	private int unclassified;
	private final ImagePlus imp;
	private final long imageId;
	/** Sources of new annotations, marked once the edits are written so the refresh replaces them. */
	private final List<Roi> created = new ArrayList<>();

	public RoiEdits(Backend backend, ImagePlus imp) {
		this.backend = backend;
		this.imp = imp;
		Long id = LabelLoopSession.imageId(imp);
		if (id == null) throw new LabelLoopException("'" + imp.getTitle() + "' is not an image of the LabelLoop project.");
		this.imageId = id;
	}

	public long imageId() {
		return imageId;
	}

	// ---- what the user has -------------------------------------------------------------------------------

	/**
	 * The LabelLoop ROIs of the image as the user has them now, by annotation id: the image's selection if it is
	 * one of them (the freshest edit), else the ROI Manager's copy, else (no ROI Manager, e.g. headless) the
	 * overlay's.
	 */
	Map<Long, Roi> editedById() {
		Map<Long, Roi> byId = new LinkedHashMap<>();
		List<Roi> managed = managerRois();
		List<Roi> source = managed.stream().anyMatch(r -> annotationId(r) != null) ? managed : overlayRois();
		for (Roi r : source)
			if (annotationId(r) != null) byId.put(annotationId(r), r);
		Roi sel = imp.getRoi();
		if (annotationId(sel) != null) byId.put(annotationId(sel), sel);
		return byId;
	}

	/** ROIs the user drew and gave a class ({@value AnnotationView#CLASS}) that are not annotations yet. */
	List<Roi> taggedNew() {
		List<Roi> all = new ArrayList<>();
		all.addAll(managerRois());
		all.addAll(overlayRois());
		if (imp.getRoi() != null) all.add(imp.getRoi());
		List<Roi> unique = new ArrayList<>();
		for (Roi r : all) {
			if (!isTaggedNew(r)) continue;
			boolean seen = false;
			for (Roi u : unique)
				if (u.getProperty(AnnotationView.CLASS).equals(r.getProperty(AnnotationView.CLASS))
						&& Geometry.sameShape(RoiBridge.toGeometry(u), RoiBridge.toGeometry(r))) {
					seen = true;
					created.add(r); // a copy of the same ROI (selection and ROI Manager entry): mark it too
				}
			if (!seen) unique.add(r);
		}
		return unique;
	}

	/**
	 * The ROIs a command on "the selection" works on: the ROI Manager's selected entries, or the image's selection
	 * when the user drew it anew; a LabelLoop selection on the image overrides the ROI Manager copy of the same
	 * annotation.
	 */
	public List<Roi> selected() {
		List<Roi> rm = selectedManagerRois();
		Roi sel = imp.getRoi();
		List<Roi> result = new ArrayList<>();
		if (sel != null && sel.getProperty(AnnotationView.MARK) == null) {
			Long selId = annotationId(sel);
			boolean isManagerCopy = false;
			for (Roi r : rm)
				if ((selId != null && selId.equals(annotationId(r))) || (selId == null && sel.equals(r))) isManagerCopy = true;
			if (selId == null && !isManagerCopy) return List.of(sel);
			result.add(sel);
			for (Roi r : rm)
				if (selId == null ? !sel.equals(r) : !selId.equals(annotationId(r))) result.add(r);
			return result;
		}
		result.addAll(rm);
		return result;
	}

	private List<Roi> managerRois() {
		RoiManager rm = AnnotationView.existingRoiManager();
		List<Roi> list = new ArrayList<>();
		if (rm == null) return list;
		for (Roi r : rm.getRoisAsArray())
			if (belongsHere(r)) list.add(r);
		return list;
	}

	private List<Roi> selectedManagerRois() {
		RoiManager rm = AnnotationView.existingRoiManager();
		List<Roi> list = new ArrayList<>();
		if (rm == null) return list;
		for (int i : rm.getSelectedIndexes()) {
			Roi r = rm.getRoi(i);
			if (r != null && r.getProperty(AnnotationView.MARK) == null
					&& (r.getProperty(AnnotationView.IMAGE) == null || belongsHere(r))) list.add(r);
		}
		return list;
	}

	private List<Roi> overlayRois() {
		List<Roi> list = new ArrayList<>();
		if (imp.getOverlay() != null)
			for (Roi r : imp.getOverlay())
				if (r.getProperty(AnnotationView.MARK) == null) list.add(r);
		return list;
	}

	private boolean belongsHere(Roi r) {
		String img = r.getProperty(AnnotationView.IMAGE);
		return r.getProperty(AnnotationView.MARK) == null && (img == null || img.equals(Long.toString(imageId)));
	}

	private static boolean isTaggedNew(Roi r) {
		return r != null && r.getProperty(AnnotationView.ID) == null && r.getProperty(AnnotationView.MARK) == null
				&& r.getProperty(AnnotationView.CLASS) != null && !r.getProperty(AnnotationView.CLASS).isBlank();
	}

	static Long annotationId(Roi r) {
		return r == null || r.getProperty(AnnotationView.MARK) != null ? null : parse(r.getProperty(AnnotationView.ID));
	}

	private static Long parse(String s) {
		if (s == null) return null;
		try {
			return Long.valueOf(s.strip());
		} catch (NumberFormatException e) {
			return null;
		}
	}

	// ---- edits ----------------------------------------------------------------------------------------------

	/** Save: reshaped or re-classed annotations become {@code corrected}; class-tagged new ROIs become annotations. */
	public List<Edit> saveEdits() {
		List<Edit> edits = new ArrayList<>();
		for (Map.Entry<Long, Roi> e : editedById().entrySet()) {
			Roi roi = e.getValue();
			AnnotationData base = baseData(e.getKey(), roi);
			Geometry g = RoiBridge.toGeometry(roi);
			Long classId = classOf(roi, base.classId());
			boolean reshaped = !Geometry.sameShape(g, base.geometry());
			if (classId != null && (reshaped || !classId.equals(base.classId())))
				Labels.relabel(base, classId, g).ifPresent(d -> edits.add(new Edit.Update(e.getKey(), revision(roi), d)));
			else if (reshaped) Labels.accept(base, g).ifPresent(d -> edits.add(new Edit.Update(e.getKey(), revision(roi), d)));
		}
		for (Roi r : taggedNew()) {
			edits.add(new Edit.Create(imageId, AnnotationData.human(RoiBridge.toGeometry(r), classId(r.getProperty(AnnotationView.CLASS)), backend.user())));
			created.add(r);
		}
		return edits;
	}

	/**
	 * Accept All: every proposed annotation of the image that has a class becomes accepted ({@code corrected} if the
	 * user reshaped it). A proposal without a class is not accepted as it is (an accepted object of no class teaches
	 * nothing): with {@code classForUnclassified} it is labelled with that class, else it stays proposed and is
	 * counted in {@link #leftUnclassified()}.
	 */
	public List<Edit> acceptAllEdits(Long classForUnclassified) {
		Map<Long, Roi> edited = editedById();
		List<Edit> edits = new ArrayList<>();
		unclassified = 0;
		for (Annotation a : backend.annotations(imageId)) {
			if (a.data().status() != Status.PROPOSED) continue;
			Roi roi = edited.get(a.id());
			if (a.data().classId() == null) {
				if (classForUnclassified == null) {
					unclassified++;
					continue;
				}
				Geometry shape = roi == null || a.data().isImageLevel() ? null : RoiBridge.toGeometry(roi);
				long base = roi == null ? a.revision() : revision(roi);
				Labels.relabel(roi == null ? a.data() : baseData(a.id(), roi), classForUnclassified, shape)
						.ifPresent(d -> edits.add(new Edit.Update(a.id(), base, d)));
				continue;
			}
			Edit e = roi == null || a.data().isImageLevel() ? Labels.accept(a.data(), null).map(d -> (Edit) new Edit.Update(a.id(), a.revision(), d)).orElse(null)
					: acceptEdit(a.id(), roi);
			if (e != null) edits.add(e);
		}
		return edits;
	}

	/** Proposals without a class that the last {@link #acceptAllEdits} left proposed. */
	public int leftUnclassified() {
		return unclassified;
	}

	/** Accept Selected: the selected annotations become accepted; selected class-tagged new ROIs are created. */
	public List<Edit> acceptSelectedEdits() {
		List<Edit> edits = new ArrayList<>();
		for (Roi r : requireSelection()) {
			Long id = annotationId(r);
			if (id != null) {
				Edit e = acceptEdit(id, r);
				if (e != null) edits.add(e);
			} else if (isTaggedNew(r)) {
				edits.add(new Edit.Create(imageId, AnnotationData.human(RoiBridge.toGeometry(r), classId(r.getProperty(AnnotationView.CLASS)), backend.user())));
				created.add(r);
			} else {
				throw new LabelLoopException("The selection has no class yet: use Set Class (or a class hotkey) to label it.");
			}
		}
		return edits;
	}

	private Edit acceptEdit(long id, Roi roi) {
		return Labels.accept(baseData(id, roi), RoiBridge.toGeometry(roi)).map(d -> (Edit) new Edit.Update(id, revision(roi), d)).orElse(null);
	}

	/** Reject Selected: the selected annotations become rejected (kept, so a model learns from them). */
	public List<Edit> rejectSelectedEdits() {
		List<Edit> edits = new ArrayList<>();
		for (Roi r : requireSelection()) {
			Long id = annotationId(r);
			if (id == null) throw new LabelLoopException("The selection is not a LabelLoop annotation, so there is nothing to reject.");
			Labels.reject(baseData(id, r)).ifPresent(d -> edits.add(new Edit.Update(id, revision(r), d)));
		}
		return edits;
	}

	/**
	 * Set Class: selected annotations get the class ({@code corrected} when class or shape changes, {@code accepted}
	 * when neither does); a selected ROI that is not an annotation yet becomes one, drawn by the user.
	 */
	public List<Edit> setClassEdits(String className) {
		long classId = classId(className);
		List<Edit> edits = new ArrayList<>();
		for (Roi r : requireSelection()) {
			Long id = annotationId(r);
			Geometry g = RoiBridge.toGeometry(r);
			if (id == null) {
				edits.add(new Edit.Create(imageId, AnnotationData.human(g, classId, backend.user())));
				created.add(r);
				continue;
			}
			Labels.relabel(baseData(id, r), classId, g).ifPresent(d -> edits.add(new Edit.Update(id, revision(r), d)));
		}
		return edits;
	}

	/** Set Class and the class hotkeys: sets the class of the selection on {@code imp} and says what it did. */
	public static void setClass(LabelLoopSession session, ImagePlus imp, String className) {
		RoiEdits edits = new RoiEdits(session.backend(), imp);
		var written = edits.apply("Set class " + className, edits.setClassEdits(className));
		LabelLoopCommand.info(written.isEmpty() ? "class already " + className : "class " + className + " set on " + written.get().edits() + " annotation(s)");
	}

	/** Label Whole Image: the image-level label gets the class, replacing (by an update) the one there was. */
	public List<Edit> wholeImageEdits(String className) {
		long classId = classId(className);
		Optional<Annotation> existing = Labels.current(backend.annotations(imageId));
		if (existing.isEmpty()) return List.of(new Edit.Create(imageId, AnnotationData.human(null, classId, backend.user())));
		Annotation a = existing.get();
		return Labels.relabel(a.data(), classId, null).map(d -> List.<Edit>of(new Edit.Update(a.id(), a.revision(), d))).orElse(List.of());
	}

	private List<Roi> requireSelection() {
		List<Roi> s = selected();
		if (s.isEmpty())
			throw new LabelLoopException("Nothing is selected: draw a selection, or click an annotation in the ROI Manager, first.");
		return s;
	}

	/** The annotation as the ROI shows it (its {@value AnnotationView#REV} revision). */
	private AnnotationData baseData(long id, Roi roi) {
		long rev = revision(roi);
		Annotation current = backend.annotation(id)
				.orElseThrow(() -> new LabelLoopException("Annotation " + id + " no longer exists. Use Show Annotations to reload."));
		if (current.revision() == rev) return current.data();
		for (AnnotationRevision r : backend.facet(Backend.History.class).map(h -> h.history(id)).orElse(List.of()))
			if (r.revision() == rev && r.data() != null) return r.data();
		return current.data(); // the write will be refused as a conflict
	}

	private static long revision(Roi roi) {
		Long r = parse(roi.getProperty(AnnotationView.REV));
		if (r == null) throw new LabelLoopException("ROI '" + roi.getName() + "' has a LabelLoop id but no revision; use Show Annotations to reload.");
		return r;
	}

	private Long classOf(Roi roi, Long fallback) {
		String name = roi.getProperty(AnnotationView.CLASS);
		// not a conditional expression: Long and long would unbox a null fallback (an unclassified proposal)
		if (name == null || name.isBlank()) return fallback;
		return classId(name);
	}

	/** The id of the class named {@code name} (case-insensitive when unambiguous). */
	public long classId(String name) {
		List<LabelClass> classes = backend.classes();
		for (LabelClass c : classes)
			if (c.name().equals(name.strip())) return c.id();
		List<LabelClass> ci = classes.stream().filter(c -> c.name().equalsIgnoreCase(name.strip())).toList();
		if (ci.size() == 1) return ci.get(0).id();
		throw new LabelLoopException("There is no class '" + name + "'. Classes: "
				+ (classes.isEmpty() ? "none yet (add some with Edit Classes)" : String.join(", ", classes.stream().map(LabelClass::name).toList())) + ".");
	}

	// ---- writing --------------------------------------------------------------------------------------------

	/**
	 * Writes the edits as one step and refreshes the view. A conflict writes nothing and is reported with the
	 * stored version and the user's version side by side.
	 *
	 * @return the change set, or empty when there was nothing to write
	 */
	public Optional<ChangeSet> apply(String description, List<Edit> edits) {
		if (edits.isEmpty()) return Optional.empty();
		ChangeSet cs;
		try {
			cs = backend.apply(description, edits);
		} catch (ConflictException e) {
			throw new LabelLoopException(conflictMessage(e, edits), e);
		}
		for (Roi r : created) r.setProperty(AnnotationView.ID, "new"); // replaced by the stored annotation on refresh
		AnnotationView.refresh(imp, backend);
		return Optional.of(cs);
	}

	private String conflictMessage(ConflictException e, List<Edit> edits) {
		AnnotationData mine = null;
		long base = e.baseRevision();
		for (Edit ed : edits)
			if (ed instanceof Edit.Update u && u.annotationId() == e.annotationId()) mine = u.data();
		Annotation cur = e.current();
		StringBuilder sb = new StringBuilder("Conflict: annotation ").append(e.annotationId())
				.append(" was changed by someone else after you loaded it. Nothing was saved.\n \n");
		sb.append("Stored now (revision ").append(cur == null ? "-, deleted" : cur.revision() + ", by " + cur.author()).append("): ")
				.append(cur == null ? "deleted" : describe(cur.data())).append('\n');
		sb.append("Your version (based on revision ").append(base).append("): ").append(mine == null ? "?" : describe(mine)).append("\n \n");
		sb.append("Use Show Annotations to load the stored version, then redo your change.");
		return sb.toString();
	}

	/** One line describing an annotation's content, for messages. */
	String describe(AnnotationData d) {
		String cls = "unclassified";
		if (d.classId() != null)
			for (LabelClass c : backend.classes())
				if (c.id() == d.classId()) cls = c.name();
		String shape;
		if (d.isMask()) shape = "mask of " + d.mask().voxelCount() + " voxels";
		else if (d.geometry() == null) shape = "whole image";
		else {
			Box b = d.geometry().bounds();
			shape = String.format(Locale.ROOT, "%s at %.1f,%.1f size %.1f×%.1f", d.geometry().kind().key(), b.x(), b.y(), b.w(), b.h());
		}
		return cls + ", " + d.status().key() + ", " + shape + (d.confidence() == null ? "" : String.format(Locale.ROOT, ", confidence %.2f", d.confidence()));
	}
}
