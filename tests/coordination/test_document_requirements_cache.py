"""The empty form to ask for a document (coordination.views.batch_document_requirements_view) is rendered
once per batch and language under the figures version: a new checklist item shows in its picker on the
next view, another batch gets its own form, and a form with errors is never cached."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import BatchFactory, ChecklistItemFactory, CoordinatorUserFactory

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _page(client, batch):
    response = client.get(reverse("coordination:batch_document_requirements", args=[batch.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_is_the_batchs_own_and_fresh_after_a_new_item():
    coordinator = CoordinatorUserFactory()
    batch, other = BatchFactory(coordinators=[coordinator]), BatchFactory(coordinators=[coordinator])
    ChecklistItemFactory(batch=batch, title="Book the coach")
    ChecklistItemFactory(batch=other, title="Renew the permit")
    client = _client(coordinator)
    page = _page(client, batch)
    assert "Book the coach" in page and "Renew the permit" not in page
    assert "Renew the permit" in _page(client, other) and "Book the coach" not in _page(client, other)
    ChecklistItemFactory(batch=batch, title="Hand in the visa")
    assert "Hand in the visa" in _page(client, batch)


def test_each_language_has_its_own():
    coordinator = CoordinatorUserFactory()
    batch = BatchFactory(coordinators=[coordinator])
    client = _client(coordinator)
    english = _page(client, batch)
    assert "File types accepted" in english
    client.cookies["django_language"] = "zh-hant"
    assert "File types accepted" not in _page(client, batch)


def test_a_form_with_errors_is_shown_and_not_kept():
    coordinator = CoordinatorUserFactory()
    batch = BatchFactory(coordinators=[coordinator])
    client = _client(coordinator)
    _page(client, batch)
    url = reverse("coordination:batch_document_requirements", args=[batch.pk])
    response = client.post(url, {"name_en": "", "applies_to": "all", "order": 1})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert "is-invalid" not in _page(client, batch)
