"""What every command's `--json` document shares (planner.cli.documents holds the documents): the base that
refuses unknown keys and prints keys in the builder's order, and the key groups several commands add.

Apart from planner.cli.documents so that `planner count --json` builds only its own models (start-up)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

Method = Literal["exact", "estimate"]


class Document(BaseModel):
    """A command's `--json` document. Extra keys are refused, so a key added to a builder and not here fails
    its command's tests instead of drifting from the published schema."""

    model_config = ConfigDict(extra="forbid")
    _order: list[str] = PrivateAttr(default_factory=list)  # the keys in the order the builder gave them

    @classmethod
    def from_keys(cls, keys: dict[str, Any]) -> Self:
        """The document of ``keys`` (validated; unknown keys refused), printed in their order."""
        document = cls.model_validate(keys)
        document._order = list(keys)
        return document

    def json_document(self) -> dict[str, Any]:
        """The document as JSON data: money as decimal strings, dates as ISO text, unset keys left out."""
        absent = set(type(self).model_fields) - self.model_fields_set
        data = self.model_dump(mode="json", exclude=absent)
        rank = {key: index for index, key in enumerate(self._order)}
        return dict(sorted(data.items(), key=lambda item: rank.get(item[0], len(rank))))


class PartsKeys(BaseModel):
    """The split of the tokens counted: text (with chat overhead), images, tool definitions; 0 and a null
    basis for a part the input does not have."""

    text_tokens: int = 0
    text_basis: str | None = None
    image_tokens: int = 0
    image_basis: str | None = None
    tool_tokens: int = 0
    tool_basis: str | None = None


class OfflineEstimate(BaseModel):
    """--online: the offline count kept beside the vendor's (options.offline_estimate_document)."""

    tokens: int
    low: int
    high: int
    method: Method
    basis: str


class OnlineKeys(BaseModel):
    offline_estimate: OfflineEstimate | None = None  # only with --online, when the vendor counted


class PriceAgeKeys(BaseModel):
    """The keys every answer that uses prices adds (planner.catalog.freshness.freshness_keys), but ``as_of``
    (a model record has its own)."""

    price_age_days: int | None = None
    max_price_age_days: int | None = None
    price_warnings: list[str] = Field(default_factory=list)
    retires_on: date | None = None


class FreshnessKeys(PriceAgeKeys):
    as_of: date | None = None


class EffortKeys(BaseModel):
    """What set the reserves: ``output_tokens_from`` is ``max_tokens`` when a request body's max_tokens set
    the answer reserve; the effort keys are there only when --reasoning-effort set the thinking reserve."""

    output_tokens_from: str | None = None  # "max_tokens" when a request body set the answer reserve
    reasoning_effort: str | None = None
    reasoning_basis: str | None = None
