package org.labelloop.fiji;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.labelloop.backend.Backend;
import org.labelloop.core.al.Strategies;
import org.labelloop.core.learn.djl.SamPrompter;
import org.labelloop.core.model.ImageRecord;
import org.labelloop.core.model.LabelLoopException;
import org.labelloop.imaging.Images;

import ij.IJ;
import ij.ImageListener;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;

/**
 * The LabelLoop state of one ImageJ: the open project ({@link Backend}) with its {@link ProjectView}, the image
 * LabelLoop shows, and the windows open on the project. Commands are instantiated anew by ImageJ on every run, so
 * this is the one place that holds state between them: one final instance per ImageJ (per class loader), and no
 * other static state in the plugin (ArchitectureTest holds that).
 * <p>
 * An image shown by LabelLoop carries the project image id as the ImagePlus property {@value #IMAGE_ID} (and the
 * project location as {@value #PROJECT}), so the link survives whatever window or macro handles the image.
 */
public final class LabelLoopSession {

	/** ImagePlus property: the project image id (a {@code Long}). */
	public static final String IMAGE_ID = "labelloop.imageId";
	/** ImagePlus property: the project image id of an image LabelLoop showed before and let go of. */
	public static final String DETACHED_ID = "labelloop.detachedImageId";
	/** ImagePlus property: the location of the project the image belongs to. */
	public static final String PROJECT = "labelloop.project";
	/** IJ Prefs key of the user name (never a token or password). */
	public static final String USER_PREF = "labelloop.user";
	/** This Fiji's promptable click model (Click Model): files on this machine, so a preference, not a project setting. */
	public static final String CLICK_ENCODER_PREF = "labelloop.click.encoder", CLICK_DECODER_PREF = "labelloop.click.decoder";
	/** ImageJ preference: the strategy Next Image used last. */
	static final String NEXT_STRATEGY_PREF = "labelloop.next.strategy";

	private static final LabelLoopSession SESSION = new LabelLoopSession();

	private volatile Backend backend; // read without the lock: the event thread (hotkeys) must never wait for it
	private volatile ImagePlus shown;
	private boolean hooksInstalled;
	/** The lab server sharing the open project from this ImageJ (Share Project), or null. */
	private AutoCloseable sharing;
	/** The open project's view, kept current from its change feed; null when none is open. */
	private volatile ProjectView view;
	/** What the mask brush paints (Mask Brush sets it). */
	private volatile BrushTool.Settings brush = BrushTool.Settings.DEFAULT;
	/** Why the image shown was chosen (Next Image's reason), for the LabelLoop panel; null before any. */
	private volatile Chosen chosen;
	/** The windows open on the project, one per kind (the Similar Items gallery, the Embedding Map). */
	private final Map<Class<?>, Object> windows = new ConcurrentHashMap<>();

	private LabelLoopSession() {
	}

	/** The session of this ImageJ. */
	public static LabelLoopSession get() {
		return SESSION;
	}

	/** The user name to record changes under: the last one used, else the system user. */
	public static String defaultUser() {
		return Prefs.get(USER_PREF, System.getProperty("user.name", "user"));
	}

	/** Makes {@code b} the open project, closing the one open before (and detaching its image). */
	public synchronized void open(Backend b) {
		close();
		chosen = null;
		backend = b;
		Prefs.set(USER_PREF, b.user());
		ProjectView v = new ProjectView(b);
		v.subscribe(new LiveUpdates(b, () -> shown != null && isAlive(shown) ? shown : null));
		v.start();
		view = v;
		installHooks();
	}

	public boolean isOpen() {
		return backend != null;
	}

	/** A facet of the open project ({@code Backend.Similarity.class}, ...), or an error saying it needs a LabelLoop project. */
	public <F> F require(Class<F> facet) {
		return backend().require(facet);
	}

	/** The open project's view: its classes, and the change feed windows subscribe to. */
	public ProjectView view() {
		ProjectView v = view;
		if (v == null) {
			backend(); // says no project is open
			throw new LabelLoopException("The project is closing.");
		}
		return v;
	}

	/** What the mask brush paints. */
	public BrushTool.Settings brush() {
		return brush;
	}

	public void setBrush(BrushTool.Settings settings) {
		brush = settings;
	}

	/**
	 * Why an image was shown: Next Image's reason ({@code entropy 1.92 — rank 1 of 4,211 unlabelled}), or the order
	 * Previous/Next Image followed.
	 */
	public record Chosen(long imageId, String reason) {
	}

	/** Remembers why {@code imageId} is shown (Next/Previous Image call it after showing it). */
	public void setChosen(long imageId, String reason) {
		chosen = new Chosen(imageId, reason == null ? "" : reason);
	}

