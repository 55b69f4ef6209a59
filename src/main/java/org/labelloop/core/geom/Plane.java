package org.labelloop.core.geom;

/** Channel, slice and frame of a shape, 1-based as in ImageJ; 0 means "all". */
public record Plane(int c, int z, int t) {
	public static final Plane ALL = new Plane(0, 0, 0);

	public Plane {
		if (c < 0 || z < 0 || t < 0) throw new IllegalArgumentException("Plane positions are 1-based (0 = all), not " + c + "," + z + "," + t);
	}
}
