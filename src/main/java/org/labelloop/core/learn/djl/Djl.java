package org.labelloop.core.learn.djl;

import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.model.LabelLoopException;

/**
 * Settings every DJL use in LabelLoop needs before DJL is touched: never download anything
 * ({@code ai.djl.offline=true}) and keep PyTorch to a few threads. Each property is set only when the user has not set
 * it (e.g. with {@code -Dai.djl.pytorch.num_threads=8}).
 */
public final class Djl {

	/** PyTorch intra-op threads unless {@code ai.djl.pytorch.num_threads} says otherwise. */
	public static final int DEFAULT_THREADS = 2;

	private Djl() {
	}

	/** Sets the offline and thread properties if absent; call before any DJL class is used. Idempotent. */
	public static synchronized void init() {
		setIfAbsent("ai.djl.offline", "true");
		setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(DEFAULT_THREADS));
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
	}

	/** The update site that brings the deep-learning jars into Fiji (they are too large for the main site). */
	public static final String UPDATE_SITE = "LabelLoop-DeepLearning";

	/** Per engine ({@code PyTorch} or {@code OnnxRuntime}): a class or resource each needed jar holds, and the jar. */
	private static final String[][] API = { { "ai.djl.engine.Engine", "api-0.36.0.jar (DJL)" } };
	private static final String[][] PYTORCH = { { "ai.djl.pytorch.engine.PtEngine", "pytorch-engine-0.36.0.jar" },
			{ "/jnilib/pytorch.properties", "pytorch-jni-2.7.1-0.36.0.jar" },
			{ "/pytorch/cpu/linux-x86_64/libtorch.so", "pytorch-native-cpu-2.7.1-linux-x86_64.jar (libtorch; on another OS that OS's pytorch-native-cpu jar)" } };
	private static final String[][] ONNX = { { "ai.djl.onnxruntime.engine.OrtEngine", "onnxruntime-engine-0.36.0.jar" },
			{ "ai.onnxruntime.OrtEnvironment", "onnxruntime-1.21.1.jar" } };

	/**
	 * What is missing to run an engine ({@code PyTorch} or {@code OnnxRuntime}): a message naming the missing jars
	 * and the update site that brings them, or {@code ""} when everything is there. Looks without loading DJL (a
	 * class that is not there cannot be loaded, so callers ask before touching DJL's classes).
	 */
	public static String missing(String engine) {
		List<String> jars = new ArrayList<>();
		List<String[]> needed = new ArrayList<>(List.of(API));
		if (engine.equalsIgnoreCase("PyTorch")) needed.addAll(List.of(PYTORCH));
		else if (engine.equalsIgnoreCase("OnnxRuntime")) needed.addAll(List.of(ONNX));
		else throw new IllegalArgumentException("Unknown engine '" + engine + "': PyTorch or OnnxRuntime");
		ClassLoader loader = Djl.class.getClassLoader();
		for (String[] n : needed) {
			boolean there;
			if (n[0].startsWith("/")) there = Djl.class.getResource(n[0]) != null;
			else {
				try {
					Class.forName(n[0], false, loader);
					there = true;
				} catch (ClassNotFoundException | LinkageError e) {
					there = false;
				}
			}
			if (!there) jars.add(n[1]);
		}
		if (jars.isEmpty()) return "";
		return "Deep models (" + engine + ") need jars that are not installed: " + String.join(", ", jars) + ". In Fiji, add the " + UPDATE_SITE
				+ " update site (Help > Update... > Manage update sites), apply and restart; elsewhere put the jars on the class path. "
				+ "LabelLoop never downloads them.";
	}

	/**
	 * Stops with {@link #missing}'s message when an engine's jars are not installed, then {@link #init()}s.
	 *
	 * @throws LabelLoopException naming the missing jars and the update site
	 */
	public static void require(String engine) {
		String m = missing(engine);
		if (!m.isEmpty()) throw new LabelLoopException(m);
		init();
	}

	private static void setIfAbsent(String key, String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}
}
