"""The demo: the first GBA batch as the press release of 18 December 2023 describes it, the older two-way
programme, login accounts for every role, and an optional synthetic batch for scale tests.

The press release does not name the participants: every officer here is fictional and says so in
their notes. Loading twice changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from core.roles import COORDINATOR, CSB_STAFF, PARTICIPANT
from participants.models import Department, Officer, Rank
from participants.services import officer_save
from placements.models import Batch, FocusArea, HostArea, HostOrganisation, Municipality, Placement, Programme
from placements.services import batch_save, placement_save

from .documents import load_documents
from .history import load_history
from .portal import load_portal
from .selection import load_selection

FICTIONAL = "Fictional officer for the demo: the press release does not name the participants."
D = datetime.date

HOSTS = [
    # (municipality, area or None, English, Chinese, abbreviation, HK department abbreviation)
    ("Shenzhen", "Futian", "Futian District People's Government", "福田區人民政府", "", None),
    (
        "Shenzhen",
        "Futian",
        "Shenzhen Park Development Bureau, Hetao Shenzhen-Hong Kong Science and Technology Innovation "
        "Cooperation Zone",
        "河套深港科技創新合作區深圳園區發展署",
        "Hetao",
        None,
    ),
    (
        "Shenzhen",
        "Qianhai",
        "Authority of Qianhai Shenzhen-Hong Kong Modern Service Industry Cooperation Zone of Shenzhen",
        "深圳市前海深港現代服務業合作區管理局",
        "Qianhai Authority",
        None,
    ),
    ("Shenzhen", None, "Shenzhen Municipal Ecology and Environment Bureau", "深圳市生態環境局", "", None),
    (
        "Shenzhen",
        "Futian",
        "Shenzhen Municipal Transport Bureau (Futian office)",
        "深圳市交通運輸局福田管理局",
        "",
        None,
    ),
    (
        "Shanghai",
        None,
        "Shanghai Municipal Development and Reform Commission",
        "上海市發展和改革委員會",
        "",
        None,
    ),
    ("Guangzhou", "Nansha", "Nansha District People's Government", "南沙區人民政府", "", None),
    ("Hong Kong", None, "Constitutional and Mainland Affairs Bureau", "政制及內地事務局", "CMAB", "CMAB"),
    ("Hong Kong", None, "Digital Policy Office", "數字政策辦公室", "DPO", "DPO"),
    ("Hong Kong", None, "Innovation and Technology Commission", "創新科技署", "ITC", "ITC"),
    ("Hong Kong", None, "Planning Department", "規劃署", "PlanD", "PlanD"),
    ("Hong Kong", None, "Environmental Protection Department", "環境保護署", "EPD", "EPD"),
]

# (account, English name, Chinese name, e-mail, department, rank, post title)
FIRST_BATCH_OFFICERS = [
    (
        "officer01",
        "CHAN Ka-ming",
        "陳家明",
        "kmchan@cmab.gov.hk",
        "CMAB",
        "Senior Administrative Officer",
        "Principal Assistant Secretary (Mainland) 1",
    ),
    (
        "officer02",
        "LEUNG Wing-sze",
        "梁詠詩",
        "wsleung@devb.gov.hk",
        "DEVB",
        "Administrative Officer",
        "Assistant Secretary (Planning and Lands) 3",
    ),
    (
        "officer03",
        "WONG Siu-fung",
        "黃兆豐",
        "sfwong@csb.gov.hk",
        "CSB",
        "Senior Executive Officer",
        "Senior Executive Officer (Training)",
    ),
    (
        "officer04",
        "LAM Hoi-yan",
        "林凱欣",
        "hylam@epd.gov.hk",
        "EPD",
        "Senior Environmental Protection Officer",
        "Senior Environmental Protection Officer (Air Policy) 2",
    ),
    (
        "officer05",
        "CHEUNG Chi-keung",
        "張志強",
        "ckcheung@hyd.gov.hk",
        "HyD",
        "Senior Engineer",
        "Senior Engineer (Cross-boundary Infrastructure)",
    ),
    (
        "officer06",
        "HO Man-kit",
        "何文傑",
        "mkho@itc.gov.hk",
        "ITC",
        "Senior Engineer",
        "Senior Engineer (Innovation and Technology Infrastructure)",
    ),
    (
        "officer07",
        "NG Pui-shan",
        "吳佩珊",
        "psng@dpo.gov.hk",
        "DPO",
        "Senior Systems Manager",
        "Senior Systems Manager (Smart Government)",
    ),
    (
        "officer08",
        "YEUNG Tsz-him",
        "楊子謙",
        "thyeung@pland.gov.hk",
        "PlanD",
        "Senior Town Planner",
        "Senior Town Planner (Cross-boundary Planning)",
    ),
    (
        "officer09",
        "TSANG Hiu-tung",
        "曾曉彤",
        "httsang@pland.gov.hk",
        "PlanD",
        "Town Planner",
        "Town Planner (Northern Metropolis) 2",
    ),
    (
        "officer10",
        "LI Chun-wai",
        "李俊偉",
        "cwli@td.gov.hk",
        "TD",
        "Senior Engineer",
        "Senior Engineer (Boundary Transport)",
    ),
]

# The details each officer keeps current on My details, for the contact sheet: (mobile, emergency contact,
# relationship, their phone, dietary or access needs). officer09 has not given them: the contact sheet
# shows the gap, and their "Give an emergency contact" item stays unticked.
CONTACTS = {
    "officer01": ("+852 9123 4501", "CHAN Mei-ling", "Spouse", "+852 9876 5401", ""),
    "officer02": ("+852 9123 4502", "LEUNG Kwok-wah", "Father", "+852 9876 5402", "Vegetarian"),
    "officer03": ("+852 9123 4503", "WONG Lai-kuen", "Mother", "+852 9876 5403", ""),
    "officer04": ("+852 9123 4504", "LAM Chi-ho", "Spouse", "+852 9876 5404", "Allergic to peanuts"),
    "officer05": ("+852 9123 4505", "CHEUNG Siu-ying", "Spouse", "+852 9876 5405", ""),
    "officer06": ("+852 9123 4506", "HO Ka-yan", "Sister", "+852 9876 5406", ""),
    "officer07": ("+852 9123 4507", "NG Wai-man", "Brother", "+852 9876 5407", "No pork"),
    "officer08": ("+852 9123 4508", "YEUNG Suk-fan", "Spouse", "+852 9876 5408", ""),
    "officer10": (
        "+852 9123 4510",
        "LI Mei-kuen",
        "Spouse",
        "+852 9876 5410",
        "Uses a walking stick on long site visits: step-free access where possible",
    ),
}

# Host supervisors (fictional, like the officers), by host organisation.
SUPERVISORS = {
    "Futian District People's Government": "ZHOU Min, Deputy Director, District Office (fictional)",
    HOSTS[1][2]: "HUANG Tao, Division Head, Innovation Platforms (fictional)",
    HOSTS[2][2]: "LIN Jie, Deputy Director, Planning and Land (fictional)",
    "Shenzhen Municipal Ecology and Environment Bureau": "XU Ying, Division Head, Air Quality (fictional)",
    "Shenzhen Municipal Transport Bureau (Futian office)": "GUO Qiang, Deputy Head (fictional)",
}

# Roles at the host in Chinese (Traditional, as Hong Kong writes them), by the English role.
ROLES_ZH = {
    "Special assistant to a deputy district head": "副區長特別助理",
    "Policy research officer": "政策研究人員",
    "Attached officer, district administration office": "掛職人員（區政府辦公室）",
    "Attached officer, air quality management": "掛職人員（大氣環境管理）",
    "Attached officer, road and cross-boundary infrastructure": "掛職人員（道路及跨境基建）",
    "Attached officer, innovation platforms": "掛職人員（創新平台）",
    "Attached officer, smart city projects": "掛職人員（智慧城市項目）",
    "Special assistant to a deputy director": "副局長特別助理",
    "Attached officer, planning and land": "掛職人員（規劃及土地）",
    "Attached officer, traffic management": "掛職人員（交通管理）",
    "Attached officer": "掛職人員",
}

# account -> (host organisation English name, area, focus areas, role at host)
FIRST_BATCH_PLACEMENTS = {
    "officer01": (
        "Futian District People's Government",
        "Futian",
        ["District management"],
        "Special assistant to a deputy district head",
    ),
    "officer02": (
        HOSTS[2][2],
        "Qianhai",
        ["Town planning", "District management"],
        "Policy research officer",
    ),
    "officer03": (
        "Futian District People's Government",
        "Futian",
        ["District management"],
        "Attached officer, district administration office",
    ),
    "officer04": (
        "Shenzhen Municipal Ecology and Environment Bureau",
        "Futian",
        ["Environmental protection"],
        "Attached officer, air quality management",
    ),
    "officer05": (
        "Shenzhen Municipal Transport Bureau (Futian office)",
        "Futian",
        ["Transportation"],
        "Attached officer, road and cross-boundary infrastructure",
    ),
    "officer06": (
        HOSTS[1][2],
        "Futian",
        ["Technology development"],
        "Attached officer, innovation platforms",
    ),
    "officer07": (HOSTS[1][2], "Futian", ["Technology development"], "Attached officer, smart city projects"),
    "officer08": (HOSTS[2][2], "Qianhai", ["Town planning"], "Special assistant to a deputy director"),
    "officer09": (HOSTS[2][2], "Qianhai", ["Town planning"], "Attached officer, planning and land"),
    "officer10": (
        "Shenzhen Municipal Transport Bureau (Futian office)",
        "Futian",
        ["Transportation"],
        "Attached officer, traffic management",
    ),
}

# Mainland officers of the inbound batch: (English, Chinese, e-mail, home body, Chinese, HK host abbreviation)
INBOUND_OFFICERS = [
    (
        "ZHANG Wei",
        "張偉",
        "zhang.wei@sz.gov.cn",
        "Shenzhen Municipal Development and Reform Commission",
        "深圳市發展和改革委員會",
        "CMAB",
    ),
    (
        "LIU Yang",
        "劉洋",
        "liu.yang@sz.gov.cn",
        "Shenzhen Municipal Government Services and Data Administration",
        "深圳市政務服務和數據管理局",
        "DPO",
    ),
    (
        "CHEN Jing",
        "陳靜",
        "chen.jing@gz.gov.cn",
        "Guangzhou Municipal Science and Technology Bureau",
        "廣州市科學技術局",
        "ITC",
    ),
    (
        "WANG Fang",
        "王芳",
        "wang.fang@bj.gov.cn",
        "Beijing Municipal Commission of Planning and Natural Resources",
        "北京市規劃和自然資源委員會",
        "PlanD",
    ),
    (
        "ZHAO Lei",
        "趙磊",
        "zhao.lei@sh.gov.cn",
        "Shanghai Municipal Bureau of Ecology and Environment",
        "上海市生態環境局",
        "EPD",
    ),
    (
        "SUN Min",
        "孫敏",
        "sun.min@hz.gov.cn",
        "Hangzhou Municipal Data Resources Bureau",
        "杭州市數據資源管理局",
        "DPO",
    ),
]

ACCOUNTS = [
    # (username, first name, last name, role)
    # Fictional people, named as the civil service writes them: surname, then given name ("LEE Siu-ming").
    ("csb", "Siu-ming", "Lee", CSB_STAFF),
    ("coordinator", "Mei-ling", "Ho", COORDINATOR),
    ("coordinator2", "Wai-kit", "Lau", COORDINATOR),
]


def _contact_fields(account):
    if account not in CONTACTS:
        return {}
    mobile, name, relationship, phone, needs = CONTACTS[account]
    return {
        "mobile_phone": mobile,
        "emergency_contact_name": name,
        "emergency_contact_relationship": relationship,
        "emergency_contact_phone": phone,
        "dietary_access_needs": needs,
    }


class Demo:
    """Loads the demo, step by step; each step finds what is there before it adds anything."""

    def __init__(self, *, password, log=print):
        self.password = password
        self.log = log
        self.users = {}

    @transaction.atomic
    def load(self):
        self.load_hosts()
        self.load_accounts()
        self.load_first_batch()
        self.load_older_programme()
        self.load_next_batch()
        load_selection(self)  # the 2027 batch's call, nominations and host answers (demo/selection.py)
        self.load_portal()
        load_documents(log=self.log)
        load_history(self)  # the older programme since 2002, both ways (placements/demo_history.py)

    # --- reference rows the demo needs -------------------------------------------------------------
    def load_hosts(self):
        for city, area, name_en, name_zh, abbreviation, department in HOSTS:
            municipality = Municipality.objects.get(name_en=city)
            HostOrganisation.objects.get_or_create(
                municipality=municipality,
                name_en=name_en,
                defaults={
                    "name_zh": name_zh,
                    "abbreviation": abbreviation,
                    "area": HostArea.objects.get(municipality=municipality, name_en=area) if area else None,
                    "department": Department.objects.get(abbreviation=department) if department else None,
                },
            )

    def user(self, username, *, first_name="", last_name="", email="", role, is_staff=False):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "email": email, "is_staff": is_staff},
        )
        if created or not user.check_password(self.password):
            user.set_password(self.password)
            user.save(update_fields=["password"])
        if not user.groups.filter(name=role).exists():
            user.groups.add(Group.objects.get(name=role))
        self.users[username] = user
        return user

    def load_accounts(self):
        for username, first_name, last_name, role in ACCOUNTS:
            self.user(
                username,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@csb.gov.hk",
                role=role,
                is_staff=role == CSB_STAFF,
            )

    # --- officers, batches, placements -------------------------------------------------------------
    def officer(self, *, email, **fields):
        officer = Officer.objects.filter(email__iexact=email).first()
        if officer is None:
            officer = officer_save(officer=Officer(email=email, notes=FICTIONAL, **fields))
        return officer

    def batch(
        self, *, programme, direction, number, host_areas=(), focus_areas=(), coordinators=(), **fields
    ):
        programme = Programme.objects.get(short_name=programme)
        batch = Batch.objects.filter(programme=programme, direction=direction, number=number).first()
        if batch is None:
            municipality = Municipality.objects.get(name_en=fields.pop("host_municipality"))
            batch = batch_save(
                batch=Batch(
                    programme=programme,
                    direction=direction,
                    number=number,
                    host_municipality=municipality,
                    **fields,
                ),
                host_areas=list(HostArea.objects.filter(municipality=municipality, name_en__in=host_areas)),
                focus_areas=list(FocusArea.objects.filter(name_en__in=focus_areas)),
            )
        # Compare before writing: add() of a coordinator already there still writes a history row.
        present = set(batch.coordinators.values_list("pk", flat=True))
        missing = [self.users[name] for name in coordinators if self.users[name].pk not in present]
        if missing:
            batch.coordinators.add(*missing)
        return batch

    def place(self, *, officer, batch, host, area=None, focus_areas=(), **fields):
        if Placement.objects.filter(officer=officer, batch=batch).exists():
            return
        host = HostOrganisation.objects.get(municipality=batch.host_municipality, name_en=host)
        placement_save(
            placement=Placement(
                officer=officer,
                batch=batch,
                host_organisation=host,
                host_area=HostArea.objects.get(municipality=batch.host_municipality, name_en=area)
                if area
                else None,
                **fields,
            ),
            focus_areas=list(FocusArea.objects.filter(name_en__in=focus_areas)),
        )

    def load_first_batch(self):
        batch = self.batch(
            programme="GBA",
            direction=Batch.Direction.OUTBOUND,
            number=1,
            name="GBA first batch · Shenzhen 2023-24",
            name_zh="大灣區第一批 · 深圳 2023-24",
            host_municipality="Shenzhen",
            host_areas=["Futian", "Qianhai"],
            focus_areas=[
                "District management",
                "Technology development",
                "Town planning",
                "Transportation",
                "Environmental protection",
            ],
            start_date=D(2023, 12, 18),
            end_date=D(2024, 3, 8),
            launch_date=D(2023, 12, 18),
            status=Batch.Status.COMPLETED,
            notes="Launched in Shenzhen on 18 December 2023 by the Secretary for the Civil Service.",
            coordinators=["coordinator"],
        )
        for account, name_en, name_zh, email, department, rank, post in FIRST_BATCH_OFFICERS:
            user = self.user(
                account,
                first_name=name_en.split()[-1],
                last_name=name_en.split()[0],
                email=email,
                role=PARTICIPANT,
            )
            officer = self.officer(
                email=email,
                name_en=name_en,
                name_zh=name_zh,
                post_title=post,
                home_side=Officer.HomeSide.HONG_KONG,
                home_department=Department.objects.get(abbreviation=department),
                rank=Rank.objects.get(name_en=rank),
                phone="+852 2810 " + str(3000 + int(account[-2:])),
                **_contact_fields(account),
            )
            if officer.user_id is None:
                officer.user = user
                officer_save(officer=officer)
            host, area, focus_areas, role = FIRST_BATCH_PLACEMENTS[account]
            self.place(
                officer=officer,
                batch=batch,
                host=host,
                area=area,
                focus_areas=focus_areas,
                role=role,
                role_zh=ROLES_ZH[role],
                host_supervisor=SUPERVISORS[host],
                status=Placement.Status.COMPLETED,
            )

    def load_older_programme(self):
        outbound = self.batch(
            programme="CSSEP",
            direction=Batch.Direction.OUTBOUND,
            number=18,
            name="CSSEP outbound 2019 · Shanghai",
            name_zh="公務員交流計劃外派 2019 · 上海",
            host_municipality="Shanghai",
            focus_areas=["Town planning", "Technology development"],
            start_date=D(2019, 4, 1),
            end_date=D(2019, 5, 31),
            status=Batch.Status.COMPLETED,
            coordinators=["coordinator"],
        )
        for account, focus in [("officer01", "Technology development"), ("officer08", "Town planning")]:
            officer = Officer.objects.get(user__username=account)
            self.place(
                officer=officer,
                batch=outbound,
                host="Shanghai Municipal Development and Reform Commission",
                focus_areas=[focus],
                role="Attached officer",
                role_zh=ROLES_ZH["Attached officer"],
                status=Placement.Status.COMPLETED,
            )
        inbound = self.batch(
            programme="CSSEP",
            direction=Batch.Direction.INBOUND,
            number=1,
            name="Mainland officers in Hong Kong 2024-25",
            name_zh="內地公務員來港交流 2024-25",
            host_municipality="Hong Kong",
            focus_areas=["Technology development", "Town planning", "Environmental protection"],
            start_date=D(2024, 12, 2),
            end_date=D(2025, 2, 28),
            launch_date=D(2024, 12, 2),
            status=Batch.Status.COMPLETED,
            coordinators=["coordinator2"],
        )
        for name_en, name_zh, email, body_en, body_zh, host in INBOUND_OFFICERS:
            officer = self.officer(
                email=email,
                name_en=name_en,
                name_zh=name_zh,
                home_side=Officer.HomeSide.MAINLAND,
                mainland_body_en=body_en,
                mainland_body_zh=body_zh,
            )
            self.place(
                officer=officer,
                batch=inbound,
                host=HostOrganisation.objects.get(
                    abbreviation=host, municipality__name_en="Hong Kong"
                ).name_en,
                role="Attached officer",
                role_zh=ROLES_ZH["Attached officer"],
                status=Placement.Status.COMPLETED,
            )

    def load_portal(self):
        """Checklists, exchange reports and notices of the participant portal (demo/portal.py)."""
        load_portal(log=self.log)

    def load_next_batch(self):
        batch = self.batch(
            programme="GBA",
            direction=Batch.Direction.OUTBOUND,
            number=2,
            name="GBA second batch · Guangzhou 2027",
            name_zh="大灣區第二批 · 廣州 2027",
            host_municipality="Guangzhou",
            host_areas=["Nansha"],
            focus_areas=["Technology development", "Town planning"],
            start_date=D(2027, 1, 11),
            end_date=D(2027, 4, 9),
            status=Batch.Status.NOMINATING,
            coordinators=["coordinator"],
        )
        for account in ["officer02", "officer06"]:
            self.place(
                officer=Officer.objects.get(user__username=account),
                batch=batch,
                host="Nansha District People's Government",
                area="Nansha",
                focus_areas=["Technology development"],
                status=Placement.Status.NOMINATED,
            )
