"""What the app keeps across reruns and sessions: the catalog, counts, comparisons and the picker's lists,
each cached with st.cache_resource (shared, never changed) or st.cache_data (copied per session)."""

from __future__ import annotations

import gc
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import streamlit as st

from planner import DEFAULT_MODEL
from planner.advice.compare import Comparison, compare_models
from planner.advice.policy import OfferClass, picker_order, without_twins
from planner.advice.suggestions import suggestable
from planner.app import examples, filters, memory, uploads
from planner.catalog import Catalog, load_catalog
from planner.catalog.schema import ModelOffer
from planner.errors import PlannerError
from planner.inputs import count_inputs, count_text_input
from planner.inputs.report import IMAGES_LEFT_OUT_CHANGE as CLI_IMAGES_CHANGE
from planner.inputs.report import InputReport
from planner.tokens.counts import TokenCount
from planner.tokens.families import families_of
from planner.tokens.image_rules import rule_for


@st.cache_resource(show_spinner="Loading the model catalog...")
def catalog() -> Catalog:
    loaded = load_catalog()
    # The catalog lives as long as the process: its ~8,000 offers leave the collector's generations, so the
    # garbage collections a re-plan triggers do not walk them again (a third of a compare view's time).
    gc.freeze()
    return loaded


@st.cache_data(show_spinner=False, max_entries=32)
def example_text(words: int, kind: str) -> str:
    return examples.example_text(words, kind)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False, max_entries=64)
def count_text(digest: str, families: tuple[str, ...], _text: str) -> InputReport:
    """The count of a text for some families, cached on the text's sha256 (``_text`` itself is not hashed).
    The caller shows a status while a count that is not cached yet runs (planner.app.user_input). A count in
    several tokenizers lets their encoders go once done (planner.app.memory)."""
    report = count_text_input(_text, list(families), name="pasted text")
    if len(families) > 1:
        memory.free_encoders()
    return report


@st.cache_data(show_spinner="Counting the uploaded files...", max_entries=64)
def count_uploads(
    digest: str,
    families: tuple[str, ...],
    _files: tuple[tuple[str, bytes], ...],
    model_id: str = "",
    as_request: bool = False,
    _folder: tuple[tuple[str, bytes], ...] = (),
    folder_images: bool = True,
) -> InputReport:
    """Counts of uploaded files and of an uploaded folder (``_folder``: paths inside it, content): written to
    a private temporary folder and read by planner.inputs, so PDFs, DOCX, images, encodings, binary files and
    the folder's .gitignore are handled exactly as on the command line; ``as_request``: each file is a chat
    request (messages, tools, images), as `planner count --messages`; ``folder_images`` False: images found
    in the folder are left out (``images_left_out``), as `planner fit FOLDER` does for a model without vision
    (planner.advice.notes.folder_images decides). ``digest`` covers both the files and the folder."""
    with tempfile.TemporaryDirectory(prefix="planner-upload-") as folder:
        written = uploads.write_uploads(list(_files), Path(folder)) if _files else {}
        paths: list[str | Path] = list(written)
        root = Path(folder) / "folder"
        if _folder:
            paths.append(uploads.write_folder(list(_folder), root))
        rules = {family: rule_for(family, model_id) for family in families}
        names = {str(path): name for path, name in written.items()}

        def shown(path: str) -> str:  # the name the user uploaded, never the temporary folder
            return names.get(path) or path.removeprefix(f"{root}{os.sep}").replace(folder, "")

        try:
            report = count_inputs(
                paths, list(families), messages=as_request, image_rules=rules, folder_images=folder_images
            )
        except PlannerError as error:
            said = error.message.replace(str(root), "the uploaded folder").replace(folder, "the uploads")
            said = said.replace(CLI_IMAGES_CHANGE, uploads.IMAGES_LEFT_OUT_CHANGE)  # the app's own way
            raise type(error)(said) from None
        files = [item.model_copy(update={"path": shown(item.path)}) for item in report.files]
        left_out = [shown(path) for path in report.images_left_out]
    if len(families) > 1:  # as count_text: the many encoders of one count go once it is done
        memory.free_encoders()
    return report.model_copy(update={"files": files, "images_left_out": left_out})


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_comparison(
    input_key: str,
    chosen: tuple[Any, ...],
    output: int,
    reasoning: int,
    sort_by: str,
    today: str,
    _offers: list[ModelOffer],
    _counts: dict[str, TokenCount],
) -> Comparison:
    """The compare view's comparison, kept per input (``input_key``: what determines its counts), filters,
    reserves, sort and day (price ages), so that a toggle, a table sort or coming back to the view does not
    judge every offer again. Shared, never changed: select_rows copies it."""
    return compare_models(
        _offers,
        _counts,
        default=catalog().get(DEFAULT_MODEL),
        output_tokens=output,
        reasoning_tokens=reasoning,
        sort_by=sort_by,  # type: ignore[arg-type]
    )


