package org.labelloop.interop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.geom.Mask;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;

/**
 * What the label formats share: reading and writing text files, and an import {@link Batch} that matches file names
 * to project images, refuses malformed input with one consistent message, and writes everything at the end.
 */
final class FormatSupport {

	private FormatSupport() {
	}

	/** Reads a UTF-8 text file; a leading byte-order mark (as Excel writes) is dropped. */
	static String read(Path source, String kind) {
		try {
			String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
					.onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(source))).toString();
			return s.startsWith("\uFEFF") ? s.substring(1) : s;
		} catch (CharacterCodingException e) {
			throw new LabelLoopException("Cannot import " + kind + " file " + source + ": it is not UTF-8 text. Nothing was imported.", e);
		} catch (NoSuchFileException e) {
			throw new LabelLoopException("Cannot import " + kind + " file " + source + ": there is no such file.", e);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read " + kind + " file " + source + ": " + e + ". Nothing was imported.", e);
		}
	}

	/** Writes UTF-8 text through a temporary file, so a failed export never leaves half a file in place of a good one. */
	static void write(Path target, String text) {
		org.labelloop.imaging.LabelVolumes.atomically(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
	}

	/** Class id → name. */
	static Map<Long, String> classNames(ProjectStore store) {
		return store.classes().stream().collect(Collectors.toMap(LabelClass::id, LabelClass::name));
	}

	/** The default origin of an imported label: {@code weak:<rule>} when it has a confidence, else {@code human:<user>}. */
	static Origin defaultOrigin(String user, Double confidence, String rule) {
		return confidence != null ? Origin.weak(rule) : Origin.human(user);
	}

	/** Where an imported image name led: a project image, or why none. */
	record Match(ImageRecord image, String problem) {
	}

	/**
	 * One import: collects annotations while the format validates its whole file, then {@link #commit} creates the
	 * classes it needs and writes all annotations in one change set. Until then nothing touches the store.
	 */
	static final class Batch {
		private record Item(long imageId, Geometry geometry, String className, Origin origin, Status status,
				Double confidence, Map<String, Double> probabilities, Mask mask) {
		}

		private final ProjectStore store;
		private final String user;
		private final String kind;
		private final Path source;
		private final Map<String, ImageRecord> byPath = new HashMap<>();
		private final Map<String, List<ImageRecord>> byName = new HashMap<>();
		private final Map<String, String> colours = new HashMap<>();
		private final List<Item> items = new ArrayList<>();
		private final List<String> problems = new ArrayList<>();
		private int skipped;

		Batch(ProjectStore store, String user, String kind, Path source) {
			if (user == null || user.isBlank()) throw new LabelLoopException("Every change needs a user name.");
			this.store = store;
			this.user = user;
			this.kind = kind;
			this.source = source;
			for (ImageRecord im : store.images()) {
				byPath.put(im.path(), im);
				byName.computeIfAbsent(im.name(), k -> new ArrayList<>()).add(im);
			}
		}

		String user() {
			return user;
		}

		/** The error for malformed input: names the file, the place in it ({@code where}, may be empty) and the problem. */
		LabelLoopException malformed(String where, String problem) {
			return new LabelLoopException("Cannot import " + kind + " file " + source + ": " + (where.isEmpty() ? "" : where + ": ")
					+ problem + ". Nothing was imported.");
		}

		/**
		 * {@link #malformed} for a reader's error about the source file ("Cannot read image F: reason"): the reason alone,
		 * since the import's message names the file already.
		 */
		LabelLoopException unreadable(LabelLoopException e) {
			String m = e.getMessage(), prefix = "Cannot read image " + source + ": ";
			return malformed("", m.startsWith(prefix) ? m.substring(prefix.length()) : m);
		}

		/** Runs a core constructor or parser, turning its {@link IllegalArgumentException} into {@link #malformed}. */
		<T> T check(String where, Supplier<T> value) {
			try {
				return value.get();
			} catch (IllegalArgumentException e) {
				throw malformed(where, e.getMessage());
			}
		}

		/**
		 * The project image the user named for an import ({@code image=…} / {@code --image}): its id, project path or
		 * file name; else the error naming what is wrong.
		 */
		ImageRecord chosenImage(String named) {
			String want = named.strip();
			if (want.matches("\\d+")) {
				var byId = store.image(Long.parseLong(want));
				if (byId.isPresent()) return byId.get();
			}
			Match m = image(want);
			if (m.image() == null) throw malformed("", "image " + m.problem());
			return m.image();
		}

		/**
		 * The project image a name from the file means: the image whose project path is the name (backslashes read
		 * as slashes), else the only project image with the same file name.
		 */
		Match image(String name) {
			String path = name.replace('\\', '/');
			while (path.startsWith("./")) path = path.substring(2);
			ImageRecord exact = byPath.get(path);
			if (exact != null) return new Match(exact, null);
			List<ImageRecord> same = byName.getOrDefault(path.substring(path.lastIndexOf('/') + 1), List.of());
			if (same.size() == 1) return new Match(same.get(0), null);
			if (same.isEmpty()) return new Match(null, "'" + name + "' is not in the project");
			return new Match(null, "'" + name + "' matches several project images ("
					+ same.stream().map(ImageRecord::path).collect(Collectors.joining(", ")) + ")");
		}

		/** A colour for the class if it has to be created (ignored unless it looks like {@code #rrggbb}). */
		void colour(String className, String colour) {
			if (colour != null && colour.matches("#[0-9a-fA-F]{6}")) colours.putIfAbsent(className, colour.toLowerCase());
		}

		/** Notes a problem that made the import skip {@code count} items. */
		void skip(int count, String problem) {
			skipped += count;
			problems.add(problem);
		}

		/**
		 * Queues an annotation. Class names must already be valid ({@link LabelClass#checkName}); classes are looked
		 * up, or created, only in {@link #commit}.
		 */
		void add(long imageId, Geometry geometry, String className, Origin origin, Status status, Double confidence,
				Map<String, Double> probabilities) {
			items.add(new Item(imageId, geometry, className, origin, status, confidence, probabilities, null));
		}

		/** Queues a mask annotation, as {@link #add} does a shape. */
		void addMask(long imageId, Mask mask, String className, Origin origin, Status status, Double confidence,
				Map<String, Double> probabilities) {
			items.add(new Item(imageId, null, className, origin, status, confidence, probabilities, mask));
		}

		/** How many annotations are queued. */
		int queued() {
			return items.size();
		}

		ProjectStore store() {
			return store;
		}

		/**
		 * Creates the missing classes and writes every queued annotation in one change set (none if nothing is queued).
		 * This is the one class policy of every label format: a class the project does not have is created (with the
		 * file's colour when it gives one) and named in {@link ImportReport#createdClasses()}.
		 */
		ImportReport commit(String description) {
			List<String> created = new ArrayList<>();
			if (!items.isEmpty()) {
				Set<String> names = new LinkedHashSet<>();
				for (Item it : items) {
					if (it.className() != null) names.add(it.className());
					names.addAll(it.probabilities().keySet());
				}
				Map<String, Long> ids = new HashMap<>();
				List<LabelClass> missing = new ArrayList<>();
				int known = store.classes().size();
				for (String n : names) {
					var c = store.classByName(n);
					if (c.isPresent()) ids.put(n, c.get().id());
					else missing.add(new LabelClass(0, n, colours.getOrDefault(n, SqlProjectStore.defaultColor(known + missing.size())), "", 0));
				}
				for (LabelClass c : store.addClasses(missing, user)) {
					ids.put(c.name(), c.id());
					created.add(c.name());
				}
				List<Edit> edits = new ArrayList<>(items.size());
				for (Item it : items) {
					Map<Long, Double> p = new LinkedHashMap<>();
					it.probabilities().forEach((n, v) -> p.put(ids.get(n), v));
					edits.add(new Edit.Create(it.imageId(), new AnnotationData(it.geometry(),
							it.className() == null ? null : ids.get(it.className()), it.origin(), it.status(), it.confidence(), p, it.mask())));
				}
				store.apply(user, description, edits);
			}
			return new ImportReport(items.size(), skipped, problems, created);
		}
	}
}
