"""Errors a user can cause, each with a one-line message and a distinct exit status.

The CLI prints ``error: <message>`` on stderr and exits with ``exit_code``; no traceback.
Exit statuses (documented in the README):

    0  success
    1  `planner fit`: the input does not fit (a verdict, not an error)
    2  usage error (bad option or value, e.g. a negative token count)
    3  input error (missing file, directory where a file is needed, unreadable input)
    4  unknown model
    5  files were skipped: `count` and `batch` answer on the rest; any command that reads input fails with
       this status when every input was skipped (nothing counted)
    6  catalog error (snapshot missing or invalid, refresh refused or failed)
    7  a price needed for the answer is unknown
    8  a request the model cannot serve (e.g. output reserve above its max output)
    9  --online: a vendor's count endpoint could not give a count (no key, refused, unreachable, bad answer)
"""

from __future__ import annotations

import importlib
from types import ModuleType

EXIT_OK = 0
EXIT_DOES_NOT_FIT = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_UNKNOWN_MODEL = 4
EXIT_SOME_SKIPPED = 5
EXIT_CATALOG = 6
EXIT_PRICE_UNKNOWN = 7
EXIT_LIMIT = 8
EXIT_ONLINE = 9


class PlannerError(Exception):
    """Base class: a mistake in the user's input or environment, not a bug."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PlannerError):
    exit_code = EXIT_USAGE


class InputError(PlannerError):
    exit_code = EXIT_INPUT


class UnknownModelError(PlannerError):
    exit_code = EXIT_UNKNOWN_MODEL

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = list(suggestions or [])
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"unknown model '{query}'.{hint} Try `planner models --search TEXT`.")


class UnknownProviderError(UnknownModelError):
    """--provider names no host of a model the catalog knows: an unknown model as far as the offer asked for
    goes (exit 4; whoever handles an unknown model handles this), said with the hosts that do offer it and a
    close match of the name typed."""

    def __init__(self, provider: str, model: str, hosts: list[str], known: bool, close: list[str]) -> None:
        self.query = f"{model} on {provider}"
        self.suggestions = list(close)
        self.provider = provider
        self.hosts = list(hosts)
        shown = ", ".join(hosts[:MAX_HOSTS_NAMED])
        if len(hosts) > MAX_HOSTS_NAMED:
            from shlex import quote  # here, not at import: every command imports this module (start-up)

            more = len(hosts) - MAX_HOSTS_NAMED
            shown += f", and {more:,} more (`planner hosts {quote(model)}` lists them)"
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        head = f"{provider} does not offer {model}" if known else f"unknown provider '{provider}' for {model}"
        PlannerError.__init__(self, f"{head}; it is offered by: {shown}.{hint}")


MAX_HOSTS_NAMED = 8  # the hosts an UnknownProviderError names before "and N more"


class NothingCountedError(PlannerError):
    """Every input given was skipped (binary, unreadable, not chat messages): nothing to answer on."""

    exit_code = EXIT_SOME_SKIPPED


class CatalogError(PlannerError):
    exit_code = EXIT_CATALOG


class PriceUnknownError(PlannerError):
    exit_code = EXIT_PRICE_UNKNOWN


class LimitError(PlannerError):
    exit_code = EXIT_LIMIT


class OnlineCountError(PlannerError):
    """``--online``: a vendor's count endpoint gave no count (no key, a refusal, no answer, a bad answer)."""

    exit_code = EXIT_ONLINE


class TokenizerFileError(PlannerError):
    """A shipped tokenizer file is missing or does not have the expected sha256."""

    exit_code = EXIT_INPUT


class SkipFile(Exception):
    """This file cannot be counted; ``reason`` says why in a few words a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MissingExtraError(PlannerError):
    """A feature whose library is in an optional extra that this install lacks: says which extra to add."""

    exit_code = EXIT_USAGE

    def __init__(self, feature: str, module: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs {module}, which is not installed: pip install 'planner[{extra}]' "
            f"(from a clone: pip install -e '.[{extra}]')"
        )


# The optional extras (pyproject.toml) by the top-level module a feature imports from them.
EXTRA_OF_MODULE = {
    "pyarrow": "datasets",
    "streamlit": "app",
    "altair": "app",
    "pandas": "app",
    "distributed": "dask",
    "fsspec": "dask",
}


def require_module(module: str, feature: str) -> ModuleType:
    """``module`` imported, or MissingExtraError naming the extra (EXTRA_OF_MODULE) that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        raise MissingExtraError(feature, top, EXTRA_OF_MODULE[top]) from None