def offer_key(offer: ModelOffer) -> str:
    return f"{offer.provider}::{offer.id}"


@st.cache_resource(show_spinner=False)
def picker_offers() -> dict[str, ModelOffer]:
    """The picker's offers by key, in planner.advice.policy's order (usable first, identical twins left
    out)."""
    return {offer_key(offer): offer for offer in picker_order(catalog().offers)}


PICKER_SIZE = 40  # entries in a model picker: a few KB per rerun (all 7,800 offers were 270 KB each time)


@st.cache_resource(show_spinner=False)
def counted_keys() -> set[tuple[str, tuple[str, ...]]]:
    """(digest, families) of the texts counted in this process: a count not in it yet shows a status while
    it runs (count_text's cache itself cannot be asked whether it holds a value)."""
    return set()


@st.cache_resource(show_spinner=False, max_entries=64)
def found_offers(search: str) -> list[ModelOffer]:
    """The picker's entries for ``search``: `planner models --search`'s matches in its order (Catalog.search:
    the maker's own host first, then the nearest names), twins left out; with no search, the first usable
    offers (planner.advice.policy's picker order)."""
    if not search.strip():
        return list(picker_offers().values())[:PICKER_SIZE]
    return without_twins(catalog().search(search))[:PICKER_SIZE]


@st.cache_resource(show_spinner=False, max_entries=64)
def search_total(search: str) -> int:
    """How many offers match ``search`` (all of them for none)."""
    return len(catalog().search(search)) if search.strip() else len(catalog().offers)


@st.cache_resource(show_spinner=False)
def picker_labels() -> dict[str, str]:
    """ "name · provider" per listed offer, with its id when two listed offers would read the same."""
    offers = picker_offers()
    shared = Counter(f"{offer.name} · {offer.provider}" for offer in offers.values())
    labels = {}
    for key, offer in offers.items():
        label = f"{offer.name} · {offer.provider}"
        labels[key] = f"{label} ({offer.id})" if shared[label] > 1 else label
    return labels


@st.cache_resource(show_spinner=False)
def suggestion_pools() -> dict[OfferClass, list[ModelOffer]]:
    """The offers planner.advice.policy lets the app suggest, paid and free apart (sorted out once per
    process)."""
    return suggestable(catalog().offers)


@st.cache_resource(show_spinner=False, max_entries=32)
def filtered_offers(
    search: str, provider: str, capability: tuple[str, ...], min_window: int, max_price: str
) -> tuple[list[ModelOffer], tuple[str, ...]]:
    """The offers that pass the compare filters and their tokenizer families, kept per set of filters."""
    offers = filters.filter_offers(
        catalog(),
        search=search,
        provider=provider,
        capability=list(capability),
        min_window=min_window,
        max_price=max_price,
    )
    return offers, tuple(families_of(offers))


@st.cache_data(show_spinner=False)
def catalog_providers() -> list[str]:
    return sorted({offer.provider for offer in catalog().offers})
