"""Image loading: every Pillow mode and accepted format, EXIF orientation, resizing, refusals, samples.

Every test file is made in memory with Pillow (or byte by byte for the broken ones): nothing touches disk
except reading the committed samples.
"""

from __future__ import annotations

import importlib.util
import io
import struct
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile, ImageOps

from engine.images import (
    ACCEPTED_EXTENSIONS,
    ACCEPTED_FORMATS,
    MAX_IMAGE_PIXELS,
    MAX_UPLOAD_BYTES,
    ImageLoadError,
    image_info,
    load_image,
    to_uint8,
)
from engine.samples import ASSETS_DIR, SampleInfo, list_samples, load_sample

# A non-square test size: height 7, width 12 (a swapped H and W changes the shape).
H, W = 7, 12
ORIENTATION_TAG = 0x0112


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """The bytes of `image` saved as `fmt`, as an upload would deliver them."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def random_image(mode: str, rng: np.random.Generator, size: tuple[int, int] = (W, H)) -> Image.Image:
    """A random image of any Pillow mode, built from uint8 noise (converted for modes NumPy cannot make)."""
    width, height = size
    if mode in ("I;16", "I", "F"):
        values = rng.integers(0, 65536, (height, width))
        if mode == "F":
            return Image.fromarray((values / 65535).astype(np.float32))
        return Image.fromarray(values.astype(np.uint16 if mode == "I;16" else np.int32))
    channels = len(Image.new(mode, (1, 1)).getbands()) if mode not in ("1", "P") else 1
    noise = rng.integers(0, 256, (height, width, channels), dtype=np.uint8)
    if mode in ("1", "P"):
        return Image.fromarray(noise[:, :, 0], mode="L").convert(mode)
    base = Image.fromarray(noise[:, :, :3] if channels >= 3 else noise[:, :, 0])
    if mode == "LA":
        return Image.merge("LA", (base, Image.fromarray(noise[:, :, 1])))
    if mode == "RGBA":
        return Image.merge("RGBA", (*base.split(), Image.fromarray(noise[:, :, 3])))
    return base.convert(mode)


def assert_loaded_image(x: np.ndarray, channels: int, height: int, width: int) -> None:
    """The contract of load_image's result: (C, H, W), float64, contiguous, every value in [0, 1]."""
    assert x.shape == (channels, height, width)
    assert x.dtype == np.float64
    assert x.flags.c_contiguous
    assert np.isfinite(x).all()
    assert x.min() >= 0.0 and x.max() <= 1.0


def assert_student_sentence(error: ImageLoadError) -> None:
    """A refusal is one plain sentence: not empty, no traceback, no newline, ends with a full stop."""
    message = str(error)
    assert type(error) is ImageLoadError and isinstance(error, ValueError)
    assert len(message) > 20 and "\n" not in message and message.endswith(".")
    assert "Traceback" not in message and "object at 0x" not in message


# --- every mode in every format that can store it ------------------------------------------------------

MODE_FORMATS = [
    ("RGB", "PNG"), ("RGB", "JPEG"), ("RGB", "GIF"), ("RGB", "BMP"), ("RGB", "WEBP"), ("RGB", "TIFF"),
    ("RGBA", "PNG"), ("RGBA", "WEBP"), ("RGBA", "TIFF"), ("RGBA", "BMP"),
    ("LA", "PNG"), ("LA", "TIFF"),
    ("L", "PNG"), ("L", "JPEG"), ("L", "GIF"), ("L", "BMP"), ("L", "WEBP"), ("L", "TIFF"),
    ("1", "PNG"), ("1", "BMP"), ("1", "TIFF"), ("1", "GIF"),
    ("P", "PNG"), ("P", "GIF"), ("P", "BMP"), ("P", "TIFF"),
    ("I;16", "PNG"), ("I;16", "TIFF"), ("I", "TIFF"), ("F", "TIFF"),
    ("CMYK", "JPEG"), ("CMYK", "TIFF"),
    ("YCbCr", "JPEG"), ("YCbCr", "TIFF"),
    ("LAB", "TIFF"),
]  # fmt: skip


