package org.labelloop.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Split;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.core.store.SqlProjectStore;
import org.labelloop.imaging.DicomSeries;
import org.labelloop.imaging.ImageMeta;
import org.labelloop.imaging.Images;

/**
 * A project's image files: adding them, where they are (relative to the project when inside it), and the check that
 * a file is still the one that was labelled (its SHA-256, re-computed only when its size or time stamp changed).
 * One per project engine, so the checks are shared by every user.
 */
final class ImageFiles {

	private final ProjectStore store;
	/** Files whose hash was checked, with the size and time stamp they had then. */
	private final Map<Long, String> verified = new ConcurrentHashMap<>();

	ImageFiles(ProjectStore store) {
		this.store = store;
	}

	ImageRecord image(long id) {
		return store.image(id).orElseThrow(() -> new LabelLoopException("No image with id " + id + " in project " + store.name() + "."));
	}

	ImportReport add(List<Path> files, String user, Progress progress) {
		// sets: a file named twice (itself and in its folder) is read, and its problem reported, once
		Set<String> problems = new LinkedHashSet<>();
		Set<Path> unique = new LinkedHashSet<>();
		for (Path f : files) {
			if (Files.isDirectory(f)) {
				try (Stream<Path> walk = Files.walk(f)) {
					walk.filter(Files::isRegularFile).filter(Images::looksLikeImage).filter(p -> !inProjectInternals(p))
							.sorted(Comparator.comparing(Path::toString)).forEach(p -> unique.add(p.toAbsolutePath().normalize()));
				} catch (IOException e) {
					problems.add(f + ": cannot list folder (" + e.getMessage() + ")");
				}
			} else if (!Files.exists(f)) {
				problems.add(f + ": file not found");
			} else {
				unique.add(f.toAbsolutePath().normalize());
			}
		}
		// single-slice DICOM files of one series in one folder become one volume, stored as a manifest in the project
		DicomSeries.Grouping grouping = DicomSeries.group(new ArrayList<>(unique));
		problems.addAll(grouping.problems());
		Set<Path> singles = Set.copyOf(grouping.singles());
		List<Path> candidates = unique.stream().filter(singles::contains).toList(); // in the order they were named
		int added = 0, skipped = 0;
		for (DicomSeries.Series series : grouping.series()) {
			progress.checkCancelled("Adding images (" + added + " added before)");
			Path manifest = store.folder().resolve(SERIES_FOLDER).resolve(series.manifestName());
			String path = projectPath(manifest);
			if (store.imageByPath(path).isPresent()) {
				skipped++;
				continue;
			}
			boolean written = false;
			try {
				String text = DicomSeries.manifest(series, manifest, store.folder());
				Files.createDirectories(manifest.getParent());
				Files.writeString(manifest, text);
				written = true;
				ImageMeta m = Images.probe(manifest);
				store.addImage(new ImageRecord(0, path, Images.sha256(manifest), Files.size(manifest), m.width(), m.height(), m.channels(),
						m.slices(), m.frames(), m.bitDepth(), Split.UNASSIGNED, user, Instant.now()), series.metadata());
				added++;
				written = false;
			} catch (LabelLoopException | IOException e) {
				problems.add(e.getMessage());
			} finally {
				if (written) deleteQuietly(manifest);
			}
		}
		for (int i = 0; i < candidates.size(); i++) {
			progress.checkCancelled("Adding images (" + added + " added before)");
			Path f = candidates.get(i).toAbsolutePath().normalize();
			progress.report((double) i / candidates.size(), "Adding " + f.getFileName());
			String path = projectPath(f);
			if (store.imageByPath(path).isPresent()) {
				skipped++;
				continue;
			}
			try {
				ImageMeta m = Images.probe(f);
				store.addImage(new ImageRecord(0, path, Images.sha256(f), Files.size(f), m.width(), m.height(), m.channels(),
						m.slices(), m.frames(), m.bitDepth(), Split.UNASSIGNED, user, Instant.now()), DicomSeries.metadata(f));
				added++;
			} catch (LabelLoopException | IOException e) {
				problems.add(e.getMessage());
			}
		}
		progress.report(1, "Added " + added + " image(s)");
		return new ImportReport(added, skipped, new ArrayList<>(problems));
	}

	/** The project's folder of DICOM series manifests. */
	static final String SERIES_FOLDER = "series";

	private boolean inProjectInternals(Path p) {
		return p.getFileName().toString().startsWith(SqlProjectStore.DB_FILE)
				|| p.toAbsolutePath().normalize().startsWith(store.folder().resolve(SERIES_FOLDER));
	}

	private static void deleteQuietly(Path f) {
		try {
			Files.deleteIfExists(f);
		} catch (IOException e) {
			// the manifest of a series that was not added; the next add writes it again
		}
	}

	/** Relative to the project with forward slashes when inside it, else absolute. */
	String projectPath(Path file) {
		Path abs = file.toAbsolutePath().normalize();
		Path rel = abs.startsWith(store.folder()) ? store.folder().relativize(abs) : abs;
		return rel.toString().replace('\\', '/');
	}

	/** Where an image's file is, resolved against the project; never outside what was added. */
	Path resolve(ImageRecord im) {
		Path p = Path.of(im.path());
		return (p.isAbsolute() ? p : store.folder().resolve(p)).normalize();
	}

	/** The image's file, checked to be the one that was added. */
	Path file(long imageId) {
		ImageRecord im = image(imageId);
		Path f = resolve(im);
		if (!Files.isRegularFile(f))
			throw new LabelLoopException("Image '" + im.path() + "' has moved or was deleted: it is no longer at " + f
					+ ". Put it back, or add it again from its new place.");
		try {
			String stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
			if (!stamp.equals(verified.get(imageId))) {
				String sha = Images.sha256(f);
				if (!sha.equals(im.sha256()))
					throw new LabelLoopException("Image '" + im.path() + "' changed on disk since it was added (its SHA-256 differs),"
							+ " so its labels may no longer fit it. Restore the original file, or relink it on purpose.");
				verified.put(imageId, stamp);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read image '" + im.path() + "': " + e.getMessage(), e);
		}
		return f;
	}

	/** Accepts an image's new location or content on purpose; its labels stay. */
	ImageRecord relink(long imageId, Path newFile, String user) {
		Path f = newFile.toAbsolutePath().normalize();
		if (!Files.isRegularFile(f)) throw new LabelLoopException("Cannot relink to " + f + ": file not found.");
		verified.remove(imageId);
		return store.relinkImage(imageId, projectPath(f), Images.sha256(f), user);
	}
}
