package org.labelloop.core.learn.djl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.labelloop.core.geom.Geometry;
import org.labelloop.core.learn.Embedder;
import org.labelloop.core.learn.FloatImage;
import org.labelloop.core.model.LabelLoopException;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.PairList;

/**
 * Runs the user's own deep model, an ONNX ({@code .onnx}, ONNX Runtime engine) or TorchScript ({@code .pt}, PyTorch
 * engine) file, offline, and uses one of its outputs, flattened, as the embedding.
 * <p>
 * Each image (or the bounding box of a region, see {@link #embed(FloatImage, Geometry)}) is resized bilinearly to the
 * {@link Settings}' width × height, converted to its channel count (grey replicated to 3 channels, colour averaged to
 * grey), normalised per channel as {@code (value - mean) / std} on the pixel values as ImageJ shows them (calibrated: HU
 * for a CT; see {@code imaging.FloatImages}), and given to the model as one
 * float32 tensor of shape 1×C×H×W (NCHW). The model is run once on a blank image when the embedder is made, which
 * checks the input shape and fixes {@link #dimension()}.
 * <p>
 * Every problem with the file (missing, unreadable, wrong format, corrupt, wrong input shape, no such output) is a
 * {@link LabelLoopException} whose message names the file and says what to change. Nothing is downloaded:
 * {@link Djl#init()} sets {@code ai.djl.offline=true}. Thread-safe: calls to the model are serialised (the engines
 * use several threads inside one call). Close it to free the native model.
 */
public final class DjlEmbedder implements Embedder, AutoCloseable {

	/** The model file formats this embedder reads. */
	public enum Format {
		/** ONNX protobuf, run by ONNX Runtime. */
		ONNX("OnnxRuntime", ".onnx"),
		/** TorchScript archive ({@code torch.jit.save}), run by PyTorch. */
		TORCHSCRIPT("PyTorch", ".pt");

		final String engine;
		final String extension;

		Format(String engine, String extension) {
			this.engine = engine;
			this.extension = extension;
		}

		/** The format a file's name says, or null. */
		static Format of(Path file) {
			String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
			if (name.endsWith(".onnx")) return ONNX;
			if (name.endsWith(".pt")) return TORCHSCRIPT;
			return null;
		}
	}

	/**
	 * How to feed the model and which output to use (the project settings of a deep embedder).
	 *
	 * @param modelFile an {@code .onnx} or TorchScript {@code .pt} file
	 * @param width input width the model takes
	 * @param height input height the model takes
	 * @param channels 1 or 3
	 * @param mean per channel (or one value for all), subtracted from the raw pixel values
	 * @param std per channel (or one value for all), positive; the difference is divided by it
	 * @param outputIndex which output of the model to use when {@code outputName} is null
	 * @param outputName the output to use by name (ONNX output names), or null to use {@code outputIndex}
	 */
	public record Settings(Path modelFile, int width, int height, int channels, float[] mean, float[] std, int outputIndex, String outputName) {

		public Settings {
			if (modelFile == null) throw new IllegalArgumentException("No model file given");
			if (width <= 0 || height <= 0) throw new IllegalArgumentException("Input size must be positive, got " + width + "x" + height);
			if (channels != 1 && channels != 3) throw new IllegalArgumentException("Channels must be 1 or 3, got " + channels);
			mean = perChannel(mean, channels, 0, "mean");
			std = perChannel(std, channels, 1, "std");
			for (float s : std)
				if (!(s > 0)) throw new IllegalArgumentException("Every std must be positive, got " + s);
			if (outputIndex < 0) throw new IllegalArgumentException("Output index must be 0 or more, got " + outputIndex);
		}

		/** Raw pixels (mean 0, std 1), first output. */
		public static Settings of(Path modelFile, int width, int height, int channels) {
			return new Settings(modelFile, width, height, channels, null, null, 0, null);
		}

		/** The same settings with this normalisation. */
		public Settings withNormalisation(float[] mean, float[] std) {
			return new Settings(modelFile, width, height, channels, mean, std, outputIndex, outputName);
		}

		/** The same settings using the output at this index. */
		public Settings withOutput(int index) {
			return new Settings(modelFile, width, height, channels, mean, std, index, null);
		}

