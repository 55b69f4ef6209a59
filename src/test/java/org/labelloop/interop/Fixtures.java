package org.labelloop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Split;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;

/** Test helpers: projects with images, and a canonical text of every annotation to compare projects by. */
final class Fixtures {

	private Fixtures() {
	}

	static SqlProjectStore project(Path dir, String... imagePaths) {
		SqlProjectStore s = SqlProjectStore.create(dir, "test");
		for (String p : imagePaths)
			s.addImage(new ImageRecord(0, p, "sha-" + p, 1000, 345, 300, 1, 1, 1, 8, Split.UNASSIGNED, "test", Instant.now()));
		return s;
	}

	static long image(ProjectStore s, String path) {
		return s.imageByPath(path).orElseThrow().id();
	}

	static LabelClass cls(ProjectStore s, String name) {
		return s.classByName(name).orElseGet(() -> s.addClass(new LabelClass(0, name, "#123456", "", 0), "test"));
	}

	/**
	 * One line per annotation, sorted, independent of ids: image path, exact geometry JSON, class name, status,
	 * origin, confidence and probabilities by class name.
	 */
	static List<String> snapshot(ProjectStore s) {
		Map<Long, String> names = FormatSupport.classNames(s);
		return s.allAnnotations().stream().map(a -> {
			AnnotationData d = a.data();
			Map<String, Double> p = new TreeMap<>();
			d.probabilities().forEach((k, v) -> p.put(names.get(k), v));
			return s.image(a.imageId()).orElseThrow().path() + " | " + (d.geometry() == null ? "image" : Json.geometry(d.geometry()))
					+ " | " + (d.classId() == null ? "-" : names.get(d.classId())) + " | " + d.status() + " | " + d.origin() + " | "
					+ d.confidence() + " | " + p + (d.mask() == null ? "" : " | mask " + java.util.Base64.getEncoder().encodeToString(d.mask().encode()));
		}).sorted().toList();
	}

	static Path write(Path dir, String name, String text) throws Exception {
		Path f = dir.resolve(name);
		Files.writeString(f, text, StandardCharsets.UTF_8);
		return f;
	}

	/** Asserts the import fails with a message holding every part, and that it wrote nothing at all. */
	static LabelLoopException assertRefused(ProjectStore s, LabelFormat format, Path file, String... parts) {
		List<Annotation> before = s.allAnnotations();
		List<LabelClass> classes = s.classes();
		int changes = s.changeSets(1000).size();
		LabelLoopException e = assertThrows(LabelLoopException.class, () -> format.importLabels(s, "bob", file));
		assertTrue(e.getMessage().contains(file.toString()), () -> "message names the file: " + e.getMessage());
		for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "message has '" + p + "': " + e.getMessage());
		assertEquals(before, s.allAnnotations(), "annotations unchanged");
		assertEquals(classes, s.classes(), "classes unchanged");
		assertEquals(changes, s.changeSets(1000).size(), "no change set written");
		return e;
	}
}