	/** Why {@code imageId} is shown, or "" when it was opened otherwise (Show Annotations, the map, a macro). */
	public String reason(long imageId) {
		Chosen c = chosen;
		return c != null && c.imageId() == imageId ? c.reason() : "";
	}

	/** Next Image's strategies: sequential, unlabelled and random (project order or chance), then every active-learning one. */
	public static List<String> nextStrategies() {
		List<String> s = new ArrayList<>(List.of("sequential", "unlabelled", "random"));
		for (String n : Strategies.names()) if (!s.contains(n)) s.add(n);
		return s;
	}

	/**
	 * The strategy Next Image offers first: with {@code remembered}, the one it used last (kept in ImageJ's preferences,
	 * as ImageJ's own dialogs keep their values) unless that one needs a model and {@code model} says there is none;
	 * else the default ({@link Strategies#DEFAULT} with a model, {@code unlabelled} without). A macro that leaves the
	 * strategy out gets the default, never what someone chose by hand before, so it replays the same.
	 */
	public static String nextStrategy(boolean model, boolean remembered) {
		String last = remembered ? Prefs.get(NEXT_STRATEGY_PREF, "") : "";
		boolean needsNoModel = List.of("sequential", "unlabelled", "random").contains(last);
		if (nextStrategies().contains(last) && (model || needsNoModel)) return last;
		return model ? Strategies.DEFAULT : "unlabelled";
	}

	/** Remembers the strategy Next Image used (from its dialog, a macro or the panel). */
	public static void setNextStrategy(String strategy) {
		Prefs.set(NEXT_STRATEGY_PREF, strategy);
	}

	/** The open window of a kind, or null. */
	public <T> T window(Class<T> type) {
		return type.cast(windows.get(type));
	}

	/** Remembers the open window of a kind (null forgets it). */
	public <T> void setWindow(Class<T> type, T window) {
		if (window == null) windows.remove(type);
		else windows.put(type, window);
	}

	/** The open project. */
	public Backend backend() {
		Backend b = backend;
		if (b == null)
			throw new LabelLoopException("No LabelLoop project is open. Use Plugins>LabelLoop>New Project or Open Project first.");
		return b;
	}

	private SamPrompter clickModel;

	/**
	 * This Fiji's promptable click model (a SAM encoder/decoder pair set with Click Model), opened the first time a click
	 * needs it and kept for every project; empty when none is set.
	 */
	public synchronized Optional<SamPrompter> clickModel() {
		if (clickModel == null) {
			String enc = Prefs.get(CLICK_ENCODER_PREF, ""), dec = Prefs.get(CLICK_DECODER_PREF, "");
			if (enc.isBlank() || dec.isBlank()) return Optional.empty();
			try {
				clickModel = SamPrompter.open(Path.of(enc), Path.of(dec));
			} catch (LabelLoopException e) {
				throw new LabelLoopException(e.getMessage() + " (the click model set with Click Model; run it with an empty encoder to click without it)", e);
			}
		}
		return Optional.of(clickModel);
	}

	/**
	 * Sets this Fiji's promptable click model after opening both files (a model that does not open is never stored),
	 * or with a null encoder goes back to clicking without one.
	 */
	public synchronized void setClickModel(Path encoder, Path decoder) {
		SamPrompter opened = encoder == null ? null : SamPrompter.open(encoder, decoder);
		if (clickModel != null) clickModel.close();
		clickModel = opened;
		Prefs.set(CLICK_ENCODER_PREF, encoder == null ? "" : encoder.toAbsolutePath().toString());
		Prefs.set(CLICK_DECODER_PREF, encoder == null ? "" : decoder.toAbsolutePath().toString());
	}

	/**
	 * Closes the open project, if any: its image loses its LabelLoop ROIs, the images Next Image leased are given
	 * back and the backend is closed.
	 */
	public synchronized void close() {
		setSharing(null);
		if (view != null) view.close();
		view = null;
		if (shown != null && isAlive(shown)) {
			AnnotationView.detach(shown);
			close(shown);
		}
		shown = null;
		if (backend != null) {
			Backend b = backend;
			backend = null;
			try {
				b.releaseItems();
			} catch (RuntimeException e) {
				IJ.log("LabelLoop: giving back leased images failed (they expire by themselves): " + e.getMessage());
			}
			b.close();
		}
	}

	/** The server sharing the open project, or null. */
	public synchronized AutoCloseable sharing() {
		return sharing;
	}

	/** Replaces the server sharing the open project (stopping the one before); null stops sharing. */
	public synchronized void setSharing(AutoCloseable server) {
		if (sharing != null && sharing != server) {
			try {
				sharing.close();
			} catch (Exception e) {
				IJ.log("LabelLoop: stopping the server failed: " + e.getMessage());
			}
		}
		sharing = server;
	}

