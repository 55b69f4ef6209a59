package org.labelloop.backend;

/**
 * A LabelLoop project, in a folder ({@link LocalBackend}) or on a LabelLoop server ({@code RemoteBackend}): every
 * facet of {@link Backend}.
 */
public interface LabelLoopBackend extends Backend, Backend.ImageImport, Backend.ClassEditing, Backend.History, Backend.Comments,
		Backend.Roles, Backend.Reviewing, Backend.LabelFiles, Backend.ModelVersions, Backend.Proposing, Backend.OwnModels,
		Backend.Similarity, Backend.Overview {
}
