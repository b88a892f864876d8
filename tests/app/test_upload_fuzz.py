"""The worst files of the upload fuzzer (tests/engine/test_upload_fuzz.py), uploaded on the forward page.

Each is refused with its sentence in an error box, and the picture uploaded before stays: same upload kept
in the session, same figures. Never an exception element.
"""

from __future__ import annotations

import struct

import pytest

from engine.images import ImageLoadError, load_image
from tests.app.conftest import run_script
from tests.engine.test_upload_fuzz import BOMBS, SEEDS, encode, flat, with_valid_crcs
from ui.common.i18n import t
from ui.conv.controls import UPLOAD_KEY


def huge_ihdr() -> bytes:
    """The RGB seed PNG claiming 20,000 × 20,000 pixels, its CRC made right so the header is believed."""
    data = bytearray(SEEDS["png_rgb"])
    struct.pack_into(">II", data, 16, 20_000, 20_000)
    return with_valid_crcs(bytes(data))


def jpeg_claiming_65535_squared() -> bytes:
    data = bytearray(SEEDS["jpeg_exif"])
    at = data.find(b"\xff\xc0") + 5  # baseline start of frame: height, then width
    struct.pack_into(">HH", data, at, 65_535, 65_535)
    return bytes(data)


# name → the file: every kind of refusal the fuzzer found, the refusals its fixes added included.
WORST = {
    "empty.png": lambda: b"",
    "cut_in_half.png": lambda: SEEDS["png_rgb"][: len(SEEDS["png_rgb"]) // 2],
    "ihdr_20000x20000.png": huge_ihdr,
    "sof_65535x65535.jpg": jpeg_claiming_65535_squared,
    "one_pixel_wide.png": BOMBS["png_one_pixel_wide"][0],
    "800k_empty_chunks.png": BOMBS["png_800k_empty_chunks"][0],
    "10mb_of_fill_bytes.jpg": BOMBS["jpeg_10mb_of_fill_bytes"][0],
    "1.5m_strips.tif": BOMBS["tiff_1.5m_strips"][0],
    "webp_over_its_limit.webp": BOMBS["webp_over_its_limit"][0],
    "rle4_over_its_limit.bmp": BOMBS["bmp_rle4_over_its_limit"][0],
    "text.png": lambda: b"Dear student,\nthis is not a picture.\n",
}


def charts(at) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def good_upload() -> bytes:
    return encode(flat("RGB", (200, 40, 10), 40 * 30), "PNG")  # a small picture that loads


def test_the_worst_uploads_are_refused_and_the_picture_before_stays(good_upload: bytes) -> None:
    at = run_script("forward", {"conv.source": "upload"})
    at.file_uploader(key="conv.uploader").set_value(("good.png", good_upload, "image/png")).run()
    assert not at.exception and not at.error
    kept = at.session_state[UPLOAD_KEY]["digest"]
    before = charts(at)
    assert len(before) == 3
    for name, make in WORST.items():
        data = make()
        with pytest.raises(ImageLoadError) as refused:
            load_image(data, size=8)
        at.file_uploader(key="conv.uploader").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [str(refused.value)], name  # the engine's sentence, in English
        assert t("conv.upload_kept") in [c.value for c in at.caption], name
        assert at.session_state[UPLOAD_KEY]["digest"] == kept, name
        assert t("conv.using_upload", name="good.png") in [c.value for c in at.caption], name
        assert charts(at) == before, name  # the same picture, the same figures
