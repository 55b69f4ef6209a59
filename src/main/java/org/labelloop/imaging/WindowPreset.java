package org.labelloop.imaging;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.model.LabelLoopException;

/**
 * The CT display windows radiologists read with, as level (centre) and width in Hounsfield units: what a labeller
 * sees when outlining a lesion in soft tissue or a nodule in the lung. Values are those of common radiology
 * practice (for example Radiopaedia's "Windowing (CT)"). Display only: the stored pixels and what the models see do
 * not change.
 */
public enum WindowPreset {
	BRAIN(40, 80), SUBDURAL(75, 215), SOFT_TISSUE(40, 400), LIVER(60, 160), MEDIASTINUM(50, 350), LUNG(-600, 1500), BONE(400, 1800);

	private final double level, width;

	WindowPreset(double level, double width) {
		this.level = level;
		this.width = width;
	}

	/** The lowest value shown (black), in HU. */
	public double low() {
		return level - width / 2;
	}

	/** The highest value shown (white), in HU. */
	public double high() {
		return level + width / 2;
	}

	/** {@code soft-tissue}, as macros write it. */
	public String key() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** Every key, in order. */
	public static List<String> keys() {
		return Arrays.stream(values()).map(WindowPreset::key).toList();
	}

	/** The preset of {@code key} (case and {@code _}/{@code -} ignored), or an error naming the presets. */
	public static WindowPreset parse(String key) {
		String k = key == null ? "" : key.strip().toLowerCase(Locale.ROOT).replace('_', '-');
		for (WindowPreset p : values())
			if (p.key().equals(k)) return p;
		throw new LabelLoopException("No window preset '" + key + "'; presets: " + String.join(", ", keys()) + ".");
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%s (level %.0f, width %.0f HU)", key(), level, width);
	}
}
