package org.labelloop.core.learn;

import java.util.function.DoubleConsumer;

/**
 * How the built-in embedder maps an image's values onto [0, 1], channel by channel: {@code low[c]} and below go to 0,
 * {@code high[c]} and above to 1, linearly between. It is chosen from what the image is, by modality, so that the same
 * tissue gives the same normalised value in every image or slice:
 * <ul>
 * <li>{@link #ct}: a CT in Hounsfield units has absolute values, so one fixed window serves every scan,
 * {@value #CT_LOW} to {@value #CT_HIGH} HU: air 0, fat about 0.45, water 0.5, soft tissue 0.51–0.54, dense bone 1.
 * Stretching each image or region to its own range, as for photographs, would make a fat region and a muscle region
 * look alike, and an image mostly of air differ from one mostly of tissue;</li>
 * <li>a volume of another modality (MR, PET, a z-stack): one {@link #robust} range over all of its slices, so a slice
 * at the edge of the brain, mostly background, is not stretched until its noise looks like tissue;</li>
 * <li>none ({@code null} on a {@link FloatImage}): a 2D photograph or micrograph, whose exposure is arbitrary, is
 * normalised region by region to that region's own robust range.</li>
 * </ul>
 * Models the user brings declare their own normalisation and do not use this.
 *
 * @param basis what the range is, for messages ("CT window -1000..1000 HU")
 */
public record IntensityRange(String basis, float[] low, float[] high) {

	public static final float CT_LOW = -1000, CT_HIGH = 1000;
	/** Bins of the histogram a robust range is read from. */
	static final int BINS = 1024;
	/** The quantiles a robust range spans. */
	static final double LOW_QUANTILE = 0.005, HIGH_QUANTILE = 0.995;

	public IntensityRange {
		if (low.length != high.length || low.length == 0)
			throw new IllegalArgumentException("An intensity range needs a low and a high value per channel, got " + low.length + " and " + high.length);
		for (int c = 0; c < low.length; c++)
			if (!(Float.isFinite(low[c]) && Float.isFinite(high[c]) && high[c] > low[c]))
				throw new IllegalArgumentException("Channel " + c + " of intensity range " + basis + " runs from " + low[c] + " to " + high[c]);
		low = low.clone();
		high = high.clone();
	}

	/** The CT window for an image of {@code channels} channels. */
	public static IntensityRange ct(int channels) {
		float[] lo = new float[channels], hi = new float[channels];
		java.util.Arrays.fill(lo, CT_LOW);
		java.util.Arrays.fill(hi, CT_HIGH);
		return new IntensityRange("CT window " + (int) CT_LOW + ".." + (int) CT_HIGH + " HU", lo, hi);
	}

	public int channels() {
		return low.length;
	}

	@Override
	public float[] low() {
		return low.clone();
	}

	@Override
	public float[] high() {
		return high.clone();
	}

	/** Values that can be walked more than once, each time in the same order (a robust range walks them twice). */
	public interface Values {
		void forEach(DoubleConsumer sink);
	}

	/**
	 * The robust range of the finite values: {@code {low, high}}, the 0.5th and 99.5th percentile read from a
	 * {@value #BINS}-bin histogram between their minimum and maximum (so two passes, and no copy of the values); null
	 * when there is no finite value or all are equal.
	 */
	public static float[] robust(Values values) {
		float[] minMax = { Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY };
		int[] n = { 0 };
		values.forEach(d -> {
			float v = (float) d;
			if (!Float.isFinite(v)) return;
			if (v < minMax[0]) minMax[0] = v;
			if (v > minMax[1]) minMax[1] = v;
			n[0]++;
		});
		float min = minMax[0], max = minMax[1];
		if (n[0] == 0 || !(max > min)) return null;
		int[] hist = new int[BINS];
		float toBin = (BINS - 1) / (max - min);
		values.forEach(d -> {
			float v = (float) d;
			if (Float.isFinite(v)) hist[(int) ((v - min) * toBin)]++;
		});
		return new float[] { min + percentileBin(hist, n[0], LOW_QUANTILE) / toBin, min + (percentileBin(hist, n[0], HIGH_QUANTILE) + 1) / toBin };
	}

	/** The bin holding the q-th quantile of n counted values. */
	static int percentileBin(int[] hist, int n, double q) {
		long target = (long) Math.floor(q * (n - 1)), seen = 0;
		for (int b = 0; b < hist.length; b++) {
			seen += hist[b];
			if (seen > target) return b;
		}
		return hist.length - 1;
	}
}