		/** The same settings using the output of this name. */
		public Settings withOutput(String name) {
			return new Settings(modelFile, width, height, channels, mean, std, 0, name);
		}

		@Override public float[] mean() { return mean.clone(); }
		@Override public float[] std() { return std.clone(); }

		private static float[] perChannel(float[] v, int channels, float dflt, String what) {
			if (v == null || v.length == 0) v = new float[] { dflt };
			if (v.length == 1 && channels > 1) {
				float[] all = new float[channels];
				java.util.Arrays.fill(all, v[0]);
				return all;
			}
			if (v.length != channels) throw new IllegalArgumentException(what + " needs " + channels + " values (one per channel), got " + v.length);
			return v.clone();
		}
	}

	private final Settings settings;
	private final Format format;
	private final String id;
	private final Model model;
	private final Predictor<NDList, NDList> predictor;
	private final int outputAt;
	private final int dimension;

	private DjlEmbedder(Settings s, Format format, String sha256, Model model, Predictor<NDList, NDList> predictor, int outputAt, int dimension) {
		this.settings = s;
		this.format = format;
		this.model = model;
		this.predictor = predictor;
		this.outputAt = outputAt;
		this.dimension = dimension;
		StringBuilder norm = new StringBuilder();
		for (int c = 0; c < s.channels(); c++) norm.append(c == 0 ? "" : ",").append(s.mean[c]).append('/').append(s.std[c]);
		this.id = "djl-" + format.name().toLowerCase(Locale.ROOT) + "-" + sha256.substring(0, 12) + "-" + s.width() + "x" + s.height() + "x"
				+ s.channels() + "-n" + norm + "-out" + (s.outputName() != null ? s.outputName() : Integer.toString(s.outputIndex()));
	}

	/**
	 * Loads the model and checks it against the settings by running it once.
	 *
	 * @throws LabelLoopException when the file is missing, unreadable, of the wrong format or corrupt, when the model
	 *         takes another input shape, or when it has no such output
	 */
	public static DjlEmbedder open(Settings s) {
		Path file = s.modelFile().toAbsolutePath();
		Format format = checkedFormat(file);
		String sha = sha256(file);
		Model model = load(file, format);
		try {
			Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
			// Run once on a blank image: catches shapes the file does not declare (TorchScript) and fixes the output.
			int[] outputAt = new int[1];
			float[] probe;
			try (NDManager m = model.getNDManager().newSubManager()) {
				NDList out;
				try {
					out = run(predictor, m, new float[s.channels() * s.width() * s.height()], s, file);
				} catch (LabelLoopException e) {
					String mismatch = shapeMismatch(declaredInput(model, format, file), s, file);
					if (mismatch != null) throw new LabelLoopException(mismatch, e);
					throw e;
				}
				outputAt[0] = pickOutput(out, model, s, file);
				probe = flatten(out.get(outputAt[0]), file);
			}
			return new DjlEmbedder(s, format, sha, model, predictor, outputAt[0], probe.length);
		} catch (RuntimeException e) {
			model.close();
			throw e;
		}
	}

	/** The format of a model file that exists, is readable and is what its name says, or a clear message why not. */
	static Format checkedFormat(Path file) {
		if (!Files.exists(file)) throw new LabelLoopException("The model file " + file + " does not exist. Check the path in the project settings.");
		if (!Files.isRegularFile(file) || !Files.isReadable(file))
			throw new LabelLoopException("The model file " + file + " is not a readable file.");
		Format format = Format.of(file);
		if (format == null)
			throw new LabelLoopException("The model file " + file.getFileName() + " is of a format LabelLoop cannot run: use an ONNX model (.onnx) "
					+ "or a TorchScript model (.pt, saved with torch.jit.save).");
		byte[] head = head(file, 4);
		boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
		if (head.length == 0) throw new LabelLoopException("The model file " + file + " is empty.");
		if (format == Format.ONNX && zip)
			throw new LabelLoopException("The model file " + file.getFileName() + " is a zip archive (a PyTorch/TorchScript file?), not an ONNX model. "
					+ "Name a TorchScript file .pt, or export the model to ONNX (torch.onnx.export).");
		if (format == Format.TORCHSCRIPT && !zip)
			throw new LabelLoopException("The model file " + file.getFileName() + " is not a TorchScript archive (TorchScript files are zip archives "
					+ "written by torch.jit.save; a pickled state_dict or a file from torch.save cannot be run without its Python code).");
		return format;
	}

