package org.labelloop.interop;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.ProjectStore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * COCO JSON (object detection / instance segmentation layout), readable by pycocotools, CVAT, Label Studio and
 * friends, with LabelLoop extension fields that make a LabelLoop → COCO → LabelLoop round trip lossless.
 *
 * <h2>Export</h2>
 * <ul>
 * <li>{@code info}: description, {@code date_created}, {@code labelloop_format: 1}; {@code licenses}: empty.</li>
 * <li>{@code images}: every project image: {@code id} = project image id, {@code file_name} = project path
 * (relative to the project folder where possible, forward slashes), {@code width}, {@code height}.</li>
 * <li>{@code categories}: every class: {@code id} = class id, {@code name}, {@code color} ({@code #rrggbb}).</li>
 * <li>{@code annotations}: every current (not deleted) annotation, rejected ones included with their status:
 * {@code id} = annotation id, {@code image_id}, {@code category_id} ({@code null} when unclassified),
 * {@code iscrowd: 0}, {@code score} = confidence (only when it has one), and
 * <ul>
 * <li>{@code segmentation}: COCO polygons {@code [[x1,y1,x2,y2,…], …]}: a rectangle as its 4 corners, an oval as a
 * 64-vertex polygon, a polygon/freehand/traced ROI as its ring, a composite as one polygon per ring (COCO unions
 * polygons, so holes of a composite are filled there); {@code []} for lines and points, which COCO cannot
 * express;</li>
 * <li>{@code bbox} {@code [x, y, w, h]} and {@code area} (square pixels; exact for ovals, 0 for lines/points);</li>
 * <li>{@code labelloop_geometry}: the exact geometry as the project stores it ({@link Json#geometry(Geometry)}:
 * kind, vertices, composite parts, plane c/z/t), {@code labelloop_status}, {@code labelloop_origin}, and
 * {@code labelloop_probabilities} (class name → probability, when the annotation has any).</li>
 * </ul>
 * Mask annotations: {@code segmentation} = COCO RLE {@code {"size": [h, w], "counts": "<compressed>"}} as
 * pycocotools writes it ({@link CocoRle}; a mask on several slices gives its projection along z), {@code bbox} and
 * {@code area} (pixels of that RLE), and {@code labelloop_mask}: the exact mask, base64 of its
 * {@link org.labelloop.core.geom.MaskCodec} bytes.
 * COCO has no image-level labels: such a label is an annotation with <em>no</em> {@code segmentation},
 * {@code bbox} or {@code area} and {@code labelloop_image_level: true}. Third-party readers may drop or choke on
 * these; export them with the CSV format instead when that matters.</li>
 * </ul>
 *
 * <h2>Import</h2>
 * <ul>
 * <li>Images are matched by {@code file_name}: the project image with that path, else the only project image with
 * the same file name (folders ignored). An image that matches none (or several) is reported as a problem and its
 * annotations are skipped. Images are never added by an import.</li>
 * <li>Categories are matched to classes by name; classes missing from the project are created, with the
 * category's {@code color} if it has one, else a palette colour; only categories (and probability keys) that an
 * imported annotation uses become classes. Category ids only link annotations to names.</li>
 * <li>Geometry: {@code labelloop_image_level: true} → image-level label; else {@code labelloop_geometry} (exact);
 * else {@code labelloop_mask} → that mask; else an RLE {@code segmentation} ({@code counts} as a list of run
 * lengths or pycocotools' compressed string; {@code size} must be the image's [height, width] and the counts must
 * add up to height × width, else the file is refused) → a mask on the first slice; else {@code segmentation}
 * polygons (one → polygon, several → composite with one part per polygon); else, when {@code segmentation} is
 * missing or {@code []}, {@code bbox} → rectangle. Polygons of fewer than 3 points are reported and skipped.</li>
 * <li>{@code score} → confidence; origin from {@code labelloop_origin}, else {@code weak:coco-import} when there is
 * a score, else {@code human:<importing user>}; status from {@code labelloop_status}, else {@code proposed} when there is a score (a detector's output is a
 * suggestion to review, not training truth) and {@code accepted} without one;
 * probabilities from {@code labelloop_probabilities}. Other fields ({@code iscrowd}, {@code area}, {@code id},
 * {@code supercategory}, …) are ignored.</li>
 * <li>Everything is validated before anything is written; then all annotations go into one change set, "Import COCO
 * &lt;file&gt;", which one undo removes (classes created by the import stay). A malformed file (not JSON, missing
 * {@code images}/{@code annotations}, wrong types, duplicate ids, an annotation naming an image or category id the
 * file does not define, a non-finite coordinate or one beyond ±{@value #LIMIT} px, an odd-length polygon, a score
 * outside [0, 1], …) is refused with a message naming the file and the JSON path, e.g.
 * {@code annotations[3].segmentation[0]}; nothing is written.</li>
 * </ul>
 */
public final class CocoFormat implements LabelFormat {

	/** Largest absolute coordinate accepted on import: beyond any whole-slide image, so larger means a broken file. */
	public static final double LIMIT = 10_000_000;
	/** Vertices of the polygon that stands for an oval in {@code segmentation}. */
	static final int OVAL_VERTICES = 64;
	private static final String RULE = "coco-import";
	private static final ObjectReader READER = Json.MAPPER.reader().with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

	// ------------------------------------------------------------------------------------------------ export

	@Override
	public ExportReport export(ProjectStore store, Path target) {
		Map<Long, String> names = FormatSupport.classNames(store);
		ObjectNode root = Json.MAPPER.createObjectNode();
		root.putObject("info").put("description", "LabelLoop project " + store.name()).put("date_created", Instant.now().toString())
				.put("labelloop_format", 1);
		root.putArray("licenses");
		List<ImageRecord> images = store.images();
		ArrayNode ims = root.putArray("images");
		for (ImageRecord im : images)
			ims.addObject().put("id", im.id()).put("file_name", im.path()).put("width", im.width()).put("height", im.height());
		ArrayNode cats = root.putArray("categories");
		for (LabelClass c : store.classes())
			cats.addObject().put("id", c.id()).put("name", c.name()).put("color", c.color());
		Map<Long, ImageRecord> imageById = new HashMap<>();
		images.forEach(im -> imageById.put(im.id(), im));
		List<Annotation> anns = store.allAnnotations();
		ArrayNode out = root.putArray("annotations");
		for (Annotation a : anns) {
			AnnotationData d = a.data();
			ObjectNode n = out.addObject().put("id", a.id()).put("image_id", a.imageId());
			if (d.classId() == null) n.putNull("category_id");
			else n.put("category_id", d.classId());
			Geometry g = d.geometry();
			if (g != null) {
				ArrayNode seg = n.putArray("segmentation");
				for (double[] ring : rings(g)) {
					ArrayNode r = seg.addArray();
					for (double v : ring) r.add(v);
				}
				Box b = g.bounds();
				n.putArray("bbox").add(b.x()).add(b.y()).add(b.w()).add(b.h());
				n.put("area", g.area());
			} else if (d.isMask()) {
				ImageRecord im = imageById.get(a.imageId());
				long[] cnts = CocoRle.fromMask(d.mask(), im.height(), im.width());
				ObjectNode seg = n.putObject("segmentation");
				seg.putArray("size").add(im.height()).add(im.width());
				seg.put("counts", CocoRle.toString(cnts));
				Box b = d.mask().bounds();
				n.putArray("bbox").add(b.x()).add(b.y()).add(b.w()).add(b.h());
				n.put("area", CocoRle.area(cnts));
			}
			n.put("iscrowd", 0);
			if (d.confidence() != null) n.put("score", d.confidence());
			if (d.isImageLevel()) n.put("labelloop_image_level", true);
			else if (d.isMask()) n.put("labelloop_mask", Base64.getEncoder().encodeToString(d.mask().encode()));
			else n.set("labelloop_geometry", Json.geometry(g));
			n.put("labelloop_status", d.status().key()).put("labelloop_origin", d.origin().toString());
			if (!d.probabilities().isEmpty()) {
				ObjectNode p = n.putObject("labelloop_probabilities");
				d.probabilities().forEach((id, v) -> p.put(names.getOrDefault(id, "#" + id), v));
			}
		}
		FormatSupport.write(target, root.toString());
		return new ExportReport(target, images.size(), anns.size());
	}

	/** The COCO polygons of a geometry as flat {x1, y1, x2, y2, …} rings; none for lines and points. */
	static List<double[]> rings(Geometry g) {
		Box b = g.bounds();
		return switch (g.kind()) {
			case RECT -> List.of(new double[] { b.x(), b.y(), b.x() + b.w(), b.y(), b.x() + b.w(), b.y() + b.h(), b.x(), b.y() + b.h() });
			case OVAL -> {
				double rx = b.w() / 2, ry = b.h() / 2, cx = b.x() + rx, cy = b.y() + ry;
				double[] r = new double[2 * OVAL_VERTICES];
				for (int i = 0; i < OVAL_VERTICES; i++) {
					double t = 2 * Math.PI * i / OVAL_VERTICES;
					r[2 * i] = cx + rx * Math.cos(t);
					r[2 * i + 1] = cy + ry * Math.sin(t);
				}
				yield List.of(r);
			}
			case POLYGON, FREEHAND, TRACED -> List.of(flat(g, 0, g.size()));
			case COMPOSITE -> {
				int[] parts = g.parts();
				double[][] r = new double[parts.length][];
				for (int i = 0; i < parts.length; i++) r[i] = flat(g, parts[i], i + 1 < parts.length ? parts[i + 1] : g.size());
				yield List.of(r);
			}
			default -> List.of();
		};
	}

	private static double[] flat(Geometry g, int from, int to) {
		double[] r = new double[2 * (to - from)];
		for (int i = from; i < to; i++) {
			r[2 * (i - from)] = g.x(i);
			r[2 * (i - from) + 1] = g.y(i);
		}
		return r;
	}

	// ------------------------------------------------------------------------------------------------ import

	/** An annotation this import cannot take, though the file is well-formed (e.g. an RLE mask). */
	private static final class Skip extends Exception {
		private static final long serialVersionUID = 1L;

		Skip(String why) {
			super(why, null, false, false);
		}
	}

	private record CocoImage(String fileName, FormatSupport.Match match, Integer width, Integer height) {
	}

	@Override
	public ImportReport importLabels(ProjectStore store, String user, Path source) {
		FormatSupport.Batch b = new FormatSupport.Batch(store, user, "COCO", source);
		JsonNode root = parse(b, FormatSupport.read(source, "COCO"));
		if (!root.isObject()) throw b.malformed("", "the file must hold a JSON object with images, categories and annotations");

		Map<Long, CocoImage> images = new LinkedHashMap<>();
		JsonNode ims = array(b, root, "images", true);
		for (int i = 0; i < ims.size(); i++) {
			String w = "images[" + i + "]";
			JsonNode im = object(b, ims.get(i), w);
			long id = id(b, im.get("id"), w + ".id");
			String file = text(b, im.get("file_name"), w + ".file_name");
			Integer iw = im.hasNonNull("width") ? (int) id(b, im.get("width"), w + ".width") : null;
			Integer ih = im.hasNonNull("height") ? (int) id(b, im.get("height"), w + ".height") : null;
			if (images.put(id, new CocoImage(file, b.image(file), iw, ih)) != null) throw b.malformed(w + ".id", "image id " + id + " is used twice");
		}

		Map<Long, String> categories = new HashMap<>();
		JsonNode cats = array(b, root, "categories", false);
		for (int i = 0; i < cats.size(); i++) {
			String w = "categories[" + i + "]";
			JsonNode c = object(b, cats.get(i), w);
			long id = id(b, c.get("id"), w + ".id");
			String name = b.check(w + ".name", () -> LabelClass.checkName(text(b, c.get("name"), w + ".name")));
			if (categories.put(id, name) != null) throw b.malformed(w + ".id", "category id " + id + " is used twice");
			if (c.path("color").isTextual()) b.colour(name, c.get("color").asText());
		}

		Map<Long, Integer> skippedPerImage = new LinkedHashMap<>();
		JsonNode anns = array(b, root, "annotations", true);
		for (int i = 0; i < anns.size(); i++) {
			String w = "annotations[" + i + "]";
			JsonNode a = object(b, anns.get(i), w);
			long imageId = id(b, a.get("image_id"), w + ".image_id");
			CocoImage im = images.get(imageId);
			if (im == null) throw b.malformed(w + ".image_id", "image id " + imageId + " is not defined in images");
			String className = null;
			JsonNode cat = a.get("category_id");
			if (cat != null && !cat.isNull()) {
				long catId = id(b, cat, w + ".category_id");
				className = categories.get(catId);
				if (className == null) throw b.malformed(w + ".category_id", "category id " + catId + " is not defined in categories");
			}
			Double score = null;
			if (a.hasNonNull("score")) {
				double s = number(b, a.get("score"), w + ".score");
				if (!(s >= 0 && s <= 1)) throw b.malformed(w + ".score", "score " + s + " is not in [0, 1]");
				score = s;
			}
			Status status = a.hasNonNull("labelloop_status")
					? b.check(w + ".labelloop_status", () -> Status.parse(text(b, a.get("labelloop_status"), w + ".labelloop_status")))
					: score == null ? Status.ACCEPTED : Status.PROPOSED; // a scored detection is a suggestion, not truth
			Origin origin = a.hasNonNull("labelloop_origin")
					? b.check(w + ".labelloop_origin", () -> Origin.parse(text(b, a.get("labelloop_origin"), w + ".labelloop_origin")))
					: FormatSupport.defaultOrigin(b.user(), score, RULE);
			Map<String, Double> probabilities = probabilities(b, a.get("labelloop_probabilities"), w + ".labelloop_probabilities");
			Mask mask = mask(b, a, w, im);
			if (mask != null) {
				if (im.match().image() == null) skippedPerImage.merge(imageId, 1, Integer::sum);
				else b.addMask(im.match().image().id(), mask, className, origin, status, score, probabilities);
				continue;
			}
			Geometry geometry;
			try {
				geometry = geometry(b, a, w);
			} catch (Skip e) {
				if (im.match().image() != null) b.skip(1, w + " (image '" + im.fileName() + "'): " + e.getMessage() + "; skipped");
				else skippedPerImage.merge(imageId, 1, Integer::sum);
				continue;
			}
			if (im.match().image() == null) skippedPerImage.merge(imageId, 1, Integer::sum);
			else b.add(im.match().image().id(), geometry, className, origin, status, score, probabilities);
		}
		images.forEach((id, im) -> {
			if (im.match().image() == null) {
				int n = skippedPerImage.getOrDefault(id, 0);
				b.skip(n, "Image " + im.match().problem() + "; its " + n + " annotation(s) were skipped");
			}
		});
		return b.commit("Import COCO " + source.getFileName());
	}

	private static JsonNode parse(FormatSupport.Batch b, String text) {
		try {
			JsonNode n = READER.readTree(text);
			if (n == null || n.isMissingNode()) throw b.malformed("", "the file is empty, not COCO JSON");
			return n;
		} catch (JsonProcessingException e) {
			var loc = e.getLocation();
			String why = e.getOriginalMessage().lines().findFirst().orElse("").replaceAll("\\s*\\(start marker at \\[Source.*|\\s*at \\[Source.*", "");
			throw b.malformed("", "not valid JSON (" + why + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()) + ")");
		}
	}

	/** image-level flag, else labelloop_geometry, else segmentation polygons, else bbox. */
	private static Geometry geometry(FormatSupport.Batch b, JsonNode a, String w) throws Skip {
		JsonNode bbox = a.get("bbox");
		double[] box = null;
		if (bbox != null && !bbox.isNull()) {
			if (!bbox.isArray() || bbox.size() != 4) throw b.malformed(w + ".bbox", "bbox must be [x, y, width, height]");
			box = new double[4];
			for (int k = 0; k < 4; k++) box[k] = coordinate(b, bbox.get(k), w + ".bbox[" + k + "]");
			if (box[2] < 0 || box[3] < 0) throw b.malformed(w + ".bbox", "bbox has a negative width or height");
		}
		JsonNode level = a.get("labelloop_image_level");
		if (level != null && !level.isNull() && !level.isBoolean()) throw b.malformed(w + ".labelloop_image_level", "must be true or false");
		if (level != null && level.asBoolean()) return null;
		if (a.hasNonNull("labelloop_geometry")) {
			String gw = w + ".labelloop_geometry";
			Geometry g = b.check(gw, () -> Json.geometry(a.get("labelloop_geometry")));
			for (int k = 0; k < g.size(); k++)
				if (Math.abs(g.x(k)) > LIMIT || Math.abs(g.y(k)) > LIMIT)
					throw b.malformed(gw, "vertex " + k + " (" + g.x(k) + ", " + g.y(k) + ") lies beyond ±" + (long) LIMIT + " px");
			return g;
		}
		JsonNode seg = a.get("segmentation");
		if (seg != null && !seg.isNull() && !seg.isArray())
			throw b.malformed(w + ".segmentation", "segmentation must be a list of polygons [[x1,y1,x2,y2,...]] or an RLE object");
		if (seg != null && seg.size() > 0) {
			int total = 0, shortRing = -1;
			for (int r = 0; r < seg.size(); r++) {
				String rw = w + ".segmentation[" + r + "]";
				if (!seg.get(r).isArray())
					throw b.malformed(rw, "a polygon must be a list of numbers [x1,y1,x2,y2,...] inside the segmentation list");
				if (seg.get(r).size() % 2 != 0)
					throw b.malformed(rw, "the polygon has an odd number of coordinates (" + seg.get(r).size() + "); it needs x,y pairs");
				if (seg.get(r).size() < 6 && shortRing < 0) shortRing = r;
				total += seg.get(r).size() / 2;
			}
			double[] x = new double[total], y = new double[total];
			int[] parts = new int[seg.size()];
			int v = 0;
			for (int r = 0; r < seg.size(); r++) {
				JsonNode ring = seg.get(r);
				parts[r] = v;
				for (int k = 0; k < ring.size(); k += 2, v++) {
					String rw = w + ".segmentation[" + r + "][";
					x[v] = coordinate(b, ring.get(k), rw + k + "]");
					y[v] = coordinate(b, ring.get(k + 1), rw + (k + 1) + "]");
				}
			}
			if (shortRing >= 0) throw new Skip("segmentation[" + shortRing + "] has fewer than 3 points");
			return parts.length == 1 ? Geometry.polygon(x, y, Plane.ALL)
					: b.check(w + ".segmentation", () -> new Geometry(Geometry.Kind.COMPOSITE, x, y, parts, Plane.ALL));
		}
		if (box != null) return Geometry.rect(box[0], box[1], box[2], box[3], Plane.ALL);
		throw b.malformed(w, "the annotation has neither segmentation nor bbox (nor labelloop_image_level: true)");
	}

	/**
	 * The mask of a mask annotation: {@code labelloop_mask} (exact, any slices), else an RLE {@code segmentation}
	 * (uncompressed counts or pycocotools' compressed string) on the first slice; {@code null} for other annotations.
	 */
	private static Mask mask(FormatSupport.Batch b, JsonNode a, String w, CocoImage im) {
		JsonNode level = a.get("labelloop_image_level");
		if (level != null && level.asBoolean(false)) return null;
		if (a.hasNonNull("labelloop_mask")) {
			String mw = w + ".labelloop_mask";
			return b.check(mw, () -> {
				try {
					return Mask.decode(Base64.getDecoder().decode(text(b, a.get("labelloop_mask"), mw)));
				} catch (IllegalArgumentException e) {
					throw new IllegalArgumentException(e.getMessage().startsWith("mask data") ? e.getMessage() : "not base64 (" + e.getMessage() + ")");
				}
			});
		}
		JsonNode seg = a.get("segmentation");
		if (seg == null || !seg.isObject()) return null;
		String sw = w + ".segmentation";
		JsonNode size = seg.get("size");
		if (size == null || !size.isArray() || size.size() != 2) throw b.malformed(sw + ".size", "an RLE needs size [height, width]");
		int h = (int) id(b, size.get(0), sw + ".size[0]"), wd = (int) id(b, size.get(1), sw + ".size[1]");
		if (h <= 0 || wd <= 0) throw b.malformed(sw + ".size", "an RLE's size must be positive, not [" + h + ", " + wd + "]");
		if (im.height() != null && im.width() != null && (h != im.height() || wd != im.width()))
			throw b.malformed(sw + ".size", "RLE size [" + h + ", " + wd + "] (height, width) is not the size of image '" + im.fileName() + "' ("
					+ im.height() + ", " + im.width() + ")");
		ImageRecord pim = im.match().image();
		if (pim != null && (h != pim.height() || wd != pim.width()))
			throw b.malformed(sw + ".size", "RLE size [" + h + ", " + wd + "] (height, width) is not the size of project image '" + pim.path() + "' ("
					+ pim.height() + ", " + pim.width() + ")");
		JsonNode counts = seg.get("counts");
		long[] cnts;
		if (counts != null && counts.isTextual()) {
			cnts = b.check(sw + ".counts", () -> CocoRle.fromString(counts.asText()));
		} else if (counts != null && counts.isArray()) {
			cnts = new long[counts.size()];
			for (int i = 0; i < cnts.length; i++) {
				JsonNode c = counts.get(i);
				if (!c.isIntegralNumber() || !c.canConvertToLong() || c.asLong() < 0)
					throw b.malformed(sw + ".counts[" + i + "]", "RLE counts are whole numbers 0 and up, not " + c);
				cnts[i] = c.asLong();
			}
		} else {
			throw b.malformed(sw + ".counts", "an RLE needs counts: a list of run lengths or a compressed RLE string");
		}
		long[] checked = cnts;
		return b.check(sw + ".counts", () -> CocoRle.toMask(checked, h, wd, 0));
	}

	private static Map<String, Double> probabilities(FormatSupport.Batch b, JsonNode n, String w) {
		if (n == null || n.isNull()) return Map.of();
		if (!n.isObject()) throw b.malformed(w, "must be an object of class name → probability");
		Map<String, Double> p = new LinkedHashMap<>();
		for (var it = n.fields(); it.hasNext();) {
			var e = it.next();
			String name = b.check(w, () -> LabelClass.checkName(e.getKey()));
			double v = number(b, e.getValue(), w + "." + name);
			if (!(v >= 0 && v <= 1)) throw b.malformed(w + "." + name, "probability " + v + " is not in [0, 1]");
			p.put(name, v);
		}
		return p;
	}

	private static JsonNode array(FormatSupport.Batch b, JsonNode root, String field, boolean required) {
		JsonNode n = root.get(field);
		if (n == null || n.isNull()) {
			if (required) throw b.malformed(field, "the file has no '" + field + "' list, so it is not COCO JSON");
			return Json.MAPPER.createArrayNode();
		}
		if (!n.isArray()) throw b.malformed(field, "'" + field + "' must be a list, not " + n.getNodeType().name().toLowerCase());
		return n;
	}

	private static JsonNode object(FormatSupport.Batch b, JsonNode n, String w) {
		if (!n.isObject()) throw b.malformed(w, "must be an object, not " + n.getNodeType().name().toLowerCase());
		return n;
	}

	private static long id(FormatSupport.Batch b, JsonNode n, String w) {
		if (n == null || n.isNull()) throw b.malformed(w, "is missing");
		if (!n.isIntegralNumber() || !n.canConvertToLong()) throw b.malformed(w, "must be an integer, not " + n);
		return n.asLong();
	}

	private static String text(FormatSupport.Batch b, JsonNode n, String w) {
		if (n == null || n.isNull()) throw b.malformed(w, "is missing");
		if (!n.isTextual() || n.asText().isBlank()) throw b.malformed(w, "must be a non-empty text, not " + n);
		return n.asText();
	}

	private static double number(FormatSupport.Batch b, JsonNode n, String w) {
		if (n == null || !n.isNumber()) throw b.malformed(w, "must be a number, not " + n);
		double v = n.asDouble();
		if (!Double.isFinite(v)) throw b.malformed(w, "is " + v + ", not a finite number");
		return v;
	}

	private static double coordinate(FormatSupport.Batch b, JsonNode n, String w) {
		double v = number(b, n, w);
		if (Math.abs(v) > LIMIT) throw b.malformed(w, "coordinate " + v + " lies beyond ±" + (long) LIMIT + " px");
		return v;
	}
}
