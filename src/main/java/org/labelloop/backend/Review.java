package org.labelloop.backend;

import org.labelloop.core.learn.Metrics;
import org.labelloop.core.model.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.labelloop.core.issues.LabelIssueFinder;
import org.labelloop.core.issues.RoiIssues;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Status;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;

/**
 * Review of labels against the model: the label-issue queue (confident learning on the active model's out-of-fold
 * probabilities, see {@link LabelIssueFinder}), decisions on it, agreement between labellers (Cohen's kappa) and the
 * out-of-fold confusion matrix.
 * <p>
 * A decision is a normal revision of the label (its change set records the user's role) and is remembered in the
 * project settings as {@code review.decided.<annotation id>} = the revision it produced; the item is not asked again
 * until its revision moves past that (someone changed it).
 */
public final class Review {

	/** Settings key prefix of the remembered decisions. */
	public static final String DECIDED = "review.decided.";
	/** ROIs of two users are the same object from this IoU on. */
	public static final double SAME_OBJECT_IOU = 0.5;

	/**
	 * A label the model doubts, or (ROI task) an object the labels seem to lack or have in excess.
	 *
	 * @param target     the predicted item: the image (image task) or the annotation (ROI task)
	 * @param annotation the label: the image-level annotation or the ROI; for {@link Kind#MISSING} the model's proposal
	 * @param revision   the label's revision the issue was computed on (a decision names it)
	 * @param givenClass the label's class; {@code null} for {@link Kind#MISSING} (nothing labelled there)
	 * @param modelClass the class the model says; {@code null} for {@link Kind#SPURIOUS} (no object found)
	 * @param confidence the model's probability of {@code modelClass}; for spurious labels 1 − their best overlap
	 *                   (IoU) with any object the model proposed
	 * @param quality    confident learning's label quality (self-confidence; lower = more likely wrong); for object
	 *                   issues 1 − confidence
	 * @param kind       what is doubted
	 */
	public record Issue(Task task, Target target, long imageId, long annotation, long revision, Long givenClass, Long modelClass,
			double confidence, double quality, String model, Kind kind) {
	}

	/**
	 * What an issue doubts: a label's class ({@code label}), an object the model is sure of that no label covers
	 * ({@code missing}), a drawn label under which the model found no object ({@code spurious}), or a mask whose
	 * outline the model draws otherwise ({@code boundary}).
	 */
	public enum Kind {
		LABEL, MISSING, SPURIOUS, BOUNDARY;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** A model proposal counts as a "missing" label from this confidence on (its best class other than background). */
	public static final double MISSING_CONFIDENCE = 0.8;
	/** A label and a proposal are the same object from this IoU on (for missing and spurious). */
	public static final double OBJECT_MATCH_IOU = 0.3;

	/** A labelled mask is doubted below this out-of-fold IoU with the segmentation model's prediction. */
	public static final double MASK_AGREEMENT = 0.5;
	/** Below this IoU the model finds no such object at all (a spurious mask), above it a different outline. */
	public static final double MASK_SPURIOUS = 0.1;

	/** What a reviewer decides about an issue. */
	public enum Decision {
		KEEP, CHANGE, REJECT;

		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}

		public static Decision parse(String s) {
			for (Decision d : values())
				if (d.key().equalsIgnoreCase(s.strip())) return d;
			throw new IllegalArgumentException("Unknown decision '" + s + "' (expected keep, change or reject)");
		}
	}

	/** Two users who labelled the same items: how often they agree and Cohen's kappa, overall and per class. */
	public record PairAgreement(String userA, String userB, int items, double observed, double kappa, Map<Long, Double> kappaPerClass) {
	}

	/** An item two users labelled differently. {@code a} and {@code b} are their annotations. */
	public record Disagreement(long imageId, long a, String userA, long classA, long b, String userB, long classB) {
	}

	public record Agreement(List<PairAgreement> pairs, List<Disagreement> disagreements) {
	}

	/** Two classes the model mixes up: {@code count} items labelled {@code given} it predicted as {@code predicted}. */
	public record Confusion(long given, long predicted, int count, List<Target> items) {
	}

