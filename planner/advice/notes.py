"""The per-request checks and notes of the fit and cost answers, worded once for every presenter.

- Images: a model whose catalog record says it takes no images (``accepts_images`` is False: no vision
  capability, or input modalities without "image") cannot serve an input with images. ``images_refused``
  is that check; the fit and cost answers carry its sentence (``image_refusal``), the CLI stops with exit 8
  (``planner count`` only warns: a count is not a request), the app shows it in place of the answer.
- Cost notes: what a price answer says beside its number: a price it needs is missing (the cost is
  unknown, never $0), cache reads billed at the input price (the catalog lists no cache-read price), the
  long-context tier that priced the whole request, a request larger than the window (priced anyway), and
  an offer whose host bills other prices at some hours of the day (its record's ``time_of_day_prices``,
  from genai-prices): the cost is at its standard price, and the note names the hours and their prices.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from planner.advice.fit_rule import FitResult
from planner.advice.image_notes import (
    FIND_VISION_MODELS,
    FOLDER_IMAGES,
    FolderImages,
    folder_images_for,
    image_refusal,
    refusal_for,
)
from planner.advice.prices import DROP_BATCH, RequestCost, missing_price_text
from planner.catalog.schema import ModelOffer
from planner.tokens.image_rules import accepts_images
from planner.wording import per_million_text

__all__ = ["FIND_VISION_MODELS", "FOLDER_IMAGES", "Note", "folder_images", "image_refusal", "images_refused"]

NoteKind = Literal["missing_price", "cache_read_at_input_price", "price_tier", "does_not_fit", "time_of_day"]


class Note(BaseModel):
    """One sentence an answer says beside its numbers: ``warning`` changes what the number means (or that
    there is none), ``info`` says how it was reached."""

    kind: NoteKind
    level: Literal["warning", "info"]
    text: str


def images_refused(offer: ModelOffer, images: int, find_vision: str = FIND_VISION_MODELS) -> str | None:
    """``image_refusal`` when ``offer`` takes no images and the input has some (image_notes.refusal_for)."""
    vision = accepts_images(offer.capabilities.vision, offer.input_modalities)
    return refusal_for(offer.id, vision, images, find_vision)


def cost_notes(
    offer: ModelOffer,
    bill: RequestCost,
    price_tier: str | None,
    fit: FitResult | None,
    drop_batch: str = DROP_BATCH,
) -> list[Note]:
    """The notes of one priced request (see the module doc), warnings first; ``drop_batch``: how this
    presenter turns batch pricing off (planner.advice.prices.missing_price_text)."""
    notes: list[Note] = []
    if bill.total_cost is None:
        text = missing_price_text(bill, offer, drop_batch)
        notes.append(Note(kind="missing_price", level="warning", text=text))
    if fit is not None and not fit.fits:
        text = f"the request does not fit the window of {offer.id}: {fit.reason}"
        notes.append(Note(kind="does_not_fit", level="warning", text=text))
    if bill.cache_read_at_input_price:
        text = f"{offer.id} lists no cache-read price: cache reads are billed as input"
        notes.append(Note(kind="cache_read_at_input_price", level="info", text=text))
    if price_tier is not None:
        text = f"long-context tier ({price_tier}): the whole request is billed at the tier's prices"
        notes.append(Note(kind="price_tier", level="info", text=text))
    if offer.time_of_day_prices:
        notes.append(Note(kind="time_of_day", level="info", text=time_of_day_text(offer)))
    return notes


def time_of_day_text(offer: ModelOffer) -> str:
    """The hours at which the host bills other prices, and those prices (input / output per million)."""
    hours = "; ".join(
        f"{period.start.strftime('%H:%M')}-{period.end.strftime('%H:%M')} UTC at "
        f"{per_million_text(period.pricing.input)} / {per_million_text(period.pricing.output)}"
        for period in offer.time_of_day_prices
    )
    return (
        f"{offer.id} ({offer.provider}) bills other prices at some hours ({hours} per million input / output "
        "tokens): this cost is at its standard price, outside those hours"
    )


def folder_images(offer: ModelOffer, asked: str | None = None) -> FolderImages:
    """What to do with image files found in a folder for ``offer`` (image_notes.folder_images_for)."""
    return folder_images_for(accepts_images(offer.capabilities.vision, offer.input_modalities), asked)
