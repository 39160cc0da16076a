"""Article texts for the discovery mirror: deterministic, unique per article.

Each article gets a title and three paragraphs built from the slots below with a
seeded random generator, so every text is different (template learning would strip
lines repeated across a source's pages) and re-running the build gives the same files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

EN_COMPANIES = ["Cree LED", "Nichia", "ams OSRAM", "Seoul Semiconductor", "Lumileds", "Everlight", "Epistar",
                "San'an Optoelectronics", "MLS", "Nationstar", "Leyard", "Absen", "Unilumin", "Signify",
                "Acuity Brands", "Zumtobel", "Ennostar", "Lextar", "Aixtron", "Veeco", "Plessey", "Aledia"]
EN_PRODUCTS = ["Micro LED display", "Mini LED backlight unit", "UV-C LED module", "horticulture lighting fixture",
               "COB package", "automotive headlamp module", "smart street light", "fine-pitch LED wall",
               "GaN-on-silicon epitaxial wafer", "MOCVD reactor", "high-bay luminaire", "IR LED emitter",
               "tunable white downlight", "transparent LED film", "far-UVC lamp", "RGB laser module"]
EN_VERBS = ["launches", "ships", "expands capacity for", "unveils", "starts volume production of",
            "signs supply deal for", "opens new line for", "reports record orders for"]
EN_PLACES = ["Shenzhen", "Xiamen", "Hsinchu", "Penang", "Eindhoven", "Munich", "Durham", "Hanoi", "Suzhou",
             "Monterrey", "Osaka", "Wuhu"]
EN_P1 = [
    "{co} said on {weekday} that it {verb_past} its {prod} at the plant in {place}, with a first phase of {n1} "
    "wafers per month and a second phase planned for {year2}.",
    "According to a statement released in {place}, {co} {verb_past} a new {prod} that reaches {n2} lm/W at "
    "{n3} mA and is aimed at customers in {market}.",
    "{co} has {verb_past} its {prod} for the {market} market, the company announced at a press event in "
    "{place} attended by {n1} distributors.",
]
EN_P2 = [
    "The company expects revenue from the product line to grow by {pct} percent in {year2}, after sales of "
    "{n4} million US dollars last year, and plans to hire {n5} engineers for the project.",
    "Analysts estimate that the {market} segment will be worth {n4} million US dollars by {year2}, a compound "
    "annual growth rate of {pct} percent, with {place} as one of the main production hubs.",
    "Pilot customers tested {n5} units over {n6} weeks and reported a failure rate below {small} percent, "
    "which the company says is a {pct} percent improvement on its previous generation.",
]
EN_P3 = [
    "Chief executive {person} said the investment of {n4} million dollars would secure supply for key accounts "
    "and that samples of the {prod} are available from {month} onwards.",
    "{person}, who leads the {market} business unit, added that a second site near {place2} is under "
    "evaluation and that a decision is expected within {n6} months.",
    "The firm will show the {prod} at the trade fair in {place2}, where it also plans to present {n6} reference "
    "projects completed together with partners in {market}.",
]
EN_MARKETS = ["automotive", "signage", "horticulture", "general lighting", "consumer display", "disinfection",
              "stadium lighting", "medical", "architectural lighting", "AR glasses"]
EN_PEOPLE = ["Anna Keller", "David Chen", "Maria Lopez", "Kenji Sato", "Peter Brandt", "Linda Wu", "Tom Ferreira",
             "Sara Jensen", "Michael Tan", "Julia Novak"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

ZH_COMPANIES = ["三安光电", "华灿光电", "聚灿光电", "国星光电", "木林森", "洲明科技", "利亚德", "艾比森", "雷曼光电",
                "兆驰股份", "乾照光电", "鸿利智汇", "瑞丰光电", "晶科电子", "阳光照明", "欧普照明", "佛山照明", "厦门信达"]
ZH_PRODUCTS = ["Micro LED显示屏", "Mini LED背光模组", "UVC LED杀菌模组", "植物照明灯具", "COB光源", "车用LED大灯",
               "智慧路灯", "小间距LED显示屏", "氮化镓外延片", "MOCVD设备", "工矿灯", "红外LED芯片", "调光调色筒灯",
               "透明LED屏", "远紫外灯管", "激光投影光源"]
ZH_PLACES = ["深圳", "厦门", "芜湖", "扬州", "南昌", "佛山", "中山", "惠州", "泉州", "武汉", "苏州", "成都"]
ZH_MARKETS = ["汽车照明", "商业显示", "植物照明", "通用照明", "消费电子", "杀菌消毒", "体育场馆照明", "医疗", "景观亮化", "AR眼镜"]
ZH_PEOPLE = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨磊", "赵敏", "黄涛", "周杰", "吴娜"]
ZH_VERBS = ["发布", "量产", "扩产", "推出", "签约", "投产", "中标", "交付"]
ZH_P1 = [
    "近日，{co}在{place}宣布{verb}新一代{prod}，一期项目月产能达到{n1}片，二期计划于{year2}年建成投产。",
    "{co}日前发布公告称，公司{verb}的{prod}光效达到{n2}流明每瓦，主要面向{market}领域的客户。",
    "据{place}当地媒体报道，{co}{verb}{prod}项目已正式启动，首批{n1}套产品将于本季度交付{market}客户。",
]
ZH_P2 = [
    "公司预计该产品线{year2}年营收将增长{pct}%，去年相关业务实现销售收入{n4}亿元，项目还将新增研发人员{n5}名。",
    "行业机构预测，到{year2}年{market}市场规模将达到{n4}亿元，年均复合增长率约为{pct}%，{place}是主要生产基地之一。",
    "试点客户在{n6}周内测试了{n5}台样机，故障率低于{small}%，比上一代产品改善了{pct}%。",
]
ZH_P3 = [
    "公司总经理{person}表示，本次投资{n4}亿元将保障重点客户的供货，{prod}样品将于{mon}月起陆续提供。",
    "{market}事业部负责人{person}介绍，公司正在评估{place2}的第二个生产基地，预计{n6}个月内作出决定。",
    "{co}将在{place2}举办的展会上展出{prod}，并介绍与合作伙伴共同完成的{n6}个{market}示范项目。",
]


@dataclass
class Text:
    title: str
    paragraphs: list[str]
    teaser: str


def _slots(rng: random.Random, zh: bool) -> dict:
    place, place2 = rng.sample(ZH_PLACES if zh else EN_PLACES, 2)
    return dict(
        co=rng.choice(ZH_COMPANIES if zh else EN_COMPANIES), prod=rng.choice(ZH_PRODUCTS if zh else EN_PRODUCTS),
        place=place, place2=place2, market=rng.choice(ZH_MARKETS if zh else EN_MARKETS),
        person=rng.choice(ZH_PEOPLE if zh else EN_PEOPLE), verb=rng.choice(ZH_VERBS),
        verb_past=rng.choice(["launched", "started shipping", "doubled output of", "introduced", "qualified"]),
        weekday=rng.choice(WEEKDAYS), month=rng.choice(MONTHS), mon=rng.randint(1, 12),
        year2=rng.randint(2025, 2028), n1=rng.randint(12, 95) * 1000, n2=rng.randint(160, 260),
        n3=rng.choice([65, 120, 350, 700, 1000]), n4=rng.randint(11, 980), n5=rng.randint(20, 400),
        n6=rng.randint(3, 18), pct=rng.randint(8, 64), small=f"0.{rng.randint(1, 9)}",
    )


def article_text(seed: str, zh: bool) -> Text:
    rng = random.Random(seed)
    s = _slots(rng, zh)
    if zh:
        title = f"{s['co']}{s['verb']}{s['prod']} {s['market']}订单同比增长{s['pct']}%"
        paras = [rng.choice(ZH_P1).format(**s), rng.choice(ZH_P2).format(**s), rng.choice(ZH_P3).format(**s)]
        teaser = paras[0][:40] + "…"
    else:
        verb = rng.choice(EN_VERBS)
        title = f"{s['co']} {verb} {s['prod']} for {s['market']} customers in {s['place']}"
        paras = [rng.choice(EN_P1).format(**s), rng.choice(EN_P2).format(**s), rng.choice(EN_P3).format(**s)]
        teaser = " ".join(paras[0].split()[:18]) + " …"
    return Text(title, paras, teaser)


def product_text(seed: str, zh: bool) -> Text:
    """A product page: long description text, specifications, no publish date."""
    rng = random.Random("product:" + seed)
    s = _slots(rng, zh)
    if zh:
        title = f"{s['n3']}W {s['prod']} IP{rng.choice([65, 66, 67])} 型号LX-{s['n5']}"
        paras = [
            f"本产品采用进口芯片与高导热铝合金散热结构，整灯光效可达{s['n2']}流明每瓦，适用于{s['market']}、工厂车间、仓库和物流中心等场所，"
            f"安装方式支持吊装、壁装和支架安装，光束角可选{rng.choice([60, 90, 120])}度。",
            f"驱动电源采用恒流设计，输入电压AC100-277V，功率因数大于0.95，防浪涌等级达到{rng.choice([4, 6, 10])}kV，"
            f"平均使用寿命超过{s['n1']}小时，整灯提供{rng.choice([3, 5])}年质保，支持OEM与ODM定制。",
        ]
    else:
        title = f"{s['n3']}W {s['prod'].title()} IP{rng.choice([65, 66, 67])} Model LX-{s['n5']}"
        paras = [
            f"This {s['prod']} uses imported chips and a die-cast aluminium heat sink, reaching {s['n2']} lm/W for "
            f"{s['market']} projects, factories, warehouses and logistics centres; it can be mounted on a hook, a "
            f"wall bracket or a pole, with a {rng.choice([60, 90, 120])} degree beam angle as standard.",
            f"The constant-current driver accepts AC100-277V with a power factor above 0.95 and {rng.choice([4, 6, 10])} kV "
            f"surge protection; rated life exceeds {s['n1']} hours and every unit ships with a "
            f"{rng.choice([3, 5])}-year warranty. OEM and ODM orders are welcome.",
        ]
    return Text(title, paras, paras[0][:60])
