"""JSON-LD with bundled contexts only, strict expansion, and RDFC-1.0 canonicalization.

Every context Credence signs or verifies with ships in ``contexts/`` (copies of the published
documents; ``contexts/manifest.json`` names each URL, file and SHA-256, checked when loaded).
The document loader refuses any other URL: nothing is fetched, ever.

Strict mode: independent verifiers (jsonld.js ``safe: true``) refuse a document with a term its
contexts do not define, while pyld silently drops such a property and would let us sign a
credential that others cannot verify. ``check_strict`` expands the document with a handler for
every dropped property and then refuses relative type and node IRIs, which is what such
undefined terms and types turn into.

Canonicalization is RDF Dataset Canonicalization (RDFC-1.0), the algorithm pyld calls
``URDNA2015``; pyld's default is the older ``URGNA2012``, which gives different output, so the
algorithm is always named explicitly here.

Speed (issue 14): nearly all of a verification's time went into processing the same bundled
contexts again for every document, and into expanding each document twice. ``_Processor``
remembers each processed context and turns the strictly expanded document into RDF without
expanding it again; both leave pyld's output unchanged (tests compare them with plain pyld).
"""

from __future__ import annotations

import copy
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from frozendict import frozendict  # pyld's immutable active contexts
from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
RDFC_1_0 = "URDNA2015"  # pyld's name for RDFC-1.0 (same algorithm, renamed by W3C)


class JsonLdError(ValueError):
    """A document that cannot be processed strictly with the bundled contexts."""


@cache
def bundled_contexts() -> dict[str, Any]:
    contexts: dict[str, Any] = {}
    for entry in json.loads((CONTEXTS_DIR / "manifest.json").read_text()):
        raw = (CONTEXTS_DIR / entry["file"]).read_bytes()
        if hashlib.sha256(raw).hexdigest() != entry["sha256"]:
            raise RuntimeError(f"bundled context {entry['file']} does not match its checksum")
        contexts[entry["url"]] = json.loads(raw)
    return contexts


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    contexts = bundled_contexts()
    if url not in contexts:
        raise jsonld.JsonLdError(
            f"Context {url} is not bundled with Credence, and nothing is fetched from the network.",
            "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    # "static" lets pyld keep the processed context between calls (it caches only tagged
    # remote documents); bundled contexts never change, so that is safe.
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": copy.deepcopy(contexts[url]),
        "tag": "static",
    }


def _options() -> dict[str, Any]:
    return {"documentLoader": document_loader, "base": None}


class _Expanded(list[Any]):
    """A document already in expanded form: expanding it again changes nothing."""


# Processed active contexts by (active context, local context, flags): see _Processor.
_PROCESSED: dict[tuple[Any, ...], frozendict] = {}
_PROCESSED_MAX = 4_096


def _context_key(local_context: Any) -> Any:
    if isinstance(local_context, str):
        return local_context
    if isinstance(local_context, list) and all(isinstance(c, str) for c in local_context):
        return tuple(local_context)
    # an embedded or scoped context: by content (pyld keeps some as frozendict)
    return json.dumps(local_context, sort_keys=True, default=dict)


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor, with the result of processing a context remembered.

    A processed active context is a pure function of the active context it starts from,
    the local context and the flags: every URL resolves to a bundled, checksummed document,
    and the base is always None. pyld caches that result too, but keyed by the identity of
    the starting context, and it starts every type-scoped context (one that does not
    propagate, as Open Badges has for each of its types) from a fresh copy, so it found
    nothing and processed those scoped contexts again in every document. Here the starting
    context is one of pyld's immutable results, known by its ``_uuid``, and so is the
    result, so the same chain of contexts is found again for the next document. Only
    successes are kept (an error is raised afresh each time), and only for the outermost
    call (``cycles`` is set only while pyld checks scoped contexts inside a context)."""

    def _process_context(
        self,
        active_ctx: dict[str, Any],
        local_ctx: Any,
        options: dict[str, Any],
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: set[str] | None = None,
    ) -> dict[str, Any]:
        process = super()._process_context
        if cycles or not isinstance(active_ctx, frozendict):
            return process(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
        key = (
            active_ctx["_uuid"],
            _context_key(local_ctx),
            override_protected,
            propagate,
            validate_scoped,
            options.get("base"),
        )
        processed = _PROCESSED.get(key)
        if processed is None:
            processed = process(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
            )
            if not isinstance(processed, frozendict):
                return processed
            if len(_PROCESSED) >= _PROCESSED_MAX:
                _PROCESSED.clear()
            _PROCESSED[key] = processed
        return processed

    def expand(self, input_: Any, options: dict[str, Any] | None) -> list[Any]:
        # normalize() expands its input first; ours is expanded already (and owned by the
        # caller of canonicalize, so pyld may mark its blank nodes in place)
        if isinstance(input_, _Expanded):
            return input_
        return super().expand(input_, options)


def _is_absolute(iri: str) -> bool:
    scheme, sep, _ = iri.partition(":")
    return bool(sep) and scheme.isascii() and scheme[:1].isalpha() and " " not in iri


def _check_expanded(node: Any, problems: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _check_expanded(item, problems)
        return
    if not isinstance(node, dict):
        return
    if "@value" in node:
        return
    for type_ in node.get("@type", []):
        if not _is_absolute(type_):
            problems.append(f"type {type_!r} is not defined by the document's contexts")
    node_id = node.get("@id")
    if isinstance(node_id, str) and not (node_id.startswith("_:") or _is_absolute(node_id)):
        problems.append(f"identifier {node_id!r} is not an absolute IRI")
    for key, value in node.items():
        if key not in ("@id", "@type"):
            _check_expanded(value, problems)


def expand_strict(document: dict[str, Any]) -> list[Any]:
    """Expand ``document``; raise JsonLdError naming every undefined term or relative IRI."""
    problems: list[str] = []

    def dropped(term: str | None) -> None:
        problems.append(f"property {term!r} is not defined by the document's contexts")

    try:
        expanded = _Processor(on_property_dropped=dropped).expand(document, _options())
    except jsonld.JsonLdError as error:
        raise JsonLdError(_describe(error)) from error
    _check_expanded(expanded, problems)
    if problems:
        raise JsonLdError("; ".join(dict.fromkeys(problems)))
    return expanded


def canonicalize(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of ``document``, after the strict check."""
    expanded = _Expanded(expand_strict(document))
    try:
        return _Processor().normalize(
            expanded,
            {**_options(), "algorithm": RDFC_1_0, "format": "application/n-quads"},
        )
    except jsonld.JsonLdError as error:
        raise JsonLdError(_describe(error)) from error


def _describe(error: jsonld.JsonLdError) -> str:
    # pyld wraps the cause several levels deep; the innermost message says what went wrong.
    messages = []
    current: BaseException | None = error
    while current is not None:
        messages.append(str(current).split("\n")[0])
        current = current.__cause__
    return messages[-1]