@pytest.mark.parametrize(("mode", "fmt"), MODE_FORMATS)
@pytest.mark.parametrize("color", [False, True])
def test_every_mode_and_format_loads_as_float_in_unit_range(
    mode: str, fmt: str, color: bool, rng: np.random.Generator
) -> None:
    x = load_image(encode(random_image(mode, rng), fmt), color=color)
    assert_loaded_image(x, 3 if color else 1, H, W)


def test_accepted_formats_cover_the_extensions() -> None:
    assert set(ACCEPTED_FORMATS) == {"PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"}
    assert set(ACCEPTED_EXTENSIONS) == {"png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"}
    assert MAX_UPLOAD_BYTES == 10 * 1024 * 1024
    assert MAX_IMAGE_PIXELS < Image.MAX_IMAGE_PIXELS


# --- exact values -----------------------------------------------------------------------------------------


def test_rgb_values_are_divided_by_255_and_gray_is_bt601_luma(rng: np.random.Generator) -> None:
    rgb = rng.integers(0, 256, (H, W, 3), dtype=np.uint8)
    data = encode(Image.fromarray(rgb), "PNG")
    color = load_image(data, color=True)
    gray = load_image(data)
    np.testing.assert_array_equal(color, np.moveaxis(rgb, -1, 0) / 255.0)
    expected = (0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]) / 255.0
    np.testing.assert_allclose(gray[0], expected, rtol=0, atol=1e-12)


def test_white_is_exactly_one_in_gray() -> None:
    gray = load_image(encode(Image.new("RGB", (W, H), (255, 255, 255)), "PNG"))
    assert (gray == 1.0).all()


def test_grayscale_file_in_color_repeats_the_channel(rng: np.random.Generator) -> None:
    values = rng.integers(0, 256, (H, W), dtype=np.uint8)
    x = load_image(encode(Image.fromarray(values), "PNG"), color=True)
    for c in range(3):
        np.testing.assert_array_equal(x[c], values / 255.0)


# (red, green, blue, alpha) → colour on white: a·colour + (1 − a)·255, rounded to 8 bits.
RGBA_ON_WHITE = [
    ((255, 0, 0, 255), (255, 0, 0)),  # opaque: unchanged
    ((255, 0, 0, 0), (255, 255, 255)),  # fully transparent: white, whatever the colour
    ((0, 0, 0, 0), (255, 255, 255)),
    ((255, 0, 0, 128), (255, 127, 127)),  # half: halfway to white
    ((0, 0, 255, 64), (191, 191, 255)),
]


@pytest.mark.parametrize(("rgba", "on_white"), RGBA_ON_WHITE)
@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "WEBP"])
def test_rgba_is_flattened_on_white(rgba: tuple, on_white: tuple, fmt: str) -> None:
    options = {"lossless": True, "exact": True} if fmt == "WEBP" else {}
    x = load_image(encode(Image.new("RGBA", (W, H), rgba), fmt, **options), color=True)
    for c in range(3):
        np.testing.assert_allclose(x[c], on_white[c] / 255.0, atol=1 / 255)


