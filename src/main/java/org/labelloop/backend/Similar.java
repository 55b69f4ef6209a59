package org.labelloop.backend;

import org.labelloop.core.model.Task;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Target;

/**
 * The values of similarity search, bulk labelling and the 2D map (see {@link Backend#similar}, {@link Backend#bulkLabel},
 * {@link Backend#map}). Plain records of strings, numbers and lists, so a server can send them as JSON.
 * <p>
 * <b>Items</b> are named by strings: {@code image:<image id>} for a whole image, {@code roi:<annotation id>} for a
 * ROI, {@code slice:<image id>:<z>} for slice z (1-based) of a volume ({@link #item}, {@link #parse}). Slices are
 * items of the image model, beside whole images and volumes (a volume's vector is the mean of its slices').
 */
public final class Similar {

	private Similar() {
	}

	public static final String IMAGE = "image", ROI = "roi", SLICE = "slice";

	/**
	 * An item id as a kind and a number: the image id, the annotation id, or for a slice the id of its
	 * {@link Target#slice} (image and z packed in one number).
	 */
	public record ItemRef(String kind, long id) {
		public ItemRef {
			if (!IMAGE.equals(kind) && !ROI.equals(kind) && !SLICE.equals(kind))
				throw new IllegalArgumentException("An item is an image, a roi or a slice, not '" + kind + "'");
			if (SLICE.equals(kind)) new Target(Target.SLICE, id); // checks the slice number
		}

		/** The item a prediction, embedding or comment target names. */
		public static ItemRef of(Target t) {
			return new ItemRef(t.isImage() ? IMAGE : t.isSlice() ? SLICE : ROI, t.id());
		}

		/** Slice z (1-based) of volume imageId. */
		public static ItemRef slice(long imageId, int z) {
			return new ItemRef(SLICE, Target.slice(imageId, z).id());
		}

		public boolean isImage() {
			return IMAGE.equals(kind);
		}

		public boolean isRoi() {
			return ROI.equals(kind);
		}

		public boolean isSlice() {
			return SLICE.equals(kind);
		}

		/** The model task whose index holds this kind of item: slices are the image model's. */
		public Task task() {
			return isRoi() ? Task.ROI : Task.IMAGE;
		}

		/** What predictions, embeddings and comments of this item are keyed by. */
		public Target target() {
			return isImage() ? Target.image(id) : isSlice() ? new Target(Target.SLICE, id) : Target.annotation(id);
		}

		/** The 1-based slice number of a slice, 0 for an image or a ROI. */
		public int z() {
			return isSlice() ? target().z() : 0;
		}

		/** What a person calls the item, given the name of its image: {@code ct.nii}, {@code slice 57 of ct.nii}, {@code ROI 345 on ct.nii}. */
		public String describe(String imageName) {
			return isImage() ? imageName : isSlice() ? "slice " + z() + " of " + imageName : "ROI " + id + " on " + imageName;
		}

		@Override
		public String toString() {
			return isSlice() ? kind + ":" + target().imageId() + ":" + z() : kind + ":" + id;
		}
	}

	/** The item string of an image ({@link #IMAGE}) or a ROI ({@link #ROI}); a slice's is {@link ItemRef#slice}'s. */
	public static String item(String kind, long id) {
		return new ItemRef(kind, id).toString();
	}

	/**
	 * What a person calls an item: {@code coins.png} for {@code image:12}, {@code ROI 345 on coins.png} for
	 * {@code roi:345}, {@code slice 57 of ct.nii} for {@code slice:12:57}; the id itself when it names nothing in the
	 * project (anymore).
	 */
	public static String describe(Backend b, String item) {
		try {
			ItemRef r = parse(item);
			if (!r.isRoi()) return r.describe(b.image(r.target().imageId()).name());
			return b.annotation(r.id()).map(a -> r.describe(b.image(a.imageId()).name())).orElse(item);
		} catch (LabelLoopException e) {
			return item;
		}
	}

