"""core.admin.QuickChangelistMixin writes each row's selection checkbox itself: the same markup as
Django's own `action_checkbox`, which renders a form widget per row."""

import pytest
from django.contrib import admin

from participants.models import Grade
from tests.factories import GradeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_checkbox_is_djangos(language):
    from django.utils import translation

    grade = GradeFactory(name_en='Officer <b>"&')
    ours = admin.site._registry[Grade]
    theirs = admin.ModelAdmin(Grade, admin.site)
    with translation.override(language):
        assert ours.action_checkbox(grade) == theirs.action_checkbox(grade)
