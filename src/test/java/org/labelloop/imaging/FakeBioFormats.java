package org.labelloop.imaging;

import ij.ImagePlus;
import ij.process.ByteProcessor;

/** Stands in for {@code loci.plugins.BF} and {@code loci.formats.ImageReader} in tests. */
public final class FakeBioFormats {

	static final String CLASS = FakeBioFormats.class.getName();

	/** Like BF.openImagePlus: a 3×2 image titled after the path; "fail" in the name makes it throw. */
	public static ImagePlus[] openImagePlus(String path) throws java.io.IOException {
		if (path.contains("fail")) throw new java.io.IOException("fake failure");
		return new ImagePlus[] { new ImagePlus(path, new ByteProcessor(3, 2)) };
	}

	/** Like ImageReader.isThisType(String, boolean). */
	public boolean isThisType(String name, boolean open) {
		return name.endsWith(".czi");
	}
}