	/** The project image id of {@code imp}, or {@code null} when LabelLoop does not show it. */
	public static Long imageId(ImagePlus imp) {
		return imp != null && imp.getProperty(IMAGE_ID) instanceof Long id ? id : null;
	}

	/** The project image shown now, if any. */
	public Optional<Long> currentImageId() {
		ImagePlus imp = findCurrentImage();
		return imp == null ? Optional.empty() : Optional.of(imageId(imp));
	}

	/**
	 * The LabelLoop image to work on: the active image if LabelLoop shows it, else the one LabelLoop showed last.
	 *
	 * @throws LabelLoopException if there is none
	 */
	public ImagePlus currentImage() {
		backend();
		ImagePlus imp = findCurrentImage();
		if (imp == null) throw new LabelLoopException("No LabelLoop image is open. Use Plugins>LabelLoop>Next Image first.");
		return imp;
	}

	private ImagePlus findCurrentImage() {
		Backend b = backend;
		if (b == null) return null;
		ImagePlus active = WindowManager.getCurrentImage();
		if (imageId(active) != null && b.location().equals(active.getProperty(PROJECT))) return active;
		ImagePlus s = shown;
		return s != null && isAlive(s) ? s : null;
	}

	/**
	 * Opens the project image, shows it with its annotations and closes the LabelLoop image shown before (unless
	 * the user put ROIs of their own on its overlay: then it stays open, without LabelLoop's ROIs).
	 */
	public synchronized ImagePlus show(ImageRecord record) {
		Backend b = backend();
		ImagePlus previous = shown != null && isAlive(shown) ? shown : null;
		if (previous != null) AnnotationView.detach(previous);
		ImagePlus imp = openWindowOf(record.id(), b.location());
		boolean reused = imp != null;
		if (!reused) imp = Images.open(b.imageFile(record.id()));
		imp.setProperty(IMAGE_ID, record.id());
		imp.setProperty(PROJECT, b.location());
		imp.setProperty(DETACHED_ID, null);
		if (reused) WindowManager.setCurrentWindow(imp.getWindow());
		else {
			imp.show();
			AnnotationView.zoomSmallImage(imp);
		}
		shown = imp;
		AnnotationView.refresh(imp, b);
		ClassHotkeys.attach(imp);
		ClickSelect.attach(imp);
		if (previous != null && previous != imp && !AnnotationView.hasUserOverlay(previous)) close(previous);
		return imp;
	}

	/** An open image LabelLoop showed before for this project image (kept open for the user's own overlay). */
	private static ImagePlus openWindowOf(long imageId, String project) {
		int[] ids = WindowManager.getIDList();
		if (ids == null) return null;
		for (int id : ids) {
			ImagePlus imp = WindowManager.getImage(id);
			if (imp != null && Long.valueOf(imageId).equals(imp.getProperty(DETACHED_ID)) && project.equals(imp.getProperty(PROJECT))
					&& imp.getWindow() != null) return imp;
		}
		return null;
	}

	/** Redraws the annotations of the current LabelLoop image, if one is open. */
	public void refreshCurrent() {
		ImagePlus imp = findCurrentImage();
		if (imp != null) AnnotationView.refresh(imp, backend());
	}

	/** A path as typed by a user: {@code ~} expanded, made absolute. */
	public static Path path(String text) {
		String t = text.strip();
		if (t.startsWith("~")) t = System.getProperty("user.home") + t.substring(1);
		return Path.of(t).toAbsolutePath().normalize();
	}

	private static boolean isAlive(ImagePlus imp) {
		return WindowManager.getImage(imp.getID()) == imp;
	}

	private static void close(ImagePlus imp) {
		imp.changes = false;
		imp.close();
	}

	private void installHooks() {
		if (hooksInstalled) return;
		hooksInstalled = true;
		ImagePlus.addImageListener(new ImageListener() {
			@Override public void imageOpened(ImagePlus imp) { }
			@Override public void imageUpdated(ImagePlus imp) { }
			@Override public void imageClosed(ImagePlus imp) {
				if (imageId(imp) != null) AnnotationView.forgetRoiManagerEntries(imageId(imp));
				if (imp == shown) shown = null; // no lock: this may run on the event thread
			}
		});
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			Backend b = backend;
			backend = null;
			if (b != null) {
				try {
					b.close();
				} catch (RuntimeException e) {
					IJ.log("LabelLoop: closing the project failed: " + e.getMessage());
				}
			}
		}, "LabelLoop shutdown"));
	}
}
