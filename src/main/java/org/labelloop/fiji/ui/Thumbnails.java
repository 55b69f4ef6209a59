package org.labelloop.fiji.ui;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;

import org.labelloop.backend.Backend;
import org.labelloop.backend.Similar;
import org.labelloop.core.geom.Box;
import org.labelloop.core.geom.Geometry;
import org.labelloop.imaging.Images;

import ij.ImagePlus;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Small pictures of items for the Similar Items gallery and the map's hover preview: an image scaled down, or a
 * ROI's bounding box (with a margin) cut out of its image. Made off the event thread (reading files); the last few
 * opened images and every thumbnail made are kept, so a re-query shows at once.
 */
public final class Thumbnails {

	private final Backend backend;
	private final int size;
	private final Map<Long, ImagePlus> images = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, ImagePlus> e) {
			return size() > 8;
		}
	};
	private final Map<String, BufferedImage> made = new java.util.concurrent.ConcurrentHashMap<>();

	public Thumbnails(Backend backend, int size) {
		this.backend = backend;
		this.size = size;
	}

	/** The thumbnail of an item ({@code image:12}, {@code roi:345}); a grey square when it cannot be read. */
	public BufferedImage of(String item, long imageId) {
		BufferedImage b = made.get(item);
		if (b != null) return b;
		synchronized (images) {
			b = make(item, imageId);
		}
		made.put(item, b);
		return b;
	}

	/** The thumbnail if it was made already, else null; never reads a file (for the event thread). */
	public BufferedImage peek(String item) {
		return made.get(item);
	}

	private BufferedImage make(String item, long imageId) {
		BufferedImage b;
		try {
			ImagePlus imp = images.computeIfAbsent(imageId, id -> Images.open(backend.imageFile(id)));
			Similar.ItemRef ref = Similar.parse(item);
			ImageProcessor ip = ref.isSlice() && ref.z() <= imp.getNSlices() ? imp.getStack().getProcessor(imp.getStackIndex(1, ref.z(), 1)).duplicate()
					: imp.getProcessor().duplicate();
			if (ref.isRoi()) {
				Geometry g = backend.annotation(ref.id()).map(a -> a.data().geometry()).orElse(null);
				if (g != null) {
					Box box = g.bounds();
					int m = (int) Math.max(4, 0.25 * Math.max(box.w(), box.h()));
					Rectangle r = new Rectangle((int) box.x() - m, (int) box.y() - m, (int) Math.ceil(box.w()) + 2 * m, (int) Math.ceil(box.h()) + 2 * m)
							.intersection(new Rectangle(0, 0, ip.getWidth(), ip.getHeight()));
					if (!r.isEmpty()) {
						ip.setRoi(r);
						ip = ip.crop();
					}
				}
			}
			b = scaled(ip);
		} catch (RuntimeException e) {
			b = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
			java.awt.Graphics g = b.getGraphics();
			g.setColor(java.awt.Color.GRAY);
			g.fillRect(0, 0, size, size);
			g.dispose();
		}
		return b;
	}

	private BufferedImage scaled(ImageProcessor ip) {
		double f = (double) size / Math.max(ip.getWidth(), ip.getHeight());
		int w = Math.max(1, (int) Math.round(ip.getWidth() * f)), h = Math.max(1, (int) Math.round(ip.getHeight() * f));
		ip.setInterpolationMethod(f < 1 ? ImageProcessor.BILINEAR : ImageProcessor.NONE);
		ImageProcessor small = ip instanceof ColorProcessor ? ip.resize(w, h, f < 1) : contrast(ip).resize(w, h, f < 1);
		return small.getBufferedImage();
	}

	/** 8-bit with the item's own contrast: 16-bit scans and float images are otherwise black. */
	private static ImageProcessor contrast(ImageProcessor ip) {
		ip.resetMinAndMax();
		return ip.convertToByteProcessor(true);
	}
}
