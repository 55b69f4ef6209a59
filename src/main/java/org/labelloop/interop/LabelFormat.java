package org.labelloop.interop;

import java.nio.file.Path;

import org.labelloop.core.model.ExportReport;
import org.labelloop.core.model.ImportReport;
import org.labelloop.core.store.ProjectStore;

/**
 * A file format for labels. Import adds everything it reads as one change set (one undo step) or nothing: a
 * malformed file is refused with a message naming the file, the place in it and what is wrong.
 */
public interface LabelFormat {

	ExportReport export(ProjectStore store, Path target);

	ImportReport importLabels(ProjectStore store, String user, Path source);
}
