"""The item bank's pages: who may open them, search, preview, import with a dry run, edit,
retire and reinstate, export. Every write is checked in the database and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from credence.accounts.models import Role, User
from credence.accounts.services import user_assign_role
from credence.audit.models import AuditEvent
from credence.catalog.models import Certification
from credence.items.forms import MAX_ITEM_FILE_BYTES
from credence.items.gift import parse_gift
from credence.items.models import Item, ItemVersion
from credence.items.services import item_retire, item_version_mark_used, items_import

BANK = (
    "// [tag:model-evaluation]\n"
    "::overfit:: A model that fits noise in its training data is {~underfit =overfit}.\n\n"
    "// [tag:supervised-learning]\n"
    "::labels:: Supervised learning needs labelled examples. {T}\n"
)
NEW_FILE = (
    "// [tag:model-evaluation]\n"
    "::auc:: AUC measures ranking quality. {T}\n\n"
    "// [tag:model-deployment]\n"
    "::canary:: A canary release sends a small share of traffic to the new model. {T}\n"
)
NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)


def _person(email: str, role: Role) -> User:
    user = User.objects.create_user(email, "x" * 12, full_name=email.split("@")[0].title())
    user_assign_role(user=user, role=role, acting_user=None)
    return user


@pytest.fixture
def ml_expert(db) -> Certification:
    call_command("program", "load", verbosity=0)
    certification = Certification.objects.get(code="ml-expert")
    items_import(certification=certification, items=parse_gift(BANK), acting_user=None)
    return certification


@pytest.fixture
def author(ml_expert) -> User:
    return _person("author@example.invalid", Role.AUTHOR)


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def _upload(text: str | bytes, name: str = "bank.gift") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/plain")


def _check(client, data: str | bytes, *, file_format: str = "gift", name: str = "bank.gift"):
    return client.post(
        reverse("items:import"),
        {"certification": "ml-expert", "file_format": file_format, "file": _upload(data, name)},
    )


# --- who may open the bank ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.PROCTOR, Role.EXAMINER])
def test_candidates_proctors_and_examiners_are_refused_every_page(client, ml_expert, role):
    client.force_login(_person(f"{role}@example.invalid", role))
    item = Item.objects.get(name="labels")

    assert client.get(reverse("items:bank")).status_code == 403
    assert client.get(reverse("items:item", args=[item.pk])).status_code == 403
    assert client.post(reverse("items:retire", args=[item.pk])).status_code == 403
    item.refresh_from_db()
    assert not item.retired


def test_the_office_uses_the_bank_too(client, ml_expert):
    client.force_login(_person("office@example.invalid", Role.STAFF))

    assert client.get(reverse("items:bank")).status_code == 200


def test_an_item_that_does_not_exist_is_not_found(author_client):
    assert author_client.get(reverse("items:item", args=[999_999])).status_code == 404


def test_the_menu_shows_authors_the_bank_and_not_the_candidates_pages(author_client, client):
    html = author_client.get(reverse("home")).content.decode()

    def links(html: str, *names: str) -> list[bool]:
        return [f'href="{reverse(name)}"' in html for name in names]

    assert links(html, "items:bank", "learning:my-path", "billing:my-fees") == [True, False, False]
    client.force_login(_person("cand@example.invalid", Role.CANDIDATE))
    html = client.get(reverse("home")).content.decode()
    assert links(html, "items:bank", "learning:my-path", "billing:my-fees") == [False, True, True]


# --- list, search, preview ---------------------------------------------------------------------


def test_the_list_shows_version_type_status_and_uses(author_client, ml_expert):
    labels = Item.objects.get(name="labels")
    item_version_mark_used(version=labels.current, now=NOW)
    item_retire(item=Item.objects.get(name="overfit"), acting_user=None, now=NOW)

    page = author_client.get(reverse("items:bank"), {"certification": "ml-expert"})

    rows = {row.item.name: row for row in page.context["rows"]}
    assert set(rows) == {"labels", "overfit"}
    assert rows["labels"].uses == 1
    html = page.content.decode()
    assert "true/false" in html and "in use, frozen" in html and "retired" in html


def test_searching_by_topic_and_text(author_client):
    by_topic = author_client.get(reverse("items:bank"), {"topic": "supervised-learning"})
    by_text = author_client.get(reverse("items:bank"), {"q": "noise"})

    assert [r.item.name for r in by_topic.context["rows"]] == ["labels"]
    assert [r.item.name for r in by_text.context["rows"]] == ["overfit"]


def test_a_long_list_comes_in_pages_that_keep_the_search(author_client, ml_expert):
    many = "\n".join(
        f"// [tag:model-evaluation]\n::m{n:03}:: Metric {n}? {{T}}\n" for n in range(120)
    )
    items_import(certification=ml_expert, items=parse_gift(many), acting_user=None)

    first = author_client.get(reverse("items:bank"), {"q": "metric"})
    second = author_client.get(reverse("items:bank"), {"q": "metric", "page": "2"})

    assert len(first.context["page"].object_list) == 100
    assert 'href="?q=metric&amp;page=2"' in first.content.decode()
    assert [r.item.name for r in second.context["page"].object_list] == [
        f"m{n:03}" for n in range(100, 120)
    ]


def test_an_unknown_certification_lists_nothing_and_says_why(author_client):
    page = author_client.get(reverse("items:bank"), {"certification": "no-such"})

    assert page.context["rows"] == []
    assert page.context["form"].errors["certification"]


def test_the_preview_is_the_test_page_rendering_without_the_key(author_client):
    item = Item.objects.get(name="overfit")

    page = author_client.get(reverse("items:item", args=[item.pk]))

    html = page.content.decode()
    assert "exams/_item.html" in [t.name for t in page.templates]
    assert 'type="radio" name="choice" id="choice-0" value="0"' in html
    assert "underfit" in html and "overfit" in html
    preview = html.split('class="item-preview"')[1].split("</fieldset>")[0]
    assert "100" not in preview  # the key (weights) is shown apart, never in the preview


# --- import ------------------------------------------------------------------------------------


def test_a_dry_run_shows_every_problem_with_its_line_and_imports_nothing(author_client):
    broken = NEW_FILE.replace("model-evaluation", "no-such-topic").replace(
        "model-deployment", "no-such-topic"
    )

    page = _check(author_client, broken)

    assert page.status_code == 400
    problems = [(p.line, p.message) for p in page.context["problems"]]
    assert [line for line, _ in problems] == [2, 5]
    html = page.content.decode()
    assert "Line 2" in html and "Line 5" in html and "no-such-topic" in html
    assert not Item.objects.filter(name__in=["auc", "canary"]).exists()


def test_a_checked_file_is_imported_on_confirmation_all_at_once(author_client, author):
    checked = _check(author_client, NEW_FILE)
    assert checked.status_code == 200
    assert [p.status for p in checked.context["plans"]] == ["created", "created"]
    assert not Item.objects.filter(name="auc").exists()  # a dry run changes nothing

    done = author_client.post(
        reverse("items:import-confirm"), {"digest": checked.context["digest"]}, follow=True
    )

    assert Item.objects.filter(name__in=["auc", "canary"]).count() == 2
    events = AuditEvent.objects.filter(action="item.created", actor=author)
    assert events.count() == 2
    assert "Imported bank.gift into" in done.content.decode()
    # the checked file was used up: confirming again imports nothing twice
    again = author_client.post(
        reverse("items:import-confirm"), {"digest": checked.context["digest"]}, follow=True
    )
    assert "out of date" in again.content.decode()
    assert AuditEvent.objects.filter(action="item.created").count() == 4  # 2 fixture + 2


def test_a_stale_confirmation_imports_nothing(author_client):
    _check(author_client, NEW_FILE)

    author_client.post(reverse("items:import-confirm"), {"digest": "0" * 64})

    assert not Item.objects.filter(name="auc").exists()


def test_moodle_xml_is_checked_and_imported_too(author_client):
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
        '<question type="truefalse"><name><text>xml-item</text></name>'
        "<questiontext><text>Cross-validation reuses the data.</text></questiontext>"
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer>'
        "<tags><tag><text>model-evaluation</text></tag></tags></question>\n</quiz>\n"
    )
    checked = _check(author_client, xml, file_format="moodle-xml", name="bank.xml")
    assert checked.status_code == 200, checked.context.get("problems")

    author_client.post(reverse("items:import-confirm"), {"digest": checked.context["digest"]})

    assert Item.objects.get(name="xml-item").current.type == "true_false"


@pytest.mark.parametrize(
    ("data", "file_format", "says"),
    [
        (b"x" * (MAX_ITEM_FILE_BYTES + 1), "gift", "at most 1.0 MB"),
        ("::q:: Caf\u00e9? {T}".encode("latin-1"), "gift", "not UTF-8"),
        (b'<?xml version="1.0"?><quiz></quiz>', "gift", "choose \u201cMoodle XML\u201d"),
        (NEW_FILE.encode(), "moodle-xml", "choose \u201cGIFT\u201d"),
        (b"   \n", "gift", "The file is empty"),
        (b"<quiz><question", "moodle-xml", "Not well-formed XML"),
    ],
    ids=["too-big", "not-utf8", "xml-as-gift", "gift-as-xml", "empty", "broken-xml"],
)
def test_a_bad_upload_gets_a_clear_error_and_changes_nothing(
    author_client, data, file_format, says
):
    items, versions, events = (
        Item.objects.count(),
        ItemVersion.objects.count(),
        AuditEvent.objects.count(),
    )

    page = _check(author_client, data, file_format=file_format)

    assert page.status_code == 400
    assert says in page.content.decode()
    assert "digest" not in page.context
    assert (Item.objects.count(), ItemVersion.objects.count(), AuditEvent.objects.count()) == (
        items,
        versions,
        events,
    )


# --- edit --------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_item_as_gift(author_client):
    item = Item.objects.get(name="labels")

    page = author_client.get(reverse("items:edit", args=[item.pk]))

    text = page.context["form"].initial["text"]
    assert text.startswith("// [tag:supervised-learning]\n::labels::")
    assert parse_gift(text)[0].content == item.current.item_content  # the text is the item
    assert "No candidate has seen the current version yet" in page.content.decode()


def test_preview_does_not_save(author_client):
    item = Item.objects.get(name="labels")
    text = (
        "// [tag:supervised-learning]\n::labels:: Labels are needed for supervised learning. {T}\n"
    )

    page = author_client.post(
        reverse("items:edit", args=[item.pk]), {"text": text, "action": "preview"}
    )

    assert page.status_code == 200
    assert "Labels are needed for supervised learning." in page.content.decode()
    assert item.versions.count() == 1
    assert "labelled examples" in item.current.content["stem"]


def test_saving_a_shown_version_adds_a_new_version_through_item_save(author_client, author):
    item = Item.objects.get(name="labels")
    item_version_mark_used(version=item.current, now=NOW)
    text = (
        "// [tag:supervised-learning]\n::labels:: Labels are needed for supervised learning. {T}\n"
    )

    page = author_client.post(
        reverse("items:edit", args=[item.pk]), {"text": text, "action": "save"}, follow=True
    )

    assert [v.number for v in item.versions.order_by("number")] == [1, 2]
    assert item.current.content["stem"] == "Labels are needed for supervised learning."
    assert AuditEvent.objects.get(action="item.new_version").actor == author
    assert "new version" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("::renamed:: Labels? {T}\n", "keep \u201c::labels::\u201d"),
        ("::labels:: One? {T}\n\n::other:: Two? {T}\n", "holds 2 items"),
        ("// [tag:no-such]\n::labels:: Labels? {T}\n", "Line 2"),
        ("::labels:: Which? {~a ~b}\n", "No answer earns any credit"),
    ],
    ids=["renamed", "two-items", "bad-topic", "no-credit"],
)
def test_an_edit_with_problems_is_refused_and_saves_nothing(author_client, text, says):
    item = Item.objects.get(name="labels")

    page = author_client.post(
        reverse("items:edit", args=[item.pk]), {"text": text, "action": "save"}
    )

    assert page.status_code == 400
    assert says in page.content.decode()
    assert item.versions.count() == 1
    assert not Item.objects.filter(name__in=["renamed", "other"]).exists()


def test_editing_the_text_of_an_untitled_item_keeps_it_the_same_item(author_client, ml_expert):
    items_import(
        certification=ml_expert,
        items=parse_gift("// [tag:model-evaluation]\nPrecision counts false positives. {T}\n"),
        acting_user=None,
    )
    item = Item.objects.get(name="Precision counts false positives.")
    text = "// [tag:model-evaluation]\nPrecision is hurt by false positives. {T}\n"

    author_client.post(reverse("items:edit", args=[item.pk]), {"text": text, "action": "save"})

    assert Item.objects.filter(certification=ml_expert).count() == 3
    assert item.current.content["stem"] == "Precision is hurt by false positives."


# --- retire, reinstate, export -----------------------------------------------------------------


def test_retire_and_reinstate_from_the_item_page(author_client, author):
    item = Item.objects.get(name="labels")

    retired = author_client.post(reverse("items:retire", args=[item.pk]), follow=True)
    item.refresh_from_db()
    assert item.retired and "no new test form draws it" in retired.content.decode()
    again = author_client.post(reverse("items:retire", args=[item.pk]), follow=True)
    assert "retired already" in again.content.decode()

    author_client.post(reverse("items:reinstate", args=[item.pk]))
    item.refresh_from_db()
    assert not item.retired
    assert [e.action for e in AuditEvent.objects.filter(actor=author).order_by("pk")] == [
        "item.retired",
        "item.reinstated",
    ]


def test_a_get_on_a_write_is_not_allowed(author_client):
    item = Item.objects.get(name="labels")

    assert author_client.get(reverse("items:retire", args=[item.pk])).status_code == 405


@pytest.mark.parametrize(
    ("file_format", "content_type", "suffix"),
    [("gift", "text/plain; charset=utf-8", "gift"), ("moodle-xml", "application/xml", "xml")],
)
def test_export_downloads_the_current_items_without_the_retired_ones(
    author_client, file_format, content_type, suffix
):
    item_retire(item=Item.objects.get(name="labels"), acting_user=None, now=NOW)

    response = author_client.get(
        reverse("items:export"), {"certification": "ml-expert", "file_format": file_format}
    )

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="items-ml-expert.{suffix}"'
    body = response.content.decode()
    assert "overfit" in body and "labels" not in body


def test_the_export_page_asks_which_bank(author_client):
    page = author_client.get(reverse("items:export"))

    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert 'name="certification"' in page.content.decode()
