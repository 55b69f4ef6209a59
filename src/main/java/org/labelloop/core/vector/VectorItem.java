package org.labelloop.core.vector;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One item of a vector index: an image or a ROI, its embedding under one embedder, and the payload fields
 * that queries filter on.
 * <p>
 * Payload keys LabelLoop writes (see {@link #CLASS} and the other constants): {@code class}, {@code status},
 * {@code origin}, {@code user}, {@code image}, {@code split} and {@code kind}
 * ({@code image} or {@code roi}), and a ROI's measurements {@code area} and {@code mean}. Other keys are allowed if they are made of letters, digits, {@code _}, {@code -}
 * and {@code .}; {@code id} is reserved (the item id is kept under it where an index needs a payload copy). Values
 * are strings; a field that does not apply is left out rather than set to an empty string.
 *
 * @param id      the item id, unique in the index (e.g. {@code "image:12"} or {@code "roi:345"})
 * @param vector  the embedding; any length, but all items of one index have the same length; not all zeros
 * @param payload filterable fields
 */
public record VectorItem(String id, float[] vector, Map<String, String> payload) {

	public static final String CLASS = "class", STATUS = "status", ORIGIN = "origin", USER = "user", IMAGE = "image",
			SPLIT = "split", KIND = "kind";
	/**
	 * Measurements of a ROI (as ImageJ's Analyze>Measure gives them): its area in the image's calibrated unit squared
	 * (µm² for a calibrated micrograph, mm² for CT, pixels² without calibration) and its mean intensity (calibrated
	 * values, e.g. HU). Their values are decimal numbers, and ranges ({@link Filter.Range}) may be put on them.
	 */
	public static final String AREA = "area", MEAN = "mean";
	/** The payload keys whose values are numbers. */
	public static final java.util.List<String> NUMERIC = java.util.List.of(AREA, MEAN);
	/** Reserved payload key. */
	public static final String ID = "id";

	private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

	public VectorItem {
		if (id == null || id.isEmpty()) throw new IllegalArgumentException("A vector item needs a non-empty id");
		if (vector == null || vector.length == 0) throw new IllegalArgumentException("Item '" + id + "' has no vector");
		boolean nonZero = false;
		for (float v : vector) {
			if (!Float.isFinite(v)) throw new IllegalArgumentException("The vector of item '" + id + "' holds NaN or infinity");
			if (v != 0) nonZero = true;
		}
		if (!nonZero) throw new IllegalArgumentException("The vector of item '" + id + "' is all zeros; cosine similarity is undefined for it");
		vector = vector.clone();
		Map<String, String> p = new LinkedHashMap<>();
		if (payload != null)
			for (Map.Entry<String, String> e : payload.entrySet()) {
				checkKey(e.getKey());
				if (e.getValue() == null) throw new IllegalArgumentException("Payload field '" + e.getKey() + "' of item '" + id + "' is null; leave it out instead");
				if (NUMERIC.contains(e.getKey())) checkNumber(id, e.getKey(), e.getValue());
				p.put(e.getKey(), e.getValue());
			}
		payload = Collections.unmodifiableMap(p);
	}

	public VectorItem(String id, float[] vector) {
		this(id, vector, Map.of());
	}

	private static void checkNumber(String id, String key, String value) {
		boolean ok;
		try {
			ok = Double.isFinite(Double.parseDouble(value));
		} catch (NumberFormatException e) {
			ok = false;
		}
		if (!ok) throw new IllegalArgumentException("Payload field '" + key + "' of item '" + id + "' must be a finite number, not '" + value + "'");
	}

	/** Checks a payload key: letters, digits, {@code _ - .}, at most 64 characters, not {@code id}. */
	static void checkKey(String key) {
		if (key == null || !KEY.matcher(key).matches())
			throw new IllegalArgumentException("Payload key '" + key + "' is not allowed: use letters, digits, _, - or . (at most 64)");
		if (key.equals(ID)) throw new IllegalArgumentException("Payload key 'id' is reserved for the item id");
	}

	@Override
	public float[] vector() {
		return vector.clone();
	}

	/** Number of dimensions. */
	public int dimension() {
		return vector.length;
	}

	/** The vector without copying; callers must not change it. */
	float[] vectorUnsafe() {
		return vector;
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof VectorItem v && v.id.equals(id) && Arrays.equals(v.vector, vector) && v.payload.equals(payload);
	}

	@Override
	public int hashCode() {
		return id.hashCode() * 31 + Arrays.hashCode(vector);
	}

	@Override
	public String toString() {
		return "VectorItem[" + id + ", " + vector.length + "-d, " + payload + "]";
	}
}
