"""Reference data every database needs: municipalities and their host areas, focus areas, the two
programmes and the 2023 agreement."""

import datetime

from django.db import migrations

MUNICIPALITIES = [
    # (English, Chinese, region, province)
    ("Guangzhou", "廣州", "gba_mainland", "Guangdong"),
    ("Shenzhen", "深圳", "gba_mainland", "Guangdong"),
    ("Zhuhai", "珠海", "gba_mainland", "Guangdong"),
    ("Foshan", "佛山", "gba_mainland", "Guangdong"),
    ("Huizhou", "惠州", "gba_mainland", "Guangdong"),
    ("Dongguan", "東莞", "gba_mainland", "Guangdong"),
    ("Zhongshan", "中山", "gba_mainland", "Guangdong"),
    ("Jiangmen", "江門", "gba_mainland", "Guangdong"),
    ("Zhaoqing", "肇慶", "gba_mainland", "Guangdong"),
    ("Hong Kong", "香港", "sar", ""),
    ("Macao", "澳門", "sar", ""),
    ("Beijing", "北京", "other_mainland", "Beijing"),
    ("Shanghai", "上海", "other_mainland", "Shanghai"),
    ("Hangzhou", "杭州", "other_mainland", "Zhejiang"),
    ("Chongqing", "重慶", "other_mainland", "Chongqing"),
    ("Wuhan", "武漢", "other_mainland", "Hubei"),
]

AREAS = [
    # (municipality, English, Chinese, kind, full English, full Chinese)
    ("Shenzhen", "Futian", "福田", "district", "Futian District", "福田區"),
    ("Shenzhen", "Luohu", "羅湖", "district", "Luohu District", "羅湖區"),
    ("Shenzhen", "Nanshan", "南山", "district", "Nanshan District", "南山區"),
    ("Shenzhen", "Yantian", "鹽田", "district", "Yantian District", "鹽田區"),
    ("Shenzhen", "Bao'an", "寶安", "district", "Bao'an District", "寶安區"),
    ("Shenzhen", "Longgang", "龍崗", "district", "Longgang District", "龍崗區"),
    ("Shenzhen", "Longhua", "龍華", "district", "Longhua District", "龍華區"),
    ("Shenzhen", "Pingshan", "坪山", "district", "Pingshan District", "坪山區"),
    ("Shenzhen", "Guangming", "光明", "district", "Guangming District", "光明區"),
    ("Shenzhen", "Dapeng New Area", "大鵬新區", "functional_area", "Dapeng New Area", "大鵬新區"),
    (
        "Shenzhen",
        "Qianhai",
        "前海",
        "cooperation_zone",
        "Qianhai Shenzhen-Hong Kong Modern Service Industry Cooperation Zone",
        "前海深港現代服務業合作區",
    ),
    (
        "Guangzhou",
        "Nansha",
        "南沙",
        "cooperation_zone",
        "Nansha Guangdong-Hong Kong-Macao Comprehensive Cooperation Zone",
        "南沙粵港澳全面合作示範區",
    ),
    (
        "Zhuhai",
        "Hengqin",
        "橫琴",
        "cooperation_zone",
        "Guangdong-Macao In-Depth Cooperation Zone in Hengqin",
        "橫琴粵澳深度合作區",
    ),
]

FOCUS_AREAS = [
    ("District management", "地區管理"),
    ("Technology development", "科技發展"),
    ("Town planning", "城市規劃"),
    ("Transportation", "交通運輸"),
    ("Environmental protection", "環境保護"),
]

PROGRAMMES = [
    {
        "short_name": "GBA",
        "name_en": "Civil Service Staff Exchange and Collaboration Programme with the Mainland municipalities "
        "of the Guangdong-Hong Kong-Macao Greater Bay Area",
        "name_zh": "粵港澳大灣區內地城市和香港特別行政區兩地公務員交流協作項目",
        "started_on": datetime.date(2023, 12, 18),
        "coordinated_by": "Civil Service Bureau; Hong Kong and Macao Affairs Office of the People's "
        "Government of Guangdong Province",
        "description": "About 10 middle and senior officers each way per year, for about three months each.",
    },
    {
        "short_name": "CSSEP",
        "name_en": "Civil Service Staff Exchange Programme",
        "name_zh": "公務員交流計劃",
        "started_on": datetime.date(2002, 1, 1),
        "coordinated_by": "Civil Service Bureau, under the co-ordination of the Hong Kong and Macao Affairs "
        "Office of the State Council",
        "description": "Officers of Hong Kong and of Mainland municipalities are attached to each other's side "
        "(Shanghai from 2002, Beijing from 2003, Hangzhou from 2004), usually for 4 weeks to 6 months.",
    },
]

AGREEMENTS = [
    {
        "programme": "GBA",
        "title": "Agreement on Civil Service Staff Exchange and Collaboration Programme with the Mainland "
        "municipalities in the Greater Bay Area",
        "parties": "Civil Service Bureau of the HKSAR Government\n"
        "Hong Kong and Macao Affairs Office of the People's Government of Guangdong Province",
        "signed_on": datetime.date(2023, 9, 12),
        "signed_at": "Guangzhou",
    },
]


def load(apps, schema_editor):
    Municipality = apps.get_model("placements", "Municipality")
    HostArea = apps.get_model("placements", "HostArea")
    FocusArea = apps.get_model("placements", "FocusArea")
    Programme = apps.get_model("placements", "Programme")
    Agreement = apps.get_model("placements", "Agreement")
    cities = {}
    for name_en, name_zh, region, province in MUNICIPALITIES:
        cities[name_en], _ = Municipality.objects.update_or_create(
            name_en=name_en, defaults={"name_zh": name_zh, "region": region, "province_en": province}
        )
    for city, name_en, name_zh, kind, full_en, full_zh in AREAS:
        HostArea.objects.update_or_create(
            municipality=cities[city],
            name_en=name_en,
            defaults={"name_zh": name_zh, "kind": kind, "full_name_en": full_en, "full_name_zh": full_zh},
        )
    for name_en, name_zh in FOCUS_AREAS:
        FocusArea.objects.update_or_create(name_en=name_en, defaults={"name_zh": name_zh})
    programmes = {}
    for fields in PROGRAMMES:
        fields = dict(fields)
        short_name = fields.pop("short_name")
        programmes[short_name], _ = Programme.objects.update_or_create(short_name=short_name, defaults=fields)
    for fields in AGREEMENTS:
        fields = dict(fields)
        programme = programmes[fields.pop("programme")]
        Agreement.objects.update_or_create(programme=programme, title=fields.pop("title"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
