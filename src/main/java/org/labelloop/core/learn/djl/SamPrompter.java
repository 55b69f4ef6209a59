package org.labelloop.core.learn.djl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/**
 * Click-to-segment with a promptable model the user brings (issue 19): a Segment Anything encoder/decoder pair
 * exported to ONNX (SAM, MobileSAM, EfficientSAM and others with SAM's prompt decoder), run offline on ONNX Runtime.
 * The image embedding is computed once per slice and kept (the last {@value #CACHED} slices); each click runs only the
 * decoder.
 * <p>
 * What it expects (the signature of segment-anything's {@code scripts/export_onnx_model.py} for the decoder):
 * <ul>
 * <li><b>encoder</b>: one input, 1×3×S×S floats (S from the model, 1024 for SAM): the slice resized so that its longer
 * side is S, scaled to 0..255 from its own range, normalised with SAM's mean (123.675, 116.28, 103.53) and standard
 * deviation (58.395, 57.12, 57.375), a grey slice repeated on the three channels, padded with 0 to the right and
 * bottom; output 0 is the image embedding;</li>
 * <li><b>decoder</b>: inputs {@code image_embeddings}, {@code point_coords} (1×N×2: a click at pixel (x, y) is x and y
 * times the resized size over the original, per axis, as SAM's {@code ResizeLongestSide} does),
 * {@code point_labels} (1×N: 1 inside, 0 outside, −1 the padding point SAM's export expects without a box),
 * {@code mask_input} (1×1×4h×4w zeros for an embedding of h×w), {@code has_mask_input} ([0]) and
 * {@code orig_im_size} ([height, width]); outputs {@code masks} (1×M×height×width logits, the object where > 0) and
 * {@code iou_predictions} (1×M): the mask with the highest predicted IoU is the answer.</li>
 * </ul>
 * Plain Java on DJL: no ImageJ. Not thread-safe beyond its own lock: one click at a time.
 */
public final class SamPrompter implements AutoCloseable {

	static final int CACHED = 4;
	private static final float[] MEAN = { 123.675f, 116.28f, 103.53f }, STD = { 58.395f, 57.12f, 57.375f };
	static final List<String> DECODER_INPUTS = List.of("image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size");

