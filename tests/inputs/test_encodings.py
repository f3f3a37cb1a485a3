"""Legacy and BOM-less encodings decode to exactly the text written, and count as that text counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.inputs import count_inputs
from planner.inputs.readers import decode_bytes, detect_stream_codec
from planner.tokens.counts import exact_token_count

FRENCH = (
    "Le repas coûte très cher à Paris, mais la cuisine naïve du café d'à côté reste délicieuse… "
    "Où êtes-vous allés cet été ? Nous avons visité la forêt, les châteaux et l'église près du lac. "
    "Les élèves ont préféré le théâtre ; moi, j'ai aimé la pâtisserie et la crème brûlée. "
    "C'est déjà l'hiver : « Noël approche », dit-elle, en souriant à l'idée des fêtes.\n"
)
JAPANESE = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で"
    "ニャーニャー泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。しかもあとで聞くと"
    "それは書生という人間中で一番獰悪な種族であったそうだ。この書生というのは時々我々を捕えて煮て食うという話である。\n"
)
CHINESE = (
    "中华人民共和国是一个位于东亚的国家，首都是北京。中国有着悠久的历史和灿烂的文化，"
    "是世界上人口最多的国家之一。长江和黄河是中国最重要的两条河流，孕育了古老的中华文明。"
    "今天，中国的经济发展迅速，科学技术不断进步，人民生活水平显著提高。\n"
)
KOREAN = (
    "대한민국의 수도는 서울이다. 서울은 한강을 끼고 있는 큰 도시이며, 많은 사람들이 살고 있다. "
    "오늘은 날씨가 맑고 따뜻해서 공원에 산책하러 가는 사람이 많다.\n"
)
CORPUS = Path(__file__).parents[1] / "corpus"

CASES = [
    pytest.param(FRENCH, "cp1252", id="french-cp1252"),
    pytest.param("Ça coûte très cher… naïve.\n", "cp1252", id="french-cp1252-one-line"),
    pytest.param(JAPANESE, "shift_jis", id="japanese-shift-jis"),
    pytest.param("吾輩は猫である。名前はまだ無い。\n", "shift_jis", id="japanese-shift-jis-one-line"),
    pytest.param(CHINESE, "gbk", id="chinese-gbk"),
    pytest.param("今天天气很好，我们去公园散步吧。\n", "gbk", id="chinese-gbk-one-line"),
    pytest.param(KOREAN, "cp949", id="korean-cp949"),
    pytest.param(FRENCH, "utf-16-le", id="french-utf16le-no-bom"),
    pytest.param(FRENCH, "utf-16-be", id="french-utf16be-no-bom"),
    pytest.param(FRENCH, "utf-32-le", id="french-utf32le-no-bom"),
    pytest.param("hello there\n", "utf-16-le", id="english-utf16le-no-bom-one-line"),
    pytest.param(JAPANESE, "utf-16-le", id="japanese-utf16le-no-bom"),
    pytest.param(CHINESE, "utf-16-be", id="chinese-utf16be-no-bom"),
    pytest.param("吾輩は猫である。名前はまだ無い。\n", "utf-16-le", id="japanese-utf16le-no-bom-one-line"),
]


@pytest.mark.parametrize(("text", "encoding"), CASES)
def test_decoded_to_exactly_the_original_text(text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding))
    assert decoded.text == text
    assert decoded.warnings == []


@pytest.mark.parametrize(("text", "encoding"), CASES)
def test_counted_as_the_original_text(tmp_path, text: str, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    report = count_inputs([path], ["llama3", "o200k_base"])
    row = report.files[0]
    assert row.skipped is None and row.warnings == [] and not report.has_problems
    assert report.counts["llama3"].tokens == exact_token_count(text, "llama3")
    assert report.counts["o200k_base"].tokens == exact_token_count(text, "o200k_base")
    assert (row.chars, row.words) == (len(text), len(text.split()))


@pytest.mark.parametrize(
    ("name", "encoding"), [("prose_ja.txt", "cp932"), ("prose_zh.txt", "gbk"), ("prose_de.txt", "cp1252")]
)
def test_corpus_files_in_legacy_encodings(name: str, encoding: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert decode_bytes(text.encode(encoding)).text == text


def test_detected_encodings_are_named() -> None:
    assert decode_bytes(FRENCH.encode("cp1252")).encoding == "cp1252"
    assert decode_bytes(JAPANESE.encode("shift_jis")).encoding == "cp932"
    assert decode_bytes(CHINESE.encode("gbk")).encoding == "gb18030"
    assert decode_bytes(FRENCH.encode("utf-16-le")).encoding == "utf-16"


def test_damaged_utf8_stays_utf8_with_replacement_and_a_warning() -> None:
    # the valid "ï" shows the file is UTF-8: a single-byte guess would turn it into mojibake ("Ã¯")
    decoded = decode_bytes("naïve text ".encode() + b"\xff\xfe and more")
    assert decoded.text == "naïve text \ufffd\ufffd and more"
    assert decoded.encoding == "utf-8" and decoded.warnings
    cut = (CHINESE * 3).encode("utf-8")
    decoded = decode_bytes(cut[:100] + cut[101:])  # one byte lost inside a character
    assert decoded.encoding == "utf-8" and decoded.text.count("\ufffd") == 2


def test_utf8_text_with_a_stray_nul_is_not_taken_for_utf16() -> None:
    from planner.errors import SkipFile

    with pytest.raises(SkipFile, match="NUL bytes in text"):
        decode_bytes(("日本語のテキスト。" * 20).encode() + b"\x00\n")
    with pytest.raises(SkipFile, match="NUL bytes in text"):
        decode_bytes(b"plain text with a NUL\x00 inside it, and more text after it.\n")


def test_big_files_detect_the_same_codec_from_their_head() -> None:
    assert detect_stream_codec((FRENCH * 40).encode("utf-16-le"))[:2] == ("utf-16-le", 0)
    assert detect_stream_codec((FRENCH * 40).encode("cp1252"))[0] == "cp1252"
    assert detect_stream_codec((JAPANESE * 40).encode("shift_jis"))[0] == "cp932"
    # 7-bit encodings are valid UTF-8 bytes: the head is read for their marks, as a small file is
    assert detect_stream_codec((LONG_JAPANESE * 40).encode("iso2022_jp"))[0] == "iso2022_jp_2004"
    assert detect_stream_codec((LONG_CHINESE * 40).encode("hz"))[0] == "hz"
    assert detect_stream_codec(b"x = {'a': 1}  # ~{ in code is no HZ\n" * 4000)[0] == "utf-8"


def test_big_utf16_file_without_bom_is_streamed_exactly(tmp_path, monkeypatch) -> None:
    from planner.inputs import files, streaming

    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(streaming, "READ_SIZE", 257)
    text = FRENCH * 30
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-16-le"))
    report = count_inputs([path], ["llama3"])
    assert report.files[0].encoding == "utf-16" and not report.has_problems
    assert report.counts["llama3"].tokens == exact_token_count(text, "llama3")


TRADITIONAL = (
    "臺灣是一個位於東亞的島嶼，首都是臺北。臺灣有著豐富的歷史與文化，山脈與海洋構成了美麗的風景。"
    "許多人喜歡在夜市品嚐各種傳統小吃，這裡的人民熱情好客。\n"
)
RUSSIAN = (
    "Москва - столица России, крупнейший по численности населения город страны. Город расположен на реке "
    "Москве в центре Восточно-Европейской равнины. Зимой здесь холодно, а летом бывает жарко.\n"
)
POLISH = (
    "Zażółć gęślą jaźń. Wczoraj byliśmy w Krakowie i zwiedziliśmy Wawel, a potem zjedliśmy pierogi w małej "
    "restauracji przy rynku. Pogoda była piękna, słońce świeciło przez cały dzień.\n"
)
GREEK = (
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου. Η Ακρόπολη "
    "δεσπόζει πάνω από την πόλη και χιλιάδες επισκέπτες την επισκέπτονται κάθε χρόνο.\n"
)
TURKISH = (
    "İstanbul, Türkiye'nin en kalabalık şehridir ve iki kıtaya yayılmıştır. Boğaz'ın kıyısında yürüyüş "
    "yapmak, çay içmek ve martıları izlemek çok güzeldir. Şehrin tarihi çarşıları her gün "
    "ziyaretçilerle dolar.\n"
)
HEBREW = (
    "ירושלים היא עיר עתיקה ובה מקומות קדושים לשלוש דתות. בכל שנה מגיעים אליה מבקרים רבים מכל העולם, והם "
    "מטיילים בסמטאות העיר העתיקה ובשווקים הצבעוניים.\n"
)
ARABIC = (
    "القاهرة هي عاصمة مصر وأكبر مدنها، وتقع على ضفاف نهر النيل. يزور المدينة كل عام ملايين السياح لمشاهدة "
    "الأهرامات والمتاحف والأسواق القديمة.\n"
)
LITHUANIAN = (
    "Vilnius yra Lietuvos sostinė ir didžiausias šalies miestas. Senamiestyje gausu bažnyčių, siaurų "
    "gatvelių ir jaukių kavinių, o vasarą čia vyksta daug švenčių ir koncertų.\n"
)
GERMAN = (CORPUS / "prose_de.txt").read_text(encoding="utf-8")
LONG_JAPANESE = (CORPUS / "prose_ja.txt").read_text(encoding="utf-8")
LONG_CHINESE = (CORPUS / "prose_zh.txt").read_text(encoding="utf-8")

# The encodings people still meet, each with a text it can hold (issue 23: EUC-JP was read as cp1252, 695
# tokens instead of 251, with no warning; ISO-2022-JP, HZ, EUC-KR and CP949 were wrong too).
LEGACY = [
    *[(text, "shift_jis") for text in (JAPANESE, LONG_JAPANESE)],
    *[(text, "euc_jp") for text in (JAPANESE, LONG_JAPANESE)],
    *[(text, "iso2022_jp") for text in (JAPANESE, LONG_JAPANESE)],
    *[(CHINESE, encoding) for encoding in ("gb2312", "gbk", "gb18030", "hz")],
    (LONG_CHINESE, "hz"),
    (TRADITIONAL, "big5"),
    *[(KOREAN, encoding) for encoding in ("euc_kr", "cp949")],
    (RUSSIAN, "koi8_r"),
    (RUSSIAN, "cp1251"),
    (POLISH, "cp1250"),
    (FRENCH, "cp1252"),
    (GERMAN, "cp1252"),
    (GREEK, "cp1253"),
    (TURKISH, "cp1254"),
    (HEBREW, "cp1255"),
    (ARABIC, "cp1256"),
    (LITHUANIAN, "cp1257"),
    *[
        (text, codec)
        for text in (GERMAN, LONG_JAPANESE)
        for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
    ],
]


@pytest.mark.parametrize(("text", "encoding"), LEGACY, ids=[f"{e}-{t[:6]}" for t, e in LEGACY])
def test_every_common_encoding_counts_as_its_utf8_twin_or_says_unsure(
    text: str, encoding: str, tmp_path
) -> None:
    path = tmp_path / "text.txt"
    path.write_bytes(text.encode(encoding))
    report = count_inputs([path], ["o200k_base"])
    [row] = report.files
    if row.tokens["o200k_base"] == exact_token_count(text, "o200k_base"):
        assert decode_bytes(path.read_bytes()).text == text
        return
    # never silently wrong: a different count comes with the warning that names the guessed encoding
    assert any(warning.startswith(f"encoding guessed as {row.encoding}, unsure") for warning in row.warnings)


@pytest.mark.parametrize(
    ("text", "encoding"), [(LONG_JAPANESE, "iso2022_jp"), (LONG_CHINESE, "hz")], ids=["iso2022_jp", "hz"]
)
def test_big_seven_bit_files_are_streamed_as_their_text(
    text: str, encoding: str, tmp_path, monkeypatch
) -> None:
    # issue 23's leftover: a streamed ISO-2022-JP or HZ file was counted as its ASCII escape codes
    from planner.inputs import files, streaming

    monkeypatch.setattr(files, "STREAM_MIN_BYTES", 1000)
    monkeypatch.setattr(streaming, "READ_SIZE", 257)
    path = tmp_path / "big.txt"
    path.write_bytes((text * 3).encode(encoding))
    report = count_inputs([path], ["o200k_base"])
    assert report.files[0].encoding == encoding.replace("iso2022_jp", "iso2022-jp-2004")
    assert report.counts["o200k_base"].tokens == exact_token_count(text * 3, "o200k_base")
