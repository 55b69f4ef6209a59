package org.labelloop.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which items a similarity query may answer with, as a user states it: classes, review statuses, origin kinds
 * ({@code human}, {@code model}, {@code weak}) and users, each "one of these" (empty = any), and "not reviewed" (no
 * person accepted, corrected or rejected it: proposed items and items without a label). Class names are checked
 * against the project by the backend, which names the known ones.
 * <p>
 * The text form, typed in the Similar Items window's filter box and used by macros ({@code filter=[...]}), is
 * space-separated words: {@code not reviewed}, {@code class:nucleus,cell}, {@code status:proposed},
 * {@code origin:weak}, {@code user:ann}; a class name with spaces is written with {@code _} or in quotes
 * ({@code class:"Mitosis, late"}). {@link #toString} writes it back.
 * <p>
 * Any other {@code key:value} word is an image field: the image's width, height, channels, slices and frames, or its metadata (what
 * DICOM import keeps: {@code modality}, {@code patient}, {@code study}, {@code series}, {@code bodypart},
 * {@code description}; the extra columns of an imported CSV): {@code modality:CT,MR} keeps items of images whose
 * modality is CT or MR (values compared ignoring case). The backend checks the keys against the metadata its images
 * have and names them when one is unknown.
 * <p>
 * A comparison {@code key>n}, {@code key>=n}, {@code key<n} or {@code key<=n} keeps items whose field is a number in
 * that range: an image field ({@code slices>1}, {@code age>=60} from a CSV column), or a measurement of the item itself,
 * {@code area} and {@code mean} (as ImageJ's Measure gives them: area in the image's calibrated unit squared, µm² for
 * a calibrated micrograph, mean intensity in calibrated values such as HU), measured at Retrain. Words may be joined
 * by {@code and}: {@code modality:CT and area>50}.
 *
 * @param metadata    image field key (lower case) to the values one of which the image must have; sorted by key
 * @param comparisons numeric comparisons, each of which must hold
 */
