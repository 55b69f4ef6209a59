package org.labelloop.fiji.commands;

import org.labelloop.core.model.Task;
import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.fiji.AnnotationView;
import org.labelloop.fiji.Dialog;
import org.labelloop.fiji.LabelLoopCommand;
import org.labelloop.fiji.LabelLoopSession;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Review;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Target;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;

/**
 * Plugins>LabelLoop>Review Label Issues: the labels the active model doubts (confident learning on its out-of-fold
 * predictions), most doubtful first. {@code action=list} lists them; {@code action=next} opens the next one with the
 * label and the model's opinion both shown (the ROI selected); {@code action=decide} writes a decision on the issue
 * shown now and opens the next one (a flag stays on it): {@code decision=keep}, {@code decision=change class=…} (default {@code (model)}: the model's class), {@code decision=reject}, or
 * {@code decision=flag} (a question-label flag, no decision); {@code comment=[…]} goes with it.
 */
public class ReviewLabelIssues extends LabelLoopCommand {

	/** How the reason of an image opened for a label issue starts ({@link LabelLoopSession#reason}). */
	static final String ISSUE_REASON = "label issue ";

	/** The choice of {@code class=} meaning "the class the model says". */
	static final String MODEL_CLASS = "(model)";

	@Override protected String title() { return "Review Label Issues"; }

	@Override protected Class<?> needs() { return Backend.Reviewing.class; }

	@Override
	protected void run(LabelLoopSession session) {
		LabelLoopBackend b = session.require(LabelLoopBackend.class);
		List<String> classes = new java.util.ArrayList<>(List.of(MODEL_CLASS));
		b.classes().forEach(c -> classes.add(c.name()));
		// on an image Review opened for an issue the next step is deciding it: one run per issue, not two
		boolean onIssue = session.currentImageId().map(id -> session.reason(id).startsWith(ISSUE_REASON)).orElse(false);
		Dialog d = new Dialog(title()).addChoice("Task", List.of("image", "roi", "seg"), "image")
				.addChoice("Action", List.of("next", "list", "decide"), onIssue ? "decide" : "next")
				.addChoice("Decision", List.of("keep", "change", "reject", "flag"), "keep")
				.addChoice("Class", classes, classes.get(0)).addString("Comment", "")
				.addMessage("next: open the next doubtful label; list: all of them; decide: on the label shown now.");
		if (!d.show()) return;
		Task task = Task.parse(d.get("task"));
		List<Review.Issue> issues = b.labelIssues(task);
		Map<Long, String> names = b.classes().stream().collect(Collectors.toMap(LabelClass::id, LabelClass::name));
		switch (d.get("action")) {
			case "list" -> list(b, issues, names);
			case "next" -> next(session, issues, names);
			default -> {
				Review.Issue decided = decide(session, issues, names, d);
				// a flag leaves the issue open and stays on it (its mark shows, a comment can follow); a decision moves on
				if (!d.get("decision").equals("flag")) moveOn(session, issues, decided, b.labelIssues(task), names);
			}
		}
	}

	private static void list(Backend b, List<Review.Issue> issues, Map<Long, String> names) {
		info(issues.size() + " label issue(s)" + (issues.isEmpty() ? ": nothing to review" : ", most doubtful first:"));
		for (int i = 0; i < issues.size(); i++) ij.IJ.log("  " + (i + 1) + ". " + describe(b, issues.get(i), names));
	}

	/**
	 * {@code image 0023_ankle_boot.png annotation 17: labelled scan, model v1 says footwear 0.95 (quality 0.002)};
	 * {@code ROI on coins.png annotation 40: missing? not labelled, model v2 sees coin 0.93};
	 * {@code ROI on coins.png annotation 12: spurious? labelled coin, no object found under it (overlap 0.00)};
	 * {@code mask on cells.png annotation 31: outline? labelled nucleus, model v4's out-of-fold outline overlaps it IoU 0.34}.
	 */
	static String describe(Backend b, Review.Issue i, Map<Long, String> names) {
		String where = (i.target().isImage() ? "image" : i.task() == Task.SEGMENTATION ? "mask on" : "ROI on") + " " + b.image(i.imageId()).name()
				+ " annotation " + i.annotation();
		return switch (i.kind()) {
			case BOUNDARY -> String.format(Locale.ROOT, "%s: outline? labelled %s, model %s's out-of-fold outline overlaps it IoU %.2f", where,
					names.get(i.givenClass()), i.model(), i.quality());
			case MISSING -> String.format(Locale.ROOT, "%s: missing? not labelled, model %s sees %s %.2f", where, i.model(), names.get(i.modelClass()),
					i.confidence());
			case SPURIOUS -> String.format(Locale.ROOT, "%s: spurious? labelled %s, no object found under it (overlap %.2f)", where,
					names.get(i.givenClass()), 1 - i.confidence());
			default -> String.format(Locale.ROOT, "%s: labelled %s, model %s says %s %.2f (quality %.3f)", where, names.get(i.givenClass()), i.model(),
					names.get(i.modelClass()), i.confidence(), i.quality());
		};
	}

	/** Opens the issue after the one shown now (or the first). */
	private static void next(LabelLoopSession session, List<Review.Issue> issues, Map<Long, String> names) {
		if (issues.isEmpty()) {
			info("No label issues left to review.");
			return;
		}
		int at = current(session, issues);
		Review.Issue i = issues.get(at < 0 ? 0 : (at + 1) % issues.size());
		show(session, i, "issue " + (issues.indexOf(i) + 1) + "/" + issues.size() + ": " + describe(session.backend(), i, names));
	}

