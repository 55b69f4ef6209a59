package org.labelloop.imaging;

/**
 * Dimensions of an image as ImageJ sees it: width and height in pixels, the number of channels, z-slices and time
 * frames (each at least 1), and the bit depth (8, 16, 32, or 24 for RGB).
 */
public record ImageMeta(int width, int height, int channels, int slices, int frames, int bitDepth) {
}
