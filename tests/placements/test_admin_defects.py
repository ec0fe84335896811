"""The four defects of issue 11, each refused as CSB staff meet it in the admin, and what else they
expect of it: pickers that tell officers apart and offer the batch's municipality only, "View site" to the
portal, links to the dashboard and the batch pages, the sign-in logs in their words."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from participants.models import Officer
from placements.models import Batch, ChecklistCompletion, ExchangeReport, Notice, Placement
from placements.services import batch_save
from tests.factories import (
    BatchFactory,
    ChecklistItemFactory,
    DepartmentFactory,
    ExchangeReportFactory,
    FocusAreaFactory,
    HostAreaFactory,
    HostOrganisationFactory,
    MunicipalityFactory,
    OfficerFactory,
    PlacementFactory,
    ProgrammeFactory,
    RankFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def batch_post(*, programme, city, placements=(), **fields):
    """The batch add form as a browser posts it, with inline placement rows."""
    data = {
        "programme": programme.pk,
        "number": 7,
        "name": "Shenzhen 2027-28",
        "direction": "outbound",
        "status": "planned",
        "host_municipality": city.pk,
        "start_date": "2027-10-04",
        "end_date": "2027-12-31",
        "launch_date": "",
        "notes": "",
        "placements-TOTAL_FORMS": len(placements),
        "placements-INITIAL_FORMS": 0,
        "placements-MIN_NUM_FORMS": 0,
        "placements-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(placements):
        for key, value in {"status": "nominated", "start_date": "", "end_date": "", **row}.items():
            data[f"placements-{index}-{key}"] = value
    data.update(fields)
    return data


def test_defect_1_adding_a_batch_with_an_invalid_inline_placement_is_refused_on_the_row(csb_client):
    city = MunicipalityFactory(name_en="Shenzhen test")
    area = HostAreaFactory(municipality=city, name_en="Qianhai test")
    good, bad = OfficerFactory(name_en="GOOD Officer"), OfficerFactory(name_en="EARLY Officer")
    data = batch_post(
        programme=ProgrammeFactory(),
        city=city,
        host_areas=[area.pk],
        placements=[
            {"officer": good.pk, "host_area": area.pk},
            {"officer": bad.pk, "start_date": "2027-09-01"},
        ],
    )

    response = csb_client.post(reverse("admin:placements_batch_add"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The placement starts on 1 Sep 2027, before its batch starts (4 Oct 2027)." in page
    # Nothing half-saved: neither the batch nor the valid placement.
    assert not Batch.objects.filter(name="Shenzhen 2027-28").exists()
    assert not Placement.objects.exists()
    # Everything typed is kept.
    assert 'value="Shenzhen 2027-28"' in page
    assert 'value="2027-09-01"' in page
    inline = response.context["inline_admin_formsets"][0].formset
    assert inline.forms[1].errors["start_date"]
    assert not inline.forms[0].errors

    data["placements-1-start_date"] = "2027-10-04"
    response = csb_client.post(reverse("admin:placements_batch_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = Batch.objects.get(name="Shenzhen 2027-28")
    assert sorted(batch.placements.values_list("officer__name_en", flat=True)) == [
        "EARLY Officer",
        "GOOD Officer",
    ]
    assert list(batch.host_areas.all()) == [area]


def test_defect_1_a_placement_in_an_area_the_new_batch_lacks_is_refused(csb_client):
    city = MunicipalityFactory()
    area = HostAreaFactory(municipality=city, name_en="Not chosen district")
    data = batch_post(
        programme=ProgrammeFactory(),
        city=city,
        placements=[{"officer": OfficerFactory().pk, "host_area": area.pk}],
    )
    response = csb_client.post(reverse("admin:placements_batch_add"), data)
    assert response.status_code == 200
    assert "Not chosen district is not one of this batch&#x27;s host areas" in response.content.decode()
    assert not Batch.objects.exists() or not Batch.objects.filter(name="Shenzhen 2027-28").exists()


def test_defect_1_the_same_officer_twice_on_a_new_batch_is_refused(csb_client):
    officer = OfficerFactory()
    data = batch_post(
        programme=ProgrammeFactory(),
        city=MunicipalityFactory(),
        placements=[{"officer": officer.pk}, {"officer": officer.pk}],
    )
    response = csb_client.post(reverse("admin:placements_batch_add"), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for officer." in response.content.decode()
    assert not Batch.objects.filter(name="Shenzhen 2027-28").exists()


def test_defect_1_a_refusal_at_save_time_comes_back_on_the_row_with_nothing_saved(csb_client, monkeypatch):
    """What the forms could not see (here: a clash written in between) is refused on the form too."""
    from django.core.exceptions import ValidationError

    from placements import admin as placements_admin

    calls = []

    def refuse(*, placement, **kwargs):
        calls.append(placement)
        raise ValidationError({"start_date": "Refused at save time."})

    monkeypatch.setattr(placements_admin, "placement_save", refuse)
    data = batch_post(
        programme=ProgrammeFactory(),
        city=MunicipalityFactory(),
        placements=[{"officer": OfficerFactory().pk}],
    )
    response = csb_client.post(reverse("admin:placements_batch_add"), data)
    assert response.status_code == 200
    assert "Refused at save time." in response.content.decode()
    assert response.context["inline_admin_formsets"][0].formset.forms[0].errors["start_date"]
    assert not Batch.objects.filter(name="Shenzhen 2027-28").exists()
    assert len(calls) == 1


def first_gba_batch():
    """A batch with two host areas; three placements in one of them (as Qianhai in the first batch)."""
    city = MunicipalityFactory(name_en="Shenzhen GBA")
    futian = HostAreaFactory(municipality=city, name_en="Futian test")
    qianhai = HostAreaFactory(municipality=city, name_en="Qianhai test")
    focus = FocusAreaFactory(name_en="Town planning test")
    batch = BatchFactory(host_municipality=city, host_areas=[futian, qianhai], focus_areas=[focus])
    for name in ("LEUNG Wing-sze", "YEUNG Tsz-him", "TSANG Hiu-tung"):
        placement = PlacementFactory(
            batch=batch, officer=OfficerFactory(name_en=name), host_area=qianhai, host_organisation=None
        )
        placement.focus_areas.set([focus])
    PlacementFactory(
        batch=batch, officer=OfficerFactory(name_en="CHAN Ka-ming"), host_area=futian, host_organisation=None
    )
    return batch, futian, qianhai, focus


def batch_change_post(batch, **changes):
    data = {
        "programme": batch.programme_id,
        "number": batch.number,
        "name": batch.name,
        "direction": batch.direction,
        "status": batch.status,
        "host_municipality": batch.host_municipality_id,
        "host_areas": list(batch.host_areas.values_list("pk", flat=True)),
        "focus_areas": list(batch.focus_areas.values_list("pk", flat=True)),
        "start_date": batch.start_date.isoformat(),
        "end_date": batch.end_date.isoformat(),
        "launch_date": "",
        "notes": "",
        # The inline rows are left out: a management form with no rows changes no placement.
        "placements-TOTAL_FORMS": 0,
        "placements-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_defect_2_removing_a_host_area_its_placements_use_is_refused(csb_client):
    batch, futian, qianhai, _focus = first_gba_batch()
    response = csb_client.post(
        reverse("admin:placements_batch_change", args=[batch.pk]),
        batch_change_post(batch, host_areas=[futian.pk]),
    )
    assert response.status_code == 200
    error = str(response.context["adminform"].form.errors["host_areas"])
    assert (
        "3 placements are in host areas this removes: LEUNG Wing-sze, TSANG Hiu-tung, YEUNG Tsz-him." in error
    )
    assert set(batch.host_areas.all()) == {futian, qianhai}


def test_defect_2_the_service_refuses_what_strands_placements(csb_client):
    from django.core.exceptions import ValidationError

    batch, futian, qianhai, focus = first_gba_batch()
    elsewhere = MunicipalityFactory()
    cases = [
        ({"host_areas": [futian]}, "host_areas"),
        ({"focus_areas": []}, "focus_areas"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            batch_save(batch=Batch.objects.get(pk=batch.pk), **kwargs)
        assert field in refused.value.error_dict
    for change, field in [
        ({"host_municipality": elsewhere}, "host_municipality"),
        ({"start_date": batch.start_date + datetime.timedelta(days=1)}, "start_date"),
        ({"end_date": batch.end_date - datetime.timedelta(days=1)}, "end_date"),
        ({"direction": Batch.Direction.INBOUND}, "direction"),
    ]:
        stored = Batch.objects.get(pk=batch.pk)
        for name, value in change.items():
            setattr(stored, name, value)
        with pytest.raises(ValidationError) as refused:
            batch_save(batch=stored)
        assert "4 placements" in refused.value.message_dict[field][0], field
    assert Batch.objects.get(pk=batch.pk).host_municipality_id == batch.host_municipality_id


def test_defect_2_a_refusal_names_five_and_counts_the_rest():
    from django.core.exceptions import ValidationError

    batch = BatchFactory()
    PlacementFactory.create_batch(7, batch=batch)
    batch.end_date -= datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        batch_save(batch=batch)
    assert "7 placements would end after the batch" in refused.value.message_dict["end_date"][0]
    assert "and 2 more" in refused.value.message_dict["end_date"][0]


def test_defect_2_a_change_that_breaks_nothing_is_saved(csb_client):
    batch, futian, qianhai, focus = first_gba_batch()
    other = FocusAreaFactory()
    response = csb_client.post(
        reverse("admin:placements_batch_change", args=[batch.pk]),
        batch_change_post(
            batch,
            focus_areas=[focus.pk, other.pk],
            end_date=(batch.end_date + datetime.timedelta(days=7)).isoformat(),
        ),
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert set(batch.focus_areas.all()) == {focus, other}


def test_defect_3_a_tick_for_another_batchs_item_is_refused(csb_client):
    placement = PlacementFactory()
    other_item = ChecklistItemFactory()  # of another batch
    response = csb_client.post(
        reverse("admin:placements_checklistcompletion_add"),
        {"placement": placement.pk, "item": other_item.pk},
    )
    assert response.status_code == 200
    assert "This item is not on this placement&#x27;s checklist." in response.content.decode()
    assert not ChecklistCompletion.objects.exists()

    own_item = ChecklistItemFactory(batch=placement.batch)
    response = csb_client.post(
        reverse("admin:placements_checklistcompletion_add"), {"placement": placement.pk, "item": own_item.pk}
    )
    assert response.status_code == 302
    completion = ChecklistCompletion.objects.get()
    assert completion.completed_by.username == "csb-staff"


def test_defect_3_a_tick_cannot_be_edited_only_deleted(csb_client):
    placement = PlacementFactory()
    item = ChecklistItemFactory(batch=placement.batch)
    completion = ChecklistCompletion.objects.create(
        placement=placement, item=item, completed_at=timezone.now()
    )
    other = ChecklistItemFactory()
    url = reverse("admin:placements_checklistcompletion_change", args=[completion.pk])
    assert csb_client.post(url, {"placement": placement.pk, "item": other.pk}).status_code == 403
    completion.refresh_from_db()
    assert completion.item == item
    response = csb_client.post(
        reverse("admin:placements_checklistcompletion_delete", args=[completion.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ChecklistCompletion.objects.exists()


def test_defect_3_a_submitted_report_is_read_only(csb_client):
    report = ExchangeReportFactory(submitted=True)
    url = reverse("admin:placements_exchangereport_change", args=[report.pk])
    page = csb_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = csb_client.post(url, {"learning": "", "connections": "", "goodwill": ""})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.learning and report.connections and report.goodwill
    assert report.status == ExchangeReport.Status.SUBMITTED


def test_defect_3_a_draft_report_is_saved_through_the_service(csb_client):
    report = ExchangeReportFactory()
    url = reverse("admin:placements_exchangereport_change", args=[report.pk])
    data = {
        "learning": "  Revised.  ",
        "connections": "",
        "goodwill": "",
        "highlights": "",
        "suggestions": "",
        "status": "submitted",
    }
    assert csb_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.learning == "Revised."  # report_save strips
    assert report.status == ExchangeReport.Status.DRAFT  # the status is not the admin's to set
    assert report.history.first().history_user.username == "csb-staff"


def test_defect_3_a_notice_added_in_the_admin_is_emailed(csb_client, django_capture_on_commit_callbacks):
    placement = PlacementFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = csb_client.post(
            reverse("admin:placements_notice_add"),
            {
                "officer": placement.officer.pk,
                "placement": placement.pk,
                "message": "Briefing moved to Friday.",
            },
        )
    assert response.status_code == 302
    assert Notice.objects.get().message == "Briefing moved to Friday."
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [placement.officer.email]


def test_defect_3_a_notice_on_another_officers_placement_is_refused(csb_client):
    placement = PlacementFactory()
    response = csb_client.post(
        reverse("admin:placements_notice_add"),
        {"officer": OfficerFactory().pk, "placement": placement.pk, "message": "Hello"},
    )
    assert response.status_code == 200
    assert "This placement is not the officer&#x27;s." in response.content.decode()
    assert not Notice.objects.exists()
    assert mail.outbox == []


def test_officer_picker_tells_namesakes_apart(csb_client):
    for abbreviation, email in [("EPD-T", "a@epd.gov.hk"), ("HYD-T", "b@hyd.gov.hk")]:
        OfficerFactory(
            name_en="CHAN Mei-ling",
            name_zh="陳美玲",
            email=email,
            home_department=DepartmentFactory(abbreviation=abbreviation),
            rank=RankFactory(name_en=f"Senior Officer {abbreviation}"),
        )
    response = csb_client.get(
        reverse("admin:autocomplete"),
        {"term": "CHAN Mei", "app_label": "placements", "model_name": "placement", "field_name": "officer"},
    )
    labels = sorted(result["text"] for result in response.json()["results"])
    assert labels == [
        "CHAN Mei-ling 陳美玲 · EPD-T · Senior Officer EPD-T · a@epd.gov.hk",
        "CHAN Mei-ling 陳美玲 · HYD-T · Senior Officer HYD-T · b@hyd.gov.hk",
    ]
    placement = PlacementFactory(officer=Officer.objects.get(email="a@epd.gov.hk"))
    page = csb_client.get(reverse("admin:placements_placement_change", args=[placement.pk])).content.decode()
    assert "CHAN Mei-ling 陳美玲 · EPD-T · Senior Officer EPD-T · a@epd.gov.hk" in page


def test_host_pickers_offer_the_batchs_municipality_only(csb_client):
    shenzhen, beijing = MunicipalityFactory(), MunicipalityFactory()
    HostAreaFactory(municipality=shenzhen, name_en="Futian picker")
    HostAreaFactory(municipality=beijing, name_en="Xicheng picker")
    HostOrganisationFactory(municipality=beijing, name_en="Beijing picker bureau")
    placement = PlacementFactory(batch=BatchFactory(host_municipality=shenzhen))
    for url in (
        reverse("admin:placements_placement_change", args=[placement.pk]),
        reverse("admin:placements_placement_add") + f"?batch={placement.batch_id}",
        reverse("admin:placements_batch_change", args=[placement.batch_id]),
    ):
        page = csb_client.get(url).content.decode()
        # On the batch page, the placement rows (the batch's own host areas picker lists every city).
        page = page[page.index('id="placements-group"') :] if "batch/" in url else page
        assert "Futian picker" in page, url
        assert "Xicheng picker" not in page and "Beijing picker bureau" not in page, url


def test_view_site_leads_to_the_dashboard_and_the_index_links_the_portal_pages(csb_client):
    page = csb_client.get(reverse("admin:index"))
    assert page.context["site_url"] == reverse("coordination:dashboard")
    html = page.content.decode()
    assert f'href="{reverse("coordination:dashboard")}"' in html
    assert f'href="{reverse("coordination:batch_list")}"' in html
    assert csb_client.get(reverse("coordination:dashboard")).status_code == 200


def test_sign_in_logs_read_in_the_users_language_with_a_short_browser_column(csb_client):
    from axes.models import AccessLog

    agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"
    AccessLog.objects.create(
        username="officer01",
        user_agent=agent,
        ip_address="10.0.0.1",
        http_accept="*/*",
        path_info="/accounts/login/",
    )
    index = csb_client.get(reverse("admin:index")).content.decode()
    assert "Sign-in logs" in index and "Sign-ins" in index and "Axes" not in index
    page = csb_client.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert f'title="{agent}"' in page
    assert f">{agent}<" not in page

    csb_client.post(reverse("set_language"), {"language": "zh-hant", "next": "/admin/"})
    index = csb_client.get(reverse("admin:index")).content.decode()
    assert "登入紀錄" in index
    get_user_model()  # the log keeps user names, not accounts


def test_a_host_area_or_organisation_in_use_stays_where_it_is(csb_client):
    placement = placement_in_area()
    area, host = placement.host_area, placement.host_organisation
    elsewhere = MunicipalityFactory()
    for url, data in (
        (
            reverse("admin:placements_hostarea_change", args=[area.pk]),
            {
                "municipality": elsewhere.pk,
                "name_en": area.name_en,
                "name_zh": area.name_zh,
                "kind": area.kind,
            },
        ),
        (
            reverse("admin:placements_hostorganisation_change", args=[host.pk]),
            {"municipality": elsewhere.pk, "name_en": host.name_en, "name_zh": host.name_zh},
        ),
    ):
        assert csb_client.post(url, data).status_code == 302
    area.refresh_from_db()
    host.refresh_from_db()
    assert area.municipality_id == host.municipality_id == placement.batch.host_municipality_id


def placement_in_area():
    batch = BatchFactory()
    area = HostAreaFactory(municipality=batch.host_municipality)
    batch.host_areas.add(area)
    return PlacementFactory(batch=batch, host_area=area)


def test_a_ticked_item_and_a_ticked_placement_stay_in_their_batch(csb_client):
    from django.core.exceptions import ValidationError

    from placements.services import checklist_item_save

    placement = PlacementFactory()
    item = ChecklistItemFactory(batch=placement.batch)
    ChecklistCompletion.objects.create(placement=placement, item=item, completed_at=timezone.now())
    other = BatchFactory(start_date=placement.batch.start_date, end_date=placement.batch.end_date)

    item.batch = other
    with pytest.raises(ValidationError, match="stays in its batch"):
        checklist_item_save(item=item)

    url = reverse("admin:placements_placement_change", args=[placement.pk])
    response = csb_client.post(
        url,
        {
            "officer": placement.officer_id,
            "batch": other.pk,
            "home_department": placement.home_department_id,
            "host_organisation": "",
            "host_area": "",
            "role": "",
            "host_supervisor": "",
            "start_date": placement.start_date.isoformat(),
            "end_date": placement.end_date.isoformat(),
            "status": placement.status,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["batch"] == [
        "This placement has ticks on its batch&#x27;s checklist: it stays in its batch.".replace(
            "&#x27;", "'"
        )
    ]
    placement.refresh_from_db()
    assert placement.batch_id != other.pk
