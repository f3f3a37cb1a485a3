"""Chat messages: per-message overhead of each template, checked against renderings written out by hand
(counted with the exact encoder, template markers as special tokens) and against Meta's own chat format."""

from __future__ import annotations

import io
import json

import pytest
import tiktoken

from planner.inputs import count_inputs
from planner.inputs.messages import count_conversation, parse_messages
from planner.tokens.encoders import get_encoding

CONVERSATION = [
    {"role": "system", "content": "You are a concise assistant."},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in this picture? "},
            {"type": "text", "text": "Be brief."},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        ],
    },
    {"role": "assistant", "content": " A cat on a mat.\n"},
]


def plain(text: str, family: str) -> int:
    return len(get_encoding(family).encode_ordinary(text))


def hermes_encoding() -> tiktoken.Encoding:
    """Llama 3 ranks plus <|im_start|> / <|im_end|> as special tokens, as Hermes 4's tokenizer adds them."""
    base = get_encoding("llama3")
    specials = {**base._special_tokens, "<|im_start|>": 128256, "<|im_end|>": 128257}
    return tiktoken.Encoding(
        name="hermes4-test",
        pat_str=base._pat_str,
        mergeable_ranks=base._mergeable_ranks,
        special_tokens=specials,
    )


def test_chatml_for_hermes_equals_hand_rendering() -> None:
    rendered = (
        "<|begin_of_text|>"
        "<|im_start|>system\nYou are a concise assistant.<|im_end|>\n"
        "<|im_start|>user\nWhat is in this picture? Be brief.<|im_end|>\n"
        "<|im_start|>assistant\n A cat on a mat.\n<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    expected = len(hermes_encoding().encode(rendered, allowed_special="all"))
    count = count_conversation(parse_messages(CONVERSATION), "llama3", "chatml")
    assert count.tokens == expected
    assert count.method == "exact"
    # The same by arithmetic: 8 markers of 1 token each plus the text between them.
    pieces = [
        "system\nYou are a concise assistant.",
        "\n",
        "user\nWhat is in this picture? Be brief.",
        "\n",
        "assistant\n A cat on a mat.\n",
        "\n",
        "assistant\n",
    ]
    assert count.tokens == 8 + sum(plain(piece, "llama3") for piece in pieces)


def test_markers_as_plain_text_would_cost_more() -> None:
    """Why the rule matters: written as text, <|im_start|> alone is several tokens."""
    assert plain("<|im_start|>", "llama3") > 1
    assert len(hermes_encoding().encode("<|im_start|>", allowed_special="all")) == 1


def test_llama3_template_equals_meta_chat_format() -> None:
    pytest.importorskip("llama_models.llama3.chat_format")
    from llama_models.datatypes import RawMessage
    from llama_models.llama3.chat_format import ChatFormat
    from llama_models.llama3.tokenizer import Tokenizer

    messages = [
        RawMessage(role="system", content="You are a concise assistant."),
        RawMessage(role="user", content="What is in this picture? Be brief."),
        RawMessage(role="assistant", content="A cat on a mat."),
    ]
    reference = len(ChatFormat(Tokenizer.get_instance()).encode_dialog_prompt(messages).tokens)
    count = count_conversation(parse_messages(CONVERSATION), "llama3", "llama3")
    assert count.tokens == reference


def test_llama3_template_equals_hand_rendering() -> None:
    rendered = (
        "<|begin_of_text|>"
        "<|start_header_id|>system<|end_header_id|>\n\nYou are a concise assistant.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nWhat is in this picture? Be brief.<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\nA cat on a mat.<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    expected = len(get_encoding("llama3").encode(rendered, allowed_special="all"))
    assert count_conversation(parse_messages(CONVERSATION), "llama3", "llama3").tokens == expected


def test_openai_cookbook_rule() -> None:
    messages = [*CONVERSATION[:2], {"role": "user", "name": "bob", "content": "Hi"}]
    encoding = get_encoding("o200k_base")

    def n(text: str) -> int:
        return len(encoding.encode_ordinary(text))

    # num_tokens_from_messages: 3 per message, each value encoded, +1 per name, +3 reply priming
    expected = (
        3
        + n("system")
        + n("You are a concise assistant.")
        + 3
        + n("user")
        + n("What is in this picture? Be brief.")
        + 3
        + n("user")
        + n("Hi")
        + n("bob")
        + 1
        + 3
    )
    count = count_conversation(parse_messages(messages), "o200k_base", "openai")
    assert count.tokens == expected
    assert count_conversation(parse_messages(messages), "o200k_base").tokens == expected  # the default


def test_estimate_family_gets_band_plus_markers() -> None:
    count = count_conversation(parse_messages(CONVERSATION), "claude")
    assert count.method == "estimate"
    assert count.tokens_low <= count.tokens <= count.tokens_high
    assert "8 overhead tokens" in count.basis


def test_tool_calls_and_tool_results_are_counted() -> None:
    messages = [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "1",
                    "type": "function",
                    "function": {"name": "weather", "arguments": '{"city": "Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "1", "content": "18 C, sunny"},
    ]
    parsed = parse_messages(messages)
    count = count_conversation(parsed, "llama3", "chatml")
    rendered = (
        "<|begin_of_text|><|im_start|>user\nWeather in Paris?<|im_end|>\n"
        "<|im_start|>assistant\n\n<tool_call>\n"
        '{"name": "weather", "arguments": {"city": "Paris"}}\n</tool_call>'
        "<|im_end|>\n<|im_start|>tool\n<tool_response>\n18 C, sunny\n</tool_response><|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    assert count.tokens == len(hermes_encoding().encode(rendered, allowed_special="all"))


def test_count_inputs_messages_reports_images_and_words(tmp_path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"messages": CONVERSATION}))
    report = count_inputs([path], ["llama3", "claude"], messages=True, chat_template="chatml")
    assert report.is_messages and report.images_not_counted == 1
    assert report.files[0].kind == "messages"
    assert report.counts["llama3"] == count_conversation(parse_messages(CONVERSATION), "llama3", "chatml")
    texts = ["You are a concise assistant.", "What is in this picture? Be brief.", " A cat on a mat.\n"]
    assert report.words == sum(len(text.split()) for text in texts)
    stdin = count_inputs([], ["llama3"], messages=True, stdin=io.BytesIO(json.dumps(CONVERSATION).encode()))
    assert stdin.counts["llama3"].tokens == count_conversation(parse_messages(CONVERSATION), "llama3").tokens


def test_bad_messages_file_is_skipped_with_reason(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "messages"}')
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    report = count_inputs([bad, broken], ["llama3"], messages=True)
    reasons = [row.skipped for row in report.files]
    assert reasons[0].startswith("not chat messages: expected a JSON list")
    assert reasons[1].startswith("not chat messages: invalid JSON")
    assert report.skipped_count == 2


def test_folder_with_messages_is_an_input_error(tmp_path) -> None:
    from planner.errors import InputError

    with pytest.raises(InputError, match="is a folder"):
        count_inputs([tmp_path], ["llama3"], messages=True)
