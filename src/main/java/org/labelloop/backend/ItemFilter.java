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
 * Any other {@code key:value} word is an image metadata field (what DICOM import keeps: {@code modality},
 * {@code patient}, {@code study}, {@code series}, {@code bodypart}, {@code description}): {@code modality:CT,MR}
 * keeps items of images whose modality is CT or MR (values compared ignoring case). The backend checks the keys
 * against the metadata its images have and names them when one is unknown.
 *
 * @param metadata metadata key (lower case) to the values one of which the image must have; sorted by key
 */
public record ItemFilter(List<String> classes, List<String> statuses, List<String> origins, List<String> users, boolean notReviewed,
		Map<String, List<String>> metadata) {

	/** Every item. */
	public static final ItemFilter ALL = new ItemFilter(List.of(), List.of(), List.of(), List.of(), false, Map.of());

	/** The fields that are not metadata. */
	static final List<String> FIELDS = List.of("class", "status", "origin", "user");

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
	}

	public ItemFilter(List<String> classes, List<String> statuses, List<String> origins, List<String> users, boolean notReviewed) {
		this(classes, statuses, origins, users, notReviewed, Map.of());
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
		return true;
	}

	public static ItemFilter notReviewedOnly() {
		return ALL.withNotReviewed(true);
	}

	public ItemFilter withNotReviewed(boolean b) {
		return new ItemFilter(classes, statuses, origins, users, b, metadata);
	}

	public ItemFilter withClasses(List<String> c) {
		return new ItemFilter(c, statuses, origins, users, notReviewed, metadata);
	}

	/**
	 * The images whose metadata pass the metadata part, of those given; every one when there is no metadata part.
	 *
	 * @param metadata each image's metadata ({@code ProjectStore.imageMetadata()}); images without any are absent
	 * @throws org.labelloop.core.model.LabelLoopException for a key no image has, naming the fields there are
	 */
	public java.util.Set<Long> imagesMatching(java.util.Collection<Long> images, Map<Long, Map<String, String>> metadata) {
		if (this.metadata.isEmpty()) return new java.util.LinkedHashSet<>(images);
		java.util.TreeSet<String> known = new java.util.TreeSet<>();
		metadata.values().forEach(m -> known.addAll(m.keySet()));
		for (String k : this.metadata.keySet())
			if (!known.contains(k))
				throw new org.labelloop.core.model.LabelLoopException("Unknown filter field '" + k + "': filter by class, status, origin or user"
						+ (known.isEmpty() ? "; this project's images have no metadata (DICOM import keeps modality, patient, study, series, bodypart, description)."
								: ", or by the metadata this project's images have: " + String.join(", ", known) + "."));
		java.util.Set<Long> out = new java.util.LinkedHashSet<>();
		for (Long id : images) if (metadataMatches(metadata.get(id))) out.add(id);
		return out;
	}

	/** Only the metadata part: what applies to images that have no label yet (Next Image). */
	public ItemFilter metadataOnly() {
		return new ItemFilter(List.of(), List.of(), List.of(), List.of(), false, metadata);
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
		return new ItemFilter(c, s, o, u, nr, meta);
	}

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
		return classes.isEmpty() && statuses.isEmpty() && origins.isEmpty() && users.isEmpty() && !notReviewed && metadata.isEmpty();
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
		return String.join(" ", w);
	}
}
