package org.labelloop.server;

import org.labelloop.core.store.Folders;
import org.labelloop.core.model.Task;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.labelloop.backend.Format;
import org.labelloop.backend.LocalBackend;
import org.labelloop.backend.ProjectEngine;
import org.labelloop.backend.ModelProposal;
import org.labelloop.backend.Similar;
import org.labelloop.core.learn.djl.DjlEmbedder;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.Review;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.remote.Messages;
import org.labelloop.core.al.ImageScores;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Target;
import org.labelloop.core.store.ProjectStore;
import org.labelloop.imaging.Images;

import ij.ImagePlus;
import ij.process.ImageProcessor;

/**
 * Every endpoint of the lab server, one line (or a few) each over the engine. A new engine method gets its
 * endpoint here, with the role that may call it; the OpenAPI description follows from the table.
 */
final class Api {

	private Api() {
	}

	static void register(Router r, LabServer server) {
		ProjectStore store = server.store();

		r.get("/api/openapi.json", Access.PUBLIC, "This description (OpenAPI 3)", c -> OpenApi.describe(server.routes(), server.url()));
		r.get("/", Access.PUBLIC, "The dashboard (HTML; it asks for a token and reads /api/dashboard)",
				c -> Reply.bytes("text/html; charset=utf-8", resource("dashboard.html"), Map.of()));
		r.get("/api/project", Access.USER, "The project's name, the caller and their role, the latest change set",
				c -> new Messages.ProjectInfo(store.name(), c.user(), c.role().key(), latestChange(store)));

		// images
		r.get("/api/images", Access.USER, "Every image", c -> c.backend().images());
		r.get("/api/images/{id}", Access.USER, "One image's metadata", c -> image(c));
		r.get("/api/images/{id}/file", Access.USER, "The image's file (checked against its SHA-256; header X-LabelLoop-Sha256)",
				c -> Reply.file("application/octet-stream", c.backend().imageFile(image(c).id()),
						Map.of("X-LabelLoop-Sha256", image(c).sha256(), "Content-Disposition", "attachment; filename=\"" + safeName(image(c).name()) + "\"")));
		r.get("/api/images/{id}/thumbnail", Access.USER, "A PNG thumbnail (query size, default 128, at most 1024)", c -> thumbnail(c));
		r.post("/api/images", Access.ADMIN, "Adds image files or folders given relative to the project folder", "AddImages", c -> addImages(c, store));
		r.get("/api/next", Access.USER, "The image after one (query after, mode sequential|unlabelled|random)", c -> c.backend()
				.next(c.queryLong("after"), NextMode.valueOf(c.query("mode", "sequential").toUpperCase(Locale.ROOT))).orElse(null));
		r.get("/api/previous", Access.USER, "The image before one (query before)", c -> c.backend().previous(c.queryLong("before")).orElse(null));
		r.post("/api/next-items", Access.USER, "Chooses images with an active-learning strategy and leases them to the caller", "NextRequest",
				c -> nextItems(c));
		r.post("/api/leases/{id}/release", Access.USER, "Gives back the caller's lease of an image", null, c -> {
			c.backend().releaseItem(c.id("id"));
			return null;
		});
		r.post("/api/leases/release-all", Access.USER, "Gives back every lease the server handed to the caller", null, c -> {
			c.backend().releaseItems();
			return null;
		});

		// classes
		r.get("/api/classes", Access.USER, "Every class", c -> c.backend().classes());
		r.post("/api/classes", Access.RESEARCHER, "Adds a class", "NewClass", c -> {
			Messages.NewClass n = c.body(Messages.NewClass.class);
			return c.backend().addClass(n.name(), n.color(), n.hotkey());
		});
		r.put("/api/classes/{id}", Access.RESEARCHER, "Renames, recolours or re-keys a class", "LabelClass", c -> {
			LabelClass l = c.body(LabelClass.class);
			if (l.id() != c.id("id")) throw ApiException.badRequest("The class in the body has id " + l.id() + ", the path " + c.id("id") + ".");
			return c.backend().updateClass(l);
		});

		// annotations
		r.get("/api/images/{id}/annotations", Access.USER, "The image's annotations (current revisions)", c -> c.backend().annotations(image(c).id()));
		r.get("/api/annotations/{id}", Access.USER, "One annotation",
				c -> c.backend().annotation(c.id("id")).orElseThrow(() -> ApiException.notFound("No annotation " + c.id("id") + ".")));
		r.get("/api/annotations/{id}/history", Access.USER, "Every revision of an annotation", c -> c.backend().history(c.id("id")));
		r.post("/api/changesets", Access.USER, "Applies edits as one change set; 409 with the current annotation when a base revision is stale"
				+ " (deleting needs admin)", "Apply", c -> apply(c));
		r.post("/api/undo", Access.USER, "Undoes the caller's latest change set (204: nothing to undo)", null, c -> c.backend().undo().orElse(null));
		r.post("/api/redo", Access.USER, "Redoes the caller's latest undo (204: nothing to redo)", null, c -> c.backend().redo().orElse(null));
		r.get("/api/changes", Access.USER, "Live updates: revisions written after change set 'since' (query since, limit)", c -> changes(c, server.engine()));

		// comments, flags, roles, users
		r.get("/api/comments", Access.USER, "Comments on an item (query kind image|annotation, id)",
				c -> c.backend().comments(new Target(c.query("kind", "image"), required(c.queryLong("id"), "id"))));
		r.get("/api/threads", Access.USER, "First comments of threads, newest first (query open=true for open ones only)",
				c -> c.backend().threads(Boolean.parseBoolean(c.query("open", "false"))));
		r.post("/api/comments", Access.USER, "Starts a thread or replies to one", "NewComment", c -> {
			Messages.NewComment n = c.body(Messages.NewComment.class);
			return c.backend().addComment(n.target(), n.parentId(), Comment.Kind.parse(n.kind() == null ? "note" : n.kind()), n.text());
		});
		r.post("/api/threads/{id}/resolve", Access.USER, "Resolves or reopens a thread (409 if it changed since baseRevision); review threads only"
				+ " by a reviewer or admin", "Resolve", c -> {
			Messages.Resolve n = c.body(Messages.Resolve.class);
			long id = c.id("id");
			boolean review = store.threads(false).stream().anyMatch(t -> t.id() == id && t.kind() == Comment.Kind.REVIEW);
			if (review && !Access.REVIEWER.allows(c.role()))
				throw ApiException.forbidden("Resolving a review thread is for reviewer or admin; " + c.user() + " is a " + c.role().key() + ".");
			return c.backend().setResolved(id, n.baseRevision(), n.resolved());
		});
		r.get("/api/roles", Access.USER, "Every user with a role", c -> c.backend().roles());
		r.put("/api/roles/{user}", Access.ADMIN, "Sets a user's role", "SetRole", c -> {
			c.backend().setRole(Tokens.checkName(c.text("user")), Role.parse(required(c.body(Messages.SetRole.class).role(), "role")));
			return c.backend().roles();
		});
		r.get("/api/users", Access.ADMIN, "Users with their role and whether they have a token", c -> users(store));
		r.post("/api/users", Access.ADMIN, "Adds a user with a role and answers their new token (shown once)", "NewUser", c -> {
			Messages.NewUser n = c.body(Messages.NewUser.class);
			Role role = Role.parse(n.role() == null ? "labeller" : n.role());
			return new Messages.UserToken(n.name(), role.key(), Tokens.addUser(store, n.name(), role, c.user()));
		});
		r.post("/api/users/{user}/token", Access.ADMIN, "Gives a user a new token (the old one stops working)", null, c -> {
			String u = Tokens.checkName(c.text("user"));
			return new Messages.UserToken(u, store.role(u).key(), Tokens.newToken(store, u, c.user()));
		});

		// review
		r.get("/api/label-issues", Access.USER, "Labels the active model doubts (query task image|roi|seg: masks its out-of-fold prediction disagrees with)", c -> c.backend().labelIssues(Task.parse(c.query("task", "image"))));
		r.post("/api/annotations/{id}/decide", Access.REVIEWER, "Keeps, changes or rejects a doubted label", "Decide", c -> {
			Messages.Decide d = c.body(Messages.Decide.class);
			return c.backend().decide(c.id("id"), d.baseRevision(), Review.Decision.parse(d.decision()), d.newClass(), d.comment());
		});
		r.get("/api/progress", Access.USER, "Images labelled, proposals waiting, labels per class, open threads (all and for me), active models and labels since",
				c -> c.backend().progress());
		r.get("/api/agreement", Access.USER, "Cohen's kappa between users who labelled the same items", c -> c.backend().agreement());
		r.get("/api/quality", Access.USER, "Out-of-fold confusion matrix and per-class precision/recall (query task)",
				c -> c.backend().labelQuality(Task.parse(c.query("task", "image"))));

		// interop
		r.post("/api/export", Access.USER, "The project's labels in a format (query format coco|csv|roi-zip|nifti|tiff-labels; roi-zip and the label maps answer a zip of files, one per image)", null,
				c -> export(c));
		r.post("/api/import", Access.USER, "Imports labels from the body (query format, name: the file name, which ROI sets match images by)",
				"file bytes", c -> importLabels(c));

		// models
		r.post("/api/retrain", Access.RESEARCHER, "Starts a retrain in the background; answers the job", "Retrain", c -> {
			Messages.Retrain t = c.body(Messages.Retrain.class);
			TrainOptions o = new TrainOptions(TrainOptions.classifier(t.classifier()), t.folds(), t.seed(), t.tasks(), t.embedder());
			LocalBackend b = c.backend();
			return Reply.json(202, server.jobs().submit("retrain", c.user(), p -> b.retrain(o, p)));
		});
		r.get("/api/jobs/{id}", Access.USER, "A background job's state, progress, result or error", c -> server.jobs().status(c.id("id")));
		r.post("/api/jobs/{id}/cancel", Access.RESEARCHER, "Cancels a background job (nothing of it is kept)", null, c -> server.jobs().cancel(c.id("id")));
		r.get("/api/models", Access.USER, "Every model version, oldest first", c -> c.backend().models());
		r.get("/api/models/active", Access.USER, "The active version of a task (query task; 204 if none)",
				c -> c.backend().activeModel(Task.parse(c.query("task", "image"))).orElse(null));
		r.post("/api/models/{id}/activate", Access.RESEARCHER, "Makes an earlier version active (rollback)", null, c -> c.backend().activateModel(c.id("id")));
		r.get("/api/models/{id}/predictions", Access.USER, "Every prediction of a model version", c -> store.predictions(c.id("id")));
		r.get("/api/images/{id}/prediction", Access.USER, "The active image model's prediction (204 if none); query z (from 1) for one slice of a volume",
				c -> c.backend().imagePrediction(image(c).id(), Math.toIntExact(java.util.Objects.requireNonNullElse(c.queryLong("z"), 0L))).orElse(null));
		r.post("/api/propose", Access.RESEARCHER, "Proposes objects with the classical proposer", "Propose", c -> {
			Messages.Propose p = c.body(Messages.Propose.class);
			return c.backend().proposeObjects(p.imageIds(), p.settings(), p.replace(), Progress.NONE);
		});

		r.post("/api/propose-model", Access.RESEARCHER, "Proposes objects with a segmentation model file inside the project folder", "ProposeModel", c -> {
			Messages.ProposeModel p = c.body(Messages.ProposeModel.class);
			ModelProposal mp = new ModelProposal(modelSettings(store, p.model()), p.threshold(), p.minArea(), p.classes(), p.masks(), p.tiles());
			return c.backend().proposeWithModel(p.imageIds(), mp, p.replace(), Progress.NONE);
		});
		r.get("/api/embedder-model", Access.USER, "The project's own embedding model (204 if none; file relative to the project folder)",
				c -> c.backend().embedderModel().map(m -> wireSettings(store, m)).orElse(null));
		r.put("/api/embedder-model", Access.RESEARCHER, "Sets the project's own embedding model (a file inside the project folder)", "ModelSettings", c -> {
			c.backend().setEmbedderModel(modelSettings(store, c.body(Messages.ModelSettings.class)));
			return wireSettings(store, c.backend().embedderModel().orElseThrow());
		});

		// similar items, bulk labels, the map
		r.post("/api/similar", Access.USER, "Items most like the positive examples and unlike the negative ones, among those passing the filter",
				"Query", c -> c.backend().similar(c.body(Similar.Query.class)));
		r.post("/api/bulk-label", Access.USER, "Labels many items with one class in one undoable change set (weak or accepted)", "BulkLabel",
				c -> c.backend().bulkLabel(c.body(Similar.BulkLabel.class)));
		r.get("/api/map", Access.USER, "The 2D layout of the active model version of a task if computed, else the newest older one (query task; 204 if none)",
				c -> c.backend().mapNow(Task.parse(c.query("task", "image"))).orElse(null));
		r.get("/api/map/matching", Access.USER, "The items of a task's active model version that pass a filter (query task, filter in the text form of Similar Items)",
				c -> c.backend().matching(Task.parse(c.query("task", "image")), org.labelloop.backend.ItemFilter.parse(c.query("filter", ""))));
		r.post("/api/map/compute", Access.USER, "Computes the 2D layout of a task's active model version in the background; answers the job", null, c -> {
			Task task = Task.parse(c.query("task", "image"));
			LocalBackend b = c.backend();
			return Reply.json(202, server.jobs().submit("map", c.user(), p -> b.map(task, p)));
		});

		// dashboard
		r.get("/api/dashboard", Access.USER, "Progress per class and user, learning curve, open flags, label issues, agreement",
				c -> Dashboard.summary(store, c.backend()));
	}

