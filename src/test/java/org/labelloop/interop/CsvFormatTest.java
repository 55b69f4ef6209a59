package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.interop.Fixtures.assertRefused;
import static org.labelloop.interop.Fixtures.cls;
import static org.labelloop.interop.Fixtures.image;
import static org.labelloop.interop.Fixtures.project;
import static org.labelloop.interop.Fixtures.snapshot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.SqlProjectStore;

class CsvFormatTest {

	private static final String[] IMAGES = { "a/cell.png", "b/ihc.png", "c/coins.png", "d/with, comma.png" };
	private final CsvFormat csv = new CsvFormat();

	@TempDir
	Path tmp;

	private static void fill(SqlProjectStore s) {
		long late = cls(s, "Mitosis, late").id(), quoted = cls(s, "\"quoted\"").id(), naive = cls(s, "naïve T-cell").id(),
				semi = cls(s, "a;b").id();
		s.apply("alice", "fill", List.of(
				new Edit.Create(image(s, "a/cell.png"), AnnotationData.human(null, late, "alice")),
				new Edit.Create(image(s, "a/cell.png"), new AnnotationData(null, quoted, Origin.model("v2:fold 3"), Status.PROPOSED, 0.625, Map.of())),
				new Edit.Create(image(s, "b/ihc.png"), AnnotationData.human(null, naive, "alice").withStatus(Status.REJECTED)),
				new Edit.Create(image(s, "d/with, comma.png"), new AnnotationData(null, semi, Origin.weak("similar"), Status.CORRECTED, 0.1, Map.of())),
				new Edit.Create(image(s, "c/coins.png"), AnnotationData.human(null, null, "alice")),
				// shapes are not CSV's business
				new Edit.Create(image(s, "c/coins.png"), AnnotationData.human(Geometry.rect(1, 2, 3, 4, Plane.ALL), late, "alice"))));
	}

	@Test
	void roundTripKeepsAwkwardClassNamesAndEveryField() throws Exception {
		Path file = tmp.resolve("labels.csv");
		List<String> expected;
		try (SqlProjectStore a = project(tmp.resolve("a"), IMAGES)) {
			fill(a);
			expected = snapshot(a).stream().filter(l -> l.contains("| image |")).toList();
			ExportReport r = csv.export(a, file);
			assertEquals(5, r.annotations());
			assertEquals(4, r.images());
		}
		String text = Files.readString(file, StandardCharsets.UTF_8);
		assertTrue(text.startsWith("image,label,status,origin,confidence\r\n"), text);
		assertTrue(text.contains("a/cell.png,\"Mitosis, late\",accepted,human:alice,\r\n"), text);
		assertTrue(text.contains("a/cell.png,\"\"\"quoted\"\"\",proposed,model:v2:fold 3,0.625\r\n"), text);
		assertTrue(text.contains("b/ihc.png,naïve T-cell,rejected,human:alice,\r\n"), text);
		assertTrue(text.contains("\"d/with, comma.png\",a;b,corrected,weak:similar,0.1\r\n"), text);
		assertTrue(text.contains("c/coins.png,,accepted,human:alice,\r\n"), text);

		try (SqlProjectStore b = project(tmp.resolve("b"), "d/with, comma.png", "c/coins.png", "b/ihc.png", "a/cell.png")) {
			ImportReport r = csv.importLabels(b, "bob", file);
			assertEquals(5, r.added());
			assertEquals(List.of(), r.problems());
			assertEquals(expected, snapshot(b));
			assertEquals(List.of("Mitosis, late", "\"quoted\"", "naïve T-cell", "a;b"), b.classes().stream().map(c -> c.name()).toList());
		}
	}

