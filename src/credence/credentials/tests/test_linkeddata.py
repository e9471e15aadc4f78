"""The quick path to canonical N-Quads (remembered contexts, no second expansion) gives
exactly what plain pyld gives, for any document over the bundled contexts, valid or not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from credence.credentials import linkeddata
from credence.credentials.openbadges import CredentialFacts, EvidenceFacts, build_credential
from credence.credentials.tests.test_dataintegrity import vector_json

VC_V2 = "https://www.w3.org/ns/credentials/v2"
CONTEXT_LISTS = (
    [VC_V2],
    [VC_V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    [VC_V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json"],
    [
        VC_V2,
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    ],
    [VC_V2, "https://www.w3.org/ns/credentials/examples/v2"],
    [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    ],
    [VC_V2, "https://w3id.org/security/data-integrity/v2"],
    ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
)


def _terms(node: Any) -> set[str]:
    """Every term any bundled context defines, at any depth (scoped contexts included)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                found.add(key)
            found |= _terms(value)
    elif isinstance(node, list):
        for value in node:
            found |= _terms(value)
    return found


TERMS = sorted(_terms(list(linkeddata.bundled_contexts().values())))
TYPES = sorted(t for t in TERMS if t[:1].isupper())


def plain_pyld(document: dict[str, Any]) -> str:
    """What canonicalize returned before the quick path: pyld as published, the strict
    check, and normalization of the compact document."""
    problems: list[str] = []
    options = {"documentLoader": linkeddata.document_loader, "base": None}
    try:
        expanded = jsonld.expand(
            document,
            options,
            on_property_dropped=lambda term: problems.append(
                f"property {term!r} is not defined by the document's contexts"
            ),
        )
    except jsonld.JsonLdError as error:
        raise linkeddata.JsonLdError(linkeddata._describe(error)) from error
    linkeddata._check_expanded(expanded, problems)
    if problems:
        raise linkeddata.JsonLdError("; ".join(dict.fromkeys(problems)))
    return jsonld.normalize(
        document, {**options, "algorithm": "URDNA2015", "format": "application/n-quads"}
    )


def outcome(canonicalize: Any, document: dict[str, Any]) -> tuple[str, str]:
    try:
        return "n-quads", canonicalize(json.loads(json.dumps(document)))
    except linkeddata.JsonLdError as error:
        return "refused", str(error)


def assert_same(document: dict[str, Any]) -> tuple[str, str]:
    quick = outcome(linkeddata.canonicalize, document)
    assert quick == outcome(plain_pyld, document)
    return quick


def test_the_published_vectors_and_their_proof_configurations_come_out_the_same():
    signed = vector_json("signedDataInt.json")
    for document in (
        vector_json("unsigned.json"),
        vector_json("proofConfigDataInt.json"),
        {**signed["proof"], "@context": signed["@context"]},
    ):
        assert assert_same(document)[0] == "n-quads"


def test_contexts_that_differ_only_inside_are_told_apart():
    # Embedded contexts with the same term for different IRIs, in turn and back again:
    # a context remembered under a loose key would give the first one's IRI to the others.
    results = []
    for iri in ("https://a.example/colour", "https://b.example/colour", "https://a.example/colour"):
        document = {
            "@context": [VC_V2, {"colour": iri}],
            "type": ["VerifiableCredential"],
            "issuer": "did:example:issuer",
            "credentialSubject": {"id": "did:example:holder", "colour": "blue"},
        }
        kind, quads = assert_same(document)
        assert kind == "n-quads" and f"<{iri}>" in quads
        results.append(quads)
    assert results[0] != results[1] and results[0] == results[2]


def test_a_broken_context_is_refused_every_time_not_only_the_first():
    document = {"@context": [VC_V2, {"colour": {"@id": 5}}], "type": ["VerifiableCredential"]}
    for _ in range(2):
        kind, message = assert_same(document)
        assert kind == "refused" and message


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_scalars = st.one_of(
    _text,
    st.sampled_from(
        [
            "did:example:1",
            "https://example.org/x",
            "2026-05-06T22:00:00Z",
            "urn:uuid:1a2b",
            "sha256$00",
            "_:b0",
        ]
    ),
    st.integers(-5, 5),
    st.booleans(),
    st.just(None),
)


def _node(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            "id": st.sampled_from(["did:example:1", "https://example.org/a", "_:b1", "rel"]),
            "type": st.lists(st.sampled_from(TYPES), max_size=3),
        },
    ).flatmap(
        lambda base: st.dictionaries(st.sampled_from(TERMS), children, max_size=4).map(
            lambda rest: {**rest, **base}
        )
    )


_values = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), _node(children)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts=st.sampled_from(CONTEXT_LISTS), body=_node(_values))
def test_any_document_over_the_bundled_contexts_comes_out_the_same(contexts, body):
    assert_same({"@context": contexts, **body})


_facts = st.builds(
    CredentialFacts,
    credential_id=st.just("https://certs.example.test/certificates/CRD-1/"),
    issuer_did=st.sampled_from(["did:web:certs.example.test", "did:key:z6Mkexample"]),
    issuer_name=_text,
    issuer_url=st.just("https://certs.example.test/"),
    issuer_email=st.just("office@example.invalid"),
    holder_name=_text,
    holder_email=st.emails(),
    salt=_text,
    achievement_id=st.just("https://certs.example.test/credentials/achievements/nlp"),
    achievement_name=_text,
    achievement_description=_text,
    criteria=_text,
    proves=st.lists(_text, max_size=3).map(tuple),
    does_not_prove=st.lists(_text, max_size=3).map(tuple),
    valid_from=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    valid_until=st.just(datetime(2099, 1, 1, tzinfo=UTC)),
    status_list_url=st.just("https://certs.example.test/status/message"),
    status_index=st.integers(0, 131_071),
    status_reference=st.just("https://certs.example.test/certificates/CRD-1/"),
    evidence=st.lists(
        st.builds(EvidenceFacts, name=_text, genre=_text, description=_text), max_size=3
    ).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(facts=_facts)
def test_every_open_badge_we_issue_comes_out_the_same(facts):
    kind, quads = assert_same(build_credential(facts))
    assert kind == "n-quads" and "_:c14n0" in quads


def test_an_issued_credential_and_every_status_list_comes_out_the_same(certificate):
    from credence.credentials import selectors, services

    documents = [services.credential_issue(certificate=certificate)]
    documents += [
        selectors.status_list_credential(p) for p in ("message", "revocation", "suspension")
    ]
    for document in documents:
        assert assert_same(document)[0] == "n-quads"
        assert assert_same({k: v for k, v in document.items() if k != "proof"})[0] == "n-quads"