	private static <T> T required(T v, String name) {
		if (v == null) throw ApiException.badRequest(name + " is needed.");
		return v;
	}

	private static ImageRecord image(Call c) {
		long id = c.id("id");
		return c.backend().store().image(id)
				.orElseThrow(() -> ApiException.notFound("No image with id " + id + " in this project."));
	}

	static long latestChange(ProjectStore store) {
		List<ChangeSet> last = store.changeSets(1);
		return last.isEmpty() ? 0 : last.get(0).id();
	}

	private static Object changes(Call c, ProjectEngine engine) {
		long since = required(c.queryLong("since"), "since");
		Long limit = c.queryLong("limit");
		return engine.changes(since, c.queryLong("image"), (int) Math.max(1, Math.min(5000, limit == null ? 1000 : limit)));
	}

	private static Object apply(Call c) {
		Messages.Apply a = c.body(Messages.Apply.class);
		if (a.edits() == null || a.edits().isEmpty()) throw ApiException.badRequest("A change set needs at least one edit.");
		if (c.role() != Role.ADMIN && a.edits().stream().anyMatch(e -> e instanceof Edit.Delete))
			throw ApiException.forbidden("Deleting annotations is for admins; " + c.user() + " is a " + c.role().key()
					+ ". Reject the label instead: it is kept and the model learns from it.");
		return c.backend().apply(a.description() == null ? "edit" : a.description(), a.edits());
	}

