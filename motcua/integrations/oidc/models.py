"""OpenID Connect: who signed in through which provider, the nonces already spent, and the
grants of the local development provider."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.org.models import User


class Identity(models.Model):
    """A person known to an OpenID provider (issuer + subject) and the account it signs in to."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("danh tính điện tử")
        verbose_name_plural = _("danh tính điện tử")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class UsedNonce(models.Model):
    """A nonce an ID token has already been accepted with: a second token with it is a replay."""

    nonce = models.CharField(max_length=128, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.nonce


class DevGrant(models.Model):
    """One authorization of the local development provider: the code, then the access token."""

    code = models.CharField(max_length=64, unique=True)
    client_id = models.CharField(max_length=128)
    redirect_uri = models.CharField(max_length=500)
    code_challenge = models.CharField(max_length=128)
    nonce = models.CharField(max_length=128, blank=True)
    scope = models.CharField(max_length=255, blank=True)
    claims = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    code_used_at = models.DateTimeField(null=True, blank=True)
    access_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    access_expires_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.claims.get('sub', '')} ({self.created_at:%d/%m/%Y %H:%M})"
