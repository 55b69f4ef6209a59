package org.labelloop.api;

/**
 * An image of a project. {@code path} is as stored: relative to the project folder when the image lies inside it.
 *
 * @param id the project's id of the image
 * @param name the file name
 * @param path the stored path
 * @param width pixels
 * @param height pixels
 */
public record Item(long id, String name, String path, int width, int height) {
}
