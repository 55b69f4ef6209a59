package org.labelloop.core.learn.djl;

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

	private static void setIfAbsent(String key, String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}
}
