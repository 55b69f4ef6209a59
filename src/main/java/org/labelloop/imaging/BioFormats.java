package org.labelloop.imaging;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

import ij.IJ;
import ij.ImagePlus;

/**
 * Bio-Formats, called by reflection when it is on the class path (Fiji ships it), so that it is never a compile
 * dependency. The class names are parameters so that tests can stand in a fake.
 */
final class BioFormats {

	static final BioFormats DEFAULT = new BioFormats("loci.plugins.BF", "loci.formats.ImageReader");

	private final String pluginClass;
	private final String readerClass;
	private Object reader;
	private boolean readerTried;

	BioFormats(String pluginClass, String readerClass) {
		this.pluginClass = pluginClass;
		this.readerClass = readerClass;
	}

	boolean available() {
		return load(pluginClass) != null;
	}

	/** The first series of the file, or null when Bio-Formats is absent; its failure is an {@link ImageReadException}. */
	ImagePlus open(Path file) {
		Class<?> bf = load(pluginClass);
		if (bf == null) return null;
		Object images;
		try {
			images = bf.getMethod("openImagePlus", String.class).invoke(null, file.toAbsolutePath().toString());
		} catch (InvocationTargetException e) {
			Throwable cause = e.getCause();
			throw new ImageReadException(file, "Bio-Formats could not read it (" + cause.getMessage() + ")", cause);
		} catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
			throw new ImageReadException(file, "Bio-Formats could not be called (" + e + ")", e);
		}
		if (!(images instanceof ImagePlus[] imps) || imps.length == 0 || imps[0] == null || imps[0].getWidth() == 0)
			throw new ImageReadException(file, "Bio-Formats found no image in it");
		return imps[0];
	}

	/** Whether Bio-Formats (if present) recognises the file name; it does not open the file. */
	synchronized boolean accepts(String fileName) {
		if (!readerTried) {
			readerTried = true;
			Class<?> c = load(readerClass);
			try {
				reader = c == null ? null : c.getConstructor().newInstance();
			} catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
				reader = null;
			}
		}
		if (reader == null) return false;
		try {
			return Boolean.TRUE.equals(reader.getClass().getMethod("isThisType", String.class, boolean.class).invoke(reader, fileName, false));
		} catch (ReflectiveOperationException | RuntimeException e) {
			return false;
		}
	}

	/** Our own class loader first, then ImageJ's plugin class loader (where Fiji may have put Bio-Formats). */
	private static Class<?> load(String name) {
		for (ClassLoader loader : new ClassLoader[] { BioFormats.class.getClassLoader(), IJ.getClassLoader() }) {
			try {
				return Class.forName(name, true, loader);
			} catch (ClassNotFoundException | LinkageError e) {
				// try the next loader
			}
		}
		return null;
	}
}