	@Test
	void importReadsLooseButValidFiles() throws Exception {
		// BOM, header in other case and order, extra column, only image and label, LF ends, blank lines, quoted newline
		String text = "\uFEFFNote,Label,IMAGE\n"
				+ "\"two\nlines\",Mitosis,cell.png\n"
				+ "\n"
				+ "x, naïve T-cell ,b/ihc.png\n"
				+ "y,Mitosis,nowhere.png\n"
				+ "z,Mitosis,c\\coins.png\n";
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			cls(s, "Mitosis");
			ImportReport r = csv.importLabels(s, "bob", Fixtures.write(tmp, "loose.csv", text));
			assertEquals(3, r.added());
			assertEquals(1, r.skipped());
			assertEquals(List.of("line 6: image 'nowhere.png' is not in the project; row skipped"), r.problems());
			Annotation cell = s.annotations(image(s, "a/cell.png")).get(0);
			assertNull(cell.data().geometry());
			assertEquals(s.classByName("Mitosis").orElseThrow().id(), cell.data().classId());
			assertEquals(Origin.human("bob"), cell.data().origin());
			assertEquals(Status.ACCEPTED, cell.data().status());
			assertNull(cell.data().confidence());
			assertEquals("naïve T-cell", s.classes().get(1).name());
			assertEquals(1, s.annotations(image(s, "c/coins.png")).size());
		}
	}

	@Test
	void confidenceWithoutOriginIsWeak() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			csv.importLabels(s, "bob", Fixtures.write(tmp, "c.csv", "image,label,confidence\na/cell.png,x,0.75\n"));
			AnnotationData d = s.allAnnotations().get(0).data();
			assertEquals(Origin.weak("csv-import"), d.origin());
			assertEquals(0.75, d.confidence());
		}
	}

	@Test
	void undoRemovesTheWholeImport() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			fill(s);
			List<String> before = snapshot(s);
			ImportReport r = csv.importLabels(s, "bob", Fixtures.write(tmp, "u.csv", "image,label\na/cell.png,one\nb/ihc.png,two\nc/coins.png,one\n"));
			assertEquals(3, r.added());
			assertEquals(9, s.allAnnotations().size());
			assertEquals("Undo Import CSV u.csv", s.undo("bob").orElseThrow().description());
			assertEquals(before, snapshot(s));
		}
	}

	static Stream<Arguments> malformed() {
		return Stream.of(
				Arguments.of("empty", "", new String[] { "the file is empty" }),
				Arguments.of("no header", "a/cell.png,Mitosis\nb/ihc.png,Other\n", new String[] { "line 1", "no header", "found a/cell.png,Mitosis" }),
				Arguments.of("semicolons", "image;label\na/cell.png;x\n", new String[] { "line 1", "separated by commas" }),
				Arguments.of("unterminated quote", "image,label\na/cell.png,ok\nb/ihc.png,\"Mitosis, late\nc/coins.png,x\n",
						new String[] { "line 3", "unterminated quote" }),
				Arguments.of("too many fields", "image,label\na/cell.png,ok\nb/ihc.png,Mitosis, late\n", new String[] { "line 3", "3 field(s) but the header has 2" }),
				Arguments.of("too few fields", "image,label,status\r\na/cell.png,ok\r\n", new String[] { "line 2", "2 field(s) but the header has 3" }),
				Arguments.of("quote in field", "image,label\na/cell.png,say \"hi\"\n", new String[] { "line 2", "quote inside an unquoted field" }),
				Arguments.of("text after quote", "image,label\na/cell.png,\"hi\"x\n", new String[] { "line 2", "after the closing quote" }),
				Arguments.of("bad status", "image,label,status\na/cell.png,ok,accepted\nb/ihc.png,ok,maybe\n", new String[] { "line 3", "Unknown status 'maybe'" }),
				Arguments.of("bad confidence", "image,label,confidence\na/cell.png,ok,high\n", new String[] { "line 2", "confidence 'high' is not a number" }),
				Arguments.of("confidence range", "image,label,confidence\na/cell.png,ok,1.2\n", new String[] { "line 2", "not in [0, 1]" }),
				Arguments.of("bad origin", "image,label,origin\na/cell.png,ok,alice\n", new String[] { "line 2", "Origin 'alice'" }),
				Arguments.of("empty image", "image,label\n,ok\n", new String[] { "line 2", "image is empty" }),
				// line numbers count physical lines, also after a quoted line break
				Arguments.of("line after quoted newline", "note,image,label\n\"a\nb\",a/cell.png,ok\nx,b/ihc.png,ok,extra\n",
						new String[] { "line 4", "4 field(s)" }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void malformedFileIsRefusedAndNothingIsWritten(String name, String text, String[] parts) throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			fill(s);
			assertRefused(s, csv, Fixtures.write(tmp, "bad.csv", text), parts);
		}
	}

	@Test
	void notUtf8IsRefused() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("p"), IMAGES)) {
			Path f = tmp.resolve("latin1.csv");
			Files.write(f, "image,label\na/cell.png,na\u00efve\n".getBytes(StandardCharsets.ISO_8859_1));
			assertRefused(s, csv, f, "not UTF-8");
		}
	}
	/** Other columns are image metadata (filters, and a group column keeps each group in one fold); a bad file sets none. */
	@Test
	void extraColumnsBecomeImageMetadataOnlyWhenTheFileIsWhole() throws Exception {
		try (SqlProjectStore s = project(tmp.resolve("m"), "a/cell.png", "c/coins.png")) {
			long cell = image(s, "a/cell.png"), coins = image(s, "c/coins.png");
			Path bad = Fixtures.write(tmp, "bad.csv", "image,label,Group\r\na/cell.png,cell,P1\r\nc/coins.png,coin\r\n");
			assertRefused(s, csv, bad, "line 3", "the row has 2 field(s) but the header has 3");
			assertEquals(Map.of(), s.imageMetadata(), "a refused file sets no metadata either");
			Path good = Fixtures.write(tmp, "good.csv", "image,label,Group,Scanner Site\r\na/cell.png,cell,P1,Basel\r\nc/coins.png,coin,P2,\r\nnope.png,cell,P3,Bern\r\n");
			ImportReport r = csv.importLabels(s, "bob", good);
			assertEquals(2, r.added());
			assertEquals(Map.of("group", "P1", "scanner_site", "Basel"), s.imageMetadata(cell));
			assertEquals(Map.of("group", "P2"), s.imageMetadata(coins), "an empty field is left out");
			assertEquals(2, s.imageMetadata().size(), "the skipped row's image is not in the project");
		}
	}
}