	/** The model loaded on its engine (offline), or a clear message why it cannot be. */
	static Model load(Path file, Format format) {
		Djl.require(format.engine);
		Model model;
		try {
			model = Model.newInstance(stem(file), format.engine);
		} catch (RuntimeException | UnsatisfiedLinkError e) {
			throw new LabelLoopException("The " + format.engine + " engine could not start (" + e.getMessage() + "). LabelLoop never downloads it: "
					+ "its native library must be on the class path.", e);
		}
		try {
			model.load(file);
			return model;
		} catch (Exception | UnsatisfiedLinkError e) {
			model.close();
			throw new LabelLoopException("The model file " + file.getFileName() + " could not be read as " + (format == Format.ONNX ? "an ONNX" : "a TorchScript")
					+ " model; it may be damaged or incomplete (" + rootMessage(e) + ").", e);
		}
	}

	/**
	 * The input shape the model declares, or null when it declares none (TorchScript) or cannot be asked. ONNX Runtime
	 * is asked directly (DJL's model does not describe ONNX inputs); DJL has created the ORT environment by then.
	 */
	private static long[] declaredInput(Model model, Format format, Path file) {
		try {
			PairList<String, Shape> inputs = model.getBlock() == null ? null : model.getBlock().describeInput();
			if (inputs != null && inputs.size() == 1 && inputs.get(0).getValue() != null) return inputs.get(0).getValue().getShape();
		} catch (RuntimeException e) {
			// not described
		}
		if (format != Format.ONNX) return null;
		try (ai.onnxruntime.OrtSession session = ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(file.toString())) {
			var info = session.getInputInfo();
			if (info.size() != 1) return new long[0];
			return info.values().iterator().next().getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : null;
		} catch (Exception | LinkageError e) {
			return null;
		}
	}

	/** A clear message when the declared input shape differs from the settings' 1×C×H×W, or null. */
	private static String shapeMismatch(long[] want, Settings s, Path file) {
		if (want == null) return null;
		if (want.length == 0) return "The model " + file.getFileName() + " takes several inputs; LabelLoop feeds exactly one image tensor (N×C×H×W).";
		long[] given = { 1, s.channels(), s.height(), s.width() };
		boolean ok = want.length == 4;
		for (int i = 0; ok && i < 4; i++)
			if (want[i] > 0 && want[i] != given[i]) ok = false;
		return ok ? null : "The model " + file.getFileName() + " expects input " + dims(want) + " but the settings give " + dims(given)
				+ " (N×C×H×W: channels " + s.channels() + ", height " + s.height() + ", width " + s.width()
				+ "). Set the input size and channels to the model's.";
	}

	private static int pickOutput(NDList out, Model model, Settings s, Path file) {
		List<String> names = new ArrayList<>();
		for (NDArray a : out) names.add(a.getName());
		if (names.stream().allMatch(n -> n == null || n.isEmpty())) {
			try {
				PairList<String, Shape> described = model.describeOutput();
				if (described != null && described.size() == out.size()) names = described.keys();
			} catch (RuntimeException e) {
				// names unknown
			}
		}
		if (s.outputName() != null) {
			int i = names.indexOf(s.outputName());
			if (i < 0)
				throw new LabelLoopException("The model " + file.getFileName() + " has no output named '" + s.outputName() + "'; its outputs are "
						+ describe(names, out) + ".");
			return i;
		}
		if (s.outputIndex() >= out.size())
			throw new LabelLoopException("The model " + file.getFileName() + " has " + out.size() + " output(s), so there is no output "
					+ s.outputIndex() + " (counting from 0); its outputs are " + describe(names, out) + ".");
		return s.outputIndex();
	}