	private static Object nextItems(Call c) {
		Messages.NextRequest n = c.body(Messages.NextRequest.class);
		if (n.count() < 1 || n.count() > 100) throw ApiException.badRequest("count must lie in 1..100, not " + n.count());
		NextOptions o = new NextOptions(n.targetClass(), n.otherClass(), n.leaseSeconds() == null ? null : Duration.ofSeconds(n.leaseSeconds()),
				n.aggregation() == null ? null : ImageScores.Aggregation.valueOf(n.aggregation().toUpperCase(Locale.ROOT)), n.current(),
				NextOptions.Unit.parse(n.unit()), org.labelloop.backend.ItemFilter.parse(n.filter()), NextOptions.parseTask(n.task()));
		return c.backend().nextItems(n.strategy() == null ? "random" : n.strategy(), n.count(), o);
	}

	private static Object users(ProjectStore store) {
		Map<String, String> tokens = store.tokenHashes();
		java.util.SortedMap<String, Role> roles = store.roles();
		java.util.TreeSet<String> names = new java.util.TreeSet<>(roles.keySet());
		names.addAll(tokens.keySet());
		List<Messages.UserInfo> out = new ArrayList<>();
		for (String n : names) out.add(new Messages.UserInfo(n, roles.getOrDefault(n, Role.LABELLER).key(), tokens.containsKey(n)));
		return out;
	}

