package org.labelloop.backend;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.labelloop.core.model.AnnotationRevision;
import org.labelloop.core.model.Comment;
import org.labelloop.core.model.LabelClass;

/**
 * The change feed of a project ({@link Backend#changes}): what changed after change set {@code since}, in one answer,
 * so a view refreshes with one call whether the project is a folder or on a server.
 *
 * @param since     the change set id asked about; {@link #LATEST} asks only for the newest id (no revisions)
 * @param latest    the newest change set id the answer covers: ask again with {@code since = latest}
 * @param revisions revisions written by later change sets, oldest first, whole change sets only
 * @param more      true when the limit cut the answer short
 * @param flags     a stamp of the open threads (ids and revisions): it changes when a flag or thread is added,
 *                  answered, resolved or reopened
 * @param classes   the project's classes now (few; renames and new hotkeys reach every view with the same call)
 */
public record Changes(long since, long latest, List<AnnotationRevision> revisions, boolean more, String flags, List<LabelClass> classes) {

	/** {@code since} for "only tell me where the project stands". */
	public static final long LATEST = -1;

	public Changes {
		revisions = revisions == null ? List.of() : List.copyOf(revisions);
		classes = classes == null ? List.of() : List.copyOf(classes);
	}

	/** No feed (a backend without one): nothing changed, as far as it can tell. */
	public static Changes none(long since, List<LabelClass> classes) {
		return new Changes(since, Math.max(0, since), List.of(), false, "", classes);
	}

	/** Whether someone other than {@code user} wrote a revision of the image (the shown image needs redrawing). */
	public boolean byOthersOn(long imageId, String user) {
		return revisions.stream().anyMatch(r -> r.imageId() == imageId && !r.author().equals(user));
	}

	/** The stamp of a list of open threads, as {@link #flags}. */
	public static String flagStamp(List<Comment> openThreads) {
		StringBuilder s = new StringBuilder();
		for (Comment t : openThreads) s.append(t.id()).append('.').append(t.revision()).append(' ');
		try {
			byte[] d = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(d, 0, 8);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
