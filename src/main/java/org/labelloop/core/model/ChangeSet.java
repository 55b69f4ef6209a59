package org.labelloop.core.model;

import java.time.Instant;

/**
 * A group of edits written together (one command), the unit of undo.
 *
 * @param undoes the change set this one reverts, or {@code null}
 */
public record ChangeSet(long id, String user, Instant time, String description, Long undoes, int edits) {
}
