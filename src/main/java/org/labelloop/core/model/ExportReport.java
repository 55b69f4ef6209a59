package org.labelloop.core.model;

import java.nio.file.Path;

/** What an export wrote. */
public record ExportReport(Path target, int images, int annotations) {
}
