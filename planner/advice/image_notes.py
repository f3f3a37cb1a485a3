"""The image rules of a request, worded once (planner.advice.notes applies them to catalog offers): a model
whose catalog record says it takes no images (``accepts_images`` False: no vision capability, or input
modalities without "image") cannot serve an input with images, and the images found in a folder are left
out for it by default (``--images``).

Apart from planner.advice.notes, and in terms of a model's id and its ``accepts_images`` answer rather than
its whole offer, so that `planner count` decides without building the catalog's or the answers' models
(start-up)."""

from __future__ import annotations

from typing import Literal

from planner.wording import count_of

FIND_VISION_MODELS = "`planner models --capability vision`"  # how the command line lists vision models

FolderImages = Literal["count", "skip", "refuse"]
FOLDER_IMAGES: tuple[str, ...] = ("count", "skip", "refuse")


def image_refusal(model_id: str, images: int, find_vision: str = FIND_VISION_MODELS) -> str:
    """The one-line reason a model that takes no images cannot serve an input with images; ``find_vision``
    says where this presenter lists vision models (the app names its own controls)."""
    return (
        f"{model_id} does not accept images (catalog: no vision input), and the input has "
        f"{count_of(images, 'image')}; "
        f"pick a vision model ({find_vision}) or drop the images"
    )


def refusal_for(
    model_id: str, vision: bool | None, images: int, find_vision: str = FIND_VISION_MODELS
) -> str | None:
    """``image_refusal`` when the model takes no images (``vision`` False) and the input has some; None
    otherwise (a model whose catalog record does not say is given the benefit of the doubt)."""
    if not images or vision is not False:
        return None
    return image_refusal(model_id, images, find_vision)


def folder_images_for(vision: bool | None, asked: str | None = None) -> FolderImages:
    """What to do with image files found in a folder (``--images``): ``asked`` when given; else ``skip`` for a
    model whose catalog record says it takes no images (``vision`` False: one note says so, and the rest of
    the folder is answered on), ``count`` otherwise. ``refuse`` counts them, so the answer refuses them (exit
    8) as it refuses an image named on the command line or inside a request body, which are never skipped."""
    if asked is not None:
        return asked  # type: ignore[return-value]
    return "skip" if vision is False else "count"
