#!/usr/bin/env python3
"""Regenerate LabelLoop's test-data/ folder from Debian packages.

Everything in test-data/ (except README.md and this script) is produced by
this script from files shipped in Debian 12 "bookworm" packages.

Exact commands used (as root, Debian 12, no other network access needed):

    apt-get update
    apt-get install -y python3-numpy python3-pil        # needed by this script
    apt-get install -y python3-nibabel python3-pydicom  # optional: extra checks
    mkdir -p /tmp/debs /tmp/debroot && cd /tmp/debs
    apt-get download python3-skimage mricron-data python3-pydicom dataset-fashion-mnist
    for d in /tmp/debs/*.deb; do dpkg-deb -x "$d" /tmp/debroot; done
    cd /work/main
    /usr/bin/python3 test-data/make_test_data.py --root /tmp/debroot

If the four packages are installed normally (apt-get install ...), use
`--root /` (the default).  Use Debian's /usr/bin/python3 (the apt-installed
numpy/PIL live in its dist-packages).

Package versions used for the committed files:
    python3-skimage        0.19.3-8
    mricron-data           1.2.20211006+dfsg-4
    python3-pydicom        2.3.1-1
    dataset-fashion-mnist  0.0~git20200523.55506a9-1

The output is deterministic (gzip mtime = 0), so rerunning should reproduce
byte-identical files.
"""
import argparse
import gzip
import os
import shutil
import struct
import sys

import numpy as np
from PIL import Image

SKIMAGE_DATA = "usr/lib/python3/dist-packages/skimage/data"
MRICRON_TEMPLATES = "usr/share/mricron/templates"
PYDICOM_TEST_FILES = "usr/lib/python3/dist-packages/pydicom/data/test_files"
FASHION_DIR = "usr/share/datasets/fashion-mnist"

MICROSCOPY = ["cell.png", "coins.png", "ihc.png"]
DICOM = ["CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm"]

AXIAL_SLICES = [90, 100, 110]          # 0-based k (third voxel index)
# Crop: 48 x 56 x 8 voxels around the volume centre (90, 108, 90).
CROP_START = (66, 80, 86)              # inclusive, 0-based (i, j, k)
CROP_SIZE = (48, 56, 8)

FASHION_CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat",
                   "sandal", "shirt", "sneaker", "bag", "ankle_boot"]
FASHION_PER_CLASS = 2