public record ItemFilter(List<String> classes, List<String> statuses, List<String> origins, List<String> users, boolean notReviewed,
		Map<String, List<String>> metadata, List<Comparison> comparisons) {

	/** Every item. */
	public static final ItemFilter ALL = new ItemFilter(List.of(), List.of(), List.of(), List.of(), false, Map.of(), List.of());

	/** The fields that are not metadata. */
	static final List<String> FIELDS = List.of("class", "status", "origin", "user");

	/** What every image has besides its metadata, from its record. */
	static final List<String> IMAGE_FIELDS = List.of("width", "height", "channels", "slices", "frames");

	/** The measurements of items themselves (not of their image). */
	static final List<String> MEASUREMENTS = org.labelloop.core.vector.VectorItem.NUMERIC;

	/**
	 * One numeric comparison, {@code key op value}.
	 *
	 * @param op one of {@code >}, {@code >=}, {@code <}, {@code <=}
	 */
	public record Comparison(String key, String op, double value) {
		static final List<String> OPS = List.of(">=", "<=", ">", "<");

		public Comparison {
			if (key == null || key.isBlank()) throw new IllegalArgumentException("A comparison needs a field name, e.g. area>50");
			key = key.strip().toLowerCase(Locale.ROOT);
			if (!OPS.contains(op)) throw new IllegalArgumentException("Unknown comparison '" + op + "' (use >, >=, < or <=)");
			if (!Double.isFinite(value)) throw new IllegalArgumentException("Comparison " + key + op + " needs a finite number");
			new org.labelloop.core.vector.Filter.Range(key, value, true, null, false); // the key is one a range can hold
		}

		/** Whether a field's value (a decimal number as text) passes; text that is no number does not. */
		public boolean test(String fieldValue) {
			return range().test(fieldValue);
		}

		/** The comparison as a range: the vector index's condition, and the one rule of what passes. */
		org.labelloop.core.vector.Filter.Range range() {
			return op.startsWith(">") ? org.labelloop.core.vector.Filter.Range.above(key, value, op.endsWith("="))
					: org.labelloop.core.vector.Filter.Range.below(key, value, op.endsWith("="));
		}

		boolean isMeasurement() {
			return MEASUREMENTS.contains(key);
		}

		@Override
		public String toString() {
			return key + op + new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
		}
	}

	public ItemFilter {
		classes = List.copyOf(classes == null ? List.of() : classes);
		statuses = List.copyOf(statuses == null ? List.of() : statuses);
		origins = List.copyOf(origins == null ? List.of() : origins);
		users = List.copyOf(users == null ? List.of() : users);
		TreeMap<String, List<String>> m = new TreeMap<>();
		if (metadata != null) metadata.forEach((k, v) -> {
			if (k == null || k.isBlank() || v == null || v.isEmpty()) throw new IllegalArgumentException("A metadata filter needs a key and a value: " + k + "=" + v);
			m.put(k.strip().toLowerCase(Locale.ROOT), List.copyOf(v));
		});
		metadata = java.util.Collections.unmodifiableMap(m);
		comparisons = List.copyOf(comparisons == null ? List.of() : comparisons);
	}

	public ItemFilter(List<String> classes, List<String> statuses, List<String> origins, List<String> users, boolean notReviewed) {
		this(classes, statuses, origins, users, notReviewed, Map.of(), List.of());
	}

	/**
	 * Whether an image's metadata passes the metadata part (every key present with one of its values, ignoring case);
	 * true when the filter has no metadata part.
	 */
	public boolean metadataMatches(Map<String, String> imageMetadata) {
		for (Map.Entry<String, List<String>> e : metadata.entrySet()) {
			String v = imageMetadata == null ? null : imageMetadata.get(e.getKey());
			if (v == null || e.getValue().stream().noneMatch(v.strip()::equalsIgnoreCase)) return false;
		}
		for (Comparison c : comparisons)
			if (!c.isMeasurement() && !c.test(imageMetadata == null ? null : imageMetadata.get(c.key()))) return false;
		return true;
	}

	/** The comparisons on measurements of the items themselves ({@code area}, {@code mean}). */
	public List<Comparison> measurements() {
		return comparisons.stream().filter(Comparison::isMeasurement).toList();
	}

	/** Whether part of the filter is on image fields or metadata (what {@link #imagesMatching} resolves). */
	boolean hasImageFields() {
		return !metadata.isEmpty() || comparisons.stream().anyMatch(c -> !c.isMeasurement());
	}

	public static ItemFilter notReviewedOnly() {
		return ALL.withNotReviewed(true);
	}

	public ItemFilter withNotReviewed(boolean b) {
		return new ItemFilter(classes, statuses, origins, users, b, metadata, comparisons);
	}

	public ItemFilter withClasses(List<String> c) {
		return new ItemFilter(c, statuses, origins, users, notReviewed, metadata, comparisons);
	}

	/**
	 * The images whose fields and metadata pass that part of the filter, of those given; every one when there is no
	 * such part.
	 *
	 * @param metadata each image's metadata ({@code ProjectStore.imageMetadata()}); images without any are absent
	 * @throws org.labelloop.core.model.LabelLoopException for a key no image has, naming the fields there are
	 */
	public java.util.Set<Long> imagesMatching(java.util.Collection<org.labelloop.core.model.ImageRecord> images, Map<Long, Map<String, String>> metadata) {
		if (!hasImageFields()) return new java.util.LinkedHashSet<>(images.stream().map(org.labelloop.core.model.ImageRecord::id).toList());
		java.util.TreeSet<String> known = new java.util.TreeSet<>(IMAGE_FIELDS);
		metadata.values().forEach(m -> known.addAll(m.keySet()));
		java.util.List<String> keys = new ArrayList<>(this.metadata.keySet());
		comparisons.stream().filter(c -> !c.isMeasurement()).map(Comparison::key).forEach(keys::add);
		for (String k : keys)
			if (!known.contains(k))
				throw new org.labelloop.core.model.LabelLoopException("Unknown filter field '" + k + "': filter by class, status, origin or user, by the measurements "
						+ String.join(" or ", MEASUREMENTS) + " (area>50), or by an image field: " + String.join(", ", known)
						+ (known.size() == IMAGE_FIELDS.size() ? " (this project's images have no metadata; DICOM import keeps modality, patient, study, series, bodypart, description)." : "."));
		java.util.Set<Long> out = new java.util.LinkedHashSet<>();
		for (org.labelloop.core.model.ImageRecord im : images) {
			Map<String, String> fields = new java.util.HashMap<>(metadata.getOrDefault(im.id(), Map.of()));
			fields.put("width", Integer.toString(im.width()));
			fields.put("height", Integer.toString(im.height()));
			fields.put("channels", Integer.toString(im.channels()));
			fields.put("slices", Integer.toString(im.slices()));
			fields.put("frames", Integer.toString(im.frames()));
			if (metadataMatches(fields)) out.add(im.id());
		}
		return out;
	}

	/** Only the image fields, metadata and comparisons: what may apply to images that have no label yet (Next Image). */
	public ItemFilter metadataOnly() {
		return new ItemFilter(List.of(), List.of(), List.of(), List.of(), false, metadata, comparisons);
	}

	/**
	 * Reads the text form; blank means every item.
	 *
	 * @throws IllegalArgumentException for a word it does not know, saying what it accepts
	 */
	public static ItemFilter parse(String text) {
		if (text == null || text.isBlank()) return ALL;
		List<String> c = new ArrayList<>(), s = new ArrayList<>(), o = new ArrayList<>(), u = new ArrayList<>();
		Map<String, List<String>> meta = new TreeMap<>();
		List<Comparison> cmp = new ArrayList<>();
		boolean nr = false;
		List<String> words = words(text);
		for (int i = 0; i < words.size(); i++) {
			String w = words.get(i);
			String lw = w.toLowerCase(Locale.ROOT);
			if (lw.equals("not") && i + 1 < words.size() && words.get(i + 1).equalsIgnoreCase("reviewed")) {
				nr = true;
				i++;
				continue;
			}
			if (lw.equals("unreviewed") || lw.equals("not-reviewed") || lw.equals("not_reviewed")) {
				nr = true;
				continue;
			}
			if (lw.equals("and") || lw.equals("&&")) continue;
			int cut = Math.min(w.indexOf('>') < 0 ? Integer.MAX_VALUE : w.indexOf('>'), w.indexOf('<') < 0 ? Integer.MAX_VALUE : w.indexOf('<'));
			boolean compares = cut != Integer.MAX_VALUE && (w.indexOf(':') < 0 || cut < w.indexOf(':'));
			java.util.regex.Matcher cm = COMPARISON.matcher(w);
			if (compares && cm.matches()) {
				double v;
				try {
					v = Double.parseDouble(cm.group(3));
				} catch (NumberFormatException e) {
					throw new IllegalArgumentException("Filter word '" + w + "' compares " + cm.group(1) + " with '" + cm.group(3) + "', which is not a number; e.g. area>50 or mean<=120.5.");
				}
				if (FIELDS.contains(cm.group(1).toLowerCase(Locale.ROOT)))
					throw new IllegalArgumentException("Filter word '" + w + "': " + cm.group(1) + " is not a number to compare; write " + cm.group(1) + ":<value>.");
				cmp.add(new Comparison(cm.group(1), cm.group(2), v));
				continue;
			}
			if (compares)
				throw new IllegalArgumentException("Filter word '" + w + "' is not a comparison LabelLoop reads; write field>number with no spaces, e.g. area>50, mean<=120.5 or slices>1.");
			int colon = w.indexOf(':');
			if (colon < 0) colon = w.indexOf('=');
			if (colon <= 0 || colon == w.length() - 1)
				throw new IllegalArgumentException("Filter word '" + w + "' is not understood; use 'not reviewed', class:<name>, status:<proposed|accepted|corrected|rejected>,"
						+ " origin:<human|model|weak>, user:<name> or an image metadata field such as modality:CT, e.g. [not reviewed class:nucleus].");
			String key = w.substring(0, colon).toLowerCase(Locale.ROOT);
			List<String> values = new ArrayList<>();
			for (String v : w.substring(colon + 1).split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
				String t = v.replace("\"", "").strip();
				if (!t.isEmpty()) values.add(FIELDS.contains(key) && !key.equals("class") ? t.toLowerCase(Locale.ROOT) : t);
			}
			switch (key) {
				case "class" -> c.addAll(values);
				case "status" -> s.addAll(values);
				case "origin" -> o.addAll(values);
				case "user" -> u.addAll(values);
				default -> meta.computeIfAbsent(key, k -> new ArrayList<>()).addAll(values);
			}
		}
		return new ItemFilter(c, s, o, u, nr, meta, cmp);
	}

	private static final java.util.regex.Pattern COMPARISON = java.util.regex.Pattern.compile("([A-Za-z0-9_.\\-]+)(>=|<=|>|<)(.+)");

	/** Splits on spaces outside double quotes. */
	private static List<String> words(String text) {
		List<String> out = new ArrayList<>();
		StringBuilder sb = new StringBuilder();
		boolean quoted = false;
		for (char ch : text.strip().toCharArray()) {
			if (ch == '"') quoted = !quoted;
			if (Character.isWhitespace(ch) && !quoted) {
				if (sb.length() > 0) out.add(sb.toString());
				sb.setLength(0);
			} else sb.append(ch);
		}
		if (sb.length() > 0) out.add(sb.toString());
		return out;
	}

	public boolean isAll() {
		return classes.isEmpty() && statuses.isEmpty() && origins.isEmpty() && users.isEmpty() && !notReviewed && metadata.isEmpty() && comparisons.isEmpty();
	}

	@Override
	public String toString() {
		List<String> w = new ArrayList<>();
		if (notReviewed) w.add("not reviewed");
		if (!classes.isEmpty()) w.add("class:" + String.join(",", classes.stream().map(x -> x.contains(" ") || x.contains(",") ? "\"" + x + "\"" : x).toList()));
		if (!statuses.isEmpty()) w.add("status:" + String.join(",", statuses));
		if (!origins.isEmpty()) w.add("origin:" + String.join(",", origins));
		if (!users.isEmpty()) w.add("user:" + String.join(",", users));
		metadata.forEach((k, v) -> w.add(k + ":" + String.join(",", v.stream().map(x -> x.contains(" ") || x.contains(",") ? "\"" + x + "\"" : x).toList())));
		comparisons.forEach(c -> w.add(c.toString()));
		return String.join(" ", w);
	}
}
