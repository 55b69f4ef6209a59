package org.labelloop.interop;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.LongFunction;

import org.labelloop.core.model.LabelLoopException;

/**
 * The label formats, found with {@link ServiceLoader} ({@code META-INF/services/org.labelloop.interop.LabelFormats$Provider}),
 * as the embedders, vector backends and active-learning strategies are. Each provider makes its format for one
 * import or export, given what a format may need from the project (the label-map options, an image's file).
 */
public final class LabelFormats {

	/** One format by its key ({@code coco}, {@code roi-zip}, {@code csv}, {@code nifti}, {@code tiff-labels}, {@code dicom-seg}). */
	public interface Provider {
		String key();

		LabelFormat create(LabelMapFormat.Options options, LongFunction<Path> imageFile);
	}

	private static final Map<String, Provider> PROVIDERS = discover();

	private LabelFormats() {
	}

	private static Map<String, Provider> discover() {
		Map<String, Provider> m = new LinkedHashMap<>();
		for (Provider p : ServiceLoader.load(Provider.class, Provider.class.getClassLoader())) m.putIfAbsent(p.key().toLowerCase(Locale.ROOT), p);
		return Collections.unmodifiableMap(m);
	}

	/** The keys of every format found, built-in ones first. */
	public static List<String> keys() {
		return List.copyOf(PROVIDERS.keySet());
	}

	/** The format with this key, for one import or export. */
	public static LabelFormat create(String key, LabelMapFormat.Options options, LongFunction<Path> imageFile) {
		Provider p = PROVIDERS.get(key.toLowerCase(Locale.ROOT));
		if (p == null) throw new LabelLoopException("No label format '" + key + "' is installed (found: " + String.join(", ", keys()) + ").");
		return p.create(options, imageFile);
	}

	public static final class Coco implements Provider {
		@Override public String key() { return "coco"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new CocoFormat(); }
	}

	public static final class RoiZip implements Provider {
		@Override public String key() { return "roi-zip"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new RoiZipFormat(); }
	}

	public static final class Csv implements Provider {
		@Override public String key() { return "csv"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new CsvFormat(); }
	}

	public static final class Nifti implements Provider {
		@Override public String key() { return "nifti"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new LabelMapFormat(LabelMapFormat.Kind.NIFTI, o, f); }
	}

	public static final class DicomSeg implements Provider {
		@Override public String key() { return "dicom-seg"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new DicomSegFormat(o, f); }
	}

	public static final class TiffLabels implements Provider {
		@Override public String key() { return "tiff-labels"; }
		@Override public LabelFormat create(LabelMapFormat.Options o, LongFunction<Path> f) { return new LabelMapFormat(LabelMapFormat.Kind.TIFF, o, f); }
	}
}
