"""The demo's history: the older Civil Service Staff Exchange Programme since 2002, both ways, so the
dashboard has something to show. Shanghai from 2002, Beijing from 2003, Hangzhou from 2004 (the
programme's partners, in turn), outbound batches of Hong Kong officers every year and inbound batches of
Mainland officers in Hong Kong bureaux and departments, plus one batch each way running in 2026-27.

Every officer here is fictional and says so in their notes. The figures are generated from a fixed seed,
so loading twice finds everything already there and changes nothing. About 45 batches and 220 placements:
enough for the charts, small enough for `make run` to stay quick."""

import datetime
import random

from participants.models import Department, Officer, Rank
from placements.models import Batch, FocusArea, HostArea, HostOrganisation, Municipality, Placement, Programme
from placements.services import batch_save

D = datetime.date

# Host areas and organisations in the older programme's partner cities (city, English, Chinese, kind).
AREAS = [
    ("Shanghai", "Pudong New Area", "浦東新區", HostArea.Kind.DISTRICT),
    ("Shanghai", "Huangpu", "黃浦區", HostArea.Kind.DISTRICT),
    ("Beijing", "Xicheng", "西城區", HostArea.Kind.DISTRICT),
    ("Beijing", "Chaoyang", "朝陽區", HostArea.Kind.DISTRICT),
    ("Hangzhou", "Binjiang", "濱江區", HostArea.Kind.DISTRICT),
    ("Hangzhou", "Shangcheng", "上城區", HostArea.Kind.DISTRICT),
]
HOSTS = [
    # (city, area, English, Chinese)
    ("Shanghai", "Pudong New Area", "Pudong New Area People's Government", "浦東新區人民政府"),
    ("Shanghai", "Huangpu", "Shanghai Municipal Commission of Commerce", "上海市商務委員會"),
    (
        "Beijing",
        "Xicheng",
        "Beijing Municipal Commission of Development and Reform",
        "北京市發展和改革委員會",
    ),
    ("Beijing", "Chaoyang", "Beijing Municipal Bureau of Culture and Tourism", "北京市文化和旅遊局"),
    ("Hangzhou", "Binjiang", "Hangzhou Municipal Data Resources Bureau", "杭州市數據資源管理局"),
    (
        "Hangzhou",
        "Shangcheng",
        "Hangzhou Municipal Development and Reform Commission",
        "杭州市發展和改革委員會",
    ),
]
# Mainland home bodies of inbound officers, per city (English, Chinese).
MAINLAND_BODIES = {
    "Shanghai": [
        ("Shanghai Municipal Development and Reform Commission", "上海市發展和改革委員會"),
        ("Shanghai Municipal Bureau of Ecology and Environment", "上海市生態環境局"),
    ],
    "Beijing": [
        ("Beijing Municipal Commission of Planning and Natural Resources", "北京市規劃和自然資源委員會"),
        ("Beijing Municipal Science and Technology Commission", "北京市科學技術委員會"),
    ],
    "Hangzhou": [
        ("Hangzhou Municipal Data Resources Bureau", "杭州市數據資源管理局"),
        ("Hangzhou Municipal Transport Bureau", "杭州市交通運輸局"),
    ],
}
HONG_KONG_HOSTS = ["CMAB", "DPO", "ITC", "PlanD", "EPD"]
FICTIONAL = "Fictional officer for the demo's history of the older programme: not a real person."
PLACEMENT_STATUS = {
    Batch.Status.COMPLETED: Placement.Status.COMPLETED,
    Batch.Status.IN_PROGRESS: Placement.Status.IN_PROGRESS,
}
PARTNERS = [("Shanghai", 2002), ("Beijing", 2003), ("Hangzhou", 2004)]
# The year each bureau or department (by its current abbreviation) came to be under a name of its line
# (OGCIO in 2004 for the Digital Policy Office; the 2007 and 2022 re-organisations of the bureaux): an
# officer is never placed from a body that did not exist yet.
ESTABLISHED = {"CMAB": 2007, "DEVB": 2007, "DPO": 2004, "EEB": 2022, "ITIB": 2022, "TLB": 2022}
# The e-mail domains of the partner cities' governments, for inbound officers.
CITY_DOMAINS = {"Shanghai": "sh.gov.cn", "Beijing": "beijing.gov.cn", "Hangzhou": "hangzhou.gov.cn"}

