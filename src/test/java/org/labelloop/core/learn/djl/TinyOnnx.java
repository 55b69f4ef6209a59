package org.labelloop.core.learn.djl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a tiny real ONNX model as protobuf bytes, with no ONNX library: input {@code x} of shape 1×C×H×W → Flatten
 * → Gemm with fixed weights {@code W} (C·H·W × K) and bias {@code b} → output {@code y} (1×K), and a second output
 * {@code r} = Relu(y). Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ...).
 */
public final class TinyOnnx {

	private TinyOnnx() {
	}

	public static byte[] gemm(int c, int h, int w, float[][] weights, float[] bias) {
		int in = c * h * w, k = bias.length;
		float[] flat = new float[in * k];
		for (int i = 0; i < in; i++)
			for (int j = 0; j < k; j++) flat[i * k + j] = weights[i][j];
		Pb graph = new Pb()
				.msg(1, new Pb().str(1, "x").str(2, "flat").str(3, "flatten").str(4, "Flatten").msg(5, new Pb().str(1, "axis").i64(3, 1).i64(20, 2)))
				.msg(1, new Pb().str(1, "flat").str(1, "W").str(1, "b").str(2, "y").str(3, "gemm").str(4, "Gemm"))
				.msg(1, new Pb().str(1, "y").str(2, "r").str(3, "relu").str(4, "Relu"))
				.str(2, "tiny")
				.msg(5, tensor("W", flat, in, k))
				.msg(5, tensor("b", bias, k))
				.msg(11, valueInfo("x", 1, c, h, w))
				.msg(12, valueInfo("y", 1, k))
				.msg(12, valueInfo("r", 1, k));
		return new Pb().i64(1, 7).str(2, "labelloop-test").msg(7, graph).msg(8, new Pb().str(1, "").i64(2, 13)).bytes();
	}

	/** x (1×1×H×W) → y = Concat(-x, x) along the channels: 1×2×H×W, class 1 wins exactly where x &gt; 0. */
	public static byte[] twoClassMap(int h, int w) {
		Pb graph = new Pb()
				.msg(1, new Pb().str(1, "x").str(2, "n").str(3, "neg").str(4, "Neg"))
				.msg(1, new Pb().str(1, "n").str(1, "x").str(2, "y").str(3, "concat").str(4, "Concat").msg(5, new Pb().str(1, "axis").i64(3, 1).i64(20, 2)))
				.str(2, "seg")
				.msg(11, valueInfo("x", 1, 1, h, w))
				.msg(12, valueInfo("y", 1, 2, h, w));
		return new Pb().i64(1, 7).str(2, "labelloop-test").msg(7, graph).msg(8, new Pb().str(1, "").i64(2, 13)).bytes();
	}

	/** A stand-in for SAM's image encoder: input {@code image} 1×3×S×S, output {@code image_embeddings} = the input. */
	public static byte[] samEncoder(int side) {
		Pb graph = new Pb()
				.msg(1, new Pb().str(1, "image").str(2, "image_embeddings").str(3, "id").str(4, "Identity"))
				.str(2, "encoder")
				.msg(11, valueInfo("image", 1, 3, side, side))
				.msg(12, valueInfo("image_embeddings", 1, 3, side, side));
		return new Pb().i64(1, 7).str(2, "labelloop-test").msg(7, graph).msg(8, new Pb().str(1, "").i64(2, 13)).bytes();
	}