# ---------------------------------------------------------------- NIfTI-1 --
class Nifti1:
    """Minimal NIfTI-1 single-file (.nii / .nii.gz) reader, numpy only."""

    DTYPES = {2: "u1", 4: "i2", 8: "i4", 16: "f4", 64: "f8",
              256: "i1", 512: "u2", 768: "u4"}

    def __init__(self, path):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rb") as f:
            raw = f.read()
        if struct.unpack("<i", raw[:4])[0] == 348:
            self.endian = "<"
        elif struct.unpack(">i", raw[:4])[0] == 348:
            self.endian = ">"
        else:
            raise ValueError(f"{path}: not a NIfTI-1 file")
        e = self.endian
        self.hdr = bytearray(raw[:348])
        if bytes(self.hdr[344:348]) != b"n+1\0":
            raise ValueError(f"{path}: not a single-file NIfTI-1 (magic)")
        self.dim = struct.unpack(e + "8h", raw[40:56])
        self.datatype = struct.unpack(e + "h", raw[70:72])[0]
        self.vox_offset = int(struct.unpack(e + "f", raw[108:112])[0])
        ndim = self.dim[0]
        shape = self.dim[1:1 + ndim]
        dt = np.dtype(e + self.DTYPES[self.datatype])
        n = int(np.prod(shape))
        flat = np.frombuffer(raw, dtype=dt, count=n, offset=self.vox_offset)
        # NIfTI stores x fastest -> Fortran order gives data[i, j, k].
        self.data = flat.reshape(shape, order="F")

    def get(self, fmt, off):
        return struct.unpack(self.endian + fmt, self.hdr[off:off + struct.calcsize(fmt)])

    def put(self, fmt, off, *vals):
        struct.pack_into(self.endian + fmt, self.hdr, off, *vals)

    def qform_affine(self):
        b, c, d, qx, qy, qz = self.get("6f", 256)
        pix = self.get("8f", 76)
        qfac = -1.0 if pix[0] < 0 else 1.0
        a = np.sqrt(max(0.0, 1.0 - (b * b + c * c + d * d)))
        r = np.array([
            [a*a + b*b - c*c - d*d, 2*(b*c - a*d), 2*(b*d + a*c)],
            [2*(b*c + a*d), a*a + c*c - b*b - d*d, 2*(c*d - a*b)],
            [2*(b*d - a*c), 2*(c*d + a*b), a*a + d*d - c*c - b*b]])
        aff = np.eye(4)
        aff[:3, :3] = r @ np.diag([pix[1], pix[2], pix[3] * qfac])
        aff[:3, 3] = [qx, qy, qz]
        return aff

    def sform_affine(self):
        aff = np.eye(4)
        aff[:3, :] = np.array(self.get("12f", 280)).reshape(3, 4)
        return aff

    def write_crop(self, path, start, size, descrip):
        """Write data[start:start+size] as NIfTI-1 (.nii or .nii.gz).

        Header is the source header with only dim[1..3], vox_offset,
        qoffset_* (only if qform_code > 0), srow_*[3] (only if
        sform_code > 0) and descrip changed.  vox_offset = 352, extension
        flag = 4 zero bytes, same datatype/bitpix/pixdim/codes as the source.
        """
        sl = tuple(slice(s, s + n) for s, n in zip(start, size))
        sub = self.data[sl]
        hdr = Nifti1.__new__(Nifti1)
        hdr.endian, hdr.hdr = self.endian, bytearray(self.hdr)
        dim = list(self.dim)
        dim[1:4] = size
        hdr.put("8h", 40, *dim)
        hdr.put("f", 108, 352.0)
        shift = np.array(list(start) + [1], dtype=float)
        qform_code, sform_code = hdr.get("2h", 252)
        if qform_code > 0:
            hdr.put("3f", 268, *(self.qform_affine() @ shift)[:3])
        if sform_code > 0:
            new_t = (self.sform_affine() @ shift)[:3]
            for row in range(3):
                hdr.put("f", 280 + 16 * row + 12, float(new_t[row]))
        d = descrip.encode("ascii")[:79]
        hdr.hdr[148:228] = d + b"\0" * (80 - len(d))
        body = bytes(hdr.hdr) + b"\0\0\0\0" + sub.tobytes(order="F")
        if path.endswith(".gz"):
            body = gzip.compress(body, compresslevel=9, mtime=0)
        with open(path, "wb") as f:
            f.write(body)
        return sub


# ------------------------------------------------------------------ IDX ----
def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: unexpected IDX header")
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


# ----------------------------------------------------------------- main ----
def save_png(arr, path):
    arr = np.ascontiguousarray(arr)
    if arr.dtype == np.uint8:
        Image.fromarray(arr, mode="L").save(path, optimize=False)
    elif arr.dtype == np.uint16:
        Image.fromarray(arr.astype(np.uint16), mode="I;16").save(path)
    else:
        raise TypeError(arr.dtype)


# ------------------------------------------------------------- DICOM-SEG --
SEG_SEGMENTS = [("tissue", 654.5), ("bright", 1235.5)]  # label, threshold (75th, 90th percentile of MR_small)