	/**
	 * Adds images named relative to the project folder. Each is resolved, normalised and checked (also through
	 * symbolic links) to lie inside the project: a request never reaches a file outside it.
	 */
	private static Object addImages(Call c, ProjectStore store) {
		Messages.AddImages a = c.body(Messages.AddImages.class);
		if (a.paths() == null || a.paths().isEmpty()) throw ApiException.badRequest("Name at least one file or folder, relative to the project folder.");
		List<Path> files = new ArrayList<>();
		for (String p : a.paths()) files.add(insideProject(store.folder(), p));
		return c.backend().addImages(files, Progress.NONE);
	}

	/** A client's model settings, its file checked to lie inside the project folder. */
	private static DjlEmbedder.Settings modelSettings(ProjectStore store, Messages.ModelSettings m) {
		if (m == null) throw ApiException.badRequest("The model settings are missing.");
		try {
			return m.settings(insideProject(store.folder(), m.file()));
		} catch (IllegalArgumentException e) {
			throw ApiException.badRequest(e.getMessage());
		}
	}

	/** Model settings as the client sees them: the file relative to the project folder. */
	static Messages.ModelSettings wireSettings(ProjectStore store, DjlEmbedder.Settings s) {
		Path root = store.folder().toAbsolutePath().normalize(), f = s.modelFile().toAbsolutePath().normalize();
		return Messages.ModelSettings.of(s, f.startsWith(root) ? root.relativize(f) : f);
	}

