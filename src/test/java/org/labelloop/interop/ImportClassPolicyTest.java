package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.labelloop.interop.Fixtures.cls;
import static org.labelloop.interop.Fixtures.image;
import static org.labelloop.interop.Fixtures.project;
import static org.labelloop.interop.Fixtures.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Plane;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.imaging.RoiZip;

import ij.gui.Roi;

/**
 * One class policy for every label format (FormatSupport.Batch): a class the file names but the project lacks is
 * created, with the file's colour when it has one, and the report says which classes were created.
 */
class ImportClassPolicyTest {

	@TempDir
	Path dir;

	enum Kind {
		COCO(new CocoFormat(), "labels.json", true), CSV(new CsvFormat(), "labels.csv", false), ROI_ZIP(new RoiZipFormat(), "rois", true);

		final LabelFormat format;
		/** The file (or, for ROI sets, the folder) exported to and imported from. */
		final String target;
		/** Whether the format keeps class colours (CSV has none: a created class gets the next default colour). */
		final boolean colours;

		Kind(LabelFormat format, String target, boolean colours) {
			this.format = format;
			this.target = target;
			this.colours = colours;
		}
	}

	/** A project whose classes x (#e6194b) and "Mitosis, late" (#3cb44b) label the two images, by ROI and whole image. */
	private SqlProjectStore labelled(Path folder, Kind kind) {
		SqlProjectStore s = project(folder, "a/cell.png", "b/coins.png");
		LabelClass x = s.addClass(new LabelClass(0, "x", "#e6194b", "", 0), "ann");
		LabelClass late = s.addClass(new LabelClass(0, "Mitosis, late", "#3cb44b", "", 0), "ann");
		long cell = image(s, "a/cell.png"), coins = image(s, "b/coins.png");
		List<Edit> e = new ArrayList<>();
		if (kind == Kind.CSV) {
			e.add(new Edit.Create(cell, AnnotationData.human(null, x.id(), "ann")));
			e.add(new Edit.Create(coins, AnnotationData.human(null, late.id(), "ann")));
		} else {
			e.add(new Edit.Create(cell, AnnotationData.human(Geometry.rect(10, 20, 30, 40, Plane.ALL), x.id(), "ann")));
			e.add(new Edit.Create(cell, AnnotationData.human(Geometry.oval(50, 60, 10, 12, Plane.ALL), late.id(), "ann")));
			e.add(new Edit.Create(coins, AnnotationData.human(Geometry.rect(1, 2, 3, 4, Plane.ALL), late.id(), "ann")));
		}
		s.apply("ann", "labels", e);
		return s;
	}

	@ParameterizedTest
	@EnumSource(Kind.class)
	void classesTheProjectLacksAreCreatedAndReported(Kind kind) {
		Path file = dir.resolve(kind.target);
		List<String> want;
		try (SqlProjectStore source = labelled(dir.resolve("source"), kind)) {
			kind.format.export(source, file);
			want = snapshot(source);
		}
		try (SqlProjectStore target = project(dir.resolve("target"), "a/cell.png", "b/coins.png")) {
			cls(target, "x"); // the project has x, not "Mitosis, late"
			ImportReport r = kind.format.importLabels(target, "ann", file);
			assertEquals(List.of("Mitosis, late"), r.createdClasses(), kind + ": " + r);
			assertTrue(r.summary().endsWith("; created classes: Mitosis, late"), r.summary());
			assertEquals(want.size(), r.added(), r.toString());
			assertEquals(List.of(), r.problems());
			assertEquals(want, snapshot(target), kind + ": the imported labels are the exported ones");
			LabelClass late = target.classByName("Mitosis, late").orElseThrow();
			if (kind.colours) assertEquals("#3cb44b", late.color(), kind + " keeps the class colour from the file");
			assertEquals("#123456", target.classByName("x").orElseThrow().color(), "an existing class is left as it is");

			// the same file again: nothing more to create
			ImportReport again = kind.format.importLabels(target, "ann", file);
			assertEquals(List.of(), again.createdClasses(), kind + ": " + again);
			assertEquals(want.size(), again.added());
		}
	}

	@Test
	void anImageJRoiNameIsNotTakenForANewClass() {
		try (SqlProjectStore s = project(dir.resolve("p"), "cell.png")) {
			cls(s, "nucleus");
			Roi plain = new Roi(1, 2, 3, 4);
			plain.setName("Roi 1"); // what the ROI Manager calls ROIs: "Roi" is no class
			Roi named = new Roi(5, 6, 7, 8);
			named.setName("nucleus 7"); // a class of the project: taken from the name
			RoiZip.write(dir.resolve("cell.zip"), List.of(plain, named));
			ImportReport r = new RoiZipFormat().importLabels(s, "ann", dir.resolve("cell.zip"));
			assertEquals(2, r.added());
			assertEquals(List.of(), r.createdClasses());
			assertEquals(List.of("nucleus"), s.classes().stream().map(LabelClass::name).toList());
			// image path | geometry | class | ...: the plain ROI stays unclassified, the named one is a nucleus
			assertEquals(List.of("-", "nucleus"), snapshot(s).stream().map(l -> l.split(" \\| ")[2]).sorted().toList());
		}
	}
}
