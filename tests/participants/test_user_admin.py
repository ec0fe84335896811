"""The user admin's permissions picker (participants.admin.PermissionsField) lists every permission with
Django's own labels, in every language, for less."""

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.utils import translation

from participants.admin import PermissionsField

LANGUAGES = ["en", "zh-hant", "zh-hans"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_permissions_picker_lists_every_permission_as_django_labels_it(language):
    queryset = Permission.objects.select_related("content_type")
    ours = PermissionsField(queryset=queryset)
    django = forms.ModelMultipleChoiceField(queryset=queryset)
    chosen = list(Permission.objects.values_list("pk", flat=True)[:3])
    with translation.override(language):
        assert [(str(value), label) for value, label in ours.choices] == [
            (str(permission.pk), str(permission)) for permission in queryset
        ]
        assert len(list(ours.choices)) == Permission.objects.count()
        mine = ours.widget.render("user_permissions", chosen)
        assert mine == django.widget.render("user_permissions", chosen)


@pytest.mark.django_db
def test_the_user_form_shows_every_permission_and_saves_them(admin_client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="x")
    permission = Permission.objects.get(codename="view_batch")
    html = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert html.count("<option value=") >= Permission.objects.count()
    data = {
        "username": "someone",
        "is_active": "on",
        "user_permissions": [permission.pk],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "10:00:00",
    }
    response = admin_client.post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302
    assert list(user.user_permissions.all()) == [permission]
