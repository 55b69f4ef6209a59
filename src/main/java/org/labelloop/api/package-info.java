/**
 * The script API: a small, stable facade over {@code backend} for Fiji's Script Editor (Groovy, Jython, …) and
 * other JVM code. Start with {@link org.labelloop.api.LabelLoop#open}; a {@link org.labelloop.api.Project} lists
 * its items, reads and writes labels, asks active learning for the next items, runs queries and retrains. Every
 * change is an ordinary, undoable LabelLoop change set recorded under the user. Errors are
 * {@link org.labelloop.core.model.LabelLoopException}s with messages meant for the user. No ImageJ windows: this
 * works headless. Examples: {@code scripts/Templates/LabelLoop/}.
 */
package org.labelloop.api;
