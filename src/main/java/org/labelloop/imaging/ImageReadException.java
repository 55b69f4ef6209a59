package org.labelloop.imaging;

import java.nio.file.Path;

import org.labelloop.core.model.LabelLoopException;

/** An image file could not be read; the message names the file and the reason ("Cannot read image F: reason"). */
public class ImageReadException extends LabelLoopException {
	private static final long serialVersionUID = 1L;

	private final transient Path file;

	public ImageReadException(Path file, String reason) {
		this(file, reason, null);
	}

	public ImageReadException(Path file, String reason, Throwable cause) {
		super("Cannot read image " + file + ": " + reason, cause);
		this.file = file;
	}

	/** The file that could not be read. */
	public Path file() {
		return file;
	}
}
