package org.labelloop.backend.monai;

import org.labelloop.core.model.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.labelloop.backend.Backend;
import org.labelloop.backend.NextChoice;
import org.labelloop.backend.NextMode;
import org.labelloop.backend.NextOptions;
import org.labelloop.backend.TrainOptions;
import org.labelloop.backend.TrainReport;
import org.labelloop.core.geom.LabelMap;
import org.labelloop.core.model.Labels;
import org.labelloop.core.model.Annotation;
import org.labelloop.core.model.AnnotationData;
import org.labelloop.core.model.ChangeSet;
import org.labelloop.core.model.Edit;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelClass;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.core.model.ModelVersion;
import org.labelloop.core.model.Origin;
import org.labelloop.core.model.Prediction;
import org.labelloop.core.model.Progress;
import org.labelloop.core.model.Role;
import org.labelloop.core.model.Split;
import org.labelloop.core.model.Status;
import org.labelloop.imaging.Images;
import org.labelloop.imaging.LabelMaps;
import org.labelloop.imaging.LabelVolumes;
import org.labelloop.imaging.RoiBridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.process.ShortProcessor;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link Backend} against a MONAI Label server's REST API (tested against MONAI Label {@value #SUPPORTED}.x): the
 * server's datastore images are the items, the labels of its segmentation model are the classes, Next Image asks
 * {@code /activelearning/{strategy}}, the proposals are the model's label mask from {@code /infer/{model}} traced into
 * polygons ({@link LabelMaps}), and saving writes the accepted and corrected ROIs as a label mask to
 * {@code /datastore/label}. Retrain starts {@code /train/{model}} on the server.
 * <p>
 * A NIfTI image (the radiology apps' volumes) is one volume item; the model's answer is then a NIfTI label map on its
 * grid, proposed as one 3D mask per label value, and saving sends a NIfTI label map on the image's grid
 * ({@link MonaiVolumes}).
 * <p>
 * MONAI Label keeps one label per image and no history, confidences, comments or similarity: this backend has only
 * the core {@link Backend}, no facet, and {@link #missing} says why each one is absent. Edits live in this
 * client until they are written as the image's label mask; an image's proposals are the server's inference, fetched
 * once per image.
 * <p>
 * Authentication: a server with auth on answers 401; the {@code login} hook is asked for a user name and password
 * (in Fiji, a dialog), {@code /auth/token} gives a bearer token, and the request is sent again once.
 * <p>
 * Over 400 lines on purpose: it is a whole client of another product's API (datastore, active learning, inference,
 * labels, training, auth) translated into LabelLoop's model; split, the translation would be spread over files that
 * each need all of it.
 */
public final class MonaiLabelBackend implements Backend {

	/** The MONAI Label release line the contract tests pin (fixtures in {@code src/test/resources/monai/}). */
	public static final String SUPPORTED = "0.8";

	/** What the login hook returns: a user name and password, or {@code null} when the user cancelled. */
	public record Credentials(String user, String password) {
	}

	private static final ObjectMapper JSON = new ObjectMapper();
	private static final MediaType JSON_TYPE = MediaType.get("application/json"), BINARY = MediaType.get("application/octet-stream");

	private final HttpUrl base;
	private final OkHttpClient http;
	private final Function<String, Credentials> login;
	private final Path cache;
	private String token;
	private final String user;
	private final JsonNode info;
	private final String model;
	private final List<String> warnings = new ArrayList<>();
	private final List<LabelClass> classes = new ArrayList<>();
	private final Map<Long, String> imageKeys = new LinkedHashMap<>();
	private final Map<Long, ImageRecord> images = new LinkedHashMap<>();
	private final Map<Long, List<Annotation>> annotations = new TreeMap<>();
	/** Images whose record has the size from their file (NIfTI). */
	private final Set<Long> measured = new HashSet<>();
	private long nextAnnotation = 1;

	/**
	 * Connects: reads {@code /info/} (version, labels, models) and the datastore's images.
	 *
	 * @param url the server, e.g. {@code http://localhost:8000}
	 * @param user the name labels are recorded under
	 * @param login asked for credentials when the server answers 401 (argument: the server URL)
	 * @param cache a folder for downloaded images and label masks
	 * @throws LabelLoopException if the server cannot be reached, is not MONAI Label, or has no segmentation model
	 */
	public MonaiLabelBackend(String url, String user, Function<String, Credentials> login, Path cache) {
		HttpUrl u = HttpUrl.parse(url);
		if (u == null) throw new LabelLoopException("Not a server address: '" + url + "' (expected e.g. http://localhost:8000).");
		this.base = u;
		this.user = user;
		this.login = login;
		this.cache = cache;
		this.http = new OkHttpClient.Builder().connectTimeout(10, TimeUnit.SECONDS).readTimeout(10, TimeUnit.MINUTES).build();
		this.info = json(get("info/"));
		String version = info.path("version").asText("");
		if (version.isEmpty())
			throw new LabelLoopException(url + " answered /info/ without a version: is it a MONAI Label server?");
		if (!version.equals(SUPPORTED) && !version.startsWith(SUPPORTED + "."))
			warnings.add("MONAI Label server " + url + " runs version " + version + "; LabelLoop was tested with " + SUPPORTED
					+ ".x. If something fails, use a " + SUPPORTED + ".x server.");
		this.model = chooseModel(info);
		JsonNode labels = info.path("models").path(model).path("labels");
		if (labels.isMissingNode() || labels.isEmpty()) labels = info.path("labels");
		List<Map.Entry<String, Integer>> named = new ArrayList<>();
		if (labels.isArray()) for (int i = 0; i < labels.size(); i++) named.add(Map.entry(labels.get(i).asText(), i + 1));
		else labels.fields().forEachRemaining(e -> named.add(Map.entry(e.getKey(), e.getValue().asInt())));
		named.sort(Map.Entry.comparingByValue());
		for (Map.Entry<String, Integer> e : named)
			if (e.getValue() > 0) classes.add(new LabelClass(e.getValue(), e.getKey(), palette(e.getValue()), null, classes.size()));
		loadImages();
	}

	private static String chooseModel(JsonNode info) {
		Iterator<Map.Entry<String, JsonNode>> it = info.path("models").fields();
		while (it.hasNext()) {
			Map.Entry<String, JsonNode> m = it.next();
			if (m.getValue().path("type").asText("segmentation").equals("segmentation")) return m.getKey();
		}
		throw new LabelLoopException("The MONAI Label app '" + info.path("name").asText() + "' has no segmentation model to propose labels with.");
	}

	private static String palette(int i) {
		String[] p = { "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6" };
		return p[(i - 1) % p.length];
	}

	private void loadImages() {
		JsonNode objects = json(get("datastore/?output=all")).path("objects");
		List<String> keys = new ArrayList<>();
		objects.fieldNames().forEachRemaining(keys::add);
		Collections.sort(keys);
		long id = 1;
		for (String k : keys) {
			JsonNode image = objects.get(k).path("image");
			String ext = image.path("ext").asText("");
			imageKeys.put(id, k);
			ImageRecord known = images.get(id);
			if (known == null || !known.path().equals(k + ext)) { // new, or the ids moved: as the datastore lists it (a known one keeps its measured size)
				measured.remove(id);
				images.put(id, new ImageRecord(id, k + ext, "", 0, image.path("info").path("width").asInt(0), image.path("info").path("height").asInt(0), 1, 1, 1,
						8, Split.UNASSIGNED, "server", Instant.EPOCH));
			}
			id++;
		}
	}

	/** Warnings from connecting (a server of another version), for the user to see once. */
	public List<String> warnings() {
		return List.copyOf(warnings);
	}

	/** The server's segmentation model LabelLoop uses. */
	public String model() {
		return model;
	}

	// ---- HTTP ------------------------------------------------------------------------------------------

	private Response get(String path) {
		return send(new Request.Builder().url(url(path)).get());
	}

	private HttpUrl url(String path) {
		HttpUrl u = HttpUrl.parse(base.toString().replaceAll("/+$", "") + "/" + path);
		if (u == null) throw new IllegalArgumentException(path);
		return u;
	}

	/** Sends a request; on 401 asks the login hook, gets a token and sends it once more. */
	private Response send(Request.Builder request) {
		try {
			if (token != null) request.header("Authorization", "Bearer " + token);
			Response r = http.newCall(request.build()).execute();
			if (r.code() == 401 && login != null) {
				r.close();
				authenticate();
				r = http.newCall(request.header("Authorization", "Bearer " + token).build()).execute();
			}
			if (r.code() == 401) {
				r.close();
				throw new LabelLoopException("MONAI Label server " + base + " refused the login (401): check the user name and password.");
			}
			if (!r.isSuccessful()) {
				String body = r.body() == null ? "" : r.body().string();
				r.close();
				throw new LabelLoopException("MONAI Label server " + base + " answered " + r.code() + " to " + request.build().method() + " "
						+ request.build().url().encodedPath() + (body.isBlank() ? "" : ": " + body.strip()));
			}
			return r;
		} catch (IOException e) {
			throw new LabelLoopException("Cannot reach the MONAI Label server " + base + ": " + e.getMessage(), e);
		}
	}

	private void authenticate() throws IOException {
		Credentials c = login.apply(base.toString());
		if (c == null) throw new LabelLoopException("MONAI Label server " + base + " needs a login; none was given.");
		Request r = new Request.Builder().url(url("auth/token")).post(new FormBody.Builder().add("username", c.user()).add("password", c.password()).build())
				.build();
		try (Response resp = http.newCall(r).execute()) {
			if (!resp.isSuccessful())
				throw new LabelLoopException("MONAI Label server " + base + " refused the login for '" + c.user() + "' (" + resp.code() + ").");
			token = json(resp).path("access_token").asText(null);
			if (token == null) throw new LabelLoopException("MONAI Label server " + base + " gave no access token on login.");
		}
	}

	private static JsonNode json(Response r) {
		try (r) {
			return JSON.readTree(r.body().string());
		} catch (IOException e) {
			throw new LabelLoopException("The MONAI Label server's answer is not JSON: " + e.getMessage(), e);
		}
	}

	// ---- what it can do ------------------------------------------------------------------------------

	/** Why MONAI Label lacks a facet: what it does instead, then that the command needs a LabelLoop project. */
	@Override
	public String missing(Class<?> facet) {
		String why = facet == Backend.Similarity.class ? "MONAI Label has no similarity search or embeddings."
				: facet == Backend.Comments.class ? "MONAI Label has no comments or flags."
				: facet == Backend.Reviewing.class ? "Label review needs out-of-fold predictions, which MONAI Label does not keep."
				: facet == Backend.History.class ? "MONAI Label keeps one label per image, without history: there is nothing to undo to."
				: facet == Backend.ModelVersions.class ? "MONAI Label keeps its model versions on the server: see its /train/ status."
				: facet == Backend.LabelFiles.class ? "Import and export work on LabelLoop projects; MONAI Label's labels are files in its datastore."
				: facet == Backend.Proposing.class ? "Proposals come from the MONAI Label model (/infer/); the classical proposer needs a LabelLoop project."
				: facet == Backend.ImageImport.class ? "Add images to the MONAI Label datastore on the server."
				: facet == Backend.ClassEditing.class ? "The classes are the MONAI Label model's labels, set in the server's app."
				: facet == Backend.Roles.class ? "MONAI Label has no project roles."
				: facet == Backend.OwnModels.class ? "MONAI Label runs the models of its app on the server; your own model files need a LabelLoop project."
				: "MONAI Label cannot do this.";
		return why + " This needs a LabelLoop project (a project folder or a LabelLoop server).";
	}

	// ---- project -----------------------------------------------------------------------------------------

	@Override public String location() { return base.toString(); }

	@Override public String projectName() { return info.path("name").asText("MONAI Label"); }

	@Override public String user() { return user; }

	@Override public List<ImageRecord> images() { return List.copyOf(images.values()); }

	@Override
	public ImageRecord image(long id) {
		ImageRecord r = images.get(id);
		if (r == null) throw new LabelLoopException("No image " + id + " on the MONAI Label server " + base + ".");
		return r;
	}

	/**
	 * Downloads the image from {@code /datastore/image} once, into the cache folder. A NIfTI image's record then
	 * takes its size from the file's header (a volume: its slices), since the datastore does not list it.
	 */
	@Override
	public Path imageFile(long imageId) {
		ImageRecord r = image(imageId);
		Path file = cache.resolve(r.name());
		if (!Files.exists(file)) download(imageId, r, file);
		if (LabelVolumes.isNifti(file) && measured.add(imageId)) images.put(imageId, MonaiVolumes.measured(r, file));
		return file;
	}

	private void download(long imageId, ImageRecord r, Path file) {
		HttpUrl u = url("datastore/image").newBuilder().addQueryParameter("image", imageKeys.get(imageId)).build();
		try (Response resp = send(new Request.Builder().url(u).get())) {
			Files.createDirectories(cache);
			Path part = cache.resolve(r.name() + ".part");
			Files.write(part, resp.body().bytes());
			Files.move(part, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot store the image " + r.name() + " in " + cache + ": " + e.getMessage(), e);
		}
	}

	@Override
	public Optional<ImageRecord> next(Long currentId, NextMode mode) {
		List<Long> ids = new ArrayList<>(images.keySet());
		int at = currentId == null ? -1 : ids.indexOf(currentId);
		return at + 1 < ids.size() ? Optional.of(images.get(ids.get(at + 1))) : Optional.empty();
	}

	@Override
	public Optional<ImageRecord> previous(Long currentId) {
		List<Long> ids = new ArrayList<>(images.keySet());
		int at = currentId == null ? ids.size() : ids.indexOf(currentId);
		return at > 0 ? Optional.of(images.get(ids.get(at - 1))) : Optional.empty();
	}

	/** Asks the server's active-learning strategy ({@code random}, {@code first}, {@code epistemic}, …) for an image. */
	@Override
	public NextChoice.Batch nextItems(String strategy, int count, NextOptions options) {
		JsonNode strategies = info.path("strategies");
		if (!strategies.has(strategy)) {
			List<String> names = new ArrayList<>();
			strategies.fieldNames().forEachRemaining(names::add);
			throw new IllegalArgumentException("The MONAI Label server has no strategy '" + strategy + "'. Its strategies: " + String.join(", ", names) + ".");
		}
		List<NextChoice> choices = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			JsonNode answer = json(send(new Request.Builder().url(url("activelearning/" + strategy)).post(RequestBody.create("{}", JSON_TYPE))));
			String key = answer.path("id").asText("");
			if (key.isEmpty()) break;
			Long id = imageKeys.entrySet().stream().filter(e -> e.getValue().equals(key)).map(Map.Entry::getKey).findFirst().orElse(null);
			if (id == null) {
				loadImages();
				id = imageKeys.entrySet().stream().filter(e -> e.getValue().equals(key)).map(Map.Entry::getKey).findFirst()
						.orElseThrow(() -> new LabelLoopException("The MONAI Label server chose image '" + key + "', which its datastore does not list."));
			}
			choices.add(new NextChoice(images.get(id), "MONAI Label " + strategy, strategy, strategy, ""));
		}
		String status = choices.isEmpty() ? "The MONAI Label server has no image left for " + strategy + "." : "";
		return new NextChoice.Batch(choices, strategy, strategy, images.size(), status);
	}

	@Override public void releaseItem(long imageId) { }

	@Override public void releaseItems() { }

	@Override public List<LabelClass> classes() { return List.copyOf(classes); }

	@Override
	public LabelClass updateClass(LabelClass changed) {
		LabelClass c = classes.stream().filter(x -> x.id() == changed.id()).findFirst().orElseThrow(() -> new LabelLoopException(missing(Backend.ClassEditing.class)));
		if (!c.name().equals(changed.name())) throw new LabelLoopException(missing(Backend.ClassEditing.class));
		classes.set(classes.indexOf(c), changed); // colour and hotkey are the client's own
		return changed;
	}

	// ---- annotations ------------------------------------------------------------------------------------

	/** The image's annotations: on first use, the server model's label mask ({@code /infer/{model}}) as proposals. */
	@Override
	public List<Annotation> annotations(long imageId) {
		image(imageId);
		return List.copyOf(annotations.computeIfAbsent(imageId, this::infer));
	}

	private List<Annotation> infer(long imageId) {
		boolean nifti = LabelVolumes.isNifti(cache.resolve(image(imageId).name()));
		HttpUrl u = url("infer/" + model).newBuilder().addQueryParameter("image", imageKeys.get(imageId)).addQueryParameter("output", "image").build();
		RequestBody params = new MultipartBody.Builder().setType(MultipartBody.FORM).addFormDataPart("params", "{}").build();
		byte[] mask;
		try (Response r = send(new Request.Builder().url(u).post(params))) {
			mask = r.body().bytes();
		} catch (IOException e) {
			throw new LabelLoopException("Cannot read the MONAI Label model's answer for " + image(imageId).name() + ": " + e.getMessage(), e);
		}
		Path file = cache.resolve("infer-" + imageId + (nifti ? ".nii.gz" : ".png"));
		try {
			Files.createDirectories(cache);
			Files.write(file, mask);
		} catch (IOException e) {
			throw new LabelLoopException("Cannot store the label mask in " + cache + ": " + e.getMessage(), e);
		}
		List<Annotation> out = new ArrayList<>();
		if (nifti) { // a NIfTI label map on the image's grid: one mask per label value
			Path imageFile = imageFile(imageId); // its size and grid are the label map's
			for (LabelMap.Labelled o : MonaiVolumes.proposals(file, image(imageId), imageFile))
				out.add(proposal(imageId, AnnotationData.ofMask(o.mask(), classOf(o.label()), Origin.model(model), Status.PROPOSED, null)));
			return out;
		}
		ImagePlus labels = Images.open(file);
		for (LabelMaps.Region reg : LabelMaps.toGeometries(labels.getProcessor()))
			out.add(proposal(imageId, new AnnotationData(reg.geometry(), classOf(reg.label()), Origin.model(model), Status.PROPOSED, null, Map.of())));
		return out;
	}

	/** The class of a label value of the model's answer, {@code null} when the model's labels do not name it. */
	private Long classOf(int label) {
		return classes.stream().anyMatch(c -> c.id() == label) ? Long.valueOf(label) : null;
	}

	private Annotation proposal(long imageId, AnnotationData data) {
		return new Annotation(nextAnnotation++, imageId, 1, data, "server", Instant.now());
	}

	@Override
	public Optional<Annotation> annotation(long id) {
		return annotations.values().stream().flatMap(List::stream).filter(a -> a.id() == id).findFirst();
	}

	/**
	 * Applies the edits here, then writes each touched image's accepted and corrected ROIs and masks as one label mask
	 * ({@code /datastore/label}, tag {@code final}; a NIfTI label map for a NIfTI image): pixel value = class id, later
	 * annotations painted over earlier ones. A stale edit (the annotation changed since) is refused and nothing is written.
	 */
	@Override
	public ChangeSet apply(String description, List<Edit> edits) {
		Map<Long, List<Annotation>> after = new TreeMap<>();
		for (Edit e : edits) {
			long imageId;
			if (e instanceof Edit.Create c) imageId = c.imageId();
			else {
				long id = e instanceof Edit.Update u ? u.annotationId() : ((Edit.Delete) e).annotationId();
				imageId = annotation(id).orElseThrow(() -> new LabelLoopException("No annotation " + id + " on the MONAI Label server's images.")).imageId();
			}
			after.computeIfAbsent(imageId, k -> new ArrayList<>(annotations(k)));
		}
		for (Edit e : edits) {
			if (e instanceof Edit.Create c) {
				if (c.data().isImageLevel()) throw new LabelLoopException("MONAI Label labels are masks: an image-level label cannot be stored there.");
				after.get(c.imageId()).add(new Annotation(nextAnnotation++, c.imageId(), 1, c.data(), user, Instant.now()));
			} else if (e instanceof Edit.Update u) replace(after, u.annotationId(), u.baseRevision(), u.data());
			else if (e instanceof Edit.Delete d) replace(after, d.annotationId(), d.baseRevision(), null);
		}
		for (Map.Entry<Long, List<Annotation>> img : after.entrySet()) upload(img.getKey(), img.getValue());
		annotations.putAll(after);
		return new ChangeSet(0, user, Instant.now(), description, null, edits.size());
	}

	private static void replace(Map<Long, List<Annotation>> after, long id, long baseRevision, AnnotationData data) {
		for (List<Annotation> list : after.values())
			for (int i = 0; i < list.size(); i++) {
				Annotation a = list.get(i);
				if (a.id() != id) continue;
				if (a.revision() != baseRevision)
					throw new org.labelloop.core.model.ConflictException(id, baseRevision, a);
				if (data == null) list.remove(i);
				else list.set(i, new Annotation(a.id(), a.imageId(), a.revision() + 1, data, a.author(), Instant.now()));
				return;
			}
	}

	/**
	 * Writes the image's labels (decided, with a class, not image-level) as its label file and PUTs it to
	 * {@code /datastore/label}: on a NIfTI image a NIfTI label map on its grid ({@link MonaiVolumes#writeLabelMap}),
	 * else a 16-bit TIFF mask of the image's size.
	 */
	private void upload(long imageId, List<Annotation> list) {
		Path imageFile = imageFile(imageId);
		List<Annotation> labels = list.stream().filter(a -> !a.data().isImageLevel() && Labels.isLabel(a)).toList();
		if (LabelVolumes.isNifti(imageFile)) {
			Path file = cache.resolve("label-" + imageId + ".nii.gz");
			MonaiVolumes.writeLabelMap(file, image(imageId), imageFile, labels);
			putLabel(imageId, file, ".nii.gz");
			return;
		}
		ImagePlus image = Images.open(imageFile);
		ShortProcessor mask = new ShortProcessor(image.getWidth(), image.getHeight());
		for (Annotation a : labels) {
			AnnotationData d = a.data();
			if (d.isMask()) { // the label image is one plane: the mask's voxels on the first slice
				int value = (int) (long) d.classId(), w = mask.getWidth(), h = mask.getHeight();
				d.mask().slice(0).forEachRow((y, xs, xe) -> {
					for (int x = Math.max(0, xs); x < Math.min(w, xe); x++) if (y >= 0 && y < h) mask.set(x, y, value);
				});
				continue;
			}
			if (!d.geometry().kind().isArea()) continue;
			Roi roi = RoiBridge.toRoi(d.geometry());
			mask.setValue(d.classId());
			mask.fill(roi);
		}
		Path file = cache.resolve("label-" + imageId + ".tif");
		try {
			Files.createDirectories(cache);
			Files.write(file, new FileSaver(new ImagePlus("label", mask)).serialize());
		} catch (IOException e) {
			throw new LabelLoopException("Cannot write the label mask in " + cache + ": " + e.getMessage(), e);
		}
		putLabel(imageId, file, ".tif");
	}

	/** {@code PUT /datastore/label?image=<id>&tag=final} with the label file (multipart {@code label} + {@code params}). */
	private void putLabel(long imageId, Path file, String ext) {
		HttpUrl u = url("datastore/label").newBuilder().addQueryParameter("image", imageKeys.get(imageId)).addQueryParameter("tag", "final").build();
		RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
				.addFormDataPart("label", imageKeys.get(imageId) + ext, RequestBody.create(file.toFile(), BINARY))
				.addFormDataPart("params", "{\"label_info\": []}").build();
		send(new Request.Builder().url(u).put(body)).close();
	}

	@Override public Role role() { return Role.LABELLER; }

	/**
	 * Starts training the server's model ({@code POST /train/{model}}); the server trains in the background, so the
	 * report names no new local version. {@link #trainingStatus()} reads {@code GET /train/}.
	 */
	@Override
	public TrainReport retrain(TrainOptions options, Progress progress) {
		send(new Request.Builder().url(url("train/" + model)).post(RequestBody.create("{}", JSON_TYPE))).close();
		return new TrainReport(List.of(new TrainReport.TaskResult(Task.ROI, null, "training started on the MONAI Label server (" + model + ")", 0, 0, List.of())));
	}

	/** The server's training status ({@code GET /train/}), e.g. {@code RUNNING} or {@code SUCCESS}; "" if it says none. */
	public String trainingStatus() {
		return json(get("train/")).path("status").asText("");
	}

	@Override public List<ModelVersion> models() { return List.of(); }

	@Override public Optional<ModelVersion> activeModel(Task task) { return Optional.empty(); }

	@Override public Optional<Prediction> imagePrediction(long imageId, int z) { return Optional.empty(); }

	@Override
	public void close() {
		http.dispatcher().executorService().shutdown();
		http.connectionPool().evictAll();
	}
}