	/**
	 * Reads {@code image:12}, {@code roi:345} or {@code slice:12:57}.
	 *
	 * @throws LabelLoopException for anything else, saying the form
	 */
	public static ItemRef parse(String item) {
		String t = item == null ? "" : item.strip().toLowerCase(Locale.ROOT);
		String[] parts = t.split(":", -1);
		try {
			if (parts.length == 3 && SLICE.equals(parts[0])) return ItemRef.slice(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
			if (parts.length == 2 && !SLICE.equals(parts[0])) return new ItemRef(parts[0], Long.parseLong(parts[1]));
		} catch (IllegalArgumentException e) {
			// fall through to the message
		}
		throw new LabelLoopException("Item '" + item + "' is not of the form image:<image id>, roi:<annotation id> or slice:<image id>:<slice number>.");
	}

	/**
	 * A similarity query: the {@code k} items most like the positive examples and unlike the negative ones, among
	 * those passing the filter. One positive and no negative is "the k nearest of that item". All examples are of one
	 * kind (images, or ROIs). Strategy {@code average_vector} or {@code best_score} (Qdrant's definitions, see
	 * {@link org.labelloop.core.vector.RecommendStrategy}); negatives only need {@code best_score}.
	 */
	public record Query(List<String> positives, List<String> negatives, int k, ItemFilter filter, String strategy) {
		public static final String AVERAGE_VECTOR = "average_vector", BEST_SCORE = "best_score";
		public static final int MAX_K = 1000;

		public Query {
			positives = List.copyOf(positives == null ? List.of() : positives);
			negatives = List.copyOf(negatives == null ? List.of() : negatives);
			filter = filter == null ? ItemFilter.ALL : filter;
			strategy = strategy == null || strategy.isBlank() ? (positives.isEmpty() ? BEST_SCORE : AVERAGE_VECTOR) : strategy.strip().toLowerCase(Locale.ROOT);
			if (k < 1 || k > MAX_K) throw new IllegalArgumentException("Ask for 1 to " + MAX_K + " similar items, not " + k + ".");
			if (!strategy.equals(AVERAGE_VECTOR) && !strategy.equals(BEST_SCORE))
				throw new IllegalArgumentException("Unknown strategy '" + strategy + "' (expected average_vector or best_score).");
		}

		/** The k nearest of one item. */
		public static Query nearest(String item, int k, ItemFilter filter) {
			return new Query(List.of(item), List.of(), k, filter, AVERAGE_VECTOR);
		}

		/** A short description, used as the source of weak labels: {@code like roi:5 not roi:9 [not reviewed]}. */
		public String describe() {
			StringBuilder sb = new StringBuilder();
			if (!positives.isEmpty()) sb.append("like ").append(String.join(",", positives));
			if (!negatives.isEmpty()) sb.append(sb.length() > 0 ? " " : "").append("not ").append(String.join(",", negatives));
			if (!filter.isAll()) sb.append(" [").append(filter).append("]");
			return sb.toString();
		}
	}

	/**
	 * One answer.
	 *
	 * @param score    cosine similarity for nearest and {@code average_vector}; Qdrant's best_score value otherwise
	 * @param roi      the annotation id for a ROI, {@code null} for an image or a slice
	 * @param label    the item's class name now, or {@code null}
	 * @param status   proposed, accepted, corrected, rejected, or {@code null} (an image without a label)
	 * @param origin   human, model or weak, or {@code null}
	 * @param area     the area Retrain measured (the image's calibrated unit squared), or {@code null} if not measured
	 * @param mean     the mean intensity Retrain measured (calibrated values), or {@code null}
	 */
	public record Item(String item, long imageId, Long roi, String imageName, double score, String label, String status, String origin,
			String user, Double area, Double mean) {
	}

	/**
	 * What a query found, best first; an empty list is a normal answer ({@code message} then says so).
	 *
	 * @param exact        whether the index scored every candidate (small or narrowly filtered sets)
	 * @param modelVersion the model version whose embeddings were searched
	 */
	public record Result(List<Item> items, Task task, String modelVersion, boolean exact, String message) {
		public Result {
			items = List.copyOf(items);
		}
	}

	/**
	 * A bulk label: every item gets the class (images their image-level label, ROIs their class) in one undoable
	 * change set, either {@code weak} (origin {@code weak:<query>}, status proposed, to review later) or accepted
	 * (origin {@code human:<user>}). Slices are left out: a slice is labelled by the masks painted on it, and its
	 * volume by an image-level label.
	 */
	public record BulkLabel(List<String> items, String className, boolean accepted, String query) {
		public BulkLabel {
			items = List.copyOf(items == null ? List.of() : items);
		}
	}

	/**
	 * What a bulk label wrote.
	 *
	 * @param changeSet the one change set (undo reverts all of it), or {@code null} when nothing needed changing
	 * @param labelled  items given the class
	 * @param unchanged items that had it already
	 * @param kept      items a weak label did not overwrite because a person had decided them
	 * @param slices    slices left out (a slice gets no class of its own)
	 */
	public record BulkReport(ChangeSet changeSet, int labelled, int unchanged, int kept, int slices) {
		public String summary() {
			return labelled + " item(s) labelled" + (unchanged > 0 ? ", " + unchanged + " already so" : "")
					+ (kept > 0 ? ", " + kept + " kept (a person decided them; a weak label does not overwrite that)" : "")
					+ (slices > 0 ? ", " + slices + " slice(s) left out (a slice is labelled by its masks; label its volume instead)" : "");
		}
	}

	/**
	 * One point of the map.
	 *
	 * @param predicted  the model's class for the item (out-of-fold for labelled ones), or {@code null}
	 * @param confidence the model's probability of {@code predicted}, NaN without a prediction
	 */
	public record Point(String item, long imageId, float x, float y, String label, String status, String predicted, double confidence) {
	}

	/**
	 * The 2D layout of every item of a task's model version.
	 *
	 * @param current whether it belongs to the active model version; {@code false}: an older version's layout, shown
	 *                while the new one is computed
	 * @param method  single, pca or umap (see {@link org.labelloop.core.map.EmbeddingMap})
	 */
	public record MapLayout(Task task, String modelVersion, boolean current, List<Point> points, String method, String note) {
		public MapLayout {
			points = List.copyOf(points);
		}
	}
}
