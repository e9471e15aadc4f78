"""The suggested portfolio projects as an Atom feed, for the program's community blog. Its
links are absolute on the public site (decision 0033): Django's feed would otherwise complete
them with the host the feed was fetched from."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from credence.core.public import public_url
from credence.learning.models import SuggestedProject
from credence.learning.selectors import suggested_projects


class SuggestedProjectsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Suggested portfolio projects")
    subtitle = _(
        "Portfolio projects suggested for each certification: build one in a public "
        "repository and defend it in the interview."
    )

    def link(self) -> str:
        return public_url(reverse("projects:index"))

    def feed_url(self) -> str:
        return public_url(reverse("projects:feed"))

    def items(self) -> QuerySet[SuggestedProject]:
        return suggested_projects()

    def item_title(self, item: SuggestedProject) -> str:
        return f"{item.certification.name}: {item.title}"

    def item_description(self, item: SuggestedProject) -> str:
        return item.description or item.title

    def item_link(self, item: SuggestedProject) -> str:
        return public_url(reverse("projects:detail", args=[item.pk]))

    def item_guid(self, item: SuggestedProject) -> str:
        # Stable across edits and renames, so a feed reader never shows a project twice.
        return f"tag:credence,2026:suggested-project:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: SuggestedProject) -> datetime:
        return item.created_at

    def item_updateddate(self, item: SuggestedProject) -> datetime:
        return item.updated_at

    def item_categories(self, item: SuggestedProject) -> tuple[str, ...]:
        return (item.certification.name,)