def write_dicom_seg(mr_path, out_path):
    """A BINARY DICOM-SEG on pydicom's MR_small.dcm: one frame per segment,
    segment 1 = pixels above the 75th percentile, segment 2 = above the 90th
    (they overlap, as SEG allows). Written with pydicom only (highdicom is not
    in Debian); UIDs are fixed, so the file is deterministic."""
    import pydicom
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.sequence import Sequence
    from pydicom.uid import ExplicitVRLittleEndian

    mr = pydicom.dcmread(mr_path)
    px = mr.pixel_array
    root = "1.2.826.0.1.3680043.10.1234.77."  # fixed: LabelLoop test data
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.66.4"
    meta.MediaStorageSOPInstanceUID = root + "1"
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = root + "9"
    ds = Dataset()
    ds.file_meta = meta
    ds.preamble = b"\0" * 128
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "SEG"
    ds.PatientID = mr.PatientID
    ds.PatientName = mr.PatientName
    ds.StudyInstanceUID = mr.StudyInstanceUID
    ds.SeriesInstanceUID = root + "2"
    ds.FrameOfReferenceUID = mr.FrameOfReferenceUID
    ds.SeriesNumber = 99
    ds.InstanceNumber = 1
    ds.SeriesDescription = "LabelLoop test segmentation of MR_small"
    ds.ContentLabel = "THRESHOLDS"
    ds.SegmentationType = "BINARY"
    ds.ImageType = ["DERIVED", "PRIMARY"]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = px.shape
    ds.BitsAllocated = ds.BitsStored = 1
    ds.HighBit = 0
    ds.PixelRepresentation = 0
    ds.LossyImageCompression = "00"
    ref_inst = Dataset()
    ref_inst.ReferencedSOPClassUID = mr.SOPClassUID
    ref_inst.ReferencedSOPInstanceUID = mr.SOPInstanceUID
    ref_series = Dataset()
    ref_series.SeriesInstanceUID = mr.SeriesInstanceUID
    ref_series.ReferencedInstanceSequence = Sequence([ref_inst])
    ds.ReferencedSeriesSequence = Sequence([ref_series])
    segments, frames, bits = [], [], []
    for number, (label, threshold) in enumerate(SEG_SEGMENTS, start=1):
        sg = Dataset()
        sg.SegmentNumber = number
        sg.SegmentLabel = label
        sg.SegmentAlgorithmType = "SEMIAUTOMATIC"
        sg.SegmentAlgorithmName = "threshold %g" % threshold
        segments.append(sg)
        fr = Dataset()
        source = Dataset()
        source.ReferencedSOPClassUID = mr.SOPClassUID
        source.ReferencedSOPInstanceUID = mr.SOPInstanceUID
        derivation = Dataset()
        derivation.SourceImageSequence = Sequence([source])
        fr.DerivationImageSequence = Sequence([derivation])
        content = Dataset()
        content.DimensionIndexValues = [number, 1]
        fr.FrameContentSequence = Sequence([content])
        position = Dataset()
        position.ImagePositionPatient = mr.ImagePositionPatient
        fr.PlanePositionSequence = Sequence([position])
        ident = Dataset()
        ident.ReferencedSegmentNumber = number
        fr.SegmentIdentificationSequence = Sequence([ident])
        frames.append(fr)
        bits.append((px > threshold).astype(np.uint8).ravel())
    ds.SegmentSequence = Sequence(segments)
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    shared = Dataset()
    orientation = Dataset()
    orientation.ImageOrientationPatient = mr.ImageOrientationPatient
    shared.PlaneOrientationSequence = Sequence([orientation])
    measures = Dataset()
    measures.PixelSpacing = mr.PixelSpacing
    measures.SliceThickness = mr.SliceThickness
    shared.PixelMeasuresSequence = Sequence([measures])
    ds.SharedFunctionalGroupsSequence = Sequence([shared])
    ds.NumberOfFrames = len(frames)
    # 1-bit pixels, packed across frames, least significant bit first
    ds.PixelData = np.packbits(np.concatenate(bits), bitorder="little").tobytes()
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(out_path, write_like_original=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default="/",
                    help="filesystem root holding the package files "
                         "(default /, i.e. installed packages)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output folder (default: folder of this script)")
    args = ap.parse_args()
    root, out = args.root, args.out

    def src(*p):
        path = os.path.join(root, *p)
        if not os.path.exists(path):
            sys.exit(f"missing source file: {path}")
        return path

    def dst(*p):
        path = os.path.join(out, *p)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return path

    # 1. microscopy: plain copies
    for name in MICROSCOPY:
        shutil.copyfile(src(SKIMAGE_DATA, name), dst("microscopy", name))

    # 2. MRI
    ch2 = Nifti1(src(MRICRON_TEMPLATES, "ch2.nii.gz"))
    aal = Nifti1(src(MRICRON_TEMPLATES, "aal.nii.gz"))
    assert ch2.data.shape == aal.data.shape == (181, 217, 181)
    # Linear scaling with the VOLUME min/max (0..254 for ch2) -> 0..255.
    vmin, vmax = float(ch2.data.min()), float(ch2.data.max())
    for k in AXIAL_SLICES:
        sl = ch2.data[:, :, k].astype(np.float64)
        img = np.rint((sl - vmin) * 255.0 / (vmax - vmin)).astype(np.uint8)
        # PNG pixel (x, y) = voxel (i=x, j=y, k): raw file order, no flip.
        save_png(img.T, dst("mri", f"ch2_axial_z{k:03d}.png"))
        lab = aal.data[:, :, k]
        lab = lab.astype(np.uint8 if lab.max() <= 255 else np.uint16)
        save_png(lab.T, dst("mri", f"aal_axial_z{k:03d}.png"))
    # AAL index -> region name table (verbatim copy, CRLF line endings).
    shutil.copyfile(src(MRICRON_TEMPLATES, "aal.nii.txt"), dst("mri", "aal_labels.txt"))
    end = tuple(s + n - 1 for s, n in zip(CROP_START, CROP_SIZE))
    rng = "[{}..{},{}..{},{}..{}]".format(*[v for p in zip(CROP_START, end) for v in p])
    ch2.write_crop(dst("mri", "ch2_crop.nii.gz"), CROP_START, CROP_SIZE,
                   "LabelLoop test crop of mricron ch2 " + rng)
    ch2.write_crop(dst("mri", "ch2_crop.nii"), CROP_START, CROP_SIZE,
                   "LabelLoop test crop of mricron ch2 " + rng)
    aal.write_crop(dst("mri", "aal_crop.nii.gz"), CROP_START, CROP_SIZE,
                   "LabelLoop test crop of mricron aal " + rng)

    # 3. DICOM: plain copies
    for name in DICOM:
        shutil.copyfile(src(PYDICOM_TEST_FILES, name), dst("dicom", name))

    write_dicom_seg(src(PYDICOM_TEST_FILES, "MR_small.dcm"), dst("dicom", "MR_small_seg.dcm"))

    # 4. deliberately bad inputs
    with open(src(SKIMAGE_DATA, "cell.png"), "rb") as f:
        head = f.read(300)
    with open(dst("bad", "truncated.png"), "wb") as f:
        f.write(head)
    with open(dst("bad", "not_an_image.tif"), "w") as f:
        f.write("This is a plain text file with a .tif extension.\n"
                "It is not a TIFF image; readers must reject it cleanly.\n")
    open(dst("bad", "empty.png"), "wb").close()
    garbage = (struct.pack("<i", 123456)             # wrong sizeof_hdr
               + b"GARBAGE-NOT-A-NIFTI-HEADER" + bytes(range(34)))
    with open(dst("bad", "corrupt.nii.gz"), "wb") as f:
        f.write(gzip.compress(garbage, compresslevel=9, mtime=0))

    # 5. Fashion-MNIST: first FASHION_PER_CLASS images of each class in t10k
    images = read_idx(src(FASHION_DIR, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(src(FASHION_DIR, "t10k-labels-idx1-ubyte.gz"))
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    picked = []
    for c in range(10):
        picked += [int(i) for i in np.flatnonzero(labels == c)[:FASHION_PER_CLASS]]
    rows = []
    for idx in sorted(picked):
        name = f"{idx:04d}_{FASHION_CLASSES[labels[idx]]}.png"
        save_png(images[idx], dst("fashion", name))
        rows.append((name, FASHION_CLASSES[labels[idx]]))
    with open(dst("fashion", "labels.csv"), "w", newline="\n") as f:
        f.write("image,label\n")
        for name, lab in rows:
            f.write(f"{name},{lab}\n")

    print("test data written to", out)


if __name__ == "__main__":
    main()
