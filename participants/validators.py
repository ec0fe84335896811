import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Hong Kong numbers have 8 digits (mobile 4-9, fixed 2-3); Mainland mobiles 11 digits starting 1,
# Mainland fixed lines an area code and a number (e.g. 0755-8888 8888).
_HONG_KONG = re.compile(r"^(?:\+?852)?[2-9]\d{7}$")
_MAINLAND_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_MAINLAND_FIXED = re.compile(r"^(?:\+?86)?0?[1-9]\d{1,2}\d{7,8}$")


def normalise_phone(value):
    """The number without spaces, hyphens, dots or brackets, keeping a leading '+'."""
    return re.sub(r"[\s\-().]", "", value or "")


def validate_phone(value):
    """Accept Hong Kong or Mainland numbers, written the ways people write them."""
    digits = normalise_phone(value)
    if not digits:
        return
    if _HONG_KONG.match(digits) or _MAINLAND_MOBILE.match(digits) or _MAINLAND_FIXED.match(digits):
        return
    raise ValidationError(
        _(
            "“%(value)s” is not a Hong Kong or Mainland phone number. Use 8 digits for Hong Kong "
            "(e.g. +852 2810 2000) or 11 digits for a Mainland mobile (e.g. +86 138 0013 8000)."
        ),
        code="invalid_phone",
        params={"value": value},
    )
