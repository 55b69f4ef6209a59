package org.labelloop.core.model;

import java.time.Instant;
import java.util.Locale;

/**
 * A comment in a thread on an image or an annotation. The first comment of a thread (no parent) carries the
 * thread's kind and state: a {@link Kind#QUESTION_LABEL} thread is a flag that questions a label until resolved.
 *
 * @param revision increases each time the thread's state changes; resolving names the revision it saw
 */
public record Comment(long id, Target target, Long parentId, String author, Instant time, Kind kind, String text,
		boolean open, String resolvedBy, Instant resolvedAt, long revision) {

	public enum Kind {
		NOTE, QUESTION_LABEL, REVIEW;

		public String key() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		public static Kind parse(String s) {
			for (Kind k : values())
				if (k.key().equalsIgnoreCase(s.strip()) || k.name().equalsIgnoreCase(s.strip())) return k;
			throw new IllegalArgumentException("Unknown comment kind '" + s + "' (expected note, question-label or review)");
		}
	}

	public boolean isFlag() {
		return parentId == null && kind == Kind.QUESTION_LABEL;
	}
}
