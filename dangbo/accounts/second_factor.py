"""The optional second factor of administrators: a TOTP device (django-otp).

An account has at most one TOTP device. Enrolment creates it unconfirmed and shows its key
as a QR code; the first right code confirms it. From then on the account must give a code
after its password (`dangbo.web.accounts.middleware.SecondFactorRequired`). An
administrator whose phone is lost has the device removed by another administrator over
their scope (`totp_remove`), then enrols again.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangbo.accounts.permissions import Action
from dangbo.accounts.scope import can
from dangbo.core.errors import InvalidInput
from dangbo.core.services import audit

DEVICE_NAME = "Ứng dụng xác thực"
#: the session key marking a session whose second factor is still owed
PENDING_KEY = "dangbo_second_factor_pending"


def ask_second_factor(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """On sign-in: mark the session when the account must still give its TOTP code."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if totp_device(user) is not None and can(user, Action.MANAGE_ACCOUNTS):
        session[PENDING_KEY] = True
    else:
        session.pop(PENDING_KEY, None)


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    """The account's device (`confirmed=None`: confirmed or not), or None."""
    devices = TOTPDevice.objects.filter(user_id=user.pk)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def totp_enrol_start(*, user: Any) -> TOTPDevice:
    """The unconfirmed device to scan, created the first time (a new key each time the
    account starts over after a removal).

    Refuses an account that already has a confirmed device.
    """
    with transaction.atomic():
        if totp_device(user):
            raise InvalidInput("Tài khoản đã bật xác thực hai bước.", field="token")
        device = totp_device(user, confirmed=False)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        return device


def totp_enrol_confirm(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the account's unconfirmed device with a code it shows; audited.

    A wrong code (or none pending) is refused on the field `token`; nothing is confirmed.
    """
    with transaction.atomic():
        device = totp_device(user, confirmed=False)
        if device is None:
            raise InvalidInput("Chưa bắt đầu bật xác thực hai bước.", field="token")
    # verify_token writes the throttling counters even when it refuses, so it runs in a
    # transaction of its own that the refusal does not roll back
    if not _verify(device, token):
        raise InvalidInput("Mã xác thực không đúng hoặc đã hết hạn.", field="token")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit(
            actor=user.get_username(),
            action="totp_enrol",
            obj=user,
            before={"xac_thuc_hai_buoc": False},
            after={"xac_thuc_hai_buoc": True},
        )
    return device


def totp_check(*, user: Any, token: str) -> TOTPDevice:
    """The account's confirmed device if `token` is its current code; refuse otherwise."""
    device = totp_device(user)
    if device is None or not _verify(device, token):
        raise InvalidInput("Mã xác thực không đúng hoặc đã hết hạn.", field="token")
    return device


def totp_remove(*, actor: str, account: Any) -> None:
    """Remove the account's devices (lost phone); audited. Nothing to remove is refused."""
    with transaction.atomic():
        devices = TOTPDevice.objects.filter(user_id=account.pk)
        if not devices.filter(confirmed=True).exists():
            raise InvalidInput("Tài khoản chưa bật xác thực hai bước.")
        devices.delete()
        audit(
            actor=actor,
            action="totp_remove",
            obj=account,
            before={"xac_thuc_hai_buoc": True},
            after={"xac_thuc_hai_buoc": False},
        )


def _verify(device: TOTPDevice, token: str) -> bool:
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return False
    with transaction.atomic():
        return bool(device.verify_token(token))


def qr_svg(device: TOTPDevice) -> str:
    """The device's key as an inline SVG QR code (no file, no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    text = out.getvalue().decode()
    # drop the XML declaration: the SVG goes inside the page
    return text[text.index("<svg") :]
