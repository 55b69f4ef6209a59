package org.labelloop.backend.remote;

import org.labelloop.core.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.labelloop.backend.LabelLoopBackend;
import org.labelloop.backend.Changes;
import org.labelloop.backend.Format;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.ProposeReport;
import org.labelloop.backend.ProjectProgress;
import org.labelloop.backend.Review;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.learn.ClassifierSpec;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.CancelledException;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.ConflictException;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Target;
import org.labelloop.imaging.ClassicalProposer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A project on a lab server, used through its JSON API. Reads are retried (a few times, with back-off) when the
 * connection fails; writes never are, since the server may have applied them: a failed write says so, and the
 * server applies each change set whole or not at all, so nothing is ever half-applied. A stale write is a
 * {@link ConflictException} carrying the current annotation, as with a local project. Image files are downloaded
 * once into a cache per server and checked against their SHA-256 ({@link ImageCache}).
 * <p>
 * Longer than the other backend files on purpose: one short method per route of the server's API (about fifty),
 * which reads best side by side with {@code server.Api}; the HTTP plumbing is {@link ServerClient}.
 */
public final class RemoteBackend implements LabelLoopBackend {

	private final ServerClient client;
	private final ImageCache images;
	private final Messages.ProjectInfo info;
	private final Set<Long> leased = ConcurrentHashMap.newKeySet();
	private volatile Duration pollInterval = Duration.ofMillis(250);

	private RemoteBackend(HttpUrl base, String token, Path cacheRoot, Duration timeout) {
		this.client = new ServerClient(base, token, timeout);
		this.images = new ImageCache(client, cacheRoot.resolve(ImageCache.sha256(client.base().toString()).substring(0, 16)));
		this.info = client.call("GET", "/api/project", null, true, Messages.ProjectInfo.class);
	}

	/**
	 * Connects and checks the token (the server answers who it belongs to).
	 *
	 * @param user     the name the user typed; must be the token's owner (or null to take the token's)
	 * @param cacheRoot where downloaded images are kept, one folder per server
	 */
	public static RemoteBackend connect(String url, String user, String token, Path cacheRoot) {
		return connect(url, user, token, cacheRoot, Duration.ofSeconds(60));
	}

	public static RemoteBackend connect(String url, String user, String token, Path cacheRoot, Duration timeout) {
		HttpUrl u = HttpUrl.parse(url == null ? "" : url.strip());
		if (u == null) throw new LabelLoopException("'" + url + "' is not a server address: use e.g. http://labserver:8080 or https://labelloop.example.org.");
		if (token == null || token.isBlank()) throw new LabelLoopException("A token is needed to connect to " + url + ": ask the server's admin for one.");
		RemoteBackend b = new RemoteBackend(u, token.strip(), cacheRoot, timeout);
		if (user != null && !user.isBlank() && !user.strip().equals(b.info.user())) {
			b.close();
			throw new LabelLoopException("This token belongs to " + b.info.user() + ", not " + user.strip() + ".");
		}
		return b;
	}

	/** The default image cache: {@code ~/.cache/labelloop/servers}. */
	public static Path defaultCache() {
		return Path.of(System.getProperty("user.home"), ".cache", "labelloop", "servers");
	}

	/** How often {@link #retrain} asks the server how its job is doing. */
	public void setPollInterval(Duration d) {
		pollInterval = d;
	}

	// ------------------------------------------------------------------ project

	@Override
	public String location() {
		return client.base().toString();
	}

	@Override
	public String projectName() {
		return info.name();
	}

	@Override
	public String user() {
		return info.user();
	}

	@Override
	public Changes changes(long since) {
		return client.call("GET", "/api/changes?since=" + since, null, true, Changes.class);
	}

	// ------------------------------------------------------------------ images

	@Override
	public List<ImageRecord> images() {
		return client.call("GET", "/api/images", null, true, new TypeReference<List<ImageRecord>>() { });
	}

	@Override
	public ImageRecord image(long id) {
		return client.call("GET", "/api/images/" + id, null, true, ImageRecord.class);
	}

	/** Names files relative to the server's project folder (the server refuses anything outside it). */
	@Override
	public ImportReport addImages(List<Path> files, Progress progress) {
		List<String> rel = new ArrayList<>();
		for (Path f : files) rel.add(f.toString().replace('\\', '/'));
		ImportReport r = client.call("POST", "/api/images", new Messages.AddImages(rel), false, ImportReport.class);
		progress.report(1, "Added " + r.added() + " image(s)");
		return r;
	}

	@Override
	public Path imageFile(long imageId) {
		return images.file(image(imageId));
	}