	static Path insideProject(Path folder, String rel) {
		if (rel == null || rel.isBlank() || rel.indexOf('\0') >= 0) throw ApiException.badRequest("An empty path is not allowed.");
		Path p;
		try {
			p = Path.of(rel);
		} catch (RuntimeException e) {
			throw ApiException.badRequest("'" + rel + "' is not a valid path.");
		}
		Path root = folder.toAbsolutePath().normalize();
		if (p.isAbsolute() || rel.startsWith("/") || rel.startsWith("\\")) throw ApiException.forbidden("'" + rel + "' is absolute: name files relative to the project folder.");
		Path f = root.resolve(p).normalize();
		if (!f.startsWith(root)) throw ApiException.forbidden("'" + rel + "' lies outside the project folder.");
		try {
			if (Files.exists(f) && !f.toRealPath().startsWith(root.toRealPath()))
				throw ApiException.forbidden("'" + rel + "' leads outside the project folder (a link).");
		} catch (IOException e) {
			throw ApiException.badRequest("Cannot read '" + rel + "': " + e.getMessage());
		}
		return f;
	}

	private static Object thumbnail(Call c) throws IOException {
		ImageRecord im = image(c);
		Long sizeQ = c.queryLong("size");
		int size = (int) Math.max(8, Math.min(1024, sizeQ == null ? 128 : sizeQ));
		ImagePlus imp = Images.open(c.backend().imageFile(im.id()));
		ImageProcessor ip = imp.getProcessor();
		double scale = Math.min(1.0, (double) size / Math.max(ip.getWidth(), ip.getHeight()));
		ip.setInterpolationMethod(ImageProcessor.BILINEAR);
		ImageProcessor small = ip.resize(Math.max(1, (int) Math.round(ip.getWidth() * scale)), Math.max(1, (int) Math.round(ip.getHeight() * scale)), true);
		BufferedImage bi = new ImagePlus("thumbnail", small).getBufferedImage();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(bi, "png", out);
		return Reply.bytes("image/png", out.toByteArray(), Map.of());
	}

