"""The registry's pages in the one search index (renkei.core.search): each wide-area agreement,
and every local government's page with its relations to the wards, so 「友好都市」 or 「千代田区」
finds the places they tie. Reference records: found from the start."""

import re

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core import search
from renkei.core.models import SearchDocument
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import spoken
from renkei.registry.models import Relation


def _ties_quoted(text: str, query: str) -> str:
    """A place's result quotes the relations that matched (千代田区 交流事業), never its lookup
    aids (readings, kind, code: the lines up to its 6-digit code)."""
    lines = text.split("\n")
    code = next((i for i, line in enumerate(lines) if re.fullmatch(r"\d{6}", line)), len(lines) - 1)
    ties = [line for line in lines[code + 1:] if any(term in line for term in search.terms(query))]
    return search.snippet("\n".join(ties), query) if ties else ""


AGREEMENT = search.Kind("agreement", _("協定"), position=5, quote=lambda text, query: "")
PLACE = search.Kind("place", _("自治体"), position=6, quote=_ties_quoted)


def index_agreement(agreement) -> None:
    association = agreement.association
    title = f"{association.name}との広域連携協定"
    search.store(AGREEMENT.key, agreement.pk, title=title, url=reverse("portal:agreements"), day=agreement.signed_on,
                 parts=[title, association.name, association.prefecture.name, "広域連携協定"], visible_from=search.ALWAYS)


def _place_document(lg, relations) -> dict:
    ties = [f"{r.ward.name if r.municipality_id == lg.code else r.municipality.full_name} {r.kind.name}"
            for r in relations]
    return {"key": lg.code, "title": lg.full_name, "url": lg.get_absolute_url(), "day": None,
            "parts": [*spoken(lg), lg.get_kind_display(), lg.code, *ties], "visible_from": search.ALWAYS}


def _relations_by_place(codes=None) -> dict:
    relations = Relation.objects.select_related("ward", "municipality__prefecture", "kind").order_by("pk")
    if codes is not None:
        relations = relations.filter(Q(municipality__in=codes) | Q(ward__in=codes))
    found = {}
    for r in relations:
        found.setdefault(r.municipality_id, []).append(r)
        found.setdefault(r.ward_id, []).append(r)
    return found


def index_places(codes=None) -> int:
    """Write the documents of local governments (all, or those `codes` name): new ones in bulk."""
    places = LocalGovernment.objects.select_related("prefecture").order_by("code")
    if codes is not None:
        places = places.filter(code__in=list(codes))
    relations = _relations_by_place(None if codes is None else list(codes))
    existing = set(SearchDocument.objects.filter(kind=PLACE.key).values_list("key", flat=True))
    new = []
    for lg in places:
        document = _place_document(lg, relations.get(lg.code, []))
        if lg.code in existing:
            search.store(PLACE.key, **document)
        else:
            new.append(document)
    return search.store_new(PLACE.key, new) + len([lg for lg in places if lg.code in existing])


def index_missing_places() -> str:
    """For load_reference_data: the local governments without a document (the first load, or new
    ones) are written; the others follow their relations as they change."""
    existing = set(SearchDocument.objects.filter(kind=PLACE.key).values_list("key", flat=True))
    missing = [code for code in LocalGovernment.objects.values_list("code", flat=True) if code not in existing]
    return f"サイト内検索（自治体）: 新規 {index_places(missing) if missing else 0}件"
