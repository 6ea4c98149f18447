import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.core.dates import wareki
from renkei.municipalities.models import CITY_KINDS, Kind, LocalGovernment


class Association(models.Model):
    """A body that stands for many municipalities (町村会, 市長会 …)."""

    class MembershipRule(models.TextChoices):
        TOWNS_AND_VILLAGES = "towns_and_villages", _("都道府県内の町村（町村会）")
        CITIES = "cities", _("都道府県内の市（市長会）")
        EDITED = "edited", _("個別に登録")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    prefecture = models.ForeignKey(
        LocalGovernment,
        verbose_name=_("都道府県"),
        on_delete=models.PROTECT,
        related_name="associations",
        limit_choices_to={"kind": Kind.PREFECTURE},
    )
    membership_rule = models.CharField(
        _("構成団体の決まり方"), max_length=32, choices=MembershipRule.choices
    )

    class Meta:
        verbose_name = _("団体（町村会・市長会等）")
        verbose_name_plural = _("団体（町村会・市長会等）")
        ordering = ["prefecture", "name"]

    def __str__(self) -> str:
        return self.name

    def members(self):
        """The member municipalities under the membership rule, from the reference data."""
        in_prefecture = LocalGovernment.objects.in_prefecture(self.prefecture.prefecture_code)
        if self.membership_rule == self.MembershipRule.TOWNS_AND_VILLAGES:
            return in_prefecture.filter(kind__in=[Kind.TOWN, Kind.VILLAGE])
        if self.membership_rule == self.MembershipRule.CITIES:
            return in_prefecture.filter(kind__in=CITY_KINDS)
        return LocalGovernment.objects.none()


class WideAreaAgreement(models.Model):
    """広域連携協定: the 23 wards (特別区長会) with an association, signed on a date."""

    association = models.ForeignKey(
        Association, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="agreements"
    )
    signed_on = models.DateField(_("締結日"), db_index=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    # 協定締結団体一覧 prints, where a prefecture's 市長会 and 町村会 both signed, the
    # prefecture's total for both; kept as printed.
    printed_member_count = models.PositiveIntegerField(_("掲載された構成自治体数"), null=True, blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("広域連携協定")
        verbose_name_plural = _("広域連携協定")
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "signed_on"], name="one_agreement_a_day"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("signed_on")),
                name="agreement_ends_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association}（{wareki(self.signed_on)}）"

    def in_force_on(self, day: dt.date) -> bool:
        return self.signed_on <= day and (self.ended_on is None or self.ended_on > day)


class CorporatePartnership(models.Model):
    """包括連携協定: the 23 wards with a company, signed on a date, over fields of cooperation."""

    company = models.CharField(_("企業名"), max_length=200, unique=True)
    signed_on = models.DateField(_("締結日"))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    summary = models.TextField(_("概要"), blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("包括連携協定")
        verbose_name_plural = _("包括連携協定")
        ordering = ["signed_on"]

    def __str__(self) -> str:
        return self.company


class PartnershipField(models.Model):
    """One field of cooperation (連携事項) of a corporate partnership, in the printed order."""

    partnership = models.ForeignKey(
        CorporatePartnership, on_delete=models.CASCADE, related_name="fields_of_cooperation"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("連携事項"), max_length=200)

    class Meta:
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "position"], name="one_field_a_position")
        ]

    def __str__(self) -> str:
        return self.title


class RelationKind(models.Model):
    """A kind of relation (友好都市・姉妹都市, 災害時相互応援協定, 交流事業 …); the secretariat extends the list."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("交流の種別")
        verbose_name_plural = _("交流の種別")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CooperationField(models.Model):
    """A field of cooperation (産業, 観光, 文化, スポーツ, 防災 …)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("分野")
        verbose_name_plural = _("分野")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class RelationQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date):
        return self.filter(started_on__lte=day).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)
        )


class Relation(models.Model):
    """交流: one ward and one municipality, of a kind, over fields, from a date (until a date)."""

    ward = models.ForeignKey(
        LocalGovernment, verbose_name=_("特別区"), on_delete=models.PROTECT, related_name="ward_relations",
        limit_choices_to={"kind": Kind.SPECIAL_WARD},
    )
    municipality = models.ForeignKey(
        LocalGovernment, verbose_name=_("自治体"), on_delete=models.PROTECT, related_name="relations",
    )
    kind = models.ForeignKey(RelationKind, verbose_name=_("種別"), on_delete=models.PROTECT, related_name="+")
    fields = models.ManyToManyField(CooperationField, verbose_name=_("分野"), blank=True, related_name="+")
    started_on = models.DateField(_("開始日"))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=500, blank=True)

    objects = RelationQuerySet.as_manager()

    class Meta:
        verbose_name = _("交流")
        verbose_name_plural = _("交流")
        ordering = ["ward", "municipality", "started_on"]
        indexes = [
            models.Index(fields=["started_on", "ended_on", "municipality"]),
            models.Index(fields=["municipality", "started_on"]),
            models.Index(fields=["ward", "started_on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["ward", "municipality", "kind", "started_on"],
                                    name="one_relation_per_kind_and_start"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="relation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ward} ↔ {self.municipality}（{self.kind}）"

    def clean(self):
        """A ward and a municipality that is not one, and an end after the start (the forms, the
        import and the service all ask here; the database's constraint is the net)."""
        errors = {}
        if self.ward_id and not self.ward.is_special_ward:
            errors["ward"] = f"{self.ward.full_name}は特別区（東京23区）ではありません。"
        if self.municipality_id and self.municipality.is_special_ward:
            errors["municipality"] = "交流の相手は特別区以外の自治体を指定してください。"
        if self.started_on and self.ended_on and self.ended_on <= self.started_on:
            errors["ended_on"] = "終了日は開始日より後の日付にしてください。"
        if errors:
            raise ValidationError(errors)


class AssociationMember(models.Model):
    """A member of an association whose members are listed one by one (rule `edited`), with dates."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="listed_members")
    local_government = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("加入日"))
    left_on = models.DateField(_("脱退日"), null=True, blank=True)

    class Meta:
        verbose_name = _("団体の構成自治体")
        verbose_name_plural = _("団体の構成自治体")
        ordering = ["association", "local_government"]
        constraints = [
            models.UniqueConstraint(fields=["association", "local_government", "joined_on"],
                                    name="one_association_membership_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.association}: {self.local_government}"

    def clean(self):
        """Listed members belong to associations whose members are listed, never a ward, and
        leave after they join."""
        errors = {}
        if self.association_id and self.association.membership_rule != Association.MembershipRule.EDITED:
            errors["association"] = f"{self.association.name}の構成自治体は参照データから決まるため、個別には登録できません。"
        if self.local_government_id and self.local_government.is_special_ward:
            errors["local_government"] = "特別区は団体の構成自治体に指定できません。"
        if self.joined_on and self.left_on and self.left_on <= self.joined_on:
            errors["left_on"] = "脱退日は加入日より後の日付にしてください。"
        if errors:
            raise ValidationError(errors)