@pytest.mark.parametrize(
    ("la", "on_white"), [((0, 0), 255), ((0, 255), 0), ((100, 255), 100), ((0, 128), 127)]
)
def test_gray_with_alpha_is_flattened_on_white(la: tuple, on_white: int) -> None:
    x = load_image(encode(Image.new("LA", (W, H), la), "PNG"))
    np.testing.assert_allclose(x, on_white / 255.0, atol=1 / 255)


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_palette_with_a_transparent_entry_is_flattened_on_white(fmt: str) -> None:
    image = Image.new("P", (W, H), 0)
    image.putpalette([10, 20, 30, 0, 0, 255] + [0, 0, 0] * 254)
    image.paste(1, (0, 0, W // 2, H))  # left half: palette entry 1, opaque blue
    x = load_image(encode(image, fmt, transparency=0), color=True)
    np.testing.assert_array_equal(x[:, :, W // 2 :], 1.0)  # entry 0 is transparent: white, not (10, 20, 30)
    np.testing.assert_array_equal(
        x[:, :, : W // 2], np.array([0.0, 0.0, 1.0])[:, None, None] * np.ones((H, W // 2))
    )


def test_transparent_colour_of_an_rgb_png_becomes_white() -> None:
    image = Image.new("RGB", (W, H), (1, 2, 3))
    image.paste((200, 100, 50), (0, 0, 4, H))
    x = load_image(encode(image, "PNG", transparency=(1, 2, 3)), color=True)
    np.testing.assert_array_equal(x[:, :, 4:], 1.0)
    np.testing.assert_allclose(x[:, 0, 0], np.array([200, 100, 50]) / 255.0)


def test_one_bit_image_is_zero_or_one() -> None:
    image = Image.new("1", (W, H), 0)
    image.paste(1, (0, 0, 5, H))
    x = load_image(encode(image, "PNG"))
    np.testing.assert_array_equal(x[0, :, :5], 1.0)
    np.testing.assert_array_equal(x[0, :, 5:], 0.0)


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_sixteen_bit_values_use_the_full_16_bit_range(fmt: str) -> None:
    values = np.array([[0, 255, 1000, 32768, 65535]], dtype=np.uint16).repeat(3, axis=0)
    image = Image.fromarray(values)
    assert image.mode == "I;16"
    x = load_image(encode(image, fmt))
    np.testing.assert_allclose(
        x[0, 0], [0.0, 255 / 65535, 1000 / 65535, 32768 / 65535, 1.0], rtol=0, atol=1e-7
    )
    assert abs(x[0, 0, 3] - 0.5) < 1e-4  # 32768 is about half, not clipped to white at 255


def test_big_endian_sixteen_bit_tiff() -> None:
    values = np.array([[0, 32768, 65535]], dtype=">u2").repeat(2, axis=0)
    image = Image.frombytes("I;16B", (3, 2), values.tobytes())
    x = load_image(encode(image, "TIFF"))
    np.testing.assert_allclose(x[0, 0], [0.0, 32768 / 65535, 1.0], atol=1e-7)


def test_32_bit_integer_image_is_read_on_the_16_bit_scale_and_clipped() -> None:
    values = np.array([[-5, 0, 32768, 65535, 70000]], dtype=np.int32).repeat(2, axis=0)
    x = load_image(encode(Image.fromarray(values), "TIFF"))
    np.testing.assert_allclose(x[0, 0], [0.0, 0.0, 32768 / 65535, 1.0, 1.0], atol=1e-7)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([0.0, 0.25, 1.0], [0.0, 0.25, 1.0]),  # already in [0, 1]: kept
        ([-1.0, 0.0, 3.0], [0.0, 0.25, 1.0]),  # outside: stretched min → 0, max → 1
        ([0.0, 500.0, 1000.0], [0.0, 0.5, 1.0]),
        ([np.nan, 0.5, np.inf], [0.0, 0.5, 0.0]),  # non-finite values count as 0
        ([7.0, 7.0, 7.0], [1.0, 1.0, 1.0]),  # constant: clipped
    ],
)
def test_float_images_are_mapped_to_unit_range(values: list, expected: list) -> None:
    image = Image.fromarray(np.array([values, values], dtype=np.float32))
    x = load_image(encode(image, "TIFF"))
    np.testing.assert_allclose(x[0, 0], expected, atol=1e-7)


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_cmyk_becomes_rgb(fmt: str) -> None:
    x = load_image(encode(Image.new("CMYK", (W, H), (0, 255, 255, 0)), fmt), color=True)  # no cyan, full M+Y
    np.testing.assert_allclose(x[:, H // 2, W // 2], [1.0, 0.0, 0.0], atol=0.02)


@pytest.mark.parametrize("fmt", ["JPEG", "TIFF"])
def test_ycbcr_becomes_rgb(fmt: str) -> None:
    rgb = (40, 160, 220)
    x = load_image(encode(Image.new("RGB", (W, H), rgb).convert("YCbCr"), fmt), color=True)
    np.testing.assert_allclose(x[:, H // 2, W // 2], np.array(rgb) / 255, atol=0.02)


def frames(colors: list[tuple[int, int, int]]) -> list[Image.Image]:
    """One flat RGB frame per colour, H × W."""
    return [Image.new("RGB", (W, H), color) for color in colors]


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("GIF", {"duration": 100, "loop": 0}), ("WEBP", {"lossless": True}), ("TIFF", {})],
)
def test_animated_or_multipage_file_gives_its_first_frame(fmt: str, options: dict) -> None:
    first, *rest = frames([(255, 0, 0), (0, 255, 0), (0, 0, 255)])
    data = encode(first, fmt, save_all=True, append_images=rest, **options)
    assert image_info(data)["frames"] == 3
    x = load_image(data, color=True)
    np.testing.assert_allclose(x[:, 0, 0], [1.0, 0.0, 0.0], atol=1 / 255)


# --- EXIF orientation ------------------------------------------------------------------------------------


def half_dark_half_bright() -> Image.Image:
    """H × W gray: left half black, right half white, so a rotation shows where the left half went."""
    values = np.zeros((H * 4, W * 4), dtype=np.uint8)  # big blocks survive JPEG's 8×8 compression
    values[:, W * 2 :] = 255
    return Image.fromarray(values)


# orientation → (rows, columns) of the result, and where the dark left half ends up
ORIENTATIONS = [
    (1, (H * 4, W * 4), "left"),
    (3, (H * 4, W * 4), "right"),  # upside down: rotated 180°
    (6, (W * 4, H * 4), "top"),  # camera turned: rotate 90° clockwise
    (8, (W * 4, H * 4), "bottom"),  # rotate 90° counter-clockwise
]
DARK_HALF = {
    "left": (slice(None), slice(0, W * 2)),
    "right": (slice(None), slice(W * 2, None)),
    "top": (slice(0, W * 2), slice(None)),
    "bottom": (slice(W * 2, None), slice(None)),
}


@pytest.mark.parametrize(("orientation", "shape", "dark"), ORIENTATIONS)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_exif_orientation_is_applied(orientation: int, shape: tuple, dark: str, fmt: str) -> None:
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    x = load_image(encode(half_dark_half_bright(), fmt, exif=exif.tobytes()))[0]
    assert x.shape == shape
    dark_part = x[DARK_HALF[dark]]
    assert dark_part.mean() < 0.05 and x.mean() > 0.45


@pytest.mark.parametrize(
    "exif",
    [
        b"Exif\x00\x00garbage that is not a TIFF header",
        b"Exif\x00\x00II*\x00\xff\xff\xff\x7f",  # the first directory lies far beyond the data
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x09\x00\x00",  # 9
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\xff\xff",  # claims 65535 entries, has none
    ],
)
def test_corrupted_exif_does_not_fail_the_load(exif: bytes) -> None:
    data = encode(half_dark_half_bright(), "JPEG", exif=exif)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Pillow's "Corrupt EXIF data" warning stays inside load_image
        x = load_image(data)
    assert_loaded_image(x, 1, H * 4, W * 4)


def test_exif_transpose_raising_keeps_the_image_unrotated(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_exif(image: Image.Image, **kwargs) -> Image.Image:
        raise SyntaxError("not a TIFF file (header b'garbage' not valid)")

    monkeypatch.setattr(ImageOps, "exif_transpose", broken_exif)
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    x = load_image(encode(half_dark_half_bright(), "JPEG", exif=exif.tobytes()))
    assert_loaded_image(x, 1, H * 4, W * 4)


# --- refusals --------------------------------------------------------------------------------------------


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, payload, CRC of type + payload."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bomb_png(width: int, height: int) -> bytes:
    """A real 1-bit black PNG of width × height: tens of KB on disk, hundreds of MB once decoded."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, grayscale
    rows = b"\x00" * ((1 + (width + 7) // 8) * height)  # filter byte 0 + packed zero bits, every row
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(rows, 9))
        + png_chunk(b"IEND", b"")
    )


def small_png() -> bytes:
    return encode(Image.new("RGB", (W, H), (10, 200, 30)), "PNG")


def noisy(fmt: str) -> bytes:
    """A 64 × 48 noise image: its pixel data is long, so cutting the file in half cuts the pixels."""
    noise = np.random.default_rng(7).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    return encode(Image.fromarray(noise), fmt)


REFUSED = [
    ("empty", lambda: b"", {}, "empty"),
    ("too many bytes", small_png, {"max_bytes": 50}, "(78 bytes) is over the 50 bytes limit"),
    ("over 10 MB", lambda: b"\x89PNG\r\n\x1a\n" + bytes(MAX_UPLOAD_BYTES), {}, "over the 10 MB limit"),
    ("a text file", lambda: b"Dear student,\nthis is not a picture.\n", {}, "not an image"),
    (
        "SVG text",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        {},
        "not an image",
    ),
    ("zip archive", lambda: b"PK\x03\x04" + bytes(60), {}, "not an image"),
    ("PNG signature only", lambda: b"\x89PNG\r\n\x1a\n", {}, None),
    ("truncated PNG", lambda: noisy("PNG")[: len(noisy("PNG")) // 2], {}, "damaged"),
    ("PNG cut inside its header", lambda: small_png()[:20], {}, None),
    ("truncated JPEG", lambda: noisy("JPEG")[: len(noisy("JPEG")) // 2], {}, "damaged"),
    ("JPEG cut after its header", lambda: noisy("JPEG")[:300], {}, "damaged"),
    ("PPM", lambda: encode(Image.new("RGB", (W, H)), "PPM"), {}, "not an image"),
    ("ICO", lambda: encode(Image.new("RGB", (16, 16)), "ICO"), {}, "not an image"),
    ("TGA", lambda: encode(Image.new("RGB", (W, H)), "TGA"), {}, "not an image"),
    ("PDF", lambda: encode(Image.new("RGB", (W, H)), "PDF"), {}, "not an image"),
    ("bomb above twice Pillow's limit", lambda: bomb_png(20_000, 20_000), {}, "pixels"),
    ("bomb above Pillow's warning", lambda: bomb_png(10_000, 10_000), {"max_pixels": 10**9}, "pixels"),
    ("above our own limit", lambda: bomb_png(8_000, 6_000), {}, "8,000 × 6,000"),
    ("above a small limit", small_png, {"max_pixels": W * H - 1}, "pixels"),
    ("resize beyond the pixel limit", small_png, {"size": 5_000, "max_pixels": 10**6}, "smaller size"),
]


@pytest.mark.parametrize(
    ("data", "options", "words"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_unusable_file_is_refused_with_a_sentence(data, options: dict, words: str | None) -> None:
    payload = data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a refusal, not a warning: nothing may leak out
        with pytest.raises(ImageLoadError) as caught:
            load_image(payload, **options)
    assert_student_sentence(caught.value)
    if words:
        assert words in str(caught.value)


def test_random_bytes_are_refused(rng: np.random.Generator) -> None:
    with pytest.raises(ImageLoadError) as caught:
        load_image(rng.integers(0, 256, 2_000, dtype=np.uint8).tobytes())
    assert_student_sentence(caught.value)


def test_bomb_is_refused_from_the_header_before_decoding() -> None:
    data = bomb_png(20_000, 20_000)
    assert len(data) < 100_000  # a small file ...
    with pytest.raises(ImageLoadError, match="pixels"):
        load_image(data)  # ... that would be 400 million pixels: refused without allocating them


@pytest.mark.parametrize("size", [0, -3, 2.5, True, "64"])
def test_bad_working_size_is_refused(size) -> None:
    with pytest.raises(ImageLoadError) as caught:
        load_image(small_png(), size=size)
    assert_student_sentence(caught.value)


@pytest.mark.parametrize("data", ["picture.png", None, io.BytesIO(b"\x89PNG")])
def test_data_that_is_not_bytes_is_refused(data) -> None:
    with pytest.raises(ImageLoadError) as caught:
        load_image(data)
    assert_student_sentence(caught.value)


def test_bytearray_and_memoryview_are_accepted() -> None:
    data = small_png()
    expected = load_image(data, color=True)
    np.testing.assert_array_equal(load_image(bytearray(data), color=True), expected)
    np.testing.assert_array_equal(load_image(memoryview(data), color=True), expected)


@pytest.mark.parametrize(
    "error", [SyntaxError("broken"), IndexError("tile"), struct.error("unpack"), ZeroDivisionError()]
)
def test_unexpected_decoder_errors_become_image_load_errors(monkeypatch: pytest.MonkeyPatch, error) -> None:
    def broken_load(self):
        raise error

    monkeypatch.setattr(ImageFile.ImageFile, "load", broken_load)
    with pytest.raises(ImageLoadError) as caught:
        load_image(small_png())
    assert_student_sentence(caught.value)
    assert caught.value.__cause__ is error  # kept for whoever debugs it


# --- resizing --------------------------------------------------------------------------------------------

# (width, height, size) → (H_out, W_out): the long side becomes `size`, the aspect ratio is kept.
RESIZES = [
    (40, 20, 10, (5, 10)),
    (20, 40, 10, (10, 5)),
    (30, 7, 6, (1, 6)),  # 7·6/30 = 1.4 → 1
    (1000, 3, 10, (1, 10)),  # 0.03 would round to 0: the short side stays at least 1
    (3, 1000, 10, (10, 1)),
    (8, 8, 32, (32, 32)),  # enlarging a tiny image
    (5, 3, 10, (6, 10)),
    (12, 7, 12, (7, 12)),  # already the right size
    (12, 7, None, (7, 12)),  # None keeps the file's size
]


@pytest.mark.parametrize(("width", "height", "size", "shape"), RESIZES)
@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "I;16", "F"])
def test_resize_sets_the_long_side_and_keeps_the_aspect_ratio(
    width: int, height: int, size: int | None, shape: tuple, mode: str, rng: np.random.Generator
) -> None:
    data = encode(random_image(mode, rng, (width, height)), "TIFF")
    for color, channels in ((False, 1), (True, 3)):
        assert_loaded_image(load_image(data, color=color, size=size), channels, *shape)


@settings(max_examples=40, deadline=None)
@given(
    width=st.integers(1, 300),
    height=st.integers(1, 300),
    size=st.integers(1, 200),
)
def test_resize_shape_property(width: int, height: int, size: int) -> None:
    x = load_image(encode(Image.new("L", (width, height), 128), "PNG"), size=size)
    long_side, short_side = max(width, height), min(width, height)
    expected_short = max(1, round(short_side * size / long_side))
    assert x.shape == ((1, size, expected_short) if height >= width else (1, expected_short, size))
    np.testing.assert_allclose(x, 128 / 255, atol=1e-6)  # a flat image stays flat whatever the filter


def test_enlarging_repeats_each_pixel_as_a_block(rng: np.random.Generator) -> None:
    cells = rng.integers(0, 256, (8, 8), dtype=np.uint8)
    x = load_image(encode(Image.fromarray(cells), "PNG"), size=32)
    np.testing.assert_array_equal(x[0], np.kron(cells / 255.0, np.ones((4, 4))))


def test_shrinking_a_sixteen_bit_checkerboard_stays_in_unit_range() -> None:
    i, j = np.indices((60, 90))
    board = np.where((i // 3 + j // 3) % 2 == 0, 65535, 0).astype(np.uint16)  # LANCZOS rings at such edges
    x = load_image(encode(Image.fromarray(board), "PNG"), size=41)
    assert_loaded_image(x, 1, 27, 41)


def test_size_argument_accepts_numpy_integers() -> None:
    assert load_image(small_png(), size=np.int64(6)).shape == (1, 4, 6)


@pytest.mark.parametrize(("orientation", "shape"), [(1, (1, 39, 52)), (6, (1, 52, 39))])
def test_large_jpeg_decoded_at_reduced_scale_matches_a_full_decode(
    orientation: int, shape: tuple, rng: np.random.Generator
) -> None:
    coarse = rng.integers(0, 256, (12, 16, 3), dtype=np.uint8)
    photo = Image.fromarray(coarse).resize((1040, 780), Image.Resampling.BICUBIC)  # smooth, like a photo
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    data = encode(photo, "JPEG", quality=95, exif=exif.tobytes())
    x = load_image(data, size=52)
    assert x.shape == shape
    full = Image.open(io.BytesIO(data)).convert("L").resize((52, 39), Image.Resampling.LANCZOS)
    full = np.asarray(ImageOps.exif_transpose(full), dtype=np.float64) / 255
    assert np.abs(x[0] - full).mean() < 0.01


# --- to_uint8 --------------------------------------------------------------------------------------------


def test_to_uint8_drops_the_channel_axis_of_gray_and_moves_it_last_for_colour(
    rng: np.random.Generator,
) -> None:
    gray = rng.random((1, H, W))
    color = rng.random((3, H, W))
    assert to_uint8(gray).shape == (H, W)
    assert to_uint8(color).shape == (H, W, 3)
    assert to_uint8(gray[0]).shape == (H, W)
    np.testing.assert_array_equal(to_uint8(color)[2, 5], np.rint(color[:, 2, 5] * 255))


def test_to_uint8_clips_and_rounds() -> None:
    x = np.array([[[-0.5, 0.0, 0.2, 0.5, 1.0, 1.5, np.nan]]])
    np.testing.assert_array_equal(to_uint8(x), [[0, 0, 51, 128, 255, 255, 0]])
    assert to_uint8(x).dtype == np.uint8


@pytest.mark.parametrize("shape", [(2, H, W), (4, H, W), (W,), (1, 1, H, W)])
def test_to_uint8_refuses_other_shapes(shape: tuple) -> None:
    with pytest.raises(ValueError, match="shape"):
        to_uint8(np.zeros(shape))


@settings(max_examples=30, deadline=None)
@given(
    height=st.integers(1, 40),
    width=st.integers(1, 40),
    color=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_png_round_trip_through_load_image_and_to_uint8(
    height: int, width: int, color: bool, seed: int
) -> None:
    shape = (height, width, 3) if color else (height, width)
    pixels = np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)
    x = load_image(encode(Image.fromarray(pixels), "PNG"), color=color)
    np.testing.assert_array_equal(to_uint8(x), pixels)


def test_concurrent_loads_leave_the_warning_filters_as_they_were() -> None:
    before = list(warnings.filters)
    files = [bomb_png(10_000, 10_000), encode(half_dark_half_bright(), "JPEG", exif=b"Exif\x00\x00II*\x00")]
    files += [small_png()] * 6

    def load(data: bytes) -> str:
        try:
            return str(load_image(data, max_pixels=10**9).shape)
        except ImageLoadError as error:
            return str(error)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(load, files * 5))
    assert results.count(str((1, H, W))) == 30
    assert list(warnings.filters) == before


# --- image_info ------------------------------------------------------------------------------------------


def test_image_info_reads_the_header() -> None:
    info = image_info(encode(Image.new("RGBA", (W, H)), "PNG"))
    assert info == {"format": "PNG", "mode": "RGBA", "width": W, "height": H, "frames": 1}


@pytest.mark.parametrize("data", [b"", b"plain text", bomb_png(8_000, 6_000)])
def test_image_info_refuses_like_load_image(data: bytes) -> None:
    with pytest.raises(ImageLoadError) as caught:
        image_info(data)
    assert_student_sentence(caught.value)


# --- built-in samples ------------------------------------------------------------------------------------

SAMPLES = list_samples()


def test_there_are_enough_samples_with_unique_url_safe_names() -> None:
    names = [sample.name for sample in SAMPLES]
    assert len(SAMPLES) >= 7
    assert len(set(names)) == len(names)
    for sample in SAMPLES:
        assert isinstance(sample, SampleInfo)
        assert sample.name.isascii() and sample.name.replace("-", "").isalnum() and sample.name.islower()
        assert sample.title and sample.description and sample.source and sample.licence


@pytest.mark.parametrize("sample", SAMPLES, ids=[sample.name for sample in SAMPLES])
def test_every_sample_loads_in_gray_and_colour(sample: SampleInfo) -> None:
    path = ASSETS_DIR / sample.filename
    assert path.is_file() and path.stat().st_size < 450 * 1024
    assert image_info(path.read_bytes())["format"] == "PNG"
    gray = load_sample(sample.name)
    color = load_sample(sample.name, color=True)
    _, height, width = gray.shape
    assert_loaded_image(gray, 1, height, width)
    assert_loaded_image(color, 3, height, width)
    assert gray.std() > 0.05  # a picture, not a blank
    small = load_sample(sample.name, color=True, size=48)
    assert max(small.shape[1:]) == 48


def test_unknown_sample_is_refused() -> None:
    with pytest.raises(ImageLoadError, match="astronaut"):
        load_sample("no-such-picture")


def load_make_samples_script():
    """Import scripts/make_samples.py (a script, not a package) to compare its output with assets/."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "make_samples.py"
    spec = importlib.util.spec_from_file_location("make_samples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("filename", ["stripes.png", "checkerboard.png", "house.png", "ramp.png"])
def test_synthetic_samples_match_the_script_that_makes_them(filename: str) -> None:
    script = load_make_samples_script()
    stored = np.asarray(Image.open(ASSETS_DIR / filename))
    np.testing.assert_array_equal(stored, script.SYNTHETIC[filename]())
