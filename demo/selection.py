"""The selection for the 2027 Guangzhou batch: CSB's open call inviting five departments, nominating
officers for three of them, a host coordinator for two Guangzhou host organisations, and nominations in
every state: awaiting consent, consent refused, withdrawn, shortlisted, reserve, not selected, selected
and awaiting the host, selected with a change asked of CSB, and one the host has confirmed.

The call's dates are set around the day the demo is first loaded, so the call is open straight after
`make run`. Written through the services that exist (the call's saving and opening, CSB's decisions,
the host's answers, the liaisons' profiles, officer_save) and otherwise (the departments' nominations and
one withdrawal) through the ORM with full_clean. Loading twice changes nothing: once the call exists, it
and everything under it are left as they are."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.roles import HOST_COORDINATOR, NOMINATING_OFFICER
from participants.models import Department, Officer, Rank
from placements.models import Batch, FocusArea, HostOrganisation, Municipality, Placement
from selection.models import Call, HostCoordinator, NominatingOfficer, Nomination
from selection.services.calls import call_open, call_save
from selection.services.decisions import (
    nomination_decline,
    nomination_reserve,
    nomination_select,
    nomination_shortlist,
)
from selection.services.hosting import (
    host_change_request_create,
    host_coordinator_save,
    nominating_officer_save,
    placement_host_accept,
)

NANSHA = "Nansha District People's Government"
SCITECH = "Science and Technology Bureau of Guangzhou Municipality"
SCITECH_ZH = "廣州市科學技術局"

# (username, surname, given name, post, department abbreviations, language for e-mails)
NOMINATORS = [
    ("nominator.hyd", "Lee", "Wai-ling", "Departmental Secretary", ["HyD"], "en"),
    ("nominator.itc", "Cheng", "Ka-wing", "Senior Executive Officer (Human Resources)", ["ITC"], "zh-hant"),
    ("nominator.pland", "Yuen", "Siu-kei", "Departmental Secretary", ["PlanD"], "en"),
]
HOST_ACCOUNT = ("host.guangzhou", "LIANG Hong", "梁紅", "Section Chief, Cadre Exchange Office", "zh-hans")

# Department → quota. DEVB and EPD have no nominating officer in the portal yet: their nominations came
# by the nominations import and from CSB.
INVITATIONS = {"HyD": 3, "ITC": 3, "PlanD": 2, "DEVB": 2, "EPD": 1}
HOST_PLACES = {NANSHA: 3, SCITECH: 3}

S, N = Nomination.Status, Nomination.Consent
# New fictional officers: (e-mail, English, Chinese, department, rank, post title)
NEW_OFFICERS = [
    (
        "hytsang@hyd.gov.hk",
        "TSANG Ho-yin",
        "曾浩賢",
        "HyD",
        "Senior Engineer",
        "Senior Engineer (Smart Mobility)",
    ),
    (
        "wykwok@hyd.gov.hk",
        "KWOK Wing-yan",
        "郭詠欣",
        "HyD",
        "Engineer",
        "Engineer (Bridges and Structures) 3",
    ),
    (
        "clfung@itc.gov.hk",
        "FUNG Cheuk-lam",
        "馮卓琳",
        "ITC",
        "Senior Engineer",
        "Senior Engineer (Research Centres)",
    ),
    ("tcmak@itc.gov.hk", "MAK Tsz-ching", "麥芷晴", "ITC", "Engineer", "Engineer (Technology Parks) 2"),
    (
        "kwlo@pland.gov.hk",
        "LO Ka-wai",
        "盧家偉",
        "PlanD",
        "Senior Town Planner",
        "Senior Town Planner (Port Areas)",
    ),
    (
        "htsiu@pland.gov.hk",
        "SIU Hoi-ting",
        "蕭凱婷",
        "PlanD",
        "Town Planner",
        "Town Planner (Sub-regional) 4",
    ),
    (
        "ckyip@devb.gov.hk",
        "YIP Chun-kit",
        "葉俊傑",
        "DEVB",
        "Administrative Officer",
        "Assistant Secretary (Works) 2",
    ),
    (
        "mychoi@epd.gov.hk",
        "CHOI Man-yee",
        "蔡敏儀",
        "EPD",
        "Senior Environmental Protection Officer",
        "Senior Environmental Protection Officer (Cross-boundary) 1",
    ),
]

# (officer by e-mail, department ranking, status, consent, source, focus areas, host organisation)
NOMINATIONS = [
    ("hytsang@hyd.gov.hk", 1, S.SELECTED, N.GIVEN, "portal", ["Technology development"], SCITECH),
    ("ckcheung@hyd.gov.hk", 2, S.NOMINATED, N.PENDING, "portal", ["Town planning"], None),
    ("wykwok@hyd.gov.hk", 3, S.RESERVE, N.GIVEN, "portal", ["Town planning"], None),
    ("mkho@itc.gov.hk", 1, S.SELECTED, N.GIVEN, "portal", ["Technology development"], NANSHA),
    ("clfung@itc.gov.hk", 2, S.SHORTLISTED, N.GIVEN, "portal", ["Technology development"], None),
    ("tcmak@itc.gov.hk", 3, S.WITHDRAWN, N.PENDING, "portal", ["Technology development"], None),
    ("kwlo@pland.gov.hk", 1, S.SELECTED, N.GIVEN, "portal", ["Town planning"], NANSHA),
    ("htsiu@pland.gov.hk", 2, S.DECLINED, N.GIVEN, "portal", ["Town planning"], None),
    ("wsleung@devb.gov.hk", 1, S.SELECTED, N.GIVEN, "import", ["Town planning"], NANSHA),
    ("ckyip@devb.gov.hk", 2, S.NOMINATED, N.REFUSED, "import", ["Town planning"], None),
    ("mychoi@epd.gov.hk", 1, S.NOMINATED, N.GIVEN, "admin", ["Technology development"], None),
]

STATEMENTS = {
    "hytsang@hyd.gov.hk": "Leads the department's smart mobility pilots; Guangzhou's vehicle-road projects "
    "are the closest match in the Greater Bay Area.",
    "kwlo@pland.gov.hk": "Plans the port back-up areas; Nansha's port and logistics planning is the "
    "counterpart of his work.",
}
DECLINED_REASON = (
    "Two town planners were nominated for one planning place at the host; the department's first choice "
    "was selected."
)
CHANGE_REASON = (
    "Nansha's planning bureau takes attached officers from April only this year. Could Mr LO join the "
    "Science and Technology Bureau's innovation parks team instead, or start in the batch's last month?"
)


def load_selection(demo):
    """Add the 2027 Guangzhou batch's selection to the demo (`demo` is demo.first_batch.Demo)."""
    batch = Batch.objects.get(programme__short_name="GBA", direction=Batch.Direction.OUTBOUND, number=2)
    hosts = _hosts(batch)
    _nominators(demo)
    host_user = _host_coordinator(demo, hosts)
    if Call.objects.filter(batch=batch).exists():
        return
    with transaction.atomic():
        call = _call(demo, batch, hosts)
        _nominations(demo, call, hosts, host_user)
    demo.log("Selection demo: the 2027 Guangzhou batch's call, its nominations and the host's answers.")