	/** Opens the issue's image with its ROI selected, says why it is shown (the panel's "Chosen:"), and logs {@code text}. */
	private static void show(LabelLoopSession session, Review.Issue i, String text) {
		ImagePlus imp = session.show(session.backend().image(i.imageId()));
		select(session, imp, i);
		session.setChosen(i.imageId(), ISSUE_REASON + text.substring(text.indexOf("issue ") + "issue ".length()));
		info(text);
	}

	/**
	 * Selects the issue's ROI on the image (image labels are shown in the overlay's corner already); a mask's volume
	 * goes to the mask's first slice.
	 */
	private static void select(LabelLoopSession session, ImagePlus imp, Review.Issue i) {
		if (i.target().isImage()) return;
		if (i.task() == Task.SEGMENTATION) {
			session.backend().annotation(i.annotation()).filter(a -> a.data().isMask() && !a.data().mask().isEmpty())
					.ifPresent(a -> imp.setPosition(imp.getC(), Math.min(imp.getNSlices(), a.data().mask().minZ() + 1), imp.getT()));
			return;
		}
		Overlay o = imp.getOverlay();
		if (o == null) return;
		for (Roi r : o.toArray())
			if (Long.toString(i.annotation()).equals(r.getProperty(AnnotationView.ID)) && r.getProperty(AnnotationView.MARK) == null) {
				imp.setRoi((Roi) r.clone());
				return;
			}
	}

	/** The index of the issue shown now: the selected ROI's, else the first on the current image; -1 if none. */
	private static int current(LabelLoopSession session, List<Review.Issue> issues) {
		Long imageId = session.currentImageId().orElse(null);
		if (imageId == null) return -1;
		Roi sel = session.currentImage().getRoi();
		String selId = sel == null ? null : (String) sel.getProperty(AnnotationView.ID);
		int first = -1;
		for (int k = 0; k < issues.size(); k++) {
			Review.Issue i = issues.get(k);
			if (i.imageId() != imageId) continue;
			if (selId != null && selId.equals(Long.toString(i.annotation()))) return k;
			if (first < 0) first = k;
		}
		return first;
	}

	/**
	 * After a decision (not a flag), the next issue opens at once (a reviewer works down the list, as with Next Image): the first
	 * one still open after the decided one in the order shown, else the first still open.
	 */
	private static void moveOn(LabelLoopSession session, List<Review.Issue> before, Review.Issue decided, List<Review.Issue> open, Map<Long, String> names) {
		List<Review.Issue> rest = open.stream().filter(i -> i.annotation() != decided.annotation()).toList();
		if (rest.isEmpty()) {
			info("No label issues left to review.");
			return;
		}
		Review.Issue shown = before.subList(before.indexOf(decided) + 1, before.size()).stream()
				.flatMap(b -> rest.stream().filter(i -> i.annotation() == b.annotation())).findFirst().orElse(rest.get(0));
		show(session, shown, "next: issue " + (rest.indexOf(shown) + 1) + "/" + rest.size() + ": " + describe(session.backend(), shown, names));
	}

	/** Writes the decision (or the flag) on the issue shown now and returns that issue. */
	private static Review.Issue decide(LabelLoopSession session, List<Review.Issue> issues, Map<Long, String> names, Dialog d) {
		LabelLoopBackend b = session.require(LabelLoopBackend.class);
		int at = current(session, issues);
		if (at < 0) throw new LabelLoopException("The image shown has no open label issue: use action=next first.");
		Review.Issue i = issues.get(at);
		String decision = d.get("decision"), comment = d.get("comment");
		Target target = i.target().isImage() ? Target.image(i.imageId()) : Target.annotation(i.annotation());
		if (decision.equals("flag")) {
			b.addComment(target, null, Comment.Kind.QUESTION_LABEL, !comment.isEmpty() ? comment : switch (i.kind()) {
				case MISSING -> "Is this a " + names.get(i.modelClass()) + " nobody labelled? Model " + i.model() + " is sure of it.";
				case SPURIOUS -> "Is there really a " + names.get(i.givenClass()) + " here? Model " + i.model() + " finds no object.";
				case BOUNDARY -> String.format(Locale.ROOT, "Is the outline of this %s right? Model %s draws it otherwise (IoU %.2f).", names.get(i.givenClass()),
						i.model(), i.quality());
				default -> "Is '" + names.get(i.givenClass()) + "' right? Model " + i.model() + " says " + names.get(i.modelClass()) + ".";
			});
			info("flagged " + describe(b, i, names));
		} else {
			// class=(model) is the class the model says, else the class named
			Long chosen = d.get("class").equals(MODEL_CLASS) ? i.modelClass()
					: b.classes().stream().filter(c -> c.name().equals(d.get("class"))).map(LabelClass::id).findFirst().orElseThrow();
			Long newClass = null;
			if (decision.equals("change")) {
				if (chosen == null) throw new LabelLoopException("The model names no class for this issue (" + i.kind().key() + "): choose a class.");
				newClass = chosen;
			} else if (decision.equals("keep") && i.kind() == Review.Kind.MISSING
					&& !chosen.equals(b.annotation(i.annotation()).map(a -> a.data().classId()).orElse(null))) {
				// keeping a missing object accepts the proposal as the class the model sees (or the one chosen)
				decision = "change";
				newClass = chosen;
			}
			b.decide(i.annotation(), i.revision(), Review.Decision.parse(decision), newClass, comment);
			info(decision + " (" + b.role().key() + "): " + describe(b, i, names));
		}
		session.refreshCurrent();
		return i;
	}
}
