/**
 * Image reading and the bridge between LabelLoop shapes and ImageJ ROIs; headless (no windows, dialogs or
 * {@code IJ.run}).
 * <ul>
 * <li>{@link org.labelloop.imaging.Images}: open, probe, hash and filter image files. Formats are recognised by
 * content; DICOM is checked ("DICM" at byte 128) before TIFF because common DICOMs carry a TIFF-like preamble.</li>
 * <li>NIfTI-1 is read by our own reader since ImageJ 1 cannot. Signed 16-bit data are stored as ImageJ stores signed
 * DICOM and TIFF (32768 added, with the signed 16-bit calibration), so measurements show the file's values and the
 * image stays 16-bit; scaled data (scl_slope/scl_inter) become 32-bit. Voxels keep the file order (no
 * reorientation).</li>
 * <li>Bio-Formats is used by reflection, only for what ImageJ cannot read (compressed DICOM, other formats), and only
 * when it is on the class path, as in Fiji.</li>
 * <li>{@link org.labelloop.imaging.RoiBridge} converts {@link org.labelloop.core.geom.Geometry} to and from
 * {@link ij.gui.Roi}; {@link org.labelloop.imaging.RoiZip} reads and writes ROI Manager zips.</li>
 * <li>{@link org.labelloop.imaging.FloatImages} hands one plane of an {@link ij.ImagePlus} to the model layer as a
 * {@link org.labelloop.core.learn.FloatImage}.</li>
 * </ul>
 */
package org.labelloop.imaging;