def _full_save(row):
    row.full_clean()
    row.save()
    return row


def _hosts(batch):
    guangzhou = Municipality.objects.get(name_en="Guangzhou")
    HostOrganisation.objects.get_or_create(
        municipality=guangzhou, name_en=SCITECH, defaults={"name_zh": SCITECH_ZH}
    )
    return {
        host.name_en: host
        for host in HostOrganisation.objects.filter(
            municipality=batch.host_municipality, name_en__in=HOST_PLACES
        )
    }


def _nominators(demo):
    for username, surname, given, post, departments, language in NOMINATORS:
        user = demo.user(
            username,
            first_name=given,
            last_name=surname,
            email=f"{username.replace('.', '_')}@{departments[0].lower()}.gov.hk",
            role=NOMINATING_OFFICER,
        )
        if not NominatingOfficer.objects.filter(user=user).exists():
            nominating_officer_save(
                nominating_officer=NominatingOfficer(
                    user=user,
                    name=f"{surname.upper()} {given}",
                    post=post,
                    email=user.email,
                    preferred_language=language,
                ),
                departments=list(Department.objects.filter(abbreviation__in=departments)),
            )


def _host_coordinator(demo, hosts):
    username, name, name_zh, post, language = HOST_ACCOUNT
    user = demo.user(
        username,
        first_name=name.split()[1],
        last_name=name.split()[0].capitalize(),
        email="liang.hong@gz.gov.cn",
        role=HOST_COORDINATOR,
    )
    if not HostCoordinator.objects.filter(user=user).exists():
        host_coordinator_save(
            coordinator=HostCoordinator(
                user=user, name=f"{name} {name_zh}", post=post, email=user.email, preferred_language=language
            ),
            host_organisations=list(hosts.values()),
        )
    return user


