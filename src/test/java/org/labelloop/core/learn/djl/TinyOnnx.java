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

	private static Pb tensor(String name, float[] values, long... dims) {
		Pb t = new Pb();
		for (long d : dims) t.i64(1, d);
		ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float v : values) raw.putFloat(v);
		return t.i64(2, 1).str(8, name).raw(9, raw.array());
	}

	private static Pb valueInfo(String name, long... dims) {
		Pb shape = new Pb();
		for (long d : dims) shape.msg(1, new Pb().i64(1, d));
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
