"""Image loading: the bytes of an uploaded file or a built-in sample → a float64 (C, H, W) array in [0, 1].

Everything happens in memory (nothing is written to disk) and every way a file can be unusable ends in one
exception, `ImageLoadError`, whose message is a sentence a student can act on. The steps, in order:

1. refuse empty data, data over `max_bytes`, and a file made of more than `MAX_PIECES` small pieces
   (chunks, segments, strips) before Pillow sees it;
2. open with Pillow restricted to `ACCEPTED_FORMATS`, and refuse an image whose header claims more than
   `max_pixels` pixels (a share of that for WEBP and 4-bit run-length BMP) or a side longer than
   `MAX_IMAGE_SIDE` before its pixels are decoded (a decompression bomb is a small file that claims a huge
   image);
3. decode the first frame (GIF, WEBP, TIFF pages), apply the EXIF orientation when it can be read;
4. bring every Pillow mode to 8-bit 'L' or 'RGB' or to float 'F' in [0, 1]: transparency is flattened on
   white, 16-bit and 32-bit integer images are divided by 65535 (not clipped at 255), CMYK/YCbCr/LAB/HSV
   become RGB; an image of more than `LARGE_IMAGE_PIXELS` is converted a strip of rows at a time and, when
   it is far larger than the working size, box-averaged by a whole factor on the way (see `_working_image`);
5. resize so the long side equals `size` (LANCZOS when shrinking, NEAREST when enlarging);
6. give one channel, luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, the weights JPEG and Pillow use),
   or three RGB channels.

Memory and time are bounded by these limits: the worst files they let through (a 170 KB PNG of 40 million
RGBA pixels, a 16-bit PNG or float TIFF of as many, a WEBP at its own limit) load in under 0.7 s of CPU
and need at most ~300 MB (tests/engine/test_upload_fuzz.py measures it; before these limits, such files
took up to 1.3 GB and 6 s).
"""

from __future__ import annotations

import contextlib
import re
import struct
import threading
import warnings
from collections.abc import Iterator
from io import BytesIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import EngineError, Phrase

MAX_UPLOAD_BYTES: int = 10 * 1024 * 1024
# Our own pixel limit, far below Pillow's (~89 million): 40 million pixels is a 7,000 × 5,700 photograph,
# more than any phone takes, and decoding it as RGB already needs 160 MB (Pillow keeps 4 bytes a pixel).
MAX_IMAGE_PIXELS: int = 40_000_000
# The longest side accepted: JPEG's and GIF's own maximum. Pillow keeps a pointer and more per row (a
# 150 KB PNG of 1 × 40,000,000 pixels decodes into 550 MB in 2.7 s), and LANCZOS's weights grow with the
# length of a side; a bound on the side bounds both.
MAX_IMAGE_SIDE: int = 65_535
# libwebp decodes through its animation decoder, which holds two RGBA canvases besides Pillow's copy of the
# frame: ~15 bytes a pixel at the peak (595 MB for 40 million pixels, measured with Pillow 13) where the
# other formats need at most 4. WEBP files get this share of the pixel limit: ~300 MB at the peak.
WEBP_PIXEL_SHARE: float = 0.5
# Pillow decodes a 4-bit run-length BMP in Python, a pixel at a time (~35 ns a pixel, 1.3 s of CPU holding
# the GIL for 40 million pixels from a 320 KB file): those get this share of the limit, ~0.35 s.
RLE4_PIXEL_SHARE: float = 0.25
# Pillow walks some parts of a file in Python, one piece at a time: PNG chunks, the JPEG header's segments
# and the stray or fill bytes between them, TIFF strips and tiles. A 10 MB file of a million tiny pieces
# costs it seconds of CPU holding the GIL (measured, Pillow 13: 800,000 empty PNG chunks 1.5 s, 2.5 million
# empty JPEG segments 2.2 s, 10 MB of JPEG fill bytes 2.7 s, 1.5 million TIFF strips 5.5 s). Ordinary files
# have a few dozen to a few thousand; more than this many are refused before Pillow sees them (~0.2 s).
MAX_PIECES: int = 100_000
# Above this many pixels an image is converted in strips of STRIP_PIXELS and reduced on the way
# (`_working_image`); up to it, whole, as a 2,000 × 2,000 image takes a few milliseconds either way.
LARGE_IMAGE_PIXELS: int = 4_000_000
STRIP_PIXELS: int = 1_000_000
# A large image is first box-averaged by a whole factor that leaves it at least this many times the working
# size, then LANCZOS does the rest: Pillow's own `reducing_gap`, whose result it calls almost
# indistinguishable from LANCZOS alone at 3, and ~10 times faster on a 40-million-pixel image.
REDUCING_GAP: float = 3.0
ACCEPTED_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
ACCEPTED_EXTENSIONS: tuple[str, ...] = ("png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff")
# ITU-R BT.601 luma weights for (R, G, B), in thousandths: integer weights summing to exactly 1000 make
# white come out as exactly 1.0 (0.299 + 0.587 + 0.114 is 0.9999999999999999 in floating point).
LUMA_WEIGHTS_PER_MILLE: tuple[int, int, int] = (299, 587, 114)