	@Override
	public Optional<ImageRecord> next(Long currentId, NextMode mode) {
		return Optional.ofNullable(client.call("GET", "/api/next?mode=" + mode.name().toLowerCase() + (currentId == null ? "" : "&after=" + currentId), null,
				true, ImageRecord.class));
	}

	@Override
	public Optional<ImageRecord> previous(Long currentId) {
		return Optional.ofNullable(client.call("GET", "/api/previous" + (currentId == null ? "" : "?before=" + currentId), null, true, ImageRecord.class));
	}

	@Override
	public NextChoice.Batch nextItems(String strategy, int count, NextOptions o) {
		NextChoice.Batch b = client.call("POST", "/api/next-items", new Messages.NextRequest(strategy, count, o.targetClass(), o.otherClass(),
				o.lease().toSeconds(), o.aggregation().name().toLowerCase(), o.current(), o.unit().key(), o.filter().toString(),
				o.task() == null ? null : o.task().key()), false, NextChoice.Batch.class);
		if (o.current() != null) leased.remove(o.current());
		b.choices().forEach(c -> leased.add(c.image().id()));
		return b;
	}

	@Override
	public void releaseItem(long imageId) {
		client.call("POST", "/api/leases/" + imageId + "/release", null, true, Void.class);
		leased.remove(imageId);
	}

	@Override
	public void releaseItems() {
		for (Long id : List.copyOf(leased)) {
			try {
				releaseItem(id);
			} catch (RuntimeException e) {
				// the lease expires by itself
			}
		}
	}

	// ------------------------------------------------------------------ classes and annotations

	@Override
	public List<LabelClass> classes() {
		return client.call("GET", "/api/classes", null, true, new TypeReference<List<LabelClass>>() { });
	}

	@Override
	public LabelClass addClass(String name, String color, String hotkey) {
		return client.call("POST", "/api/classes", new Messages.NewClass(name, color, hotkey), false, LabelClass.class);
	}

	@Override
	public LabelClass updateClass(LabelClass changed) {
		return client.call("PUT", "/api/classes/" + changed.id(), changed, false, LabelClass.class);
	}

	@Override
	public List<Annotation> annotations(long imageId) {
		return client.call("GET", "/api/images/" + imageId + "/annotations", null, true, new TypeReference<List<Annotation>>() { });
	}

	@Override
	public Optional<Annotation> annotation(long id) {
		try {
			return Optional.of(client.call("GET", "/api/annotations/" + id, null, true, Annotation.class));
		} catch (LabelLoopException e) {
			if (e.getMessage().startsWith("No annotation")) return Optional.empty();
			throw e;
		}
	}

	@Override
	public ChangeSet apply(String description, List<Edit> edits) {
		return client.call("POST", "/api/changesets", new Messages.Apply(description, edits), false, ChangeSet.class);
	}

	@Override
	public Optional<ChangeSet> undo() {
		return Optional.ofNullable(client.call("POST", "/api/undo", null, false, ChangeSet.class));
	}

	@Override
	public Optional<ChangeSet> redo() {
		return Optional.ofNullable(client.call("POST", "/api/redo", null, false, ChangeSet.class));
	}

	@Override
	public List<AnnotationRevision> history(long annotationId) {
		return client.call("GET", "/api/annotations/" + annotationId + "/history", null, true, new TypeReference<List<AnnotationRevision>>() { });
	}

	// ------------------------------------------------------------------ comments, roles, review

	@Override
	public Comment addComment(Target target, Long parentId, Comment.Kind kind, String text) {
		return client.call("POST", "/api/comments", new Messages.NewComment(target, parentId, kind.key(), text), false, Comment.class);
	}

	@Override
	public List<Comment> comments(Target target) {
		return client.call("GET", "/api/comments?kind=" + target.kind() + "&id=" + target.id(), null, true, new TypeReference<List<Comment>>() { });
	}

	@Override
	public List<Comment> threads(boolean openOnly) {
		return client.call("GET", "/api/threads?open=" + openOnly, null, true, new TypeReference<List<Comment>>() { });
	}

	@Override
	public Comment setResolved(long threadId, long baseRevision, boolean resolved) {
		return client.call("POST", "/api/threads/" + threadId + "/resolve", new Messages.Resolve(baseRevision, resolved), false, Comment.class);
	}

	@Override
	public Role role() {
		return Role.parse(info.role());
	}

	@Override
	public SortedMap<String, Role> roles() {
		return new TreeMap<>(client.call("GET", "/api/roles", null, true, new TypeReference<Map<String, Role>>() { }));
	}

	@Override
	public void setRole(String userName, Role newRole) {
		client.call("PUT", "/api/roles/" + ServerClient.q(userName), new Messages.SetRole(newRole.key()), true, JsonNode.class);
	}

