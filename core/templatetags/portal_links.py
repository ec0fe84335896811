"""Links the templates build from plain values."""

import re

from django import template

register = template.Library()


@register.filter
def tel_uri(number):
    """A phone number as written ("+852 9123 4567", "0755-8888 8888") as what a `tel:` link dials: the
    digits, with a leading plus kept."""
    number = str(number or "").strip()
    digits = re.sub(r"\D", "", number)
    return f"+{digits}" if number.startswith("+") and digits else digits
