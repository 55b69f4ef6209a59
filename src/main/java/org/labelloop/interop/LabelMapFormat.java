package org.labelloop.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;

import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Status;
import org.labelloop.core.store.Json;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.LabelVolumes;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whole-image label maps ⇄ mask annotations: NIfTI-1 ({@code .nii}, {@code .nii.gz}) or TIFF label images, one value
 * per object, 0 = background.
 *
 * <h2>Import</h2> One file onto one project image: the image named by {@link Options#image}, else the image whose
 * file name without extension equals the label map's without extension and without a {@code _labels}, {@code -labels},
 * {@code _label}, {@code _seg} or {@code _mask} suffix. The label map must have the image's width, height and slices
 * (else an error naming both sizes); a NIfTI label map on a NIfTI image must also share its grid in space (qform /
 * sform; else an error naming both). Each label value becomes one mask annotation ({@link LabelMap.Split#BY_VALUE},
 * the default: an atlas region, whatever its parts) or one per 3D connected part ({@link LabelMap.Split#CONNECTED}),
 * accepted, origin {@code human:<user>}; its class is the value's name from the names file ({@link Options#names},
 * else {@code <label map stem>.txt} beside it when present; lines {@code value name}, tab- or space-separated, as
 * {@code aal_labels.txt}), else {@code label <value>}. One change set (one undo); nothing is written when the file
 * is refused. The value of every class is remembered (project setting {@value #VALUES_SETTING}) for export.
 *
 * <h2>Export</h2> Every image with mask annotations (not rejected) gets one label map, on the image's grid (a NIfTI
 * image's qform, sform and voxel size are copied): into a folder as {@code <image stem>_labels.nii.gz} (or
 * {@code .tif}) beside {@code <image stem>_labels.txt}, the names file of the values used; or straight into the file
 * named when only one image has masks (or {@link Options#image} chooses it). A class's value is the one it was
 * imported with, else {@code n} for a class named {@code label n}, else the next free value; unclassified masks get
 * their own values. Where masks overlap, the newer annotation's value wins. The smallest data type that holds the
 * largest value is used (NIfTI uint8 / uint16 / int32; TIFF 8 / 16 / 32-bit).
 */
public final class LabelMapFormat implements LabelFormat {

	/** Project setting: JSON object class id → label value. */
	public static final String VALUES_SETTING = "labelmap.values";

	public enum Kind {
		NIFTI("NIfTI label map", "_labels.nii.gz"), TIFF("TIFF label image", "_labels.tif");

		final String title, suffix;

		Kind(String title, String suffix) {
			this.title = title;
			this.suffix = suffix;
		}

		boolean names(Path p) {
			String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
			return this == NIFTI ? n.endsWith(".nii") || n.endsWith(".nii.gz") : n.endsWith(".tif") || n.endsWith(".tiff");
		}
	}

	/**
	 * @param image the project image to import onto or export (id, project path or file name), {@code null}: by
	 *              file name on import, every image with masks on export
	 * @param names a names file ({@code value name} lines) for the classes of imported values, may be {@code null}
	 * @param split one object per value or per connected part
	 */
	public record Options(String image, Path names, LabelMap.Split split) {
		public static final Options DEFAULT = new Options(null, null, LabelMap.Split.BY_VALUE);

		public Options {
			if (split == null) split = LabelMap.Split.BY_VALUE;
		}
	}

	private final Kind kind;
	private final Options options;
	private final LongFunction<Path> imageFile;

	/** @param imageFile the checked file of a project image (moved or changed files are refused there) */
	public LabelMapFormat(Kind kind, Options options, LongFunction<Path> imageFile) {
		this.kind = kind;
		this.options = options == null ? Options.DEFAULT : options;
		this.imageFile = imageFile;
	}

	// ------------------------------------------------------------------------------------------------ import

	@Override
	public ImportReport importLabels(ProjectStore store, String user, Path source) {
		FormatSupport.Batch b = new FormatSupport.Batch(store, user, kind.title, source);
		if (!kind.names(source))
			throw b.malformed("", "a " + kind.title + " file must be named " + (kind == Kind.NIFTI ? "*.nii or *.nii.gz" : "*.tif or *.tiff"));
		ImageRecord im = target(b, store, source);
		LabelVolumes.Volume v;
		try {
			v = LabelVolumes.read(source);
		} catch (LabelLoopException e) {
			throw b.unreadable(e);
		}
		String misfit = LabelVolumes.mismatch(v, "image '" + im.path() + "'", im.width(), im.height(), im.slices(),
				() -> LabelVolumes.gridOf(imageFile.apply(im.id())));
		if (misfit != null) throw b.malformed("", misfit);
		Map<Integer, String> names = options.names() != null ? names(b, options.names())
				: Files.isRegularFile(sidecar(source)) ? names(b, sidecar(source)) : Map.of();
		List<LabelMap.Labelled> objects;
		try {
			objects = LabelMap.toMasks(v.width(), v.height(), v.depth(), v::slice, options.split());
		} catch (LabelLoopException e) {
			throw b.unreadable(e);
		}
		Map<String, Integer> valueOf = new LinkedHashMap<>();
		for (LabelMap.Labelled o : objects) {
			String name = b.check("label " + o.label(), () -> LabelClass.checkName(names.getOrDefault(o.label(), "label " + o.label())));
			Integer before = valueOf.putIfAbsent(name, o.label());
			if (before != null && before != o.label())
				throw b.malformed("", "values " + before + " and " + o.label() + " have the same name '" + name + "'");
			b.addMask(im.id(), o.mask(), name, Origin.human(user), Status.ACCEPTED, null, Map.of());
		}
		ImportReport r = b.commit("Import " + kind.title + " " + source.getFileName());
		rememberValues(store, valueOf);
		return r;
	}

	private ImageRecord target(FormatSupport.Batch b, ProjectStore store, Path source) {
		if (options.image() != null) return b.chosenImage(options.image());
		String stem = stem(source.getFileName().toString()).replaceFirst("(?i)([_-]labels?|[_-]seg|[_-]mask)$", "");
		List<ImageRecord> same = store.images().stream().filter(i -> stem(i.name()).equalsIgnoreCase(stem)).toList();
		if (same.size() == 1) return same.get(0);
		throw b.malformed("", same.isEmpty() ? "no project image is named " + stem + ".*; say which image it labels (image=… / --image)"
				: same.size() + " project images are named " + stem + ".*; say which one it labels (image=… / --image)");
	}

	/** Reads {@code value name} lines (tab-separated: the whole second field; else the second word); # starts a comment. */
	static Map<Integer, String> names(FormatSupport.Batch b, Path file) {
		String text;
		try {
			text = Files.readString(file);
		} catch (IOException e) {
			throw b.malformed("", "cannot read the names file " + file + " (" + e.getMessage() + ")");
		}
		Map<Integer, String> out = new HashMap<>();
		String[] lines = text.split("\r?\n|\r");
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty() || line.startsWith("#")) continue;
			String[] f = line.contains("\t") ? line.split("\t") : line.split("\\s+");
			String where = "names file " + file.getFileName() + " line " + (i + 1);
			if (f.length < 2 || !f[0].strip().matches("\\d+")) throw b.malformed(where, "expected 'value name', not '" + line + "'");
			int value = Integer.parseInt(f[0].strip());
			String name = b.check(where, () -> LabelClass.checkName(f[1]));
			if (out.put(value, name) != null) throw b.malformed(where, "value " + value + " is named twice");
		}
		return out;
	}

	private static void rememberValues(ProjectStore store, Map<String, Integer> valueOf) {
		if (valueOf.isEmpty()) return;
		Map<Long, Integer> values = values(store);
		for (Map.Entry<String, Integer> e : valueOf.entrySet())
			store.classByName(e.getKey()).ifPresent(c -> values.put(c.id(), e.getValue()));
		ObjectNode n = Json.MAPPER.createObjectNode();
		values.forEach((k, v) -> n.put(Long.toString(k), v));
		store.setSetting(VALUES_SETTING, n.toString());
	}

	private static Map<Long, Integer> values(ProjectStore store) {
		Map<Long, Integer> out = new TreeMap<>();
		store.setting(VALUES_SETTING).ifPresent(s -> Json.parse(s).fields().forEachRemaining(e -> out.put(Long.parseLong(e.getKey()), e.getValue().asInt())));
		return out;
	}

	// ------------------------------------------------------------------------------------------------ export

	@Override
	public ExportReport export(ProjectStore store, Path target) {
		Map<Long, List<Annotation>> masks = new LinkedHashMap<>();
		for (ImageRecord im : store.images()) {
			if (options.image() != null && !matches(im, options.image())) continue;
			List<Annotation> ms = store.annotations(im.id()).stream().filter(a -> a.data().isMask() && a.data().status() != Status.REJECTED).toList();
			if (!ms.isEmpty()) masks.put(im.id(), ms);
		}
		boolean oneFile = kind.names(target);
		if (oneFile && masks.size() != 1)
			throw new LabelLoopException("Cannot export a " + kind.title + " to " + target + ": " + (masks.isEmpty() ? "no image has mask annotations"
					: masks.size() + " images have masks; export to a folder, or choose one image (image=… / --image)") + ".");
		// one value per class, the same on every image
		Map<Long, LabelClass> classes = new HashMap<>();
		store.classes().forEach(c -> classes.put(c.id(), c));
		Map<Long, Integer> value = values(store);
		value.keySet().retainAll(classes.keySet());
		for (LabelClass c : store.classes())
			if (!value.containsKey(c.id()) && c.name().matches("label \\d{1,9}") && !value.containsValue(Integer.parseInt(c.name().substring(6))))
				value.put(c.id(), Integer.parseInt(c.name().substring(6)));
		int next = value.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
		for (List<Annotation> ms : masks.values())
			for (Annotation a : ms)
				if (a.data().classId() != null && !value.containsKey(a.data().classId())) value.put(a.data().classId(), next++);
		int count = 0;
		for (Map.Entry<Long, List<Annotation>> e : masks.entrySet()) {
			ImageRecord im = store.image(e.getKey()).orElseThrow();
			int free = next;
			List<LabelMap.Labelled> objects = new ArrayList<>();
			Map<Integer, String> used = new TreeMap<>();
			for (Annotation a : e.getValue()) {
				Long cls = a.data().classId();
				int v = cls == null ? free++ : value.get(cls);
				used.put(v, cls == null ? "label " + v : classes.get(cls).name());
				objects.add(new LabelMap.Labelled(v, a.data().mask()));
			}
			int max = used.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
			Path file = oneFile ? target : target.resolve(stem(im.name()) + kind.suffix);
			int w = im.width(), h = im.height();
			int[] buf = new int[w * h];
			if (kind == Kind.NIFTI)
				LabelVolumes.writeNifti(file, w, h, im.slices(), z -> LabelMap.slice(objects, w, h, z, buf), max, LabelVolumes.gridOf(imageFile.apply(im.id())));
			else LabelVolumes.writeTiff(file, w, h, im.slices(), z -> LabelMap.slice(objects, w, h, z, new int[w * h]), max);
			StringBuilder sb = new StringBuilder("# label value\tclass (LabelLoop export of ").append(im.path()).append(")\n");
			used.forEach((v, n) -> sb.append(v).append('\t').append(n).append('\n'));
			FormatSupport.write(sidecar(file), sb.toString());
			count += objects.size();
		}
		return new ExportReport(target, masks.size(), count);
	}

	private static boolean matches(ImageRecord im, String want) {
		String w = want.strip().replace('\\', '/');
		return w.equals(Long.toString(im.id())) || w.equals(im.path()) || w.equals(im.name());
	}

	/** {@code x.nii.gz → x.txt}, {@code x.tif → x.txt}. */
	static Path sidecar(Path labelMap) {
		return labelMap.resolveSibling(stem(labelMap.getFileName().toString()) + ".txt");
	}

	static String stem(String fileName) {
		String n = fileName.toLowerCase(Locale.ROOT).endsWith(".nii.gz") ? fileName.substring(0, fileName.length() - 7) : fileName;
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}
}