def _call(demo, batch, hosts):
    """The call, saved and opened through CSB's services (opening e-mails the nominating officers)."""
    today = timezone.localdate()
    call = call_save(
        call=Call(
            batch=batch,
            places=6,
            eligibility_en="Middle and senior officers: Engineer, Town Planner, Administrative Officer "
            "and equivalent ranks",
            eligibility_zh="中層及高層人員：工程師、城市規劃師、政務主任及同等職級",
            opens_on=today - datetime.timedelta(days=14),
            closes_on=today + datetime.timedelta(days=21),
            notes_en="Nominate officers whose work matches Guangzhou's technology development or town "
            "planning. Each nominee confirms their consent on their own portal page.",
            notes_zh="請提名工作與廣州科技發展或城市規劃相關的人員。獲提名人員須在其入口網頁確認同意。",
        ),
        invitations=[
            (Department.objects.get(abbreviation=abbreviation), quota)
            for abbreviation, quota in INVITATIONS.items()
        ],
        host_places=[(hosts[name], places) for name, places in HOST_PLACES.items()],
    )
    return call_open(call=call, actor=demo.users["csb"])


def _officer(demo, email):
    """A new fictional officer of NEW_OFFICERS, or one already in the demo (officer02, 05, 06)."""
    for number, (new_email, name_en, name_zh, department, rank, post) in enumerate(NEW_OFFICERS):
        if new_email == email:
            return demo.officer(
                email=email,
                name_en=name_en,
                name_zh=name_zh,
                post_title=post,
                home_side=Officer.HomeSide.HONG_KONG,
                home_department=Department.objects.get(abbreviation=department),
                rank=Rank.objects.get(name_en=rank),
                phone=f"+852 2810 {4001 + number}",
            )
    return Officer.objects.get(email__iexact=email)


def _nominations(demo, call, hosts, host_user):
    """Each nomination as a department enters it (the ORM: the departments' services are another
    module's), then CSB's decision through the decision services; the two officers already placed in the
    batch (officer02, officer06) have their selection linked to that placement."""
    csb = demo.users["csb"]
    now = timezone.now()
    for email, ranking, status, consent, source, focus_names, host_name in NOMINATIONS:
        officer = _officer(demo, email)
        department = officer.home_department
        nominator = NominatingOfficer.objects.filter(departments=department).first()
        nomination = _full_save(
            Nomination(
                call=call,
                officer=officer,
                department=department,
                nominated_by=nominator.user if nominator else csb,
                source=source,
                statement=STATEMENTS.get(
                    email, "Brings the department's cross-boundary experience to the host."
                ),
                department_ranking=ranking,
                endorsed_by_name="WONG Chi-hang (fictional)",
                endorsed_by_post=f"Deputy Head, {department.abbreviation}",
                endorsed_on=call.opens_on + datetime.timedelta(days=3),
                consent=consent,
                consent_at=None if consent == N.PENDING else now - datetime.timedelta(days=8),
            )
        )
        nomination.focus_areas.set(FocusArea.objects.filter(name_en__in=focus_names))
        _decide(nomination, status, host=hosts.get(host_name), actor=csb, now=now)
    _host_answers(call, host_user)


def _decide(nomination, status, *, host, actor, now):
    if status == S.SHORTLISTED:
        nomination_shortlist(nomination=nomination, actor=actor)
    elif status == S.RESERVE:
        nomination_reserve(nomination=nomination, actor=actor)
    elif status == S.DECLINED:
        nomination_decline(nomination=nomination, actor=actor, reason=DECLINED_REASON)
    elif status == S.WITHDRAWN:
        nomination.status, nomination.withdrawn_at = S.WITHDRAWN, now - datetime.timedelta(days=5)
        _full_save(nomination)
    elif status == S.SELECTED:
        placed = Placement.objects.filter(officer=nomination.officer, batch=nomination.call.batch).first()
        if placed is None:
            nomination_select(nomination=nomination, actor=actor, host_organisation=host)
        else:
            nomination.status, nomination.placement = S.SELECTED, placed
            nomination.proposed_host_organisation = host
            nomination.decided_by, nomination.decided_at = actor, now
            _full_save(nomination)


def _host_answers(call, host_user):
    """The host has confirmed TSANG Ho-yin and asked CSB for a change for LO Ka-wai; officer02 and
    officer06 await the host's answer."""
    selected = {n.officer.email: n.placement for n in call.nominations.filter(status=S.SELECTED)}
    placement_host_accept(
        placement=selected["hytsang@hyd.gov.hk"],
        actor=host_user,
        role="Attached officer, intelligent transport projects",
        role_zh="掛職人員（智能交通項目）",
        host_supervisor="CHEN Li, Deputy Director, High-tech Industries Division (fictional)",
    )
    host_change_request_create(placement=selected["kwlo@pland.gov.hk"], actor=host_user, reason=CHANGE_REASON)