SURNAMES = [
    ("CHAN", "陳"), ("WONG", "黃"), ("LEE", "李"), ("CHEUNG", "張"), ("LAU", "劉"), ("NG", "吳"),
    ("HO", "何"), ("LAM", "林"), ("YEUNG", "楊"), ("TSANG", "曾"), ("KWOK", "郭"), ("LEUNG", "梁"),
]  # fmt: skip
GIVEN = [
    ("Wai-man", "偉文"), ("Siu-ling", "小玲"), ("Ka-yan", "嘉欣"), ("Chi-ho", "志豪"), ("Mei-ling", "美玲"),
    ("Kin-wah", "建華"), ("Hoi-ting", "凱婷"), ("Tsz-kin", "子健"), ("Yuk-lan", "玉蘭"), ("Chun-kit", "俊傑"),
]  # fmt: skip
MAINLAND_SURNAMES = [
    ("ZHANG", "張"),
    ("WANG", "王"),
    ("LI", "李"),
    ("ZHAO", "趙"),
    ("CHEN", "陳"),
    ("ZHOU", "周"),
]
MAINLAND_GIVEN = [("Hua", "華"), ("Jun", "軍"), ("Li", "麗"), ("Qiang", "強"), ("Xin", "欣"), ("Yan", "燕")]


def load_history(demo):
    """Add the older programme's history through the demo's own steps (each finds what is there first)."""
    History(demo).load()


