"""The Atom feed of published decisions (PUB-9): the 50 most recently published, redacted data only."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import SearchEntry

FEED_SIZE = 50


class DecisionFeed(Feed):
    """行政执法决定公示 as Atom: one entry per decision on the portal, its latest version's time as `updated`."""

    feed_type = Atom1Feed
    title = _("行政执法决定公示")
    subtitle = _("最新公示的行政执法决定（已隐去个人信息）")

    def link(self) -> str:
        return reverse("publicity:decision_list")

    def feed_url(self) -> str:
        return reverse("publicity:feed")

    def items(self) -> QuerySet[SearchEntry]:
        return SearchEntry.objects.defer("bigrams", "text").order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, item: SearchEntry) -> str:
        return item.title

    def item_description(self, item: SearchEntry) -> str:
        parts = [
            f"{_('执法主体')}：{item.agency_name}",
            f"{_('当事人')}：{item.party}",
            f"{_('文书编号')}：{item.document_number}",
            f"{_('决定日期')}：{item.decided_on.isoformat()}",
            f"{_('处理结果')}：{item.result}",
        ]
        return "\n".join(parts)

    def item_link(self, item: SearchEntry) -> str:
        return reverse("publicity:decision_detail", args=[item.public_id])

    def item_guid(self, item: SearchEntry) -> str:
        return f"urn:uuid:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: SearchEntry) -> datetime:
        return item.published_at

    def item_updateddate(self, item: SearchEntry) -> datetime:
        return item.published_at

    def item_author_name(self, item: SearchEntry) -> str:
        return item.agency_name