	private static String describe(List<String> names, NDList out) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < out.size(); i++)
			b.append(i == 0 ? "" : ", ").append(i).append(": ").append(names.get(i) == null ? "(unnamed)" : names.get(i)).append(' ')
					.append(dims(out.get(i).getShape().getShape()));
		return b.toString();
	}

	private static NDList run(Predictor<NDList, NDList> predictor, NDManager m, float[] pixels, Settings s, Path file) {
		NDArray x = m.create(pixels, new Shape(1, s.channels(), s.height(), s.width()));
		try {
			return predictor.predict(new NDList(x));
		} catch (Exception e) {
			throw new LabelLoopException("The model " + file.getFileName() + " failed on a 1×" + s.channels() + "×" + s.height() + "×" + s.width()
					+ " input (N×C×H×W). Check the input size and channels in the settings against the model's (" + rootMessage(e) + ").", e);
		}
	}

	private static float[] flatten(NDArray a, Path file) {
		if (a.getDataType() != DataType.FLOAT32) a = a.toType(DataType.FLOAT32, false);
		float[] v = a.toFloatArray();
		if (v.length == 0) throw new LabelLoopException("The chosen output of " + file.getFileName() + " is empty.");
		return v;
	}

	@Override
	public String id() {
		return id;
	}

	@Override
	public int dimension() {
		return dimension;
	}

	/** The settings this embedder runs with. */
	public Settings settings() {
		return settings;
	}

	/** The model file's format. */
	public Format format() {
		return format;
	}

	@Override
	public float[] embed(FloatImage image) {
		float[] v = raw(image).values();
		if (v.length != dimension)
			throw new LabelLoopException("The model " + settings.modelFile().getFileName() + " gave " + v.length + " values, not " + dimension
					+ " as on its first run.");
		return v;
	}

	/** The chosen output of the model for one image, with its shape (e.g. 1×K×H×W for a segmentation model). */
	record Output(float[] values, long[] shape) {
	}

	Output raw(FloatImage image) {
		Settings s = settings;
		float[] x = Pixels.toInput(image, s.width(), s.height(), s.channels());
		int n = s.width() * s.height();
		for (int c = 0; c < s.channels(); c++) {
			float mean = s.mean[c], std = s.std[c];
			for (int i = c * n; i < (c + 1) * n; i++) x[i] = (x[i] - mean) / std;
		}
		synchronized (predictor) {
			try (NDManager m = model.getNDManager().newSubManager()) {
				NDList out = run(predictor, m, x, s, s.modelFile());
				NDArray a = out.get(outputAt);
				return new Output(flatten(a, s.modelFile()), a.getShape().getShape());
			}
		}
	}

	/** Embeds the region's bounding box (clipped to the image), pixels outside the region set to the mean of those inside. */
	@Override
	public float[] embed(FloatImage image, Geometry region) {
		return embed(Pixels.crop(image, region));
	}

	@Override
	public void close() {
		synchronized (predictor) {
			predictor.close();
			model.close();
		}
	}

	static String dims(long[] d) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < d.length; i++) b.append(i == 0 ? "" : "×").append(d[i] < 0 ? "?" : Long.toString(d[i]));
		return b.toString();
	}

	private static String stem(Path file) {
		String n = file.getFileName().toString();
		int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	private static byte[] head(Path file, int n) {
		try (InputStream in = Files.newInputStream(file)) {
			return in.readNBytes(n);
		} catch (IOException e) {
			throw new LabelLoopException("The model file " + file + " could not be read: " + e.getMessage(), e);
		}
	}

	static String sha256(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			byte[] buf = new byte[1 << 16];
			for (int r; (r = in.read(buf)) > 0;) md.update(buf, 0, r);
			return HexFormat.of().formatHex(md.digest());
		} catch (IOException e) {
			throw new LabelLoopException("The model file " + file + " could not be read: " + e.getMessage(), e);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}

	static String rootMessage(Throwable e) {
		Throwable t = e;
		while (t.getCause() != null && t.getCause() != t) t = t.getCause();
		String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
		m = m.strip();
		int nl = m.indexOf('\n');
		if (nl > 0) m = m.substring(0, nl);
		return m.length() > 300 ? m.substring(0, 300) + "…" : m;
	}
}
