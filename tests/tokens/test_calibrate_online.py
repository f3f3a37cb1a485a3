"""`scripts/calibrate.py --online` against the 127.0.0.1 fake of the vendors (tests/online_fakes.py): the
coverage it prints is the one computed here by hand from the fake's rule (one token per word, plus a fixed
framing per request that the script must take off)."""

from __future__ import annotations

import calibrate  # scripts/ is on sys.path (conftest.py)
import pytest
from online_fakes import FRAMING, KEYS, fake_vendors

from planner.tokens.counts import count_tokens


@pytest.fixture
def only_anthropic(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    for name in [*KEYS, "GEMINI_API_KEY", "ANTHROPIC_BASE_URL"]:
        monkeypatch.delenv(name, raising=False)
    with fake_vendors() as fake:
        monkeypatch.setenv("PLANNER_ANTHROPIC_URL", fake.base)
        monkeypatch.setenv("ANTHROPIC_API_KEY", KEYS["ANTHROPIC_API_KEY"])
        yield fake


def test_online_calibration_prints_band_coverage(only_anthropic, capsys) -> None:
    samples = calibrate.spread(calibrate.corpus_samples(), 10)
    assert 5 <= len(samples) <= 10 and len({sample.kind for sample in samples}) == 5
    code = calibrate.main(["--online", "--model", "claude=claude-sonnet-4-5", "--samples", "10"])
    out = capsys.readouterr().out
    assert code == 0
    inside = 0
    for sample in samples:  # the fake's count of a sample, framing taken off, is its number of words
        band = count_tokens(sample.text, "claude")
        inside += band.tokens_low <= len(sample.text.split()) <= band.tokens_high
    framing = FRAMING["anthropic"]
    expected = (
        f"claude (claude-sonnet-4-5): vendor counts inside the offline band: {inside}/{len(samples)} "
        f"(request framing {framing} tokens taken off each count)"
    )
    assert expected in out
    assert len(only_anthropic.requests) == len(samples) + 1  # the samples and the framing probe
    calibrate.main(["--online", "--model", "claude=claude-sonnet-4-5", "--samples", "10"])
    assert expected in capsys.readouterr().out
    assert len(only_anthropic.requests) == len(samples) + 1  # a second run is answered by the cache


def test_online_calibration_leaves_out_a_vendor_without_a_key(only_anthropic, capsys) -> None:
    code = calibrate.main(["--online", "--model", "grok=xai/grok-4", "--samples", "5"])
    captured = capsys.readouterr()
    assert code == 2
    assert "grok (xai/grok-4): left out: --online needs an API key for xAI: set XAI_API_KEY" in captured.out
    assert "error: no vendor could be asked" in captured.err
    assert only_anthropic.requests == []
