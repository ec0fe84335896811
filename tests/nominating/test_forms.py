"""The nominate form's pickers read their options as rows (nominating.forms._RowChoiceIterator): the same
values and labels as Django's ModelChoiceIterator over model instances, in each language."""

import pytest
from django.forms.models import ModelChoiceIterator
from django.utils import translation

from nominating.forms import NominationForm
from participants.models import Officer
from tests.factories import (
    CallFactory,
    DepartmentFactory,
    FocusAreaFactory,
    GradeFactory,
    OfficerFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db


def _as_instances(field):
    """The field's options as ModelChoiceIterator gives them (the instances' labels)."""
    return [(str(value), str(label)) for value, label in ModelChoiceIterator(field)]


@pytest.mark.parametrize("language", ["en", "zh-hant", "zh-hans"])
def test_the_pickers_offer_what_model_instances_would(language):
    x, y = DepartmentFactory(name_zh="甲部門"), DepartmentFactory(name_zh="")
    OfficerFactory(home_department=x)
    OfficerFactory(home_department=x, rank=None, name_zh="")
    OfficerFactory(home_department=y, email="")
    Officer.objects.create(
        name_en="LI Si",
        name_zh="李四",
        email="lisi@example.cn",
        home_side=Officer.HomeSide.MAINLAND,
        mainland_body_en="Shenzhen Municipal Test Bureau",
    )
    RankFactory(grade=GradeFactory(name_zh=""), name_zh="")
    call = CallFactory()
    call.batch.focus_areas.add(FocusAreaFactory(), FocusAreaFactory(name_zh=""))
    with translation.override(language):
        form = NominationForm(
            call=call, departments=[x, y], officers=Officer.objects.order_by("name_en", "pk")
        )
        for name in ("department", "officer", "new_rank", "focus_areas"):
            field = form.fields[name]
            rows = [(str(value), str(label)) for value, label in field.widget.choices]
            assert rows == _as_instances(field), name
            assert len(rows) >= 2