	@Override
	public List<Review.Issue> labelIssues(Task task) {
		return client.call("GET", "/api/label-issues?task=" + ServerClient.q(task), null, true, new TypeReference<List<Review.Issue>>() { });
	}

	@Override
	public Annotation decide(long annotationId, long baseRevision, Review.Decision decision, Long newClass, String comment) {
		return client.call("POST", "/api/annotations/" + annotationId + "/decide", new Messages.Decide(baseRevision, decision.key(), newClass, comment), false,
				Annotation.class);
	}

	@Override
	public ProjectProgress progress() {
		return client.call("GET", "/api/progress", null, true, ProjectProgress.class);
	}

	@Override
	public Review.Agreement agreement() {
		return client.call("GET", "/api/agreement", null, true, Review.Agreement.class);
	}

	@Override
	public Review.Quality labelQuality(Task task) {
		return client.call("GET", "/api/quality?task=" + ServerClient.q(task), null, true, Review.Quality.class);
	}

	// ------------------------------------------------------------------ interop

	@Override
	public ExportReport export(Format format, Path target) {
		Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		byte[] data = client.exchange(new Request.Builder().url(client.url("/api/export?format=" + format.key())).post(RequestBody.create(new byte[0], ServerClient.JSON)), false, h);
		Path t = target.toAbsolutePath().normalize();
		try {
			if ("folder-zip".equals(h.get("X-LabelLoop-Kind"))) {
				Files.createDirectories(t);
				try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(data == null ? new byte[0] : data))) {
					for (ZipEntry e; (e = zip.getNextEntry()) != null;) {
						if (e.isDirectory()) continue;
						Files.copy(zip, t.resolve(ImageCache.safeFileName(Path.of(e.getName()).getFileName().toString())), StandardCopyOption.REPLACE_EXISTING);
					}
				}
			} else {
				if (t.getParent() != null) Files.createDirectories(t.getParent());
				Files.write(t, data == null ? new byte[0] : data);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write the exported labels to " + t + ": " + e.getMessage(), e);
		}
		return new ExportReport(t, Integer.parseInt(h.getOrDefault("X-LabelLoop-Images", "0")), Integer.parseInt(h.getOrDefault("X-LabelLoop-Annotations", "0")));
	}

	@Override
	public ImportReport importLabels(Format format, Path source) {
		Path s = source.toAbsolutePath().normalize();
		if (!Files.exists(s)) throw new LabelLoopException("Cannot import " + format.key() + " labels: " + s + " does not exist.");
		byte[] data;
		String kind = "file";
		try {
			if (Files.isDirectory(s)) {
				kind = "folder-zip";
				java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
				try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.list(s)) {
					for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
						zip.putNextEntry(new ZipEntry(p.getFileName().toString()));
						Files.copy(p, zip);
						zip.closeEntry();
					}
				}
				data = bytes.toByteArray();
			} else {
				data = Files.readAllBytes(s);
			}
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read " + s + ": " + e.getMessage(), e);
		}
		byte[] answer = client.exchange(new Request.Builder().url(client.url("/api/import?format=" + format.key() + "&kind=" + kind + "&name=" + ServerClient.q(s.getFileName())))
				.post(RequestBody.create(data, ServerClient.BYTES)), false, null);
		try {
			return Wire.MAPPER.readValue(answer, ImportReport.class);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read the server's import report: " + e.getMessage(), e);
		}
	}

	// ------------------------------------------------------------------ models

	/**
	 * Starts a retrain on the server and follows it, reporting its progress; cancelling {@code progress} cancels
	 * the server's job (which then keeps nothing of the run).
	 */
	@Override
	public TrainReport retrain(TrainOptions options, Progress progress) {
		String classifier = options.classifier() instanceof ClassifierSpec.Forest ? "forest" : "logistic";
		JsonNode job = client.call("POST", "/api/retrain", new Messages.Retrain(classifier, options.folds(), options.seed(), options.tasks(), options.embedder()), false, JsonNode.class);
		return awaitJob(job, "Retrain", progress, TrainReport.class);
	}

	@Override
	public List<ModelVersion> models() {
		return client.call("GET", "/api/models", null, true, new TypeReference<List<ModelVersion>>() { });
	}

	@Override
	public Optional<ModelVersion> activeModel(Task task) {
		return Optional.ofNullable(client.call("GET", "/api/models/active?task=" + ServerClient.q(task), null, true, ModelVersion.class));
	}

	@Override
	public ModelVersion activateModel(long modelId) {
		return client.call("POST", "/api/models/" + modelId + "/activate", null, true, ModelVersion.class);
	}

	@Override
	public Optional<Prediction> imagePrediction(long imageId, int z) {
		return Optional.ofNullable(client.call("GET", "/api/images/" + imageId + "/prediction" + (z == 0 ? "" : "?z=" + z), null, true, Prediction.class));
	}

	@Override
	public org.labelloop.backend.ProposeReport proposeObjects(List<Long> imageIds, ClassicalProposer.Settings settings, boolean replace, Progress progress) {
		ProposeReport r = client.call("POST", "/api/propose", new Messages.Propose(imageIds, settings, replace), false, ProposeReport.class);
		progress.report(1, r.summary());
		return r;
	}

	/** Follows a server job to its end, passing progress on and asking the server to cancel when the user does. */
	private <T> T awaitJob(JsonNode job, String what, Progress progress, Class<T> type) {
		long id = job.get("id").asLong();
		boolean cancelAsked = false;
		while (true) {
			String state = job.path("state").asText();
			switch (state) {
				case "DONE":
					return Wire.MAPPER.convertValue(job.get("result"), type);
				case "CANCELLED":
					throw new CancelledException(what + " on " + client.base());
				case "FAILED":
					throw new LabelLoopException(job.path("error").asText(what + " failed on the server."));
				default:
					progress.report(job.path("fraction").asDouble(), job.path("message").asText(""));
			}
			if (progress.isCancelled() && !cancelAsked) {
				client.call("POST", "/api/jobs/" + id + "/cancel", null, true, JsonNode.class);
				cancelAsked = true;
			}
			ServerClient.sleep(pollInterval.toMillis());
			job = client.call("GET", "/api/jobs/" + id, null, true, JsonNode.class);
		}
	}

	/**
	 * The server runs the model file: it must lie inside the server's project folder, named relative to it (a path
	 * on this machine means nothing there). An absolute path inside a folder of the same name is not guessed at.
	 */
	private static Messages.ModelSettings wire(org.labelloop.core.learn.djl.DjlEmbedder.Settings s) {
		if (s.modelFile().isAbsolute())
			throw new LabelLoopException("On a lab server the model file must lie in the project folder on the server: name it relative to that folder "
					+ "(e.g. models/" + s.modelFile().getFileName() + "), not " + s.modelFile() + ".");
		return Messages.ModelSettings.of(s, s.modelFile());
	}

	@Override
	public org.labelloop.backend.ProposeReport proposeWithModel(List<Long> imageIds, org.labelloop.backend.ModelProposal proposal, boolean replace,
			Progress progress) {
		ProposeReport r = client.call("POST", "/api/propose-model", new Messages.ProposeModel(imageIds, wire(proposal.model()), proposal.threshold(),
				proposal.minArea(), proposal.classes(), replace, proposal.masks(), proposal.tiles()), false, ProposeReport.class);
		progress.report(1, r.summary());
		return r;
	}

	@Override
	public Optional<org.labelloop.core.learn.djl.DjlEmbedder.Settings> embedderModel() {
		Messages.ModelSettings m = client.call("GET", "/api/embedder-model", null, true, Messages.ModelSettings.class);
		return Optional.ofNullable(m).map(x -> x.settings(java.nio.file.Path.of(x.file())));
	}

	@Override
	public void setEmbedderModel(org.labelloop.core.learn.djl.DjlEmbedder.Settings model) {
		client.call("PUT", "/api/embedder-model", wire(model), false, Messages.ModelSettings.class);
	}

	@Override
	public org.labelloop.backend.Similar.Result similar(org.labelloop.backend.Similar.Query query) {
		return client.call("POST", "/api/similar", query, true, org.labelloop.backend.Similar.Result.class);
	}

	@Override
	public org.labelloop.backend.Similar.BulkReport bulkLabel(org.labelloop.backend.Similar.BulkLabel request) {
		return client.call("POST", "/api/bulk-label", request, false, org.labelloop.backend.Similar.BulkReport.class);
	}

	@Override
	public Optional<org.labelloop.backend.Similar.MapLayout> mapNow(Task task) {
		return Optional.ofNullable(client.call("GET", "/api/map?task=" + ServerClient.q(task), null, true, org.labelloop.backend.Similar.MapLayout.class));
	}

	@Override
	public java.util.SortedSet<String> matching(Task task, org.labelloop.backend.ItemFilter filter) {
		String[] ids = client.call("GET", "/api/map/matching?task=" + ServerClient.q(task) + "&filter=" + ServerClient.q(filter == null ? "" : filter.toString()),
				null, true, String[].class);
		return new java.util.TreeSet<>(java.util.Arrays.asList(ids));
	}

	@Override
	public org.labelloop.backend.Similar.MapLayout map(Task task, Progress progress) {
		JsonNode job = client.call("POST", "/api/map/compute?task=" + ServerClient.q(task), null, false, JsonNode.class);
		return awaitJob(job, "The map", progress, org.labelloop.backend.Similar.MapLayout.class);
	}

	@Override
	public void close() {
		client.close();
	}
}
