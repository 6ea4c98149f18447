from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.models import Kind


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, is_secretariat=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: secretariat staff, or staff of a ward or member municipality.

    Staff belong to one local government; when they leave (人事異動) the account is
    deactivated, never deleted, so what they did stays attributed.
    """

    email = models.EmailField(_("メールアドレス"), unique=True)
    name = models.CharField(_("氏名"), max_length=100)
    department = models.CharField(_("所属部署"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    local_government = models.ForeignKey(
        "municipalities.LocalGovernment",
        verbose_name=_("所属団体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    is_lead = models.BooleanField(_("主担当"), default=False)
    # A ward's disaster officer: mailed at once when the secretariat sets up a disaster HQ.
    is_disaster_contact = models.BooleanField(_("災害時の連絡担当"), default=False)
    is_secretariat = models.BooleanField(_("事務局"), default=False)
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理画面の利用"), default=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)
    removed_at = models.DateTimeField(_("削除日時"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")
        constraints = [
            # One lead contact (主担当) per municipality at a time.
            models.UniqueConstraint(
                fields=["local_government"],
                condition=Q(is_lead=True, is_active=True),
                name="one_lead_per_local_government",
            ),
            models.CheckConstraint(
                condition=Q(is_secretariat=False) | Q(local_government__isnull=True),
                name="secretariat_belongs_to_no_municipality",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    @property
    def is_ward_staff(self) -> bool:
        return self.local_government_id is not None and self.local_government.kind == Kind.SPECIAL_WARD