	/**
	 * The out-of-fold confusion matrix of the active model of a task: rows = label, columns = prediction, in the order of
	 * {@code classIds}; precision and recall per class (NaN where undefined), the most confused pairs first; the model's
	 * metrics (with how its folds were grouped and its confidences calibrated) and the reliability diagram of the
	 * labelled items' out-of-fold confidences.
	 */
	public record Quality(Task task, String model, List<Long> classIds, int[][] matrix, double[] precision, double[] recall,
			List<Confusion> confused, Map<String, Double> metrics, Metrics.Reliability reliability) {
	}

	private final ProjectStore store;
	private final String user;

	public Review(ProjectStore store, String user) {
		this.store = store;
		this.user = user;
	}

	/** A labelled item with its out-of-fold prediction. */
	private record Scored(Prediction p, Annotation label) {
	}

	private ModelVersion model(Task task) {
		checkTask(task);
		String what = Task.IMAGE.equals(task) ? "image" : "ROI";
		ModelVersion m = store.activeModel(task).orElseThrow(() -> new LabelLoopException("No " + what + " model yet: label at least 2 items"
				+ " of each of two classes, then run Retrain; label issues come from its out-of-fold predictions."));
		if (m.classIds().size() < 2) throw new LabelLoopException("The " + what + " model " + m.name() + " knows fewer than two classes.");
		return m;
	}

	private static void checkTask(Task task) {
		if (task == null) throw new LabelLoopException("Which task: image or roi?");
	}

	/** The labelled items of the model with their current label; items whose label went away are left out. */
	private List<Scored> scored(ModelVersion m) {
		Map<Long, Annotation> imageLabels = new HashMap<>();
		Map<Long, Annotation> rois = new HashMap<>();
		List<Annotation> all = store.allAnnotations();
		imageLabels.putAll(Labels.imageLabels(all));
		for (Annotation a : all)
			if (Labels.isLabel(a) && !a.data().isImageLevel()) rois.put(a.id(), a);
		List<Scored> out = new ArrayList<>();
		for (Prediction p : store.predictions(m.id())) {
			if (!p.outOfFold()) continue;
			Annotation label = p.target().isImage() ? imageLabels.get(p.target().id()) : rois.get(p.target().id());
			if (label == null || !m.classIds().contains(label.data().classId())) continue;
			out.add(new Scored(p, label));
		}
		out.sort(Comparator.comparingLong((Scored s) -> s.label().imageId()).thenComparingLong(s -> s.label().id()));
		return out;
	}

	/**
	 * The labels of a task ({@code image} or {@code roi}) the active model's out-of-fold probabilities doubt, most
	 * doubtful first, without those already decided in review (unless changed since).
	 *
	 * @throws LabelLoopException when there is no model yet or it has too few out-of-fold predictions
	 */
	public List<Issue> issues(Task task) {
		if (Task.SEGMENTATION.equals(task)) return maskIssues();
		ModelVersion m = model(task);
		List<Scored> items = scored(m);
		if (items.size() < 2 * 2)
			throw new LabelLoopException("Only " + items.size() + " labelled item(s) have out-of-fold predictions from model " + m.name()
					+ "; finding label issues needs at least 2 per class of 2 classes. Label more, then run Retrain.");
		List<Long> classIds = m.classIds();
		int k = classIds.size();
		double[][] probs = new double[items.size()][k];
		int[] labels = new int[items.size()];
		for (int i = 0; i < items.size(); i++) {
			Scored s = items.get(i);
			for (int j = 0; j < k; j++) probs[i][j] = s.p().probabilities().getOrDefault(classIds.get(j), 0.0);
			labels[i] = classIds.indexOf(s.label().data().classId());
		}
		List<Issue> out = new ArrayList<>();
		for (LabelIssueFinder.LabelIssue li : LabelIssueFinder.find(probs, labels, k, LabelIssueFinder.Method.CONFIDENT_JOINT,
				LabelIssueFinder.Ranking.SELF_CONFIDENCE)) {
			Scored s = items.get(li.item());
			Annotation a = s.label();
			if (decidedAt(a.id()).filter(r -> r >= a.revision()).isPresent()) continue;
			out.add(new Issue(task, s.p().target(), a.imageId(), a.id(), a.revision(), classIds.get(li.given()), classIds.get(li.suggested()),
					probs[li.item()][li.suggested()], li.quality(), m.name(), Kind.LABEL));
		}
		if (Task.ROI.equals(task)) out.addAll(objectIssues(m));
		return out;
	}

