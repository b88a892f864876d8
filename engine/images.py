"""Image loading: the bytes of an uploaded file or a built-in sample → a float64 (C, H, W) array in [0, 1].

Everything happens in memory (nothing is written to disk) and every way a file can be unusable ends in one
exception, `ImageLoadError`, whose message is a sentence a student can act on. The steps, in order:

1. refuse empty data and data over `max_bytes` before Pillow sees it;
2. open with Pillow restricted to `ACCEPTED_FORMATS`, and refuse an image whose header claims more than
   `max_pixels` pixels before its pixels are decoded (a decompression bomb is a small file that claims a huge
   image);
3. decode the first frame (GIF, WEBP, TIFF pages), apply the EXIF orientation when it can be read;
4. bring every Pillow mode to 8-bit 'L' or 'RGB' or to float 'F' in [0, 1]: transparency is flattened on
   white, 16-bit and 32-bit integer images are divided by 65535 (not clipped at 255), CMYK/YCbCr/LAB/HSV
   become RGB;
5. resize so the long side equals `size` (LANCZOS when shrinking, NEAREST when enlarging);
6. give one channel, luma Y = 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, the weights JPEG and Pillow use),
   or three RGB channels.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from io import BytesIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from engine.errors import EngineError, Phrase

MAX_UPLOAD_BYTES: int = 10 * 1024 * 1024
# Our own pixel limit, far below Pillow's (~89 million): 40 million pixels is a 7,000 × 5,700 photograph,
# more than any phone takes, and decoding it as RGB already needs 120 MB.
MAX_IMAGE_PIXELS: int = 40_000_000
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
        max_pixels: images whose header claims more pixels (width × height) are refused before decoding.

    Returns:
        (1, H, W) for grayscale or (3, H, W) for colour, float64, values in [0, 1]; H and W are the
        (orientation-corrected, resized) height and width.

    Raises:
        ImageLoadError: for every reason the file cannot be used (the only exception this raises).
    """
    _check_size_argument(size)
    _check_bytes(data, max_bytes)
    try:
        with _open_image(data, max_pixels) as opened:
            image = _decode(opened, size)
        image = _resize_long_side(_working_mode(image), size, max_pixels)
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
    refusal here, and our own, lower limit is checked from the header before anything is decoded.
    """
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
    if image.width * image.height > max_pixels:
        error = _too_many_pixels(image.size, max_pixels)
        image.close()
        raise error
    return image


@contextlib.contextmanager
def _pillow_warnings() -> Iterator[None]:
    """Within the block, a decompression-bomb warning is an error and Pillow's user warnings are silent.

    Pillow warns "Corrupt EXIF data" while reading a JPEG header or its orientation: the picture is fine,
    so neither the student nor the server log needs to hear it. catch_warnings swaps the process-wide
    filter list; the lock keeps two sessions opening files at the same moment from restoring each other's
    filters (which could leave ours behind for good).
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
    """Decode the first frame's pixels and turn it upright as its EXIF orientation says.

    When the image will be shrunk to a long side of `size`, a JPEG is decoded directly at 1/2, 1/4 or 1/8
    of its size (DCT scaling, never below the target): a 12-megapixel photo loads several times faster.
    Other formats ignore this.

    Raises:
        ImageLoadError: when the pixel data is truncated or damaged.
    """
    if size is not None and size < max(image.size):
        image.draft(None, _target_size(image.width, image.height, size))
    try:
        image.load()  # an opened GIF, WEBP or TIFF stands on its first frame/page: that is the one we keep
    except OSError as err:
        raise ImageLoadError(
            "The image file is damaged or incomplete (perhaps cut off while copying); save it again and "
            "upload it."
        ) from err
    try:
        with _pillow_warnings():
            return ImageOps.exif_transpose(image)
    except Exception:
        # Broken EXIF data must not cost the student the picture: keep it as stored, just not rotated.
        return image.copy()


def _working_mode(image: Image.Image) -> Image.Image:
    """Bring any Pillow mode to 'L' or 'RGB' (8-bit) or 'F' (float in [0, 1]), transparency on white."""
    if image.mode in _HIGH_DEPTH_MODES or image.mode == "F":
        return _high_depth_to_float(image)
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


def _high_depth_to_float(image: Image.Image) -> Image.Image:
    """Scale a 16/32-bit integer or float grayscale image to an 'F' image in [0, 1].

    Integers are divided by 65535, the full 16-bit range, so 65535 → 1.0 and 32768 → 0.5 (Pillow's own
    convert('L') would clip everything above 255 to white); 32-bit values outside [0, 65535] are clipped.
    Float images already in [0, 1] are kept; other ranges are stretched min → 0, max → 1. NaN and ±inf → 0.
    """
    values = np.asarray(image).astype(np.float64)
    if image.mode == "F":
        values = _stretch_to_unit(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0))
    else:
        values = np.clip(values / 65535.0, 0.0, 1.0)
    return Image.fromarray(values.astype(np.float32))


def _stretch_to_unit(values: np.ndarray) -> np.ndarray:
    """Map values linearly onto [0, 1] unless they already lie there (a constant image is only clipped)."""
    low, high = float(values.min()), float(values.max())
    if (low >= 0.0 and high <= 1.0) or high == low:
        return np.clip(values, 0.0, 1.0)
    return (values - low) / (high - low)


def _target_size(width: int, height: int, size: int) -> tuple[int, int]:
    """(width, height) whose long side is `size`, short side scaled by the same factor, at least 1."""
    scale = size / max(width, height)
    if width >= height:
        return size, max(1, round(height * scale))
    return max(1, round(width * scale)), size


def _resize_long_side(image: Image.Image, size: int | None, max_pixels: int) -> Image.Image:
    """Resize so the long side is `size`: LANCZOS to shrink (sharp, little aliasing), NEAREST to enlarge.

    NEAREST keeps the file's values exactly and shows each original pixel as a block, which is what a
    student should see when an 8×8 digit is blown up; smooth interpolation would invent values.
    """
    if size is None or size == max(image.size):
        return image
    width, height = _target_size(image.width, image.height, size)
    if width * height > max_pixels:
        raise ImageLoadError(
            "A working size of {size:,} pixels would make the image {width:,} × {height:,} pixels, more "
            "than the {limit} the app accepts; choose a smaller size.",
            size=size,
            width=width,
            height=height,
            limit=_pixel_count(max_pixels),
        )
    resample = Image.Resampling.LANCZOS if size < max(image.size) else Image.Resampling.NEAREST
    return image.resize((width, height), resample=resample)


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
