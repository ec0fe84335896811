"""The `tel_uri` filter: what a contact sheet's `tel:` links dial."""

import pytest

from core.templatetags.portal_links import tel_uri


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("+852 9123 4567", "+85291234567"),
        ("2810 2000", "28102000"),
        ("0755-8888 8888", "075588888888"),
        ("(852) 2810-2000", "85228102000"),
        ("", ""),
        (None, ""),
    ],
)
def test_tel_uri_keeps_the_digits_and_a_leading_plus(written, dialled):
    assert tel_uri(written) == dialled
