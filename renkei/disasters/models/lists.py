from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.Model):
    """A job staff are sent to do (職種): 保健師, 事務職員, 技術職員（土木） … once each (lists.toml;
    the secretariat adds more; an import reads the old names 事務, 土木, 建築 as aliases)."""

    name = models.CharField(_("職種"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("職種")
        verbose_name_plural = _("職種")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """How staff are sent (派遣ルート): 総務省の応急対策職員派遣制度, the 区長会's joint dispatch, a ward's own ties …"""

    name = models.CharField(_("派遣ルート"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("派遣ルート")
        verbose_name_plural = _("派遣ルート")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """A ward's population as a census counted it: the basis of 人口割 shares."""

    local_government = models.OneToOneField("municipalities.LocalGovernment", on_delete=models.PROTECT,
                                            primary_key=True, related_name="+")
    population = models.PositiveIntegerField(_("人口"))
    census = models.CharField(_("調査"), max_length=40)  # 令和2年国勢調査

    class Meta:
        verbose_name = _("人口")
        verbose_name_plural = _("人口")
        ordering = ["local_government_id"]

    def __str__(self) -> str:
        return f"{self.local_government_id} {self.population:,}（{self.census}）"