	private static Object export(Call c) throws IOException {
		Format f = Format.parse(c.query("format", "coco"));
		Path tmp = Files.createTempDirectory("labelloop-export");
		try {
			// ROI sets and label maps are a folder of files (one per image), sent as a zip
			boolean folder = f == Format.ROI_ZIP || f == Format.NIFTI || f == Format.TIFF_LABELS;
			Path target = folder ? tmp.resolve("rois") : tmp.resolve("labels." + (f == Format.CSV ? "csv" : "json"));
			ExportReport rep = c.backend().export(f, target);
			Map<String, String> h = Map.of("X-LabelLoop-Images", Integer.toString(rep.images()), "X-LabelLoop-Annotations",
					Integer.toString(rep.annotations()), "X-LabelLoop-Kind", folder ? "folder-zip" : "file");
			if (folder) Files.createDirectories(target);
			byte[] data = folder ? zipFolder(target) : Files.readAllBytes(target);
			return Reply.bytes(folder ? "application/zip" : f == Format.CSV ? "text/csv" : "application/json", data, h);
		} finally {
			Folders.deleteQuietly(tmp);
		}
	}

	private static Object importLabels(Call c) throws IOException {
		Format f = Format.parse(c.query("format", "coco"));
		String name = safeName(c.query("name", switch (f) {
			case CSV -> "labels.csv";
			case ROI_ZIP -> "rois.zip";
			case NIFTI -> "labels.nii.gz";
			case TIFF_LABELS -> "labels.tif";
			default -> "labels.json";
		}));
		boolean folder = "folder-zip".equals(c.query("kind", "file"));
		Path tmp = Files.createTempDirectory("labelloop-import");
		try {
			Path source;
			if (folder) {
				source = tmp.resolve("rois");
				unzipFlat(c.bytes(), source);
			} else {
				source = tmp.resolve(name);
				Files.write(source, c.bytes());
			}
			return c.backend().importLabels(f, source);
		} finally {
			Folders.deleteQuietly(tmp);
		}
	}

	/** A file name with nothing but letters, digits and {@code . _ - space}; never a path. */
	static String safeName(String n) {
		String s = Path.of("x").resolve(n.replace('\\', '/').replaceAll(".*/", "")).getFileName().toString().replaceAll("[^\\p{L}\\p{N}._ -]", "_");
		if (s.isBlank() || s.equals(".") || s.equals("..")) throw ApiException.badRequest("'" + n + "' is not a usable file name.");
		return s;
	}

	static byte[] zipFolder(Path folder) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> s = Files.exists(folder) ? Files.list(folder) : Stream.empty()) {
			for (Path p : s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
				zip.putNextEntry(new ZipEntry(p.getFileName().toString()));
				Files.copy(p, zip);
				zip.closeEntry();
			}
		}
		return bytes.toByteArray();
	}

	/** Unpacks the files of a zip into one folder, by their file names only: an entry can never land outside it. */
	static void unzipFlat(byte[] data, Path folder) throws IOException {
		Files.createDirectories(folder);
		long total = 0;
		try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(data))) {
			for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
				if (e.isDirectory()) continue;
				Path out = folder.resolve(safeName(e.getName()));
				try (OutputStream o = Files.newOutputStream(out)) {
					byte[] buf = new byte[65536];
					for (int r; (r = zip.read(buf)) > 0;) {
						total += r;
						if (total > 256L << 20) throw ApiException.badRequest("The zip unpacks to more than 256 MB.");
						o.write(buf, 0, r);
					}
				}
			}
		} catch (java.util.zip.ZipException e) {
			throw ApiException.badRequest("The body is not a valid zip: " + e.getMessage());
		}
	}

	static byte[] resource(String name) throws IOException {
		try (InputStream in = Api.class.getResourceAsStream(name)) {
			if (in == null) throw new LabelLoopException("The server's " + name + " is missing from its jar.");
			return in.readAllBytes();
		}
	}
}
