package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.interop.Fixtures.assertRefused;
import static org.labelloop.interop.Fixtures.cls;
import static org.labelloop.interop.Fixtures.image;
import static org.labelloop.interop.Fixtures.project;
import static org.labelloop.interop.Fixtures.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Geometry.Kind;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CocoFormatTest {

	private static final String[] IMAGES = { "a/cell.png", "b/ihc.png", "c/coins.png" };
	private final CocoFormat coco = new CocoFormat();

	@TempDir
	Path tmp;

	/** Every geometry kind, odd class names, every status and origin kind, confidences, probabilities, a deletion. */
	private static void fill(ProjectStore s) {
		long cell = image(s, "a/cell.png"), ihc = image(s, "b/ihc.png");
		long nuc = cls(s, "nucleus").id(), mit = cls(s, "Mitosis, late").id(), nv = cls(s, "naïve \"T\" cell").id();
		Plane p = new Plane(2, 3, 1);
		double[] rx = { 1.25, 40.5, 33, 2 }, ry = { 2, 3.75, 50.125, 44 };
		List<Edit> e = new ArrayList<>();
		e.add(new Edit.Create(cell, AnnotationData.human(Geometry.rect(10.5, 20.25, 30, 40, Plane.ALL), nuc, "alice")));
		e.add(new Edit.Create(cell, new AnnotationData(Geometry.oval(100, 110, 50.5, 30, p), mit, Origin.model("v3"),
				Status.PROPOSED, 0.8125, Map.of(mit, 0.8125, nuc, 0.1875))));
		e.add(new Edit.Create(cell, new AnnotationData(new Geometry(Kind.POLYGON, rx, ry, null, Plane.ALL), nv,
				Origin.weak("similar-to-12"), Status.REJECTED, 0.3, Map.of())));
		e.add(new Edit.Create(cell, AnnotationData.human(new Geometry(Kind.FREEHAND, rx, ry, null, p), nuc, "alice").withStatus(Status.CORRECTED)));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.TRACED, rx, ry, null, Plane.ALL), nuc, "carol")));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.LINE, new double[] { 1, 9.5 }, new double[] { 2, 8 }, null, Plane.ALL), mit, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.POLYLINE, rx, ry, null, Plane.ALL), mit, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.FREELINE, rx, ry, null, p), nv, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.POINT, new double[] { 5, 6.5, 7 }, new double[] { 8, 9, 10.75 }, null, Plane.ALL), nuc, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(new Geometry(Kind.COMPOSITE, new double[] { 0, 100, 100, 0, 20, 40, 40, 20 },
				new double[] { 0, 0, 100, 100, 20, 20, 40, 40 }, new int[] { 0, 4 }, Plane.ALL), nuc, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(Geometry.point(3, 4, Plane.ALL), null, "alice"))); // unclassified
		e.add(new Edit.Create(cell, new AnnotationData(null, mit, Origin.model("v3"), Status.PROPOSED, 0.6, Map.of(mit, 0.6, nv, 0.4))));
		e.add(new Edit.Create(ihc, AnnotationData.human(null, nv, "alice")));
		e.add(new Edit.Create(ihc, AnnotationData.human(Geometry.rect(0, 0, 1, 1, Plane.ALL), nuc, "alice"))); // deleted below
		s.apply("alice", "fill", e);
		Annotation last = s.allAnnotations().get(s.allAnnotations().size() - 1);
		s.apply("alice", "delete one", List.of(new Edit.Delete(last.id(), last.revision())));
	}

	@Test
	void storeToCocoToFreshStoreKeepsEverythingExactly() throws Exception {
		List<String> expected;
		Path file = tmp.resolve("out/labels.json");
		try (SqlProjectStore a = project(tmp.resolve("a"), IMAGES)) {
			fill(a);
			expected = snapshot(a);
			ExportReport r = coco.export(a, file);
			assertEquals(3, r.images());
			assertEquals(13, r.annotations());
		}
		// other image order → other image ids; classes are matched by name, not id
		try (SqlProjectStore b = project(tmp.resolve("b"), "c/coins.png", "b/ihc.png", "a/cell.png")) {
			ImportReport r = coco.importLabels(b, "bob", file);
			assertEquals(13, r.added());
			assertEquals(0, r.skipped());
			assertEquals(List.of(), r.problems());
			assertEquals(expected, snapshot(b));
			assertEquals(13, expected.size());
			assertEquals(List.of("Import COCO labels.json"), b.changeSets(10).stream().map(c -> c.description()).toList());
		}
	}

	@Test
	void cocoToStoreToCocoKeepsEveryAnnotationField() throws Exception {
		Path first = tmp.resolve("first.json"), second = tmp.resolve("second.json");
		try (SqlProjectStore a = project(tmp.resolve("a"), IMAGES)) {
			fill(a);
			coco.export(a, first);
		}
		try (SqlProjectStore b = project(tmp.resolve("b"), "b/ihc.png", "c/coins.png", "a/cell.png")) {
			coco.importLabels(b, "bob", first);
			coco.export(b, second);
		}
		assertEquals(canonical(first), canonical(second));
	}

	/** Annotations with ids replaced by image file name and category name, sorted. */
	private static List<String> canonical(Path f) throws Exception {
		JsonNode root = Json.MAPPER.readTree(f.toFile());
		Map<Long, String> files = new HashMap<>(), cats = new HashMap<>();
		root.get("images").forEach(i -> files.put(i.get("id").asLong(), i.get("file_name").asText()));
		root.get("categories").forEach(c -> cats.put(c.get("id").asLong(), c.get("name").asText() + " " + c.get("color").asText()));
		List<String> out = new ArrayList<>();
		for (JsonNode a : root.get("annotations")) {
			ObjectNode n = a.deepCopy();
			n.remove("id");
			n.put("image_id", files.get(n.remove("image_id").asLong()));
			JsonNode c = n.remove("category_id");
			n.put("category_id", c.isNull() ? null : cats.get(c.asLong()));
			out.add(n.toString());
		}
		out.sort(null);
		return out;
	}

	@Test
	void exportIsPlainCocoForOtherReaders() throws Exception {
		Path file = tmp.resolve("labels.json");
		try (SqlProjectStore a = project(tmp.resolve("a"), IMAGES)) {
			fill(a);
			coco.export(a, file);
			JsonNode root = Json.MAPPER.readTree(file.toFile());
			assertEquals(List.of("info", "licenses", "images", "categories", "annotations"), iterable(root.fieldNames()));
			JsonNode im = root.get("images").get(0);
			assertEquals(image(a, "a/cell.png"), im.get("id").asLong());
			assertEquals("a/cell.png", im.get("file_name").asText());
			assertEquals(345, im.get("width").asInt());
			assertEquals(300, im.get("height").asInt());
			JsonNode cat = root.get("categories").get(1);
			assertEquals("Mitosis, late", cat.get("name").asText());
			assertEquals("#123456", cat.get("color").asText());

			Map<String, JsonNode> byKind = new HashMap<>();
			for (JsonNode n : root.get("annotations"))
				byKind.putIfAbsent(n.has("labelloop_geometry") ? n.get("labelloop_geometry").get("kind").asText() : "image", n);
			JsonNode rect = byKind.get("rect");
			assertEquals("[[10.5,20.25,40.5,20.25,40.5,60.25,10.5,60.25]]", rect.get("segmentation").toString());
			assertEquals("[10.5,20.25,30.0,40.0]", rect.get("bbox").toString());
			assertEquals(1200.0, rect.get("area").asDouble());
			assertEquals(0, rect.get("iscrowd").asInt());
			assertFalse(rect.has("score"));
			assertEquals("accepted", rect.get("labelloop_status").asText());
			assertEquals("human:alice", rect.get("labelloop_origin").asText());

			JsonNode oval = byKind.get("oval");
			JsonNode ring = oval.get("segmentation").get(0);
			assertEquals(2 * CocoFormat.OVAL_VERTICES, ring.size());
			for (int i = 0; i < ring.size(); i += 2) {
				double dx = (ring.get(i).asDouble() - 125.25) / 25.25, dy = (ring.get(i + 1).asDouble() - 125) / 15;
				assertEquals(1, dx * dx + dy * dy, 1e-9, "oval vertex on the ellipse");
			}
			assertEquals(0.8125, oval.get("score").asDouble());
			assertEquals("{\"Mitosis, late\":0.8125,\"nucleus\":0.1875}", sorted(oval.get("labelloop_probabilities")));
			assertEquals("proposed", oval.get("labelloop_status").asText());
			assertEquals(2, oval.get("labelloop_geometry").get("c").asInt());

			assertEquals(2, byKind.get("composite").get("segmentation").size());
			assertEquals("[]", byKind.get("line").get("segmentation").toString());
			assertEquals("[1.0,2.0,8.5,6.0]", byKind.get("line").get("bbox").toString());
			assertEquals("rejected", byKind.get("polygon").get("labelloop_status").asText());

			JsonNode level = byKind.get("image");
			assertTrue(level.get("labelloop_image_level").asBoolean());
			assertFalse(level.has("segmentation") || level.has("bbox") || level.has("area"));
			assertEquals(0.6, level.get("score").asDouble());
			long unclassified = iterable(root.get("annotations").elements()).stream().filter(n -> n.get("category_id").isNull()).count();
			assertEquals(1, unclassified);
		}
	}

	private static <T> List<T> iterable(java.util.Iterator<T> it) {
		List<T> l = new ArrayList<>();
		it.forEachRemaining(l::add);
		return l;
	}

	private static String sorted(JsonNode n) {
		ObjectNode o = Json.MAPPER.createObjectNode();
		iterable(n.fieldNames()).stream().sorted().forEach(k -> o.set(k, n.get(k)));
		return o.toString();
	}

	@Test
	void importsThirdPartyCocoWithoutLabelLoopFields() throws Exception {
		Path file = tmp.resolve("third-party-coco.json");
		try (var in = getClass().getResourceAsStream("third-party-coco.json")) {
			Files.copy(in, file);
		}
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			ImportReport r = coco.importLabels(s, "bob", file);
			assertEquals(5, r.added());
			assertEquals(2, r.skipped());
			assertEquals(1, r.problems().size(), () -> r.problems().toString());
			assertTrue(r.problems().get(0).contains("scans/missing.png") && r.problems().get(0).contains("not in the project")
					&& r.problems().get(0).contains("2 annotation(s)"), r.problems().get(0));
			assertEquals(List.of("nucleus", "mitotic figure", "artifact"), s.classes().stream().map(c -> c.name()).toList(), "only used categories become classes");

			List<Annotation> cell = s.annotations(image(s, "a/cell.png")); // matched by file name
			assertEquals(2, cell.size());
			Geometry poly = cell.get(0).data().geometry();
			assertEquals(Kind.POLYGON, poly.kind());
			assertArrayEquals(new double[] { 10.5, 30, 30, 10.5 }, poly.x());
			assertArrayEquals(new double[] { 20, 20, 40.25, 40 }, poly.y());
			AnnotationData d = cell.get(0).data();
			assertEquals(Origin.human("bob"), d.origin());
			assertEquals(Status.ACCEPTED, d.status());
			assertNull(d.confidence());
			Geometry two = cell.get(1).data().geometry();
			assertEquals(Kind.COMPOSITE, two.kind());
			assertArrayEquals(new int[] { 0, 3 }, two.parts());
			assertEquals("mitotic figure", s.classes().get(1).name());
			assertEquals(s.classes().get(1).id(), cell.get(1).data().classId());

			List<Annotation> ihc = s.annotations(image(s, "b/ihc.png")); // matched by path
			assertEquals(3, ihc.size());
			assertEquals(Geometry.rect(5, 6, 7, 8, Plane.ALL), ihc.get(0).data().geometry());
			// a compressed RLE (iscrowd 1) as pycocotools writes it: the 4x3 box at (50, 50), column-major
			org.labelloop.core.geom.Mask rle = ihc.get(1).data().mask();
			assertEquals(12, rle.voxelCount());
			assertEquals(new org.labelloop.core.geom.Box(50, 50, 4, 3), rle.bounds());
			assertEquals("artifact", s.classes().get(2).name());
			AnnotationData det = ihc.get(2).data();
			assertEquals(Geometry.rect(100.25, 101.5, 20, 30, Plane.ALL), det.geometry());
			assertEquals(0.87, det.confidence());
			assertEquals(Origin.weak("coco-import"), det.origin());
			assertEquals(Status.PROPOSED, det.status(), "a scored detection is a suggestion to review");
		}
	}

	@Test
	void ambiguousFileNameIsAProblemNotAGuess() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), "x/cell.png", "y/cell.png", "z/other.png")) {
			Path f = Fixtures.write(tmp, "amb.json", j("{'images':[{'id':1,'file_name':'cell.png'},{'id':2,'file_name':'C:\\\\data\\\\other.png'}],"
					+ "'categories':[{'id':1,'name':'n','color':'#00FF00'}],'annotations':[{'image_id':1,'category_id':1,'bbox':[1,2,3,4]},"
					+ "{'image_id':2,'category_id':1,'bbox':[1,2,3,4]}]}"));
			ImportReport r = coco.importLabels(s, "bob", f);
			assertEquals(1, r.added());
			assertEquals(1, r.skipped());
			assertTrue(r.problems().get(0).contains("matches several project images (x/cell.png, y/cell.png)"), r.problems().get(0));
			assertEquals(1, s.annotations(image(s, "z/other.png")).size(), "Windows path matched by file name");
			assertEquals("#00ff00", s.classByName("n").orElseThrow().color(), "category colour kept");
		}
	}

	@Test
	void undoRemovesTheWholeImport() throws Exception {
		Path file = tmp.resolve("labels.json");
		try (SqlProjectStore a = project(tmp.resolve("a"), IMAGES)) {
			fill(a);
			coco.export(a, file);
		}
		try (SqlProjectStore b = project(tmp.resolve("b"), IMAGES)) {
			b.apply("bob", "own work", List.of(new Edit.Create(image(b, "c/coins.png"), AnnotationData.human(null, cls(b, "coin").id(), "bob"))));
			List<String> before = snapshot(b);
			assertEquals(13, coco.importLabels(b, "bob", file).added());
			assertEquals(14, b.allAnnotations().size());
			assertEquals("Import COCO labels.json", b.undo("bob").orElseThrow().description().replace("Undo ", ""));
			assertEquals(before, snapshot(b));
		}
	}

	@Test
	void emptyImportWritesNoChangeSet() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			Path f = Fixtures.write(tmp, "empty.json", j("{'images':[],'annotations':[]}"));
			assertEquals(0, coco.importLabels(s, "bob", f).added());
			assertEquals(List.of(), s.changeSets(10));
		}
	}

	private static String j(String singleQuoted) {
		return singleQuoted.replace('\'', '"');
	}

	/** A valid file around the given annotations (image 1 = a/cell.png, image 2 = not in the project). */
	private static String doc(String annotations) {
		return j("{'images':[{'id':1,'file_name':'a/cell.png','width':345,'height':300},{'id':2,'file_name':'nowhere.png'}],"
				+ "'categories':[{'id':1,'name':'nucleus'},{'id':7,'name':'brand new class'}],'annotations':[" + annotations + "]}");
	}

	private static final String OK = "{'id':1,'image_id':1,'category_id':7,'segmentation':[[1,1,9,1,9,9]],'bbox':[1,1,8,8]}";

	static Stream<Arguments> malformed() {
		return Stream.of(
				Arguments.of("not JSON", "{\"images\": [", new String[] { "not valid JSON", "line 1" }),
				Arguments.of("empty", "", new String[] { "empty" }),
				Arguments.of("array root", "[]", new String[] { "must hold a JSON object" }),
				Arguments.of("no images", j("{'annotations':[]}"), new String[] { "images", "no 'images' list" }),
				Arguments.of("no annotations", j("{'images':[]}"), new String[] { "no 'annotations' list" }),
				Arguments.of("images not a list", j("{'images':{},'annotations':[]}"), new String[] { "images: 'images' must be a list, not object" }),
				Arguments.of("image id text", j("{'images':[{'id':'1','file_name':'a/cell.png'}],'annotations':[]}"), new String[] { "images[0].id", "must be an integer" }),
				Arguments.of("no file name", j("{'images':[{'id':1}],'annotations':[]}"), new String[] { "images[0].file_name", "missing" }),
				Arguments.of("duplicate image id", j("{'images':[{'id':1,'file_name':'a'},{'id':1,'file_name':'b'}],'annotations':[]}"),
						new String[] { "images[1].id", "used twice" }),
				Arguments.of("category name empty", j("{'images':[],'categories':[{'id':1,'name':' '}],'annotations':[]}"),
						new String[] { "categories[0].name", "non-empty" }),
				Arguments.of("annotation not object", doc(OK + ",5"), new String[] { "annotations[1]", "must be an object" }),
				Arguments.of("missing image id", doc(OK + "," + OK.replace("'image_id':1", "'image_id':99")),
						new String[] { "annotations[1].image_id", "image id 99 is not defined in images" }),
				Arguments.of("missing category id", doc(OK + "," + OK.replace("'category_id':7", "'category_id':42")),
						new String[] { "annotations[1].category_id", "category id 42 is not defined in categories" }),
				Arguments.of("NaN coordinate", doc(OK + "," + OK.replace("[[1,1,9,1,9,9]]", "[[1,1,NaN,1,9,9]]")),
						new String[] { "annotations[1].segmentation[0][2]", "NaN" }),
				Arguments.of("absurd coordinate", doc(OK + "," + OK.replace("[[1,1,9,1,9,9]]", "[[1,1e12,9,1,9,9]]")),
						new String[] { "annotations[1].segmentation[0][1]", "beyond" }),
				Arguments.of("odd polygon", doc(OK + "," + OK + "," + OK + "," + OK.replace("[[1,1,9,1,9,9]]", "[[1,1,9,1,9,9,4]]")),
						new String[] { "annotations[3].segmentation[0]", "odd number of coordinates (7)" }),
				Arguments.of("flat segmentation", doc(OK.replace("[[1,1,9,1,9,9]]", "[1,1,9,1,9,9]")),
						new String[] { "annotations[0].segmentation[0]", "list of numbers" }),
				Arguments.of("text coordinate", doc(OK.replace("[[1,1,9,1,9,9]]", "[[1,1,'9',1,9,9]]")),
						new String[] { "annotations[0].segmentation[0][2]", "must be a number" }),
				Arguments.of("bad bbox", doc(OK.replace("[1,1,8,8]", "[1,1,8]")), new String[] { "annotations[0].bbox", "[x, y, width, height]" }),
				Arguments.of("negative bbox", doc(OK.replace("[1,1,8,8]", "[1,1,-8,8]")), new String[] { "annotations[0].bbox", "negative" }),
				Arguments.of("no shape", doc("{'image_id':1,'category_id':1}"), new String[] { "annotations[0]", "neither segmentation nor bbox" }),
				Arguments.of("score", doc(OK.replace("'bbox'", "'score':1.5,'bbox'")), new String[] { "annotations[0].score", "not in [0, 1]" }),
				Arguments.of("status", doc(OK.replace("'bbox'", "'labelloop_status':'maybe','bbox'")),
						new String[] { "annotations[0].labelloop_status", "Unknown status 'maybe'" }),
				Arguments.of("origin", doc(OK.replace("'bbox'", "'labelloop_origin':'robot','bbox'")),
						new String[] { "annotations[0].labelloop_origin", "robot" }),
				Arguments.of("geometry", doc(OK.replace("'bbox'", "'labelloop_geometry':{'kind':'blob','x':[1],'y':[1]},'bbox'")),
						new String[] { "annotations[0].labelloop_geometry", "unknown geometry kind 'blob'" }),
				Arguments.of("geometry vertices", doc(OK.replace("'bbox'", "'labelloop_geometry':{'kind':'rect','x':[1,2,3],'y':[1,2,3]},'bbox'")),
						new String[] { "annotations[0].labelloop_geometry", "exactly 2 vertices" }),
				Arguments.of("probabilities", doc(OK.replace("'bbox'", "'labelloop_probabilities':{'nucleus':2},'bbox'")),
						new String[] { "annotations[0].labelloop_probabilities.nucleus", "not in [0, 1]" }),
				Arguments.of("image level flag", doc(OK.replace("'bbox'", "'labelloop_image_level':'yes','bbox'")),
						new String[] { "annotations[0].labelloop_image_level", "true or false" }),
				// a bad annotation on an image outside the project still refuses the file
				Arguments.of("bad on skipped image", doc(OK + "," + OK.replace("'image_id':1", "'image_id':2").replace("[[1,1,9,1,9,9]]", "[[1,1,9]]")),
						new String[] { "annotations[1].segmentation[0]", "odd number" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void malformedFileIsRefusedAndNothingIsWritten(String name, String text, String[] parts) throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			s.apply("bob", "before", List.of(new Edit.Create(image(s, "a/cell.png"), AnnotationData.human(null, cls(s, "nucleus").id(), "bob"))));
			Path f = Fixtures.write(tmp, "bad labels.json", text);
			assertRefused(s, coco, f, parts);
		}
	}

	@Test
	void wellFormedBaseDocumentImports() throws Exception {
		// guards the malformed cases: each breaks exactly one thing of this document
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			ImportReport r = coco.importLabels(s, "bob", Fixtures.write(tmp, "ok.json", doc(OK + "," + OK)));
			assertEquals(2, r.added());
			assertTrue(s.classByName("brand new class").isPresent());
		}
	}
}
