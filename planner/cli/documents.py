"""The `--json` documents of the commands, as pydantic models: the one place their keys and types are
written down. Each command builds its document here (the CLI prints it, `planner mcp` returns it) and
`planner schema COMMAND` prints the JSON Schema pydantic generates from the same model.

A key a document leaves unset is absent from the output (fit's ``alternatives`` appear only when the input
does not fit, ``reasoning_effort`` only with an effort budget); every other key is always there, null or not.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from planner.advice.batch import BatchPlan, NotFitting
from planner.advice.compare import Comparison
from planner.advice.model_page import ModelPage, SideBySide
from planner.advice.prices import RequestCost
from planner.catalog.ledger import LedgerEntry
from planner.catalog.schema import ModelOffer, Money
from planner.cli.count_document import CountDocument
from planner.cli.document_base import (
    Document,
    EffortKeys,
    FreshnessKeys,
    Method,
    OnlineKeys,
    PriceAgeKeys,
)
from planner.inputs.datasets import DatasetFile, DatasetReport


class DatasetFileRow(DatasetFile):
    kind: Literal["dataset"] = "dataset"
    warnings: list[str] = Field(default_factory=list)


class DatasetCountDocument(DatasetReport, Document):
    """`planner count FILE --field F` / `--column C --json`: the count keys plus rows and per-row stats."""

    model: str
    provider: str
    files: list[DatasetFileRow]  # type: ignore[assignment]


# ---- cost


class CostDocument(RequestCost, FreshnessKeys, EffortKeys, OnlineKeys, Document):
    """`planner cost --json`: one request's cost by part, then N requests, a day and a month of them."""

    tokenizer: str
    images_left_out: list[str] | None = None  # images found in folders and left out (--images)
    method: Method
    requests: int
    total_for_requests: Money | None
    requests_per_day: int | None
    days_per_month: int | None
    per_day: Money | None
    per_month: Money | None
    prices_per_million: dict[str, Money | None]
    price_tier: str | None
    base_prices_per_million: dict[str, Money | None]
    fits: bool | None
    verdict: str | None
    prices_as_of_requested: date | None


# ---- compare


class CompareDocument(Comparison, Document):
    """`planner compare --json`: every model (or the filtered set) against the same input."""

    images_not_counted: dict[str, int] | None = None  # family -> images its count leaves out
    free_left_out: int = 0  # free and preview offers left out (planner.advice.policy; --include-free)


# ---- model


def _page_fields() -> dict[str, Any]:
    """The model page's own fields (planner.advice.model_page.ModelPage, less the offer and its freshness)."""
    skip = {"model", "freshness"}
    return {
        name: (field.annotation, field) for name, field in ModelPage.model_fields.items() if name not in skip
    }


# The model record (planner.catalog.schema.ModelOffer) plus the page's additions and the freshness keys: built
# from the two models, so a field either gains is in the schema without a second list here.
ModelDocument: type[Document] = create_model(
    "ModelDocument",
    __base__=(ModelOffer, PriceAgeKeys, Document),  # type: ignore[arg-type]
    __doc__="`planner model ID --json`: the model record plus the page's additions.",
    side_by_side=(SideBySide | None, None),
    **_page_fields(),
)


def model_document(page: ModelPage, pair: SideBySide | None) -> Document:
    """The document of `planner model ID --json` (and the side-by-side view with --compare-with)."""
    doc = page.record()
    if pair is not None:
        doc["side_by_side"] = pair.model_dump(mode="json")
    return ModelDocument.from_keys(doc)


# ---- output types of the commands whose JSON is an existing model (or a list of one)

CountOutput = CountDocument | DatasetCountDocument  # files and text, or dataset rows (--field / --column)
ModelsOutput = list[ModelOffer]  # `planner models --json`


# ---- hosts, batch, catalog


class HostDocument(ModelOffer, PriceAgeKeys, Document):
    """One row of `planner hosts --json`: the host's model record plus the fit and cost of the input on it."""

    as_of: date  # the offer's own date (ModelOffer's); FreshnessKeys allows None, a host row always has one
    input_tokens: int | None
    output_tokens: int
    fits: bool | None
    verdict: str
    headroom_tokens: int | None
    total_cost: Money | None
    batch_total_cost: Money | None
    batch: bool | None
    cache: bool | None
    note: str | None
    prices_per_million: dict[str, Money | None]
    price_tier: str | None
    tier_missing: bool


HostsOutput = list[HostDocument]  # `planner hosts ID --json`, cheapest first


class BatchDocument(BatchPlan, Document):
    """`planner batch --json`: ``not_fitting`` lists custom_ids, ``not_fitting_details`` says why."""

    not_fitting: list[str]  # type: ignore[assignment]
    not_fitting_details: list[NotFitting]
    currency: str


class BatchOutput(BatchDocument):
    switch: BatchDocument | None  # the same file priced on --switch-to's model, when asked


class CatalogSource(BaseModel):
    name: str
    file: str
    as_of: date
    model_count: int


class CatalogInfoDocument(Document):
    """`planner catalog info --json`: where the catalog in use came from."""

    as_of: date
    sources: list[CatalogSource]
    model_count: int
    path: str
    origin: str
    custom_file: str | None


HistoryOutput = list[LedgerEntry]  # `planner catalog history ID --json`
