package org.labelloop.testing;

import java.util.ArrayList;
import java.util.List;

import org.labelloop.core.geom.Mask;

import ij.process.AutoThresholder;
import ij.process.ImageProcessor;

/** A ground truth made independently of LabelLoop's segmenters: Otsu's threshold of the raw image and its objects. */
public final class OtsuObjects {

	private OtsuObjects() {
	}

	/** Otsu-threshold truth: 4-connected components of the pixels above Otsu's level, holes filled, 100 pixels or more. */
	public static List<Mask> of(ImageProcessor ip) {
		int w = ip.getWidth(), h = ip.getHeight();
		int t = new AutoThresholder().getThreshold(AutoThresholder.Method.Otsu, ip.getHistogram());
		boolean[] fg = new boolean[w * h];
		for (int i = 0; i < fg.length; i++) fg[i] = ip.get(i) > t;
		int[] label = new int[w * h], stack = new int[w * h];
		List<Mask> out = new ArrayList<>();
		int n = 0;
		for (int s = 0; s < fg.length; s++) {
			if (!fg[s] || label[s] != 0) continue;
			label[s] = ++n;
			int top = 0, count = 0;
			stack[top++] = s;
			while (top > 0) {
				int i = stack[--top], x = i % w, y = i / w;
				count++;
				for (int j : new int[] { x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1 })
					if (j >= 0 && fg[j] && label[j] == 0) {
						label[j] = n;
						stack[top++] = j;
					}
			}
			if (count >= 100) out.add(Mask.fromLabels(label, w, h, 0, n).fillHoles());
		}
		return out;
	}
}
