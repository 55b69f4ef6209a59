package org.labelloop.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.ProjectStore;

/**
 * Image-level labels as CSV (RFC 4180, UTF-8, comma-separated, CRLF line ends).
 * <p>
 * Export writes the header {@code image,label,status,origin,confidence} and one row per current image-level
 * annotation (rejected ones included): the image's project path, the class name (empty when unclassified), the
 * status key, the origin ({@code human:alice}) and the confidence (empty for none). Fields holding a comma, quote,
 * or line break are quoted, quotes doubled.
 * <p>
 * Import needs a header naming at least {@code image} and {@code label} (any order, any case); {@code status},
 * {@code origin} and {@code confidence} are read when present. Every other column is image metadata, set on the
 * row's image under the column's name in lower case ({@code Group} → {@code group}, spaces as {@code _}), empty
 * fields left out: filters use it ({@code group:P07}), and a {@code group} column keeps each group's images in one
 * out-of-fold fold (a patient or source id, when DICOM gives none). Metadata is set, not undone with the labels. Images are matched as in
 * {@link CocoFormat} (project path, else unique file name); a row whose image is not in the project is reported and
 * skipped. Unknown class names become new classes; an empty label is an unclassified label. Defaults: status
 * {@code accepted}, origin {@code weak:csv-import} when a confidence is given, else {@code human:<user>}. All rows go
 * into one change set; a malformed file (no header, an unterminated quote, a row with the wrong number of fields, a
 * bad status/origin/confidence) is refused with the file and line number, and nothing is written.
 */
public final class CsvFormat implements LabelFormat {

	static final List<String> HEADER = List.of("image", "label", "status", "origin", "confidence");
	private static final String RULE = "csv-import";

	@Override
	public ExportReport export(ProjectStore store, Path target) {
		Map<Long, String> names = FormatSupport.classNames(store);
		Map<Long, String> paths = new HashMap<>();
		for (ImageRecord im : store.images()) paths.put(im.id(), im.path());
		StringBuilder out = new StringBuilder();
		row(out, HEADER);
		Set<Long> images = new HashSet<>();
		int rows = 0;
		for (Annotation a : store.allAnnotations()) {
			AnnotationData d = a.data();
			if (!d.isImageLevel()) continue;
			row(out, List.of(paths.get(a.imageId()), d.classId() == null ? "" : names.get(d.classId()), d.status().key(),
					d.origin().toString(), d.confidence() == null ? "" : d.confidence().toString()));
			images.add(a.imageId());
			rows++;
		}
		FormatSupport.write(target, out.toString());
		return new ExportReport(target, images.size(), rows);
	}

	private static void row(StringBuilder out, List<String> fields) {
		for (int i = 0; i < fields.size(); i++) {
			String f = fields.get(i);
			if (i > 0) out.append(',');
			boolean quote = f.chars().anyMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
			out.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
		}
		out.append("\r\n");
	}