	private final Path encoderFile, decoderFile;
	private final Model encoder, decoder;
	private final Predictor<NDList, NDList> encode, decode;
	private final int side;
	/** The decoder's inputs in the order it declares them: the order they are fed in (each also named). */
	private final List<String> decoderInputs;
	private final Map<Object, float[]> embeddings = new LinkedHashMap<>(CACHED, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Object, float[]> e) {
			return size() > CACHED;
		}
	};
	private long[] embeddingShape;
	private int encoderRuns;

	/** A click in image pixels; {@code inside = false} for a point outside the object (a shift-click). */
	public record Point(double x, double y, boolean inside) {
	}

	/**
	 * The object's mask (row by row, image width × height) and the decoder's own estimate of its IoU.
	 *
	 * @param encoded whether this call ran the encoder (the first click on a slice) or reused its embedding
	 */
	public record Result(boolean[] mask, int width, int height, float predictedIou, boolean encoded) {
		public int area() {
			int n = 0;
			for (boolean b : mask) if (b) n++;
			return n;
		}
	}

	private SamPrompter(Path encoderFile, Path decoderFile, Model encoder, Model decoder, int side, List<String> decoderInputs) {
		this.decoderInputs = List.copyOf(decoderInputs);
		this.encoderFile = encoderFile;
		this.decoderFile = decoderFile;
		this.encoder = encoder;
		this.decoder = decoder;
		this.encode = encoder.newPredictor(new NoopTranslator());
		this.decode = decoder.newPredictor(new NoopTranslator());
		this.side = side;
	}

	/**
	 * Opens both models and checks their signatures against what is described above.
	 *
	 * @throws LabelLoopException naming the file and what does not match
	 */
	public static SamPrompter open(Path encoderFile, Path decoderFile) {
		Path enc = encoderFile.toAbsolutePath(), dec = decoderFile.toAbsolutePath();
		for (Path f : List.of(enc, dec))
			if (DjlEmbedder.checkedFormat(f) != DjlEmbedder.Format.ONNX)
				throw new LabelLoopException("The promptable model " + f.getFileName() + " must be ONNX (.onnx): the encoder and decoder of a SAM export.");
		int side = encoderSide(enc);
		List<String> inputs = new ArrayList<>(inputs(dec).keySet()), missing = new ArrayList<>(DECODER_INPUTS), extra = new ArrayList<>(inputs);
		missing.removeAll(inputs);
		extra.removeAll(DECODER_INPUTS);
		if (!missing.isEmpty() || !extra.isEmpty())
			throw new LabelLoopException("The decoder " + dec.getFileName() + " takes the inputs " + inputs + "; SAM's prompt decoder takes " + DECODER_INPUTS
					+ ". Export it with segment-anything's scripts/export_onnx_model.py (or the same signature).");
		Model e = DjlEmbedder.load(enc, DjlEmbedder.Format.ONNX);
		try {
			return new SamPrompter(enc, dec, e, DjlEmbedder.load(dec, DjlEmbedder.Format.ONNX), side, inputs);
		} catch (RuntimeException x) {
			e.close();
			throw x;
		}
	}

	/** The side S of the encoder's square input, from the shape it declares (1×3×S×S). */
	private static int encoderSide(Path file) {
		Map<String, ai.onnxruntime.NodeInfo> in = inputs(file);
		if (in.size() != 1)
			throw new LabelLoopException("The encoder " + file.getFileName() + " takes " + in.size() + " inputs; SAM's encoder takes one image (1×3×S×S).");
		long[] shape = in.values().iterator().next().getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : new long[0];
		if (shape.length != 4 || shape[1] != 3 || shape[2] <= 0 || shape[2] != shape[3])
			throw new LabelLoopException("The encoder " + file.getFileName() + " takes an input of shape " + DjlEmbedder.dims(shape)
					+ "; SAM's encoder takes 1×3×S×S with S fixed (1024 for SAM).");
		return (int) shape[2];
	}

	/** The inputs an ONNX file declares, in its session's order (the session is opened and closed again). */
	private static Map<String, ai.onnxruntime.NodeInfo> inputs(Path file) {
		try (ai.onnxruntime.OrtSession s = session(file)) {
			return new LinkedHashMap<>(s.getInputInfo());
		} catch (ai.onnxruntime.OrtException e) {
			throw new LabelLoopException("The model file " + file.getFileName() + " could not be read as an ONNX model (" + e.getMessage() + ").", e);
		}
	}

	private static ai.onnxruntime.OrtSession session(Path file) throws ai.onnxruntime.OrtException {
		Djl.require(DjlEmbedder.Format.ONNX.engine);
		ai.djl.engine.Engine.getEngine(DjlEmbedder.Format.ONNX.engine); // DJL creates ORT's environment (with its thread pool) first, or it cannot start
		return ai.onnxruntime.OrtEnvironment.getEnvironment().createSession(file.toString());
	}

	/** The encoder's input side S. */
	public int side() {
		return side;
	}

	/** How many times the encoder ran (once per slice not in the cache). */
	public synchronized int encoderRuns() {
		return encoderRuns;
	}

	/**
	 * The object at the points on one slice.
	 *
	 * @param sliceKey what identifies the slice for the embedding cache (e.g. image id and z); equal keys must mean
	 *                 equal pixels
	 * @param slice    the slice (its first channel is used)
	 * @param points   at least one inside point
	 */
	public synchronized Result segment(Object sliceKey, FloatImage slice, List<Point> points) {
		if (points.stream().noneMatch(Point::inside)) throw new IllegalArgumentException("Click inside the object first: no inside point.");
		int w = slice.width(), h = slice.height();
		for (Point p : points)
			if (!(p.x() >= 0 && p.y() >= 0 && p.x() < w && p.y() < h))
				throw new IllegalArgumentException("The click at (" + p.x() + ", " + p.y() + ") lies outside the " + w + "×" + h + " image.");
		double scale = (double) side / Math.max(w, h);
		float[] emb = embeddings.get(sliceKey);
		boolean encoded = emb == null;
		if (encoded) {
			emb = encode(slice, scale);
			embeddings.put(sliceKey, emb);
		}
		try (NDManager m = decoder.getNDManager().newSubManager()) {
			int n = points.size() + 1;
			float[] coords = new float[2 * n], labels = new float[n];
			// SAM's ResizeLongestSide.apply_coords: each axis scaled by the resized size over the original
			double sx = (double) Math.max(1, Math.round(w * scale)) / w, sy = (double) Math.max(1, Math.round(h * scale)) / h;
			for (int i = 0; i < points.size(); i++) {
				coords[2 * i] = (float) (points.get(i).x() * sx);
				coords[2 * i + 1] = (float) (points.get(i).y() * sy);
				labels[i] = points.get(i).inside() ? 1 : 0;
			}
			labels[n - 1] = -1; // SAM's padding point, as its export expects without a box
			long eh = embeddingShape[2], ew = embeddingShape[3];
			Map<String, NDArray> feed = Map.of("image_embeddings", m.create(emb, new Shape(embeddingShape)), "point_coords", m.create(coords, new Shape(1, n, 2)),
					"point_labels", m.create(labels, new Shape(1, n)), "mask_input", m.zeros(new Shape(1, 1, 4 * eh, 4 * ew), DataType.FLOAT32),
					"has_mask_input", m.create(new float[] { 0 }, new Shape(1)), "orig_im_size", m.create(new float[] { h, w }, new Shape(2)));
			NDList in = new NDList();
			for (String name : decoderInputs) in.add(named(feed.get(name), name));
			NDList out;
			try {
				out = decode.predict(in);
			} catch (Exception e) {
				throw new LabelLoopException("The decoder " + decoderFile.getFileName() + " failed on " + n + " point(s) and an embedding of "
						+ DjlEmbedder.dims(embeddingShape) + " (" + DjlEmbedder.rootMessage(e) + ").", e);
			}
			NDArray masks = byName(out, "masks", 0), iou = byName(out, "iou_predictions", 1);
			long[] ms = masks.getShape().getShape();
			if (ms.length != 4 || ms[2] != h || ms[3] != w)
				throw new LabelLoopException("The decoder " + decoderFile.getFileName() + " gave masks of shape " + DjlEmbedder.dims(ms) + " for a " + w + "×" + h
						+ " image; SAM's export gives 1×M×height×width at orig_im_size.");
			float[] ious = iou.toType(DataType.FLOAT32, false).toFloatArray(), v = masks.toType(DataType.FLOAT32, false).toFloatArray();
			int best = 0;
			for (int i = 1; i < ious.length && i < ms[1]; i++) if (ious[i] > ious[best]) best = i;
			boolean[] mask = new boolean[w * h];
			for (int i = 0; i < mask.length; i++) mask[i] = v[best * w * h + i] > 0;
			return new Result(mask, w, h, ious.length == 0 ? Float.NaN : ious[best], encoded);
		}
	}

	private float[] encode(FloatImage slice, double scale) {
		int w = slice.width(), h = slice.height(), rw = Math.max(1, (int) Math.round(w * scale)), rh = Math.max(1, (int) Math.round(h * scale));
		float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				float v = slice.get(0, x, y);
				if (v < min) min = v;
				if (v > max) max = v;
			}
		float range = max > min ? max - min : 1;
		int plane = side * side;
		float[] x = new float[3 * plane];
		for (int c = 0; c < 3; c++) java.util.Arrays.fill(x, c * plane, (c + 1) * plane, 0); // padding: 0 after normalisation, as SAM pads
		for (int y = 0; y < rh; y++) {
			int sy = Math.min(h - 1, (int) ((y + 0.5) / scale));
			for (int xx = 0; xx < rw; xx++) {
				int sx = Math.min(w - 1, (int) ((xx + 0.5) / scale));
				float v = 255 * (slice.get(0, sx, sy) - min) / range;
				for (int c = 0; c < 3; c++) x[c * plane + y * side + xx] = (v - MEAN[c]) / STD[c];
			}
		}
		try (NDManager m = encoder.getNDManager().newSubManager()) {
			NDList out;
			try {
				out = encode.predict(new NDList(m.create(x, new Shape(1, 3, side, side))));
			} catch (Exception e) {
				throw new LabelLoopException("The encoder " + encoderFile.getFileName() + " failed on a 1×3×" + side + "×" + side + " image ("
						+ DjlEmbedder.rootMessage(e) + ").", e);
			}
			NDArray e = out.get(0);
			long[] shape = e.getShape().getShape();
			if (shape.length != 4 || shape[0] != 1)
				throw new LabelLoopException("The encoder " + encoderFile.getFileName() + " gave an embedding of shape " + DjlEmbedder.dims(shape)
						+ "; SAM's encoder gives 1×C×h×w.");
			embeddingShape = shape;
			encoderRuns++;
			return e.toType(DataType.FLOAT32, false).toFloatArray();
		}
	}

	private static NDArray named(NDArray a, String name) {
		a.setName(name);
		return a;
	}

	private NDArray byName(NDList out, String name, int fallback) {
		for (NDArray a : out) if (name.equals(a.getName())) return a;
		if (fallback >= out.size())
			throw new LabelLoopException("The decoder " + decoderFile.getFileName() + " has no output '" + name + "' (it gives " + out.size() + ").");
		return out.get(fallback);
	}

	@Override
	public synchronized void close() {
		encode.close();
		decode.close();
		encoder.close();
		decoder.close();
	}
}