class History:
    def __init__(self, demo):
        self.demo = demo
        self.random = random.Random(2002)

    def load(self):
        self.load_places()
        self.programme = Programme.objects.get(short_name="CSSEP")
        self.focus = {f.name_en: f for f in FocusArea.objects.order_by("name_en")}
        self.hong_kong_hosts = {
            h.abbreviation: h
            for h in HostOrganisation.objects.filter(
                municipality__name_en="Hong Kong", abbreviation__in=HONG_KONG_HOSTS
            )
        }
        focus = list(self.focus)
        ranks = list(Rank.objects.select_related("grade__department").order_by("pk"))
        departments = list(Department.objects.active().order_by("abbreviation"))
        for year in range(2002, 2026):
            if year != 2019:  # 2019's outbound batch (number 18, Shanghai) is in the demo already
                self.outbound(year, year - 2001, Batch.Status.COMPLETED, focus, ranks, departments)
            if 2003 <= year <= 2023:
                self.inbound(year, year, Batch.Status.COMPLETED, focus)
        self.outbound(2026, 25, Batch.Status.IN_PROGRESS, focus, ranks, departments)
        self.inbound(2026, 2026, Batch.Status.IN_PROGRESS, focus)

    def load_places(self):
        for city, name_en, name_zh, kind in AREAS:
            HostArea.objects.get_or_create(
                municipality=Municipality.objects.get(name_en=city),
                name_en=name_en,
                defaults={"name_zh": name_zh, "kind": kind},
            )
        for city, area, name_en, name_zh in HOSTS:
            municipality = Municipality.objects.get(name_en=city)
            HostOrganisation.objects.get_or_create(
                municipality=municipality,
                name_en=name_en,
                defaults={
                    "name_zh": name_zh,
                    "area": HostArea.objects.get(municipality=municipality, name_en=area),
                },
            )

    def dates(self, year, status, direction):
        if status == Batch.Status.IN_PROGRESS:
            start = D(year, 10, 12) if direction == Batch.Direction.OUTBOUND else D(year, 11, 2)
            return start, start + datetime.timedelta(weeks=13) - datetime.timedelta(days=3)
        start = D(year, self.random.choice([3, 4, 5, 9, 10]), 1) + datetime.timedelta(
            days=self.random.randint(0, 6)
        )
        weeks = self.random.choice([4, 6, 8, 12, 13])
        return start, start + datetime.timedelta(weeks=weeks) - datetime.timedelta(days=3)

    def city(self, year, offset=0):
        """The partner city of the year: a new partner's first year goes to it, then they take turns."""
        newcomer = [city for city, since in PARTNERS if since == year]
        if newcomer and not offset:
            return newcomer[0]
        partners = [city for city, since in PARTNERS if since <= year]
        return partners[(year + offset) % len(partners)]

    def city_zh(self, city):
        """A partner city's Chinese name (上海, 北京 …), for the batches' Chinese names."""
        return Municipality.objects.get(name_en=city).name_zh

    def outbound(self, year, number, status, focus, ranks, departments):
        city = self.city(year)
        start, end = self.dates(year, status, Batch.Direction.OUTBOUND)
        hosts = [h for h in HOSTS if h[0] == city]
        people = []
        for i in range(self.random.randint(4, 7)):
            surname, surname_zh = self.random.choice(SURNAMES)
            given, given_zh = self.random.choice(GIVEN)
            rank = self.random.choice(ranks)
            existing = [d for d in departments if ESTABLISHED.get(d.abbreviation, 0) <= year]
            department = rank.grade.department or self.random.choice(existing)
            _, area, host, _ = hosts[i % len(hosts)]
            officer = Officer(
                email=f"{given.replace('-', '').lower()}.{surname.lower()}.{year}{i}"
                f"@{department.abbreviation.lower()}.gov.hk",
                name_en=f"{surname} {given}",
                name_zh=surname_zh + given_zh,
                post_title=f"{rank.name_en} (fictional)",
                home_side=Officer.HomeSide.HONG_KONG,
                home_department=department,
                rank=rank,
                notes=FICTIONAL,
            )
            people.append((officer, host, area, self.random.choice(focus)))
        self.write(
            Batch(
                direction=Batch.Direction.OUTBOUND,
                number=number,
                name=f"CSSEP outbound {year} · {city}",
                name_zh=f"公務員交流計劃外派 {year} · {self.city_zh(city)}",
                host_municipality=Municipality.objects.get(name_en=city),
                start_date=start,
                end_date=end,
                status=status,
            ),
            people,
            coordinator="coordinator",
        )

    def inbound(self, year, number, status, focus):
        city = self.city(year, offset=1)
        start, end = self.dates(year, status, Batch.Direction.INBOUND)
        people = []
        for i in range(self.random.randint(3, 5)):
            surname, surname_zh = self.random.choice(MAINLAND_SURNAMES)
            given, given_zh = self.random.choice(MAINLAND_GIVEN)
            body_en, body_zh = self.random.choice(MAINLAND_BODIES[city])
            officer = Officer(
                email=f"{surname.lower()}.{given.lower()}.{year}{i}@{CITY_DOMAINS[city]}",
                name_en=f"{surname} {given}",
                name_zh=surname_zh + given_zh,
                home_side=Officer.HomeSide.MAINLAND,
                mainland_body_en=body_en,
                mainland_body_zh=body_zh,
                notes=FICTIONAL,
            )
            host = self.hong_kong_hosts[HONG_KONG_HOSTS[(year + i) % len(HONG_KONG_HOSTS)]]
            people.append((officer, host, None, self.random.choice(focus)))
        self.write(
            Batch(
                direction=Batch.Direction.INBOUND,
                number=number,
                name=f"CSSEP inbound {year} · {city} officers in Hong Kong",
                name_zh=f"公務員交流計劃來港 {year} · {self.city_zh(city)}公務員",
                host_municipality=Municipality.objects.get(name_en="Hong Kong"),
                start_date=start,
                end_date=end,
                status=status,
            ),
            people,
            coordinator="coordinator2",
        )

    def write(self, batch, people, *, coordinator):
        """Save a batch through the service, then its new officers and placements with bulk inserts: the
        services' rules hold by construction (new officers, the batch's dates, its host areas), and a
        few hundred rows go in quickly. A batch already there is left as it is."""
        batch.programme = self.programme
        if Batch.objects.filter(
            programme=batch.programme, direction=batch.direction, number=batch.number
        ).exists():
            return
        municipality = batch.host_municipality
        areas = {a.name_en: a for a in HostArea.objects.filter(municipality=municipality)}
        batch = batch_save(
            batch=batch,
            host_areas=sorted({areas[area] for _, _, area, _ in people if area}, key=lambda a: a.pk),
            focus_areas=list(self.focus.values()),
        )
        batch.coordinators.add(self.demo.users[coordinator])
        officers = Officer.objects.bulk_create([officer for officer, _, _, _ in people])
        hosts = {h.name_en: h for h in HostOrganisation.objects.filter(municipality=municipality)}
        placements = Placement.objects.bulk_create(
            [
                Placement(
                    officer=officer,
                    batch=batch,
                    home_department_id=officer.home_department_id,
                    host_organisation=host if isinstance(host, HostOrganisation) else hosts[host],
                    host_area=areas[area] if area else None,
                    role="Attached officer",
                    role_zh="掛職人員",
                    start_date=batch.start_date,
                    end_date=batch.end_date,
                    status=PLACEMENT_STATUS[batch.status],
                )
                for officer, (_, host, area, _) in zip(officers, people, strict=True)
            ]
        )
        Placement.focus_areas.through.objects.bulk_create(
            [
                Placement.focus_areas.through(placement_id=placement.pk, focusarea_id=self.focus[focus].pk)
                for placement, (_, _, _, focus) in zip(placements, people, strict=True)
            ]
        )