	/**
	 * A stand-in for SAM's prompt decoder with its export's inputs and outputs for an image of width × height whose
	 * encoder input side is S: {@code masks} (1×1×height×width) is r² minus the squared distance, in the S frame, of each
	 * pixel (x, y scaled as SAM scales points) from the first point, so the object is the disc of radius r around the first click; {@code
	 * iou_predictions} is 0.9. The other inputs are declared and unused.
	 */
	public static byte[] samDecoder(int side, int width, int height, float radius) {
		float scale = (float) side / Math.max(width, height);
		float sx = (float) Math.max(1, Math.round(width * scale)) / width, sy = (float) Math.max(1, Math.round(height * scale)) / height; // as SAM scales points
		float[] gx = new float[width * height], gy = new float[width * height];
		for (int y = 0; y < height; y++)
			for (int x = 0; x < width; x++) {
				gx[y * width + x] = x * sx;
				gy[y * width + x] = y * sy;
			}
		Pb graph = new Pb()
				.msg(1, new Pb().str(1, "point_coords").str(1, "i0").str(2, "xs").str(3, "gx0").str(4, "Gather").msg(5, new Pb().str(1, "axis").i64(3, 2).i64(20, 2)))
				.msg(1, new Pb().str(1, "point_coords").str(1, "i1").str(2, "ys").str(3, "gy0").str(4, "Gather").msg(5, new Pb().str(1, "axis").i64(3, 2).i64(20, 2)))
				.msg(1, new Pb().str(1, "xs").str(1, "i0").str(2, "px").str(3, "gx1").str(4, "Gather").msg(5, new Pb().str(1, "axis").i64(3, 1).i64(20, 2)))
				.msg(1, new Pb().str(1, "ys").str(1, "i0").str(2, "py").str(3, "gy1").str(4, "Gather").msg(5, new Pb().str(1, "axis").i64(3, 1).i64(20, 2)))
				.msg(1, new Pb().str(1, "GX").str(1, "px").str(2, "dx").str(3, "subx").str(4, "Sub"))
				.msg(1, new Pb().str(1, "GY").str(1, "py").str(2, "dy").str(3, "suby").str(4, "Sub"))
				.msg(1, new Pb().str(1, "dx").str(1, "dx").str(2, "dx2").str(3, "mulx").str(4, "Mul"))
				.msg(1, new Pb().str(1, "dy").str(1, "dy").str(2, "dy2").str(3, "muly").str(4, "Mul"))
				.msg(1, new Pb().str(1, "dx2").str(1, "dy2").str(2, "d2").str(3, "add").str(4, "Add"))
				.msg(1, new Pb().str(1, "R2").str(1, "d2").str(2, "masks").str(3, "disc").str(4, "Sub"))
				.msg(1, new Pb().str(1, "IOU").str(2, "iou_predictions").str(3, "iou").str(4, "Identity"))
				.str(2, "decoder")
				.msg(5, tensor("GX", gx, 1, 1, height, width))
				.msg(5, tensor("GY", gy, 1, 1, height, width))
				.msg(5, tensor("R2", new float[] { radius * radius }, 1))
				.msg(5, tensor("IOU", new float[] { 0.9f }, 1, 1))
				.msg(5, int64Scalar("i0", 0))
				.msg(5, int64Scalar("i1", 1))
				.msg(11, valueInfo("image_embeddings", 1, 3, side, side))
				.msg(11, valueInfo("point_coords", 1, -1, 2))
				.msg(11, valueInfo("point_labels", 1, -1))
				.msg(11, valueInfo("mask_input", 1, 1, 4L * side, 4L * side))
				.msg(11, valueInfo("has_mask_input", 1))
				.msg(11, valueInfo("orig_im_size", 2))
				.msg(12, valueInfo("masks", 1, 1, height, width))
				.msg(12, valueInfo("iou_predictions", 1, 1));
		return new Pb().i64(1, 7).str(2, "labelloop-test").msg(7, graph).msg(8, new Pb().str(1, "").i64(2, 13)).bytes();
	}

	private static Pb int64Scalar(String name, long v) {
		ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
		return new Pb().i64(2, 7).str(8, name).raw(9, raw.array());
	}

	private static Pb tensor(String name, float[] values, long... dims) {
		Pb t = new Pb();
		for (long d : dims) t.i64(1, d);
		ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float v : values) raw.putFloat(v);
		return t.i64(2, 1).str(8, name).raw(9, raw.array());
	}

	private static Pb valueInfo(String name, long... dims) {
		Pb shape = new Pb();
		for (long d : dims) shape.msg(1, d < 0 ? new Pb().str(2, "n") : new Pb().i64(1, d)); // a negative size: a named, free dimension
		return new Pb().str(1, name).msg(2, new Pb().msg(1, new Pb().i64(1, 1).msg(2, shape)));
	}

	/** A protobuf message being written. */
	private static final class Pb {
		private final ByteArrayOutputStream out = new ByteArrayOutputStream();

		Pb i64(int field, long v) {
			varint((long) field << 3);
			varint(v);
			return this;
		}

		Pb str(int field, String s) {
			return raw(field, s.getBytes(StandardCharsets.UTF_8));
		}

		Pb msg(int field, Pb m) {
			return raw(field, m.bytes());
		}

		Pb raw(int field, byte[] b) {
			varint((long) field << 3 | 2);
			varint(b.length);
			out.writeBytes(b);
			return this;
		}

		byte[] bytes() {
			return out.toByteArray();
		}

		private void varint(long v) {
			while ((v & ~0x7FL) != 0) {
				out.write((int) (v & 0x7F) | 0x80);
				v >>>= 7;
			}
			out.write((int) v);
		}
	}
}