_FORMAT_LIST = Phrase("PNG, JPEG, GIF, BMP, WEBP or TIFF")
# Images whose samples are integers on a 16-bit scale; 'I' (32-bit) images are almost always 16-bit data.
_HIGH_DEPTH_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")
# Serialises our use of warnings.catch_warnings (see _pillow_warnings).
_WARNINGS_LOCK = threading.Lock()


class ImageLoadError(EngineError):
    """A file (or a sample name) that cannot be turned into an image; the message says what to do."""


def load_image(
    data: bytes,
    *,
    color: bool = False,
    size: int | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> np.ndarray:
    """Decode the bytes of an image file into a float64 array in [0, 1], resized to a working size.

    Args:
        data: the whole file, as bytes (e.g. `uploaded.getvalue()` or `Path(p).read_bytes()`).
        color: True for three RGB channels, False for one grayscale (BT.601 luma) channel.
        size: the long side of the result in pixels, aspect ratio kept (short side at least 1);
            None keeps the original size. Shrinking uses LANCZOS; enlarging uses NEAREST, so each original
            pixel becomes a visible block and the values stay exactly those of the file (an 8×8 digit
            enlarged to 32 shows its 64 cells).
        max_bytes: files longer than this are refused before they are opened.
        max_pixels: images whose header claims more pixels (width × height) are refused before decoding;
            WEBP files (four times the memory a pixel) above `WEBP_PIXEL_SHARE` of it, and 4-bit run-length
            BMP files (decoded in Python) above `RLE4_PIXEL_SHARE` of it.

    Returns:
        (1, H, W) for grayscale or (3, H, W) for colour, float64, values in [0, 1]; H and W are the
        (orientation-corrected, resized) height and width.

    Raises:
        ImageLoadError: for every reason the file cannot be used (the only exception this raises).
    """
    _check_size_argument(size)
    _check_bytes(data, max_bytes)
    try:
        with _open_image(data, max_pixels) as opened:  # closing it frees the decoded pixels
            upright = _decode(opened, size)
            target = _working_size(upright.size, size, max_pixels)
            image = _resize(*_working_image(upright, target), target)
            pixels = _to_float(image)
    except ImageLoadError:
        raise
    except MemoryError as err:
        raise ImageLoadError(
            "The image is too large for the memory available; upload a smaller one."
        ) from err
    except Exception as err:
        # Pillow's decoders raise a zoo of types on malformed input (OSError, SyntaxError, struct.error,
        # IndexError, ZeroDivisionError, ...): whatever happened, the student gets a sentence.
        raise ImageLoadError(
            "The image file could not be read; save it again as PNG or JPEG and upload the new file."
        ) from err
    return _to_channels_first(pixels, color)


def image_info(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_IMAGE_PIXELS) -> dict:
    """Read an image file's header only: its format, Pillow mode, width, height and number of frames.

    Args:
        data: the whole file, as bytes.
        max_bytes: files longer than this are refused.
        max_pixels: images whose header claims more pixels are refused.

    Returns:
        {"format": str, "mode": str, "width": int, "height": int, "frames": int}; width and height are those
        stored in the file, before any EXIF rotation.

    Raises:
        ImageLoadError: as `load_image` for empty, oversized, unreadable or too large images.
    """
    _check_bytes(data, max_bytes)
    try:
        with _open_image(data, max_pixels) as image:
            frames = int(getattr(image, "n_frames", 1))
            return {
                "format": image.format,
                "mode": image.mode,
                "width": image.width,
                "height": image.height,
                "frames": frames,
            }
    except ImageLoadError:
        raise
    except Exception as err:
        raise ImageLoadError(
            "The image file could not be read; save it again as PNG or JPEG and upload the new file."
        ) from err


def to_uint8(x: np.ndarray) -> np.ndarray:
    """Turn a float image in [0, 1] into 8-bit pixels for display (values outside are clipped).

    Args:
        x: (C, H, W) with C = 1 or 3, or (H, W); NaN counts as 0.

    Returns:
        (H, W) uint8 for one channel, (H, W, 3) uint8 for three (channels last, as images are shown).

    Raises:
        ValueError: for any other shape.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 3 and x.shape[0] in (1, 3):
        x = x[0] if x.shape[0] == 1 else np.moveaxis(x, 0, -1)
    elif x.ndim != 2:
        raise ValueError(
            f"An image to display must have shape (1, H, W), (3, H, W) or (H, W), not {x.shape}."
        )
    x = np.clip(np.nan_to_num(x, nan=0.0), 0.0, 1.0)
    return np.rint(x * 255.0).astype(np.uint8)


def encode_picture(pixels: np.ndarray, fmt: str = "PNG") -> bytes:
    """PNG or JPEG bytes of (H, W) or (H, W, 3) uint8 pixels, in memory (for figures that show a picture).

    PNG is exact (small images, where every pixel is a visible cell); JPEG at quality 92 is about ten
    times faster to encode for a large photograph or a smooth colour map (~5 ms for 512² RGB).
    """
    buffer = BytesIO()
    image = Image.fromarray(np.ascontiguousarray(pixels, dtype=np.uint8))
    if fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=92)
    else:
        image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# --- the steps of load_image ----------------------------------------------------------------------------


def _check_size_argument(size: int | None) -> None:
    """Refuse a working size that is not a whole number of pixels ≥ 1 (None means: keep the file's size)."""
    if size is None:
        return
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ImageLoadError(
            "The image size must be a whole number of pixels of at least 1, not {size!r}.", size=size
        )


def _check_bytes(data: bytes, max_bytes: int) -> None:
    """Refuse what is not bytes, is empty or is longer than max_bytes, before any decoder runs."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageLoadError(
            "An image must be given as the file's bytes (for example Path(...).read_bytes()), not as {kind}.",
            kind=type(data).__name__,
        )
    if len(data) == 0:
        raise ImageLoadError("The file is empty; choose an image file ({formats}).", formats=_FORMAT_LIST)
    if len(data) > max_bytes:
        raise ImageLoadError(
            "The file ({size}) is over the {limit} limit; upload a smaller or more compressed image.",
            size=_byte_count(len(data)),
            limit=_byte_count(max_bytes),
        )


def _byte_count(n_bytes: int) -> Phrase:
    """A byte count the way people read it: '10 MB', '12.3 MB', '740 KB', '50 bytes'."""
    if n_bytes >= 1024 * 1024:
        return Phrase("{n:.3g} MB", n=n_bytes / (1024 * 1024))
    if n_bytes >= 1024:
        return Phrase("{n:.3g} KB", n=n_bytes / 1024)
    return Phrase("{n} bytes", n=n_bytes)


def _open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Open the bytes with Pillow (header only) and refuse unknown formats and too many pixels.

    Pillow itself warns above ~89 million pixels and raises above twice that; the warning becomes a
    refusal here, and our own, lower limit (`_pixel_limit`) and MAX_IMAGE_SIDE are checked from the header
    before anything is decoded. A file of more than MAX_PIECES pieces is refused before Pillow opens it.
    """
    if _pieces(data) > MAX_PIECES:
        raise ImageLoadError(
            "The image file could not be read; save it again as PNG or JPEG and upload the new file."
        )
    try:
        with _pillow_warnings():
            image = Image.open(BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except UnidentifiedImageError as err:
        raise ImageLoadError(
            "This file is not an image the app can read; upload a {formats} file.", formats=_FORMAT_LIST
        ) from err
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as err:
        # Pillow's own limit refused it: name the lower of the two limits, the one that applied.
        limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
        raise _too_many_pixels(None, limit) from err
    except OSError as err:  # a known format whose header is cut short or broken
        raise ImageLoadError(
            "The image file is damaged or incomplete (perhaps cut off while copying); save it again and "
            "upload it."
        ) from err
    limit = _pixel_limit(image, max_pixels)
    if image.width * image.height > limit:
        error = _too_many_pixels(image.size, limit)
        image.close()
        raise error
    if max(image.size) > MAX_IMAGE_SIDE:
        image.close()
        raise ImageLoadError(
            "The image is {width:,} × {height:,} pixels; the app accepts at most {limit:,} pixels along a "
            "side, so crop or shrink it and upload it again.",
            width=image.width,
            height=image.height,
            limit=MAX_IMAGE_SIDE,
        )
    return image


def _pixel_limit(image: Image.Image, max_pixels: int) -> int:
    """The pixel limit for this opened file: a share of `max_pixels` for WEBP (memory) and 4-bit run-length
    BMP (time), the whole of it for every other file."""
    if image.format == "WEBP":
        return int(max_pixels * WEBP_PIXEL_SHARE)
    if image.format == "BMP" and image.info.get("compression") == 2:  # BI_RLE4
        return int(max_pixels * RLE4_PIXEL_SHARE)
    return max_pixels


# --- the pieces Pillow walks in Python ------------------------------------------------------------------

_TIFF_SIGNATURES = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF, both byte orders
# A JPEG marker: 0xFF, any fill bytes 0xFF, then a byte that is neither 0x00 (an escaped 0xFF) nor 0xFF.
_JPEG_MARKER = re.compile(rb"\xff+[^\x00\xff]")
_JPEG_STANDALONE = frozenset([0x01, *range(0xD0, 0xD8)])  # TEM, RST0–RST7: markers without a length
# StripOffsets, StripByteCounts, TileOffsets, TileByteCounts: one entry per strip or tile.
_TIFF_PIECE_TAGS = frozenset([273, 279, 324, 325])


def _pieces(data: bytes) -> int:
    """How many pieces Pillow would walk one at a time in Python (see MAX_PIECES); 0 for other formats.

    Counting stops a little past MAX_PIECES, so the count itself costs at most ~0.1 s.
    """
    head = bytes(data[:8])  # data may be a bytearray or a memoryview: struct and re read those too
    try:
        if head == b"\x89PNG\r\n\x1a\n":
            return _png_chunk_count(data)
        if head.startswith(b"\xff\xd8"):
            return _jpeg_header_pieces(data)
        if head[:4] in _TIFF_SIGNATURES:
            return _tiff_pieces(data, "<" if head.startswith(b"II") else ">", big=b"+" in head[:4])
    except struct.error:  # a header cut short: Pillow will find that and say so
        pass
    return 0


def _png_chunk_count(data: bytes) -> int:
    """Chunks of a PNG: each is 4 bytes of length, 4 of type, the payload and 4 of CRC."""
    count, at = 0, 8
    while at + 8 <= len(data) and count <= MAX_PIECES:
        (length,) = struct.unpack_from(">I", data, at)
        at += 12 + length
        count += 1
    return count


def _jpeg_header_pieces(data: bytes) -> int:
    """Segments before the first scan, plus the stray and fill bytes Pillow steps over one at a time."""
    count, at = 0, 2
    while count <= MAX_PIECES:
        marker = _JPEG_MARKER.search(data, at)
        if marker is None:
            break
        count += marker.end() - at - 1  # every byte stepped over, and the marker
        kind = data[marker.end() - 1]
        if kind in (0xDA, 0xD9):  # start of scan (the C decoder takes over) or end of image
            break
        at = marker.end()
        if kind not in _JPEG_STANDALONE:
            at += struct.unpack_from(">H", data, at)[0]
    return count


def _tiff_pieces(data: bytes, order: str, big: bool) -> int:
    """Entries of a TIFF's first directory plus its strips or tiles (the longest of their offset and size
    lists): Pillow parses the one and makes a tile of each of the other in Python.

    `order` is the struct byte order ('<' for 'II', '>' for 'MM'); `big` is True for a BigTIFF.
    """
    if not big:  # classic: 32-bit offsets, a 16-bit entry count, 12-byte entries
        (ifd,) = struct.unpack_from(order + "I", data, 4)
        (entries,) = struct.unpack_from(order + "H", data, ifd)
        first, size, entry = ifd + 2, 12, order + "HHI"
    else:  # BigTIFF: 64-bit offsets and counts, 20-byte entries
        (ifd,) = struct.unpack_from(order + "Q", data, 8)
        (entries,) = struct.unpack_from(order + "Q", data, ifd)
        first, size, entry = ifd + 8, 20, order + "HHQ"
    longest = 0
    for k in range(min(entries, MAX_PIECES + 1, (len(data) - first) // size)):  # claimed ones count too
        tag, _, count = struct.unpack_from(entry, data, first + size * k)
        if tag in _TIFF_PIECE_TAGS:
            longest = max(longest, count)
    return entries + longest


@contextlib.contextmanager
def _pillow_warnings() -> Iterator[None]:
    """Within the block, a decompression-bomb warning is an error and Pillow's user warnings are silent.

    Pillow warns "Corrupt EXIF data" while reading a JPEG header or its orientation, and "Tag data larger
    than file" or "Metadata Warning" while it decodes a TIFF: the picture is fine, so neither the student
    nor the server log needs to hear it. catch_warnings swaps the process-wide filter list; the lock keeps
    two sessions opening files at the same moment from restoring each other's filters (which could leave
    ours behind for good).
    """
    with _WARNINGS_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _pixel_count(n_pixels: int) -> Phrase:
    """A pixel count the way people read it: '40 million', '89.5 million', '83,000'."""
    if n_pixels >= 1_000_000:
        return Phrase("{n:.3g} million", n=n_pixels / 1e6)
    return Phrase("{n:,}", n=n_pixels)


def _too_many_pixels(size: tuple[int, int] | None, max_pixels: int) -> ImageLoadError:
    """The refusal of an image with more pixels than allowed (size = (width, height) when known)."""
    if size:
        claimed = Phrase("{width:,} × {height:,} pixels", width=size[0], height=size[1])
    else:
        claimed = Phrase("far too many pixels")
    return ImageLoadError(
        "The image has {claimed}, more than the {limit} the app accepts; shrink it and upload it again.",
        claimed=claimed,
        limit=_pixel_count(max_pixels),
    )


def _decode(image: Image.Image, size: int | None) -> Image.Image:
    """Decode the first frame's pixels and turn it upright as its EXIF orientation says (in place).

    When the image will be shrunk to a long side of `size`, a JPEG is decoded directly at 1/2, 1/4 or 1/8
    of its size (DCT scaling, never below the target): a 12-megapixel photo loads several times faster.
    Other formats ignore this.

    Returns:
        the same image object, loaded and upright: turning it in place keeps one full-size copy in memory,
        not two (an image with no orientation is not copied at all).

    Raises:
        ImageLoadError: when the pixel data is truncated or damaged.
    """
    if size is not None and size < max(image.size):
        image.draft(None, _target_size(image.width, image.height, size))
    try:
        with _pillow_warnings():
            image.load()  # an opened GIF, WEBP or TIFF stands on its first frame/page: the one we keep
    except OSError as err:
        raise ImageLoadError(
            "The image file is damaged or incomplete (perhaps cut off while copying); save it again and "
            "upload it."
        ) from err
    # Broken EXIF data must not cost the student the picture: then it stays as stored, just not rotated.
    with contextlib.suppress(Exception), _pillow_warnings():
        ImageOps.exif_transpose(image, in_place=True)
    return image


def _working_size(size_now: tuple[int, int], size: int | None, max_pixels: int) -> tuple[int, int] | None:
    """(width, height) of the result: long side `size`, aspect ratio of `size_now`; None keeps the size.

    Raises:
        ImageLoadError: when that size has more than `max_pixels` pixels (a huge working size).
    """
    if size is None or size == max(size_now):
        return None
    width, height = _target_size(*size_now, size)
    if width * height > max_pixels:
        raise ImageLoadError(
            "A working size of {size:,} pixels would make the image {width:,} × {height:,} pixels, more "
            "than the {limit} the app accepts; choose a smaller size.",
            size=size,
            width=width,
            height=height,
            limit=_pixel_count(max_pixels),
        )
    return width, height


def _working_image(
    image: Image.Image, target: tuple[int, int] | None
) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """The decoded image in its working mode ('L', 'RGB' or 'F'); a large one is built a strip at a time.

    Converted whole, a 40-million-pixel image holds several full-size copies at once (an RGBA one: its
    copy in RGBA, a white background, the composite and its RGB conversion, ~900 MB; a 16-bit one: four
    NumPy arrays, ~1 GB). Above `LARGE_IMAGE_PIXELS` it is converted in strips of rows instead, and each
    strip is box-averaged by whole factors (kx, ky) that leave at least `REDUCING_GAP` times the target
    (ky no more than a strip of about STRIP_PIXELS holds), so the peak is the decoded image plus one strip
    plus a small result. Every step is per pixel except the box average, whose blocks never straddle two
    strips (a strip is a whole number of blocks high): the result equals converting the whole image and
    then reducing it.

    Args:
        image: the decoded, upright image, any mode, (width, height) = image.size.
        target: (width, height) the result will be resized to, or None to keep the size.

    Returns:
        an 'L', 'RGB' or 'F' image of ceil(width / kx) × ceil(height / ky) pixels (kx = ky = 1 when the
        image is small or no smaller size is wanted), and the box (0, 0, width / kx, height / ky) in it that
        the whole image became: a last block cut short by the edge is a whole pixel of the result, and
        resizing from the box instead of the whole result keeps it from stretching the picture.
    """
    value_range = _float_range(image)
    if image.width * image.height <= LARGE_IMAGE_PIXELS:
        return _working_mode(image, value_range), (0, 0, image.width, image.height)
    kx, ky = _reduce_factors(image.size, target)
    ky = min(ky, max(1, STRIP_PIXELS // image.width))  # a wide image: LANCZOS does more of the shrinking
    rows = max(1, STRIP_PIXELS // image.width // ky) * ky
    result = None
    for top in range(0, image.height, rows):
        strip = _working_mode(image.crop((0, top, image.width, min(top + rows, image.height))), value_range)
        strip = strip.reduce((kx, ky)) if kx * ky > 1 else strip
        if result is None:
            result = Image.new(strip.mode, (strip.width, -(-image.height // ky)))
        result.paste(strip, (0, top // ky))
    return result, (0, 0, image.width / kx, image.height / ky)


def _reduce_factors(size_now: tuple[int, int], target: tuple[int, int] | None) -> tuple[int, int]:
    """Whole factors (kx, ky) ≥ 1 that leave an image of `size_now` at least REDUCING_GAP × `target`."""
    if target is None:
        return 1, 1
    return tuple(max(1, int(now / (want * REDUCING_GAP))) for now, want in zip(size_now, target))


def _working_mode(image: Image.Image, value_range: tuple[float, float] | None = None) -> Image.Image:
    """Bring any Pillow mode to 'L' or 'RGB' (8-bit) or 'F' (float in [0, 1]), transparency on white.

    `value_range` is the (lowest, highest) value of the whole 'F' image this one is a strip of
    (`_float_range`): a strip is stretched as the whole image is, not by its own range.
    """
    if image.mode in _HIGH_DEPTH_MODES or image.mode == "F":
        return _high_depth_to_float(image, value_range)
    if image.mode == "1":
        return image.convert("L")
    if image.mode in ("L", "RGB") and "transparency" not in image.info:
        return image
    if _has_alpha(image):
        return _flatten_on_white(image)
    try:
        return image.convert("RGB")  # P, CMYK, YCbCr, LAB, HSV, RGBX
    except ValueError as err:
        raise ImageLoadError(
            "The image uses a colour mode ({mode}) the app cannot convert; save it as an ordinary RGB or "
            "grayscale PNG or JPEG.",
            mode=image.mode,
        ) from err


def _has_alpha(image: Image.Image) -> bool:
    """True for an alpha band (RGBA, LA, PA, RGBa, La) or a transparent colour/palette entry (tRNS)."""
    return "A" in image.getbands() or "a" in image.getbands() or "transparency" in image.info


def _flatten_on_white(image: Image.Image) -> Image.Image:
    """Composite a partly transparent image over white: out = a·colour + (1 − a)·white, as 'RGB'."""
    try:
        rgba = image.convert("RGBA")
    except ValueError as err:
        raise ImageLoadError(
            "The image uses a transparent colour mode ({mode}) the app cannot convert; save it as an "
            "ordinary RGBA or RGB PNG.",
            mode=image.mode,
        ) from err
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")


def _high_depth_to_float(image: Image.Image, value_range: tuple[float, float] | None) -> Image.Image:
    """Scale a 16/32-bit integer or float grayscale image to an 'F' image in [0, 1].

    Integers are divided by 65535, the full 16-bit range, so 65535 → 1.0 and 32768 → 0.5 (Pillow's own
    convert('L') would clip everything above 255 to white); 32-bit values outside [0, 65535] are clipped.
    Float images already in [0, 1] are kept; other ranges are stretched min → 0, max → 1 (the whole image's
    `value_range`, or this image's own when None). NaN and ±inf → 0.
    """
    values = np.asarray(image, dtype=np.float64)  # a copy of its own, so the steps below work in place
    if image.mode == "F":
        values = _finite(values)
        low, high = value_range or (float(values.min()), float(values.max()))
        values = _stretch_to_unit(values, low, high)
    else:
        values = np.clip(values / 65535.0, 0.0, 1.0)
    return Image.fromarray(values.astype(np.float32))


def _finite(values: np.ndarray) -> np.ndarray:
    """NaN and ±inf → 0, in place: a float image's missing or overflowed samples count as black."""
    return np.nan_to_num(values, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


def _float_range(image: Image.Image) -> tuple[float, float] | None:
    """(lowest, highest) value of an 'F' image once NaN and ±inf count as 0, read a strip at a time;
    None for any other mode."""
    if image.mode != "F":
        return None
    rows = max(1, STRIP_PIXELS // image.width)
    low, high = np.inf, -np.inf
    for top in range(0, image.height, rows):
        strip = image.crop((0, top, image.width, min(top + rows, image.height)))
        values = _finite(np.array(strip))  # np.array: a writable copy (asarray would be read-only)
        low, high = min(low, float(values.min())), max(high, float(values.max()))
    return low, high


def _stretch_to_unit(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Map values linearly onto [0, 1] (low → 0, high → 1) unless [low, high] already lies there (a constant
    image is only clipped)."""
    if (low >= 0.0 and high <= 1.0) or high == low:
        return np.clip(values, 0.0, 1.0)
    return (values - low) / (high - low)


def _target_size(width: int, height: int, size: int) -> tuple[int, int]:
    """(width, height) whose long side is `size`, short side scaled by the same factor, at least 1."""
    scale = size / max(width, height)
    if width >= height:
        return size, max(1, round(height * scale))
    return max(1, round(width * scale)), size


def _resize(
    image: Image.Image, box: tuple[float, float, float, float], target: tuple[int, int] | None
) -> Image.Image:
    """Resize the `box` of the image to `target` (width, height): LANCZOS to shrink (sharp, little
    aliasing), NEAREST to enlarge.

    NEAREST keeps the file's values exactly and shows each original pixel as a block, which is what a
    student should see when an 8×8 digit is blown up; smooth interpolation would invent values.
    """
    if target is None:
        return image
    resample = Image.Resampling.LANCZOS if max(target) < max(image.size) else Image.Resampling.NEAREST
    return image.resize(target, resample=resample, box=box)


def _to_float(image: Image.Image) -> np.ndarray:
    """Pixels of an 'L', 'RGB' or 'F' image as float64 in [0, 1]: (H, W) or (H, W, 3)."""
    values = np.asarray(image, dtype=np.float64)
    if image.mode == "F":
        return np.clip(values, 0.0, 1.0)  # LANCZOS can overshoot slightly past 0 and 1 near edges
    return values / 255.0


def _to_channels_first(pixels: np.ndarray, color: bool) -> np.ndarray:
    """(H, W) or (H, W, 3) in [0, 1] → (1, H, W) luma or (3, H, W) RGB, contiguous float64."""
    if color:
        rgb = pixels if pixels.ndim == 3 else np.repeat(pixels[:, :, None], 3, axis=2)
        return np.ascontiguousarray(np.moveaxis(rgb, -1, 0))
    if pixels.ndim == 2:
        gray = pixels
    else:  # (H, W, 3) @ (3,) → (H, W): Y = (299 R + 587 G + 114 B) / 1000
        gray = pixels @ np.asarray(LUMA_WEIGHTS_PER_MILLE, dtype=np.float64) / 1000
    return np.clip(gray, 0.0, 1.0)[None, :, :]