	/**
	 * Missing and spurious objects ({@link RoiIssues}) on every image a person labelled ROIs on, most likely first:
	 * <ul>
	 * <li>missing: a proposal nobody reviewed yet whose predicted class (other than a class named "background") has
	 * probability ≥ {@link #MISSING_CONFIDENCE} and which overlaps no label (IoU &lt; {@link #OBJECT_MATCH_IOU});</li>
	 * <li>spurious: a label a person drew (origin {@code human:}, class not "background") that overlaps nothing a
	 * proposer found on that image (proposals of any status); images never proposed on are left out.</li>
	 * </ul>
	 */
	private List<Issue> objectIssues(ModelVersion m) {
		Map<Long, Prediction> predictions = new HashMap<>();
		for (Prediction p : store.predictions(m.id()))
			if (!p.target().isImage()) predictions.put(p.target().id(), p);
		Set<Long> background = new java.util.HashSet<>();
		for (LabelClass c : store.classes())
			if (c.name().equalsIgnoreCase("background")) background.add(c.id());
		Map<Long, List<Annotation>> byImage = new TreeMap<>();
		for (Annotation a : store.allAnnotations())
			if (a.data().geometry() != null) byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a); // masks: not yet
		List<Issue> out = new ArrayList<>();
		for (List<Annotation> anns : byImage.values()) {
			List<Annotation> labels = anns.stream().filter(Labels::isLabel).toList();
			if (labels.isEmpty()) continue;
			List<Annotation> found = anns.stream().filter(a -> a.data().origin().kind() != Origin.Kind.HUMAN).toList();
			// missing: confident, unreviewed proposals against every label
			List<Annotation> open = new ArrayList<>();
			List<Long> openClass = new ArrayList<>();
			List<Double> conf = new ArrayList<>();
			for (Annotation a : found) {
				Prediction p = predictions.get(a.id());
				if (a.data().status() != Status.PROPOSED || p == null) continue;
				Map.Entry<Long, Double> best = p.probabilities().entrySet().stream().filter(e -> !background.contains(e.getKey()))
						.max(Map.Entry.comparingByValue()).orElse(null);
				if (best == null) continue;
				open.add(a);
				openClass.add(best.getKey());
				conf.add(best.getValue());
			}
			for (RoiIssues.RoiIssue ri : RoiIssues.missing(geometries(labels), geometries(open), conf.stream().mapToDouble(Double::doubleValue).toArray(),
					OBJECT_MATCH_IOU, MISSING_CONFIDENCE)) {
				Annotation a = open.get(ri.index());
				if (decidedAt(a.id()).filter(r -> r >= a.revision()).isPresent()) continue;
				out.add(new Issue(Task.ROI, Target.annotation(a.id()), a.imageId(), a.id(), a.revision(), null, openClass.get(ri.index()),
						ri.score(), 1 - ri.score(), m.name(), Kind.MISSING));
			}
			// spurious: drawn labels against everything the proposers found
			if (found.isEmpty()) continue;
			List<Annotation> drawn = labels.stream().filter(a -> a.data().origin().isHuman() && !background.contains(a.data().classId())).toList();
			for (RoiIssues.RoiIssue ri : RoiIssues.spurious(geometries(drawn), geometries(found), OBJECT_MATCH_IOU)) {
				Annotation a = drawn.get(ri.index());
				if (decidedAt(a.id()).filter(r -> r >= a.revision()).isPresent()) continue;
				out.add(new Issue(Task.ROI, Target.annotation(a.id()), a.imageId(), a.id(), a.revision(), a.data().classId(), null,
						ri.score(), 1 - ri.score(), m.name(), Kind.SPURIOUS));
			}
		}
		out.sort(Comparator.comparingDouble(Issue::quality));
		return out;
	}

	/**
	 * The labelled masks the active segmentation model's out-of-fold prediction disagrees with (IoU below
	 * {@link #MASK_AGREEMENT}, {@link SegmentationTrainer#maskAgreements}), least agreement first: {@code spurious} below
	 * {@link #MASK_SPURIOUS}, else {@code boundary}. Confidence is 1 − IoU, quality the IoU. A mask changed since that
	 * Retrain, or decided in review since, is left out. Beside them, {@code missing}: the masks that version proposed on
	 * fully segmented slices, where its held-out prediction found an object (mean probability at least
	 * {@link #MISSING_CONFIDENCE}) that no labelled mask touches; confidence its probability, quality 1 − that. Least
	 * likely right first.
	 */
	private List<Issue> maskIssues() {
		ModelVersion m = store.activeModel(Task.SEGMENTATION).orElseThrow(() -> new LabelLoopException("No segmentation model yet: paint the objects of"
				+ " a class on two images or slices, then run Retrain (task=seg); mask issues come from its out-of-fold predictions."));
		List<SegmentationTrainer.MaskIou> scored = SegmentationTrainer.maskAgreements(m);
		if (scored.isEmpty())
			throw new LabelLoopException("Segmentation model " + m.name() + " has no out-of-fold agreement of labelled masks: it needs two segmented"
					+ " images or slices (not only scribbles). Paint more, then run Retrain.");
		List<Issue> out = new ArrayList<>();
		for (SegmentationTrainer.MaskIou s : scored) {
			if (s.iou() >= MASK_AGREEMENT) break;
			Optional<Annotation> a = store.annotation(s.annotation());
			if (a.isEmpty() || a.get().revision() != s.revision() || !Labels.isLabel(a.get())) continue;
			if (decidedAt(s.annotation()).filter(r -> r >= a.get().revision()).isPresent()) continue;
			out.add(new Issue(Task.SEGMENTATION, Target.annotation(s.annotation()), a.get().imageId(), s.annotation(), s.revision(), a.get().data().classId(),
					s.iou() < MASK_SPURIOUS ? null : a.get().data().classId(), 1 - s.iou(), s.iou(), m.name(), s.iou() < MASK_SPURIOUS ? Kind.SPURIOUS : Kind.BOUNDARY));
		}
		List<Annotation> all = store.allAnnotations();
		Map<Long, java.util.SortedSet<Integer>> segmented = Labels.segmentedSlices(all, Labels.backgroundClasses(store.classes()));
		Origin by = Origin.model(m.name());
		for (Annotation a : all) {
			java.util.SortedSet<Integer> done = segmented.get(a.imageId());
			AnnotationData d = a.data();
			if (done == null || !d.isMask() || d.status() != Status.PROPOSED || !by.equals(d.origin()) || d.confidence() == null) continue;
			if (!java.util.Arrays.stream(d.mask().slices()).allMatch(done::contains)) continue; // an ordinary proposal on an unsegmented slice
			if (decidedAt(a.id()).filter(r -> r >= a.revision()).isPresent()) continue;
			out.add(new Issue(Task.SEGMENTATION, Target.annotation(a.id()), a.imageId(), a.id(), a.revision(), null, d.classId(), d.confidence(),
					1 - d.confidence(), m.name(), Kind.MISSING));
		}
		out.sort(Comparator.comparingDouble(Issue::quality));
		return out;
	}

	private static List<org.labelloop.core.geom.Geometry> geometries(List<Annotation> anns) {
		return anns.stream().map(a -> a.data().geometry()).toList();
	}

	private Optional<Long> decidedAt(long annotationId) {
		return store.setting(DECIDED + annotationId).map(Long::parseLong);
	}

	/**
	 * Writes a review decision on a label as a new revision: {@code keep} marks it accepted, {@code change} gives it
	 * {@code newClass} as corrected, {@code reject} marks it rejected. A comment (if any) answers the newest open thread
	 * on the item, or else is kept as a resolved {@code review} thread. The change set records the user's role; the decision is remembered so the item is not asked again
	 * until it changes.
	 *
	 * @param baseRevision the label revision the reviewer saw (stale → {@link org.labelloop.core.model.ConflictException})
	 */
	public Annotation decide(long annotationId, long baseRevision, Decision decision, Long newClass, String comment) {
		Annotation a = store.annotation(annotationId).orElseThrow(() -> new LabelLoopException("Cannot review annotation " + annotationId
				+ ": it is not in the project (deleted since?)."));
		AnnotationData d = a.data();
		String what;
		switch (decision) {
			case KEEP -> {
				if (d.classId() == null) throw new LabelLoopException("Annotation " + annotationId + " has no class to keep: change it to a class instead.");
				d = d.withStatus(Status.ACCEPTED);
				what = "keep label";
			}
			case CHANGE -> {
				if (newClass == null) throw new LabelLoopException("Changing a label needs the new class.");
				if (store.classes().stream().noneMatch(c -> c.id() == newClass))
					throw new LabelLoopException("Class " + newClass + " is not in the project.");
				if (newClass.equals(d.classId())) throw new LabelLoopException("The label already is that class; choose keep instead.");
				d = Labels.relabel(d, newClass, null).orElseThrow();
				what = "change label to " + className(newClass);
			}
			case REJECT -> {
				d = Labels.reject(d).orElse(d);
				what = "reject";
			}
			default -> throw new IllegalStateException();
		}
		Role role = store.role(user);
		store.apply(user, "Review (" + role.key() + "): " + what + " of annotation " + annotationId, List.of(new Edit.Update(annotationId, baseRevision, d)));
		Annotation now = store.annotation(annotationId).orElseThrow();
		store.setSetting(DECIDED + annotationId, Long.toString(now.revision()));
		if (comment != null && !comment.isBlank()) {
			Target t = d.isImageLevel() ? Target.image(a.imageId()) : Target.annotation(annotationId);
			// an answer to the newest open thread on the item; else a review thread that records the decision (resolved)
			Optional<Comment> open = store.comments(t).stream().filter(c -> c.parentId() == null && c.open()).reduce((x, y) -> y);
			if (open.isPresent()) store.addComment(user, t, open.get().id(), Comment.Kind.REVIEW, comment);
			else {
				Comment c = store.addComment(user, t, null, Comment.Kind.REVIEW, comment);
				store.setResolved(c.id(), c.revision(), true, user);
			}
		}
		return now;
	}

	private String className(long id) {
		return store.classes().stream().filter(c -> c.id() == id).map(LabelClass::name).findFirst().orElse("class " + id);
	}

	/** Cohen's kappa per pair of users (and per class) on items both labelled, and their disagreements ({@link Agreements}). */
	public Agreement agreement() {
		return new Agreements(store).agreement();
	}

	// ---------------------------------------------------------------- quality

	/** The out-of-fold confusion matrix, per-class precision and recall, and the most confused pairs of a task. */
	public Quality quality(Task task) {
		ModelVersion m = model(task);
		List<Scored> items = scored(m);
		if (items.isEmpty())
			throw new LabelLoopException("Model " + m.name() + " has no out-of-fold predictions of labelled items; run Retrain.");
		List<Long> ids = m.classIds();
		int k = ids.size();
		int[][] c = new int[k][k];
		Map<Long, List<Target>> cells = new HashMap<>();
		for (Scored s : items) {
			int g = ids.indexOf(s.label().data().classId()), p = ids.indexOf(s.p().predictedClass());
			if (p < 0) continue;
			c[g][p]++;
			if (g != p) cells.computeIfAbsent((long) g * k + p, x -> new ArrayList<>()).add(s.p().target());
		}
		double[] precision = new double[k], recall = new double[k];
		for (int j = 0; j < k; j++) {
			int col = 0, row = 0;
			for (int i = 0; i < k; i++) {
				col += c[i][j];
				row += c[j][i];
			}
			precision[j] = col == 0 ? Double.NaN : (double) c[j][j] / col;
			recall[j] = row == 0 ? Double.NaN : (double) c[j][j] / row;
		}
		List<Confusion> confused = new ArrayList<>();
		for (int i = 0; i < k; i++)
			for (int j = 0; j < k; j++)
				if (i != j && c[i][j] > 0) confused.add(new Confusion(ids.get(i), ids.get(j), c[i][j], List.copyOf(cells.get((long) i * k + j))));
		confused.sort(Comparator.comparingInt(Confusion::count).reversed().thenComparingLong(Confusion::given).thenComparingLong(Confusion::predicted));
		double[][] probabilities = items.stream().map(x -> ids.stream().mapToDouble(id -> x.p().probabilities().getOrDefault(id, 0.0)).toArray())
				.toArray(double[][]::new);
		int[] labels = items.stream().mapToInt(x -> ids.indexOf(x.label().data().classId())).toArray();
		return new Quality(task, m.name(), ids, c, precision, recall, confused, m.metrics(), Metrics.reliability(probabilities, labels));
	}
}
