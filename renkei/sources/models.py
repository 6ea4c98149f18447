from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """A printed source records were taken from, e.g. 全国連携NEWS vol.1."""

    slug = models.SlugField(unique=True)
    title = models.CharField(_("題名"), max_length=200)
    publisher = models.CharField(_("発行者"), max_length=200)
    published_on = models.DateField(_("発行日"))
    url = models.URLField(_("掲載先"), blank=True)

    class Meta:
        verbose_name = _("出典")
        verbose_name_plural = _("出典")

    def __str__(self) -> str:
        return self.title


class Erratum(models.Model):
    """A slip in a publication: what it printed, what is right, and where it was printed.

    The record itself holds the corrected value; the printed one is kept here beside it.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="errata")
    location = models.CharField(_("掲載箇所"), max_length=200)
    field = models.CharField(_("項目"), max_length=100)
    printed = models.CharField(_("掲載された値"), max_length=200)
    corrected = models.CharField(_("訂正後の値"), max_length=200)
    reason = models.TextField(_("訂正の根拠"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("正誤")
        verbose_name_plural = _("正誤")
        ordering = ["publication", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "content_type", "object_id", "field"],
                name="one_erratum_per_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.printed} → {self.corrected}"