	@Override
	public ImportReport importLabels(ProjectStore store, String user, Path source) {
		FormatSupport.Batch b = new FormatSupport.Batch(store, user, "CSV", source);
		List<Row> rows = parse(b, FormatSupport.read(source, "CSV"));
		if (rows.isEmpty()) throw b.malformed("", "the file is empty; it needs a header line such as " + String.join(",", HEADER));
		Map<String, Integer> col = new HashMap<>();
		List<String> header = rows.get(0).fields();
		for (int i = 0; i < header.size(); i++) col.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
		if (!col.containsKey("image") || !col.containsKey("label"))
			throw b.malformed("line " + rows.get(0).line(), "no header: the first line must name the columns, at least image and label (found "
					+ String.join(",", header) + ")" + (header.size() == 1 && header.get(0).contains(";") ? "; fields must be separated by commas" : ""));
		Map<String, Integer> extra = new java.util.LinkedHashMap<>();
		for (int i = 0; i < header.size(); i++) {
			String key = header.get(i).strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "_");
			if (!HEADER.contains(key) && !key.isEmpty()) extra.putIfAbsent(key, i);
		}
		Map<Long, Map<String, String>> metadata = new HashMap<>();
		for (Row r : rows.subList(1, rows.size())) {
			String w = "line " + r.line();
			if (r.fields().size() != header.size())
				throw b.malformed(w, "the row has " + r.fields().size() + " field(s) but the header has " + header.size());
			String image = field(r, col, "image");
			if (image.isEmpty()) throw b.malformed(w, "the image is empty");
			String label = field(r, col, "label");
			String className = label.isBlank() ? null : b.check(w, () -> LabelClass.checkName(label));
			String st = field(r, col, "status"), orig = field(r, col, "origin"), conf = field(r, col, "confidence");
			Status status = st.isEmpty() ? Status.ACCEPTED : b.check(w, () -> Status.parse(st));
			Double confidence = conf.isEmpty() ? null : b.check(w, () -> confidence(conf));
			Origin origin = orig.isEmpty() ? FormatSupport.defaultOrigin(b.user(), confidence, RULE) : b.check(w, () -> Origin.parse(orig));
			FormatSupport.Match m = b.image(image);
			if (m.image() == null) b.skip(1, w + ": image " + m.problem() + "; row skipped");
			else {
				b.add(m.image().id(), null, className, origin, status, confidence, Map.of());
				extra.forEach((key, i) -> {
					String v = r.fields().get(i).strip();
					if (!v.isEmpty()) metadata.computeIfAbsent(m.image().id(), k -> new java.util.TreeMap<>()).put(key, v);
				});
			}
		}
		ImportReport report = b.commit("Import CSV " + source.getFileName());
		store.setImageMetadata(metadata);
		return report;
	}

	private static String field(Row r, Map<String, Integer> col, String name) {
		Integer i = col.get(name);
		return i == null ? "" : r.fields().get(i).strip();
	}

	private static Double confidence(String text) {
		double v;
		try {
			v = Double.parseDouble(text);
		} catch (NumberFormatException e) {
			throw new IllegalArgumentException("confidence '" + text + "' is not a number");
		}
		if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("confidence " + text + " is not in [0, 1]");
		return v;
	}

	/** A CSV record and the line it starts on (1-based). */
	record Row(int line, List<String> fields) {
	}

	/** Splits RFC 4180 text into records; blank lines are skipped. Also accepts LF or CR line ends. */
	static List<Row> parse(FormatSupport.Batch b, String text) {
		List<Row> rows = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		StringBuilder f = new StringBuilder();
		boolean inQuotes = false, quoted = false;
		int line = 1, start = 1, n = text.length();
		for (int i = 0; i < n; i++) {
			char c = text.charAt(i);
			if (inQuotes) {
				if (c != '"') {
					if (c == '\n' || c == '\r' && (i + 1 == n || text.charAt(i + 1) != '\n')) line++;
					f.append(c);
				} else if (i + 1 < n && text.charAt(i + 1) == '"') {
					f.append('"');
					i++;
				} else {
					inQuotes = false;
				}
			} else if (c == ',') {
				fields.add(f.toString());
				f.setLength(0);
				quoted = false;
			} else if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') i++;
				fields.add(f.toString());
				if (fields.size() > 1 || quoted || !fields.get(0).isBlank()) rows.add(new Row(start, List.copyOf(fields)));
				fields.clear();
				f.setLength(0);
				quoted = false;
				start = ++line;
			} else if (quoted) {
				throw b.malformed("line " + line, "text after the closing quote of a field (a quote inside a quoted field must be doubled: \"\")");
			} else if (c == '"') {
				if (!f.isEmpty()) throw b.malformed("line " + line, "a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
				inQuotes = quoted = true;
			} else {
				f.append(c);
			}
		}
		if (inQuotes) throw b.malformed("line " + start, "a quoted field is not closed (unterminated quote)");
		fields.add(f.toString());
		if (fields.size() > 1 || quoted || !fields.get(0).isBlank()) rows.add(new Row(start, List.copyOf(fields)));
		return rows;
	}
}
