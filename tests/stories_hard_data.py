"""The hard labelled story set (issue 17): versions of one article text vs look-alikes.

Written for lednews (not copied from any site). A *story* is the set of versions of one
article text: its translation, separate machine translations, syndicated copies, a
Traditional-script copy. Two different articles about one event are two stories.

The set is built by a deterministic script from hand-written templates: each family
below is one kind of LED-industry article (a research firm's quarterly price report, a
monthly export bulletin, half-year results, a fab announcement written up by two
outlets, product launches that end in the company's boilerplate paragraph, explainers
that open with the same "what is an LED" paragraph, a policy notice and a commentary
on it). Each instance fills a family's Chinese and English template with its own
company, period and figures; the English template carries alternatives ``[a|b|c]``
and transliteration variants of names, so the human translation (choice 0) and each
machine translation (choices 1, 2) differ in wording and in how names are rendered.

Hard negatives are pairs of stories written to look alike, in four classes:

- ``recurring``: the same template and companies, another period and other figures
  (consecutive quarters, months, halves), in Chinese and English;
- ``shared-paragraph``: different articles sharing an "about the company" paragraph
  or a "what is an LED" introduction;
- ``same-announcement``: two outlets' own articles on one announcement, sharing the
  headline figures and a quote;
- ``commentary``: a commentary and the policy notice it discusses.

``PART`` splits the instances: ``in`` (thresholds may be tuned on it) and ``held``
(written together with the rest, before any rule change, and never tuned on).
"""

from __future__ import annotations

import re
from itertools import combinations

# -------------------------------------------------------------------------------------
# rendering


def _pick(template: str, choice: int, params: dict) -> str:
    """``$name`` -> params[name] (a list is a set of renderings: the choice-th),
    ``[a|b|c]`` -> the choice-th alternative (cycling), so choice 0 is one wording,
    choice 1 another; the k-th bracket shifts by k // 3 so MTs do not agree in step."""
    def sub_param(m: re.Match) -> str:
        v = params[m.group(1)]
        if isinstance(v, (list, tuple)):
            return str(v[choice % len(v)])
        return str(v)

    out = re.sub(r"\$([a-z_0-9]+)", sub_param, template)
    count = [0]

    def sub_alt(m: re.Match) -> str:
        alts = m.group(1).split("|")
        k = count[0]
        count[0] += 1
        idx = 0 if choice == 0 else (choice + (k // 3) * (choice > 0)) % len(alts)
        if choice and len(alts) > 1 and idx == 0:
            idx = choice % len(alts) or 1
        return alts[idx]

    return re.sub(r"\[([^\[\]]*)\]", sub_alt, out)


def _zh(template: str, params: dict) -> str:
    return _pick(template, 0, {k: (v[0] if isinstance(v, (list, tuple)) else v) for k, v in params.items()})


# -------------------------------------------------------------------------------------
# family 1: a research firm's quarterly LED package price report (recurring)

PRICE_ZH_T = ("$firm_zh：$y年第$qzh季度LED封装价格$trend_zh，中功率产品均价环比下跌$mid%",
              "据$firm_zh最新调查，$y年第$qzh季度中功率照明LED平均价格环比下跌$mid%，"
              "0.2W 2835封装产品价格落在每颗$p2835美元。\n大功率陶瓷LED价格下跌$high%，COB产品下跌$cob%。"
              "$firm_zh指出，$reason_zh。\n日亚化学、艾迈斯欧司朗、三星LED、首尔半导体、木林森与国星光电仍是"
              "主要供应商，前六大厂商合计市占率约$share%。$firm_zh预计$next_zh价格$outlook_zh。")
PRICE_EN_T = ("$firm_en: $qen LED package prices $trend_en, mid-power [prices fall|average price drops|products decline] $mid%",
              "[According to the latest survey of|The newest investigation by|A recent price survey from] $firm_en, "
              "[average prices of mid-power lighting LEDs|mid-power lighting LED average price|the mean price of medium power LEDs for lighting] "
              "[fell|declined|dropped] $mid% [quarter on quarter|from the previous quarter|sequentially] in the $qword quarter of $y, "
              "[with|and] 0.2W 2835 [packages|package products|encapsulated devices] [priced at|settling at|falling to] US$$p2835 per [unit|piece|pcs].\n"
              "[High-power ceramic LED prices|Prices of high power ceramic LEDs|Ceramic high-power LED price] [fell|went down|decreased] $high%, "
              "[while|and] COB [products|devices] [dropped|fell|declined] $cob%. $firm_short [said|pointed out|noted] that $reason_en.\n"
              "$nichia, ams OSRAM, Samsung LED, $seoul, $mls and $nation [remain|are still|continue to be] the "
              "[main suppliers|major vendors|principal suppliers], [with the top six holding|the top six manufacturers together take|the six largest makers account for] "
              "about $share% of the market. $firm_short [expects|forecasts|predicts] prices in $next_en $outlook_en.")
PRICE_NAMES = {"nichia": ["Nichia", "Nichia Chemical", "Richia"],
               "seoul": ["Seoul Semiconductor", "Seoul Semi", "Shouer Semiconductor"],
               "mls": ["MLS", "Mulinsen", "Mu Lin Sen"],
               "nation": ["Nationstar", "Guoxing Optoelectronics", "National Star Optoelectronic"]}
QZH = {1: "一", 2: "二", 3: "三", 4: "四"}
QWORD = {1: "first", 2: "second", 3: "third", 4: "fourth"}
REASONS = [
    ("欧洲住宅照明需求疲软，库存去化仍在进行", "demand for residential lighting in Europe was weak and inventory was still being cleared"),
    ("春节后订单恢复缓慢，中国封装厂持续扩产", "orders recovered slowly after the Lunar New Year while Chinese packagers kept adding capacity"),
    ("北美商业照明项目延后，渠道备货趋于保守", "commercial lighting projects in North America were delayed and distributors stocked cautiously"),
    ("年底备货需求有限，芯片价格同步走低", "year-end stocking demand was limited and chip prices fell in step"),
]


def _price_reports(firm: str, firm_zh: str, firm_en: list[str], short: str, year: int,
                   figures: list[tuple], part: str, qfmt: str) -> list[dict]:
    out = []
    for q, mid, p2835, high, cob, share in figures:
        nq = q % 4 + 1
        params = {
            "firm_zh": firm_zh, "firm_en": firm_en, "firm_short": short, "y": year,
            "qzh": QZH[q], "qword": QWORD[q], "mid": mid, "p2835": p2835, "high": high,
            "cob": cob, "share": share,
            "qen": (f"{q}Q{year % 100}" if qfmt == "nQyy" else f"Q{q} {year}"),
            "trend_zh": "续跌" if mid > 1.5 else "小幅下滑", "trend_en": "keep falling" if mid > 1.5 else "edge down",
            "reason_zh": REASONS[q - 1][0], "reason_en": REASONS[q - 1][1],
            "next_zh": f"第{QZH[nq]}季度", "next_en": f"the {QWORD[nq]} quarter",
            "outlook_zh": "将再小幅下跌" if q != 4 else "跌幅收窄",
            "outlook_en": "to fall slightly again" if q != 4 else "to fall less steeply",
            **PRICE_NAMES,
        }
        story = f"price-{firm}-{year}q{q}"
        out.append(_story(story, "recurring", part, f"price-{firm}", params, PRICE_ZH_T, PRICE_EN_T,
                          zh_src=f"{firm}_cn", en_src=firm, day=f"{year}-{q * 3 + 1:02d}-0{q + 3}" if q < 4 else f"{year + 1}-01-07",
                          mts=2))
    return out


# -------------------------------------------------------------------------------------
# family 2: monthly export bulletin (recurring by month; cumulative periods)

EXPORT_ZH_T = ("$y年$m月我国LED照明产品出口额$val亿美元 同比$dir_zh$yoy%",
               "据$assoc_zh统计，$y年$m月我国LED照明产品出口额为$val亿美元，同比$dir_zh$yoy%，环比$mom_zh。"
               "\n分产品看，LED灯泡出口$bulb亿美元，LED灯具出口$lum亿美元，灯带及其他产品出口$strip亿美元。"
               "\n分市场看，美国、德国和英国仍居前三位，对东盟出口同比增长$asean%。$assoc_zh认为，$view_zh。")
EXPORT_EN_T = ("China's LED lighting exports [reach|amount to|total] US$$val_en billion in $mname $y, [$dir_en|$dir_en] $yoy% [year on year|year-on-year|on the same month last year]",
               "[According to|Statistics from|Data compiled by] $assoc_en[ show that|, |,] China [exported|shipped abroad|sold overseas] LED lighting "
               "[products|goods|items] worth US$$val_en billion in $mname $y, [$dir_en|$dir_en] $yoy% [year on year|from a year earlier|compared with the same period of last year], "
               "[and $mom_en from the previous month|$mom_en month on month|with a $mom_en2 on the prior month].\n"
               "[By product|Broken down by product|In terms of products], LED bulbs [accounted for|contributed|made up] US$$bulb_en billion, "
               "LED luminaires US$$lum_en billion and [strips and other products|light strips and others|lamp strips and other items] US$$strip_en billion.\n"
               "[By market|In terms of destinations|Among markets], the United States, Germany and the United Kingdom [remained|stayed|were still] the top three, "
               "[while exports to ASEAN grew|and shipments to ASEAN rose|with ASEAN exports increasing] $asean% [year on year|from a year earlier|yoy]. "
               "$assoc_short [believes|thinks|considers] that $view_en.")
MONTHS = {1: "January", 2: "February", 3: "March", 4: "April", 5: "May", 6: "June", 7: "July",
          8: "August", 9: "September", 10: "October", 11: "November", 12: "December"}
VIEWS = [("海外渠道库存已回到正常水平", "overseas channel inventory is back to normal"),
         ("人民币汇率波动对出口报价影响有限", "exchange-rate swings had little effect on export quotes"),
         ("节能标准升级带动欧洲替换需求", "stricter efficiency standards are driving replacement demand in Europe"),
         ("中东和拉美市场正在成为新的增长点", "the Middle East and Latin America are becoming new sources of growth")]


def _export_bulletins(assoc: str, zh: str, en: list[str], short: str, year: int, rows: list[tuple],
                      part: str) -> list[dict]:
    out = []
    for i, (m, val, yoy, up, mom, bulb, lum, strip, asean) in enumerate(rows):
        params = {"assoc_zh": zh, "assoc_en": en, "assoc_short": short, "y": year, "m": m,
                  "mname": MONTHS[m], "val": val, "val_en": _yi_to_bn(val), "yoy": yoy,
                  "dir_zh": "增长" if up else "下降", "dir_en": "up" if up else "down",
                  "mom_zh": f"增长{mom}%" if mom > 0 else f"下降{-mom}%",
                  "mom_en": f"up {mom}%" if mom > 0 else f"down {-mom}%",
                  "mom_en2": f"rise of {mom}%" if mom > 0 else f"fall of {-mom}%",
                  "bulb": bulb, "lum": lum, "strip": strip, "bulb_en": _yi_to_bn(bulb),
                  "lum_en": _yi_to_bn(lum), "strip_en": _yi_to_bn(strip), "asean": asean,
                  "view_zh": VIEWS[i % 4][0], "view_en": VIEWS[i % 4][1]}
        out.append(_story(f"export-{assoc}-{year}m{m:02d}", "recurring", part, f"export-{assoc}", params,
                          EXPORT_ZH_T, EXPORT_EN_T, zh_src=assoc, en_src=f"{assoc}_en",
                          day=f"{year}-{m + 1:02d}-{10 + i:02d}", mts=2))
    return out


def _yi_to_bn(v: float) -> str:
    """亿美元 -> billion (1亿 = 0.1 billion), as a translator writes it."""
    s = f"{v / 10:.3f}".rstrip("0").rstrip(".")
    return s


# -------------------------------------------------------------------------------------
# family 3: half-year / nine-month results of a listed LED company (recurring)

RESULTS_ZH_T = ("$co_zh$period_zh营收$rev亿元 $seg_zh出货增长$seg%",
                "$co_zh发布$y年$report_zh，$period_zh实现营业收入$rev亿元，同比增长$revg%；归母净利润$np亿元，同比$npdir_zh$npg%。"
                "\n报告期内，公司$seg_zh出货量同比增长$seg%，$extra_zh。公司表示，$city_zh基地$line_zh良率已提升至$yield%。"
                "\n公司研发投入$rd亿元，占营收比例为$rdp%。")
RESULTS_EN_T = ("$co_en's $period_en revenue [rises|grows|increases] to $rev_en billion yuan as $seg_en shipments [grow|increase|climb] $seg%",
                "$co_en [reported|announced|released] [revenue|operating income|business revenue] of $rev_en billion yuan for $period_en2 of $y, "
                "[up|an increase of|growing] $revg% [year on year|year-on-year|over the same period last year], [and|while] net profit "
                "[attributable to shareholders|attributable to the parent|belonging to shareholders of the listed company] [was|reached|stood at] $np_en million yuan, $npdir_en $npg%.\n"
                "[In the period|During the reporting period|In the reporting period], the company's $seg_en shipments [grew|increased|rose] $seg% "
                "[year on year|year-on-year|from a year earlier], [and|while] $extra_en. The company said the yield of the $line_en at its $city_en "
                "[base|plant|production base] [has risen to|has been improved to|has reached] $yield%.\n"
                "[R&D spending|Research and development investment|Spending on research and development] [was|reached|amounted to] $rd_en million yuan, "
                "$rdp% of [revenue|operating income|its revenue].")
PERIODS = {"H1": ("上半年", "半年报", "first-half", "the first half"),
           "9M": ("前三季度", "三季报", "nine-month", "the first three quarters")}


def _results(co: str, co_zh: str, co_en: list[str], city_zh: str, city_en: list[str], year: int,
             rows: list[tuple], part: str) -> list[dict]:
    out = []
    for i, (per, rev, revg, np_, npg, seg_zh, seg_en, seg, extra_zh, extra_en, line_zh, line_en,
            yld, rd, rdp) in enumerate(rows):
        pz, rz, pe, pe2 = PERIODS[per]
        params = {"co_zh": co_zh, "co_en": co_en, "city_zh": city_zh, "city_en": city_en, "y": year,
                  "period_zh": pz, "report_zh": rz, "period_en": pe, "period_en2": pe2,
                  "rev": rev, "rev_en": f"{rev / 10:.3g}", "revg": revg, "np": np_,
                  "np_en": f"{np_ * 100:.3g}", "npg": abs(npg),
                  "npdir_zh": "增长" if npg > 0 else "下降", "npdir_en": "up" if npg > 0 else "down",
                  "seg_zh": seg_zh, "seg_en": seg_en, "seg": seg, "extra_zh": extra_zh, "extra_en": extra_en,
                  "line_zh": line_zh, "line_en": line_en, "yield": yld, "rd": rd, "rd_en": f"{rd * 100:.3g}",
                  "rdp": rdp}
        out.append(_story(f"results-{co}-{year}{per.lower()}", "recurring", part, f"results-{co}", params,
                          RESULTS_ZH_T, RESULTS_EN_T, zh_src="ggled" if i % 2 else "ofweek",
                          en_src="ofweek_en", day=f"{year}-{'08' if per == 'H1' else '10'}-2{i + 2}",
                          mts=2))
    return out


# -------------------------------------------------------------------------------------
# family 4: one fab announcement, two outlets' own articles sharing a quote

FAB_A_ZH_T = ("$co_zh拟投资$inv亿元在$city_zh建设$prod_zh项目 达产后年产值约$out亿元",
              "$co_zh$day_zh晚间公告，公司与$city_zh$zone_zh签署投资协议，拟投资$inv亿元建设$prod_zh生产基地，"
              "项目分两期建设，一期预计$start年投产。\n项目全部达产后，预计可形成月产$cap万片的产能，年产值约$out亿元。"
              "\n“$quote_zh”公司董事长$boss_zh在签约仪式上表示。")
FAB_A_EN_T = ("$co_en [to invest|plans to invest|will invest] $inv_en billion yuan in $prod_en project in $city_en, "
              "[annual output value|yearly output|annual production value] [to reach|of about|around] $out_en billion yuan",
              "$co_en [announced|said in an announcement|disclosed] [on the evening of $day_en|$day_en evening|late on $day_en] that it "
              "[has signed|signed|had signed] an investment agreement with $city_en $zone_en [and|, and|,] [plans to invest|intends to invest|will put] "
              "$inv_en billion yuan [in building|to build|into constructing] a $prod_en [production base|manufacturing base|plant]. "
              "The project will be [built|constructed|carried out] in two phases, [with the first phase expected to start production|the first phase is expected to go into production|phase one expected to be put into operation] in $start.\n"
              "[When fully operational|After reaching full capacity|Once it reaches full production], the project is [expected|estimated|forecast] to "
              "[have a capacity of|form a capacity of|provide] $cap_en wafers a month and an annual output value of about $out_en billion yuan.\n"
              "\"$quote_en\" [said|stated|remarked] $boss_en, [chairman of the company|the company's chairman|board chairman of the company], at the signing ceremony.")
FAB_B_ZH_T = ("$prod_zh再添产能：$co_zh落子$city_zh",
              "又一个$prod_zh大项目落地。$co_zh此次选择$city_zh，看中的是当地的配套和人才。"
              "业内人士分析，$market_zh。\n“$quote_zh”$boss_zh说。\n在此之前，$co_zh已在$other_zh布局，"
              "$before_zh。有分析师指出，新项目投产后，公司在该领域的全球份额有望从$sh1%提升至$sh2%。")


def _fab(co: str, params: dict, part: str, day: str) -> list[dict]:
    a = _story(f"fab-{co}-outletA", "same-announcement", part, f"fab-{co}", params, FAB_A_ZH_T, FAB_A_EN_T,
               zh_src="ggled", en_src="ggled_en", day=day, mts=2)
    title, text = (_zh(t, params) for t in FAB_B_ZH_T)
    b = [_art(f"fab-{co}-outletB", "orig", "ofweek", "zh-Hans", day, title, text, part, "same-announcement",
              f"fab-{co}")]
    return [a, b]


# -------------------------------------------------------------------------------------
# family 5: product launches ending in the company's boilerplate paragraph

ABOUT = {
    "nationstar": ("关于国星光电：佛山市国星光电股份有限公司成立于1969年，是国内最早生产LED的企业之一，"
                   "主营LED器件及组件、LED芯片和照明应用产品，2010年在深圳证券交易所上市，拥有国家级企业技术中心。",
                   "About Nationstar: Foshan Nationstar Optoelectronics Co., Ltd., founded in 1969, is one of the "
                   "earliest LED makers in China. Its main products are LED devices and components, LED chips and "
                   "lighting applications. The company listed on the Shenzhen Stock Exchange in 2010 and runs a "
                   "national-level enterprise technology centre."),
    "unilumin": ("关于洲明科技：深圳市洲明科技股份有限公司成立于2004年，专注于LED显示和LED照明，"
                 "产品覆盖小间距、Micro LED和XR虚拟拍摄，业务遍及160多个国家和地区。",
                 "About Unilumin: Shenzhen Unilumin Group Co., Ltd., founded in 2004, focuses on LED displays "
                 "and LED lighting. Its products span fine-pitch displays, Micro LED and XR virtual production, "
                 "and it sells in more than 160 countries and regions."),
    "seoul": ("关于首尔半导体：首尔半导体成立于1987年，总部位于韩国安山，是全球主要的LED制造商之一，"
              "拥有约1.8万项专利，产品包括WICOP、SunLike和UV LED。",
              "About Seoul Semiconductor: Seoul Semiconductor, founded in 1987 and headquartered in Ansan, "
              "Korea, is one of the world's major LED manufacturers. It holds about 18,000 patents and its "
              "products include WICOP, SunLike and UV LEDs."),
}
LAUNCHES = {
    "nationstar": [
        ("国星光电发布车规级Mini LED背光模组",
         "国星光电日前发布一款车规级Mini LED背光模组，分区数达到1152区，峰值亮度2000尼特，对比度超过100万比1，"
         "主要面向12.3英寸仪表盘和中控屏。该模组已通过AEC-Q102认证，预计第四季度开始向两家新能源车企送样。",
         "Nationstar launches automotive-grade Mini LED backlight module",
         "Nationstar has launched an automotive-grade Mini LED backlight module with 1,152 dimming zones, a "
         "peak brightness of 2,000 nits and a contrast ratio above 1,000,000:1, aimed at 12.3-inch instrument "
         "clusters and centre displays. The module has passed AEC-Q102 qualification and samples will go to "
         "two electric-vehicle makers from the fourth quarter."),
        ("国星光电推出植物照明全光谱LED器件",
         "国星光电推出新一代植物照明全光谱LED器件，光量子效率达到3.2μmol/J，较上一代提升9%，可用于温室补光和"
         "垂直农场。公司称，该器件采用高可靠性陶瓷基板，在85摄氏度条件下寿命超过5万小时，已获得欧洲客户订单。",
         "Nationstar introduces full-spectrum LED for horticulture lighting",
         "Nationstar has introduced a new full-spectrum LED for horticulture lighting with a photon efficacy "
         "of 3.2 umol/J, 9% higher than the previous generation, for greenhouse supplementary lighting and "
         "vertical farms. The company said the device uses a high-reliability ceramic substrate, lasts more "
         "than 50,000 hours at 85 degrees Celsius and has won orders from European customers."),
    ],
    "unilumin": [
        ("洲明科技推出P0.9 COB Micro LED显示屏",
         "洲明科技近日推出P0.9 COB Micro LED显示屏，采用倒装芯片和共阴驱动，功耗比同类产品降低35%，"
         "单箱体尺寸为600×337.5毫米，主要面向指挥调度中心和高端会议室。公司计划年底前将月产能扩至8000平方米。",
         "Unilumin unveils P0.9 COB Micro LED display",
         "Unilumin has unveiled a P0.9 COB Micro LED display using flip chips and common-cathode driving, "
         "consuming 35% less power than comparable products. Each cabinet measures 600 x 337.5 mm, and the "
         "display targets control rooms and high-end meeting rooms. The company plans to raise monthly "
         "capacity to 8,000 square metres by the end of the year."),
        ("洲明科技XR虚拟拍摄方案落地中东",
         "洲明科技宣布其XR虚拟拍摄方案落地中东，为一家影视基地建设了面积达1200平方米的LED弧形主屏和天幕，"
         "刷新率达到7680Hz。这是洲明在该地区交付的第三个虚拟拍摄项目，合同金额约2.3亿元。",
         "Unilumin's XR virtual production solution lands in the Middle East",
         "Unilumin said its XR virtual production solution has been installed at a film studio in the Middle "
         "East, with a 1,200-square-metre curved LED main wall and ceiling running at a 7,680Hz refresh rate. "
         "It is the third virtual production project Unilumin has delivered in the region, worth about 230 "
         "million yuan."),
    ],
    "seoul": [
        ("首尔半导体WICOP技术获欧洲车灯订单",
         "首尔半导体宣布，其无封装WICOP LED获得一家欧洲车灯厂商的矩阵大灯订单，预计2027年起每年供货约600万颗。"
         "WICOP省去了金线和支架，光源尺寸缩小至1.2毫米，有利于车灯设计更纤薄。",
         "Seoul Semiconductor's WICOP wins European headlamp order",
         "Seoul Semiconductor said its package-free WICOP LED has won a matrix headlamp order from a European "
         "lamp maker, with deliveries of about 6 million units a year from 2027. WICOP does away with gold "
         "wires and lead frames and shrinks the light source to 1.2 mm, allowing slimmer lamp designs."),
        ("首尔半导体起诉一家分销商侵犯SunLike专利",
         "首尔半导体近日在德国杜塞尔多夫地方法院起诉一家照明分销商，指其销售的LED灯丝灯侵犯了SunLike相关专利。"
         "这是首尔半导体今年发起的第7起专利诉讼，公司称将继续维护其在全光谱LED领域的专利权。",
         "Seoul Semiconductor sues distributor over SunLike patents",
         "Seoul Semiconductor has sued a lighting distributor at the Duesseldorf Regional Court in Germany, "
         "alleging that LED filament bulbs it sells infringe SunLike patents. It is the seventh patent suit "
         "Seoul Semiconductor has filed this year, and the company said it will keep defending its "
         "full-spectrum LED patents."),
    ],
}


def _launches(co: str, part: str, day0: int) -> list[dict]:
    about_zh, about_en = ABOUT[co]
    out = []
    for i, (tz, xz, te, xe) in enumerate(LAUNCHES[co]):
        story = f"launch-{co}-{i}"
        day = f"2026-0{day0 + i * 2}-1{i + 2}"
        out.append([_art(story, "orig", co + "_cn", "zh-Hans", day, tz, xz + "\n" + about_zh, part,
                         "shared-paragraph", f"launch-{co}"),
                    _art(story, "tr", co, "en", day, te, xe + "\n" + about_en, part, "shared-paragraph",
                         f"launch-{co}")])
    return out


# -------------------------------------------------------------------------------------
# family 6: explainers opening with the same "what is an LED" paragraph

INTRO_EN = ("A light-emitting diode (LED) is a semiconductor device that emits light when an electric current "
            "flows through it. Electrons and holes recombine in the active layer and release energy as photons; "
            "the band gap of the material sets the colour. Compared with incandescent and fluorescent lamps, LEDs "
            "use far less energy, last tens of thousands of hours and contain no mercury.")
INTRO_ZH = ("发光二极管（LED）是一种在电流通过时发光的半导体器件。电子与空穴在有源层复合，以光子形式释放能量，"
            "材料的禁带宽度决定了发光颜色。与白炽灯和荧光灯相比，LED能耗更低，寿命可达数万小时，且不含汞。")
EXPLAINERS = [
    ("en", "How Mini LED backlights make LCD TVs brighter",
     "Mini LED backlights place thousands of LEDs between 100 and 300 microns behind the LCD panel and switch "
     "them in hundreds of local dimming zones. A 65-inch TV may use 20,000 chips in 2,000 zones, reaching 1,500 "
     "nits while keeping blacks dark. Cost is falling quickly as chip prices drop, and brands now sell 55-inch "
     "Mini LED sets for under US$600."),
    ("en", "Why UV-C LEDs are replacing mercury lamps in water purifiers",
     "UV-C LEDs emit at 265 to 280 nm, the range that damages the DNA of bacteria and viruses. A household "
     "purifier needs only a few 50 mW chips to treat 2 litres a minute, switches on instantly and has no "
     "mercury to dispose of. Wall-plug efficiency is still low, around 5%, which keeps modules expensive."),
    ("en", "Growing lettuce under LEDs: what horticulture lighting needs",
     "Plants use mostly red and blue light, so horticulture fixtures mix 660 nm red and 450 nm blue LEDs with "
     "white for the rest of the spectrum. Growers measure output in photons, not lumens: a good fixture "
     "delivers 3 umol/J. Vertical farms in Singapore and the Netherlands report lettuce cycles of 28 days "
     "under 16 hours of light a day."),
    ("zh", "Micro LED为何被视为下一代显示技术",
     "Micro LED将芯片尺寸缩小到50微米以下，每个像素自发光，无需背光和液晶层。它兼具OLED的高对比度和无机材料的长寿命，"
     "亮度可超过4000尼特。难点在于巨量转移：一块4K屏幕需要转移约2500万颗芯片，良率必须达到99.999%以上。"),
    ("zh", "车用LED：从尾灯到像素大灯",
     "LED最早在汽车上用于尾灯和刹车灯，如今已覆盖大灯、氛围灯和显示屏。像素大灯把数千个可单独控制的LED集成在一起，"
     "可以在不晃到对向司机的前提下保持远光。据估计，2026年全球车用LED市场规模约为38亿美元。"),
    ("zh", "紫外LED固化：印刷行业的节能选择",
     "UV LED固化用395纳米紫外光引发油墨和涂层瞬间固化，替代传统汞灯。相比汞灯，它节能约60%，无需预热，"
     "也不产生臭氧。目前包装印刷和电子涂覆是主要应用，国内已有超过三成的新装印刷机采用LED固化。"),
    ("en", "LED filament bulbs: the vintage look with a modern light source",
     "Filament bulbs string dozens of tiny LED chips on narrow glass or sapphire strips coated with phosphor, "
     "so they glow like the carbon filaments of the 1900s. A 4 W filament lamp gives about 470 lumens, as much "
     "as a 40 W incandescent. Heat is the weak point: the strips sit in a sealed bulb filled with helium to "
     "carry it away, and cheap lamps that skip the gas fail early."),
    ("en", "Street lighting: why LED retrofits cut glare complaints",
     "LED street lights aim light with small lenses over each chip instead of a reflector around one bulb, so "
     "almost no light goes above the horizon. Cities that retrofit report energy savings of 50% to 70%, but "
     "early projects used 5,000 K lamps that residents found harsh. Most now specify 3,000 K or lower and "
     "dim to 50% after midnight."),
    ("zh", "植物工厂里的LED：光配方决定产量",
     "植物工厂完全依靠人工光源，LED可以按作物需要组合红光和蓝光，这就是所谓的光配方。以生菜为例，"
     "红蓝光比例约为4比1时生长最快，每天光照16小时，28天即可采收。目前国内植物工厂的单位能耗仍是最大成本，"
     "约占运营成本的三到四成。"),
    ("zh", "紫外消毒LED：为何波长如此重要",
     "UV-C LED的杀菌效果取决于波长，265纳米附近最能破坏细菌和病毒的DNA。与汞灯相比，UV-C LED体积小、"
     "即开即用，适合净水器、冰箱和空调等家电。但其电光转换效率仍只有5%左右，单颗价格也是制约普及的主要因素。"),
]


# -------------------------------------------------------------------------------------
# family 7: a policy notice and a commentary on it

POLICIES = [
    {"key": "mercury", "day": "2026-06-03",
     "zh": ("工信部等三部门：2027年起禁止生产含汞荧光灯 推动LED替代",
            "工业和信息化部、生态环境部、市场监管总局近日联合发布通知，自2027年1月1日起，禁止生产、进出口"
            "T5、T8直管荧光灯和紧凑型荧光灯等含汞照明产品。\n通知要求，到2028年，LED照明产品在通用照明领域的"
            "市场占有率达到90%以上；各地不得在新建公共建筑中采购含汞光源。通知同时提出，对现有生产线转产LED给予"
            "技术改造资金支持，单个项目补助不超过2000万元。"),
     "en": ("MIIT and two other ministries ban mercury fluorescent lamp production from 2027 to push LEDs",
            "The Ministry of Industry and Information Technology, the Ministry of Ecology and Environment and the "
            "State Administration for Market Regulation have jointly issued a notice banning the production, "
            "import and export of T5 and T8 linear fluorescent lamps, compact fluorescent lamps and other "
            "mercury-containing lighting products from 1 January 2027.\nThe notice requires LED products to take "
            "more than 90% of the general lighting market by 2028 and bars new public buildings from buying "
            "mercury light sources. Existing lines converted to LED production will receive technical "
            "upgrade funding of up to 20 million yuan per project."),
     "comm": ("禁汞令倒计时：中小照明厂的转型账该怎么算",
              "三部门的禁汞通知给出了明确时间表：2027年1月1日起，含汞荧光灯全面停产。对于仍以T8灯管为主业的中小"
              "企业来说，这不只是换一条产线那么简单。\n以一家年产500万支灯管的工厂为例，转产LED灯管需要新增贴片、"
              "老化和检测设备，投入约800万元，而通知中单个项目最高2000万元的补助，门槛并不低。更大的挑战在渠道："
              "LED灯管的单价已跌至7元左右，毛利率不足12%。\n笔者认为，与其在红海里拼价格，不如借机转向植物照明、"
              "紫外消毒等细分市场。")},
    {"key": "efficiency", "day": "2026-09-15",
     "zh": ("市场监管总局发布LED室内照明能效新国标 一级能效提升至160lm/W",
            "国家市场监督管理总局、国家标准化管理委员会日前批准发布《LED室内照明产品能效限定值及能效等级》"
            "强制性国家标准，将于2027年7月1日实施。\n新标准将一级能效门槛由135lm/W提高至160lm/W，三级能效"
            "（准入值）由85lm/W提高至105lm/W，并首次将频闪和蓝光危害纳入要求。据测算，新标准实施后每年可节电约"
            "120亿千瓦时。"),
     "en": ("SAMR issues new efficiency standard for indoor LED lighting, grade 1 raised to 160lm/W",
            "The State Administration for Market Regulation and the Standardization Administration have approved "
            "and released a mandatory national standard, Minimum Allowable Values of Energy Efficiency and "
            "Energy Efficiency Grades for Indoor LED Lighting Products, which takes effect on 1 July 2027.\n"
            "The new standard raises the grade 1 threshold from 135lm/W to 160lm/W and the grade 3 (market "
            "entry) level from 85lm/W to 105lm/W, and for the first time covers flicker and blue-light hazard. "
            "It is expected to save about 12 billion kWh of electricity a year."),
     "comm": ("Commentary: China's 160lm/W rule will squeeze the bottom of the LED market",
              "China's new mandatory efficiency standard for indoor LED lighting, due on 1 July 2027, looks "
              "technical, but its real target is the bottom of the market. Raising the entry level from 85lm/W "
              "to 105lm/W will push out a large share of the cheap panels and downlights sold online today.\n"
              "Our own sampling of 40 best-selling products on two e-commerce platforms found that 14 of them, "
              "35%, would fail the new entry level. Most are sold by small assemblers with thin margins who "
              "cannot afford better drivers or higher-grade packages.\nFor established brands, the rule is good "
              "news: the flicker and blue-light requirements reward investment they have already made. Expect "
              "a wave of consolidation among assemblers in the Pearl River Delta before the deadline.")},
    {"key": "smartpole", "day": "2026-04-21",
     "zh": ("住建部：到2030年城市道路照明LED化率达到95% 推广智慧灯杆",
            "住房和城乡建设部近日印发《城市道路照明绿色低碳发展行动方案》，提出到2030年，全国城市道路照明LED化率"
            "达到95%，单位面积照明能耗比2025年下降20%。\n方案要求新建和改造道路同步建设智慧灯杆，整合照明、监控、"
            "5G微基站和充电桩等功能，地级及以上城市在2028年前完成道路照明智能控制平台建设。"),
     "en": ("MOHURD targets 95% LED street lighting in cities by 2030, promotes smart poles",
            "The Ministry of Housing and Urban-Rural Development has issued an action plan for green and "
            "low-carbon urban road lighting, calling for LEDs to make up 95% of urban road lighting nationwide "
            "by 2030 and for lighting energy use per unit area to fall 20% from 2025.\nThe plan requires smart "
            "poles that combine lighting, surveillance, 5G small cells and charging points to be built "
            "together with new and rebuilt roads, and cities at prefecture level and above to complete smart "
            "lighting control platforms by 2028."),
     "comm": ("95%的目标不难 难的是智慧灯杆谁来买单",
              "住建部的行动方案提出，到2030年城市道路照明LED化率达到95%。从我们掌握的数据看，多数一二线城市的"
              "LED化率已超过80%，这个目标并不难实现。\n真正的难点在智慧灯杆。一根集成5G微基站和充电桩的灯杆造价"
              "约6万元，是普通路灯的8倍以上。地方财政吃紧，运营商对共建共享的积极性不高，过去五年不少试点项目"
              "建成后功能闲置。\n我们建议，先在新区和高速服务区试点可运营的商业模式，再逐步推广。")},
    {"key": "export-rebate", "day": "2026-11-09",
     "zh": ("财政部：LED照明产品出口退税率自2027年起下调至9%",
            "财政部、税务总局近日发布公告，自2027年1月1日起，将LED灯泡、LED灯具等照明产品的出口退税率由13%"
            "下调至9%，涉及海关商品编码共26个。\n公告称，调整旨在引导企业从低价竞争转向品牌和技术竞争。"
            "2025年我国LED照明产品出口额约为470亿美元，其中上述26个编码约占六成。"),
     "en": ("Finance ministry cuts export tax rebate on LED lighting to 9% from 2027",
            "The Ministry of Finance and the State Taxation Administration have announced that the export tax "
            "rebate on LED bulbs, LED luminaires and other lighting products will be cut from 13% to 9% from "
            "1 January 2027, covering 26 customs commodity codes.\nThe change is meant to steer companies from "
            "price competition towards brands and technology, the announcement said. China exported about "
            "US$47 billion of LED lighting products in 2025, around 60% of it under the 26 codes."),
     "comm": ("Commentary: a 4-point rebate cut will hit LED exporters' thin margins",
              "Cutting the export rebate on LED lighting from 13% to 9% sounds modest, but for many exporters it "
              "is most of their profit. An exporter of LED bulbs typically earns a net margin of 3% to 5%; four "
              "points of rebate is more than that.\nWe spoke to six exporters in Zhongshan and Ningbo. Four said "
              "they would try to pass on price rises of 3% to 4% to importers in January; two expect to lose "
              "their smallest customers. Brands with their own channels in Europe will cope best.\nThe policy "
              "will speed up what the market started in 2024: the shift of assembly capacity to Vietnam and "
              "Mexico, where rebates do not matter.")},
]


# -------------------------------------------------------------------------------------
# family 8: machine translations that differ a lot (issue 17's misses): one Chinese
# article, three English machine translations written out in full, each with its own
# word choices, sentence shapes and renderings of names (literal, pinyin, brand) and
# of figures (1.2 billion / 12 hundred million / 1,200 million). Written in one go,
# before the translation-variant rules were tuned; the last three groups are held out.

HARD_MT = [
    ("hongli-cob", "in", "2026-06-09",
     ("鸿利智汇广州Mini LED COB项目投产 年产能达30万平方米",
      "鸿利智汇6月8日宣布，其位于广州花都的Mini LED COB显示模组项目正式投产，总投资12亿元，设计年产能30万平方米。"
      "\n该项目采用倒装芯片和巨量焊接工艺，模组点间距覆盖P0.6至P1.5，良率目前稳定在98.5%。"
      "\n公司预计项目满产后每年可新增营收约18亿元，产品主要供应会议一体机和家庭影院显示屏。"),
     [("Hongli Zhihui Guangzhou Mini LED COB project goes into production, annual capacity 300,000 square meters",
       "Hongli Zhihui announced on June 8 that its Mini LED COB display module project in Huadu, Guangzhou officially went into production, with total investment of 1.2 billion yuan and designed annual capacity of 300,000 square meters.\n"
       "The project uses flip chip and mass welding process, module dot pitch covers P0.6 to P1.5, and yield is currently stable at 98.5%.\n"
       "The company expects that after full production the project can add about 1.8 billion yuan of revenue each year, and products mainly supply conference all-in-one machines and home theater displays."),
      ("Honglitronic's Canton Mini-LED chip-on-board plant starts output with 300 thousand sq m a year",
       "On 8 June, Honglitronic said production has begun at its chip-on-board Mini-LED screen module facility located in the Flower City district of Canton. The investment totals 12 hundred million RMB and the plant is built for 300 thousand square metres annually.\n"
       "Flip-chip dies and bulk soldering technology are applied; pixel pitches range between P0.6 and P1.5, with the pass rate holding at 98.5% for now.\n"
       "Once running at capacity, the plant should bring roughly 1,800 million RMB in additional sales per year, the firm estimates, chiefly for meeting-room integrated terminals and home cinema screens."),
      ("Hong Li Smart Convergence puts Guangzhou MiniLED COB line into operation",
       "Hong Li Smart Convergence disclosed June 8 that the MiniLED COB display module programme in Guangzhou's Huadu area has been officially commissioned. Overall input is 1.2 billion yuan, and the design capacity per year is 300,000 m2.\n"
       "The programme adopts inverted chips plus a massive bonding technique. The dot spacing of the modules spans P0.6-P1.5 and the qualified rate is steady at 98.5% at present.\n"
       "After reaching full output, yearly income is predicted to grow by approximately 1.8 billion yuan, with goods mostly provided for conference all-in-one units and family theatre screens.")]),
    ("focus-suqian", "in", "2026-07-14",
     ("聚灿光电宿迁基地扩产 新增月产能100万片4英寸外延片",
      "聚灿光电7月13日晚公告，拟使用募集资金9.6亿元扩建宿迁生产基地，新增月产能100万片4英寸高光效LED外延片及芯片。"
      "\n公司2025年营收为27.4亿元，LED芯片出货量居国内第三。此次扩产主要面向背光和车用市场，"
      "建设周期为24个月。\n公司表示，扩产完成后高端产品占比将由35%提升至60%。"),
     [("Focus Lightings expands Suqian base, adding 1 million 4-inch epitaxial wafers of monthly capacity",
       "Focus Lightings announced on the evening of July 13 that it plans to use 960 million yuan of raised funds to expand its Suqian production base, adding a monthly capacity of 1 million 4-inch high-efficiency LED epitaxial wafers and chips.\n"
       "The company's revenue in 2025 was 2.74 billion yuan, and its LED chip shipments rank third in China. The expansion mainly targets backlight and automotive markets, with a construction period of 24 months.\n"
       "The company said high-end products will rise from 35% to 60% of output after the expansion."),
      ("Jucan Optoelectronics to enlarge Su Qian plant by one million four-inch epi wafers a month",
       "In a filing late on 13 July, Jucan Optoelectronics said 9.6 hundred million yuan of proceeds from its share offering would go toward enlarging the Su Qian manufacturing site, lifting output by one million 4-inch wafers of high luminous efficacy LED epitaxy and dies every month.\n"
       "Turnover for 2025 came to 27.4 hundred million yuan, placing the maker third among domestic suppliers of LED chips by volume. Backlighting and vehicles are the key targets, and building will take two years, or 24 months.\n"
       "According to the firm, the share of premium products will climb to 60%, up from 35%, when the work is done."),
      ("Gather Brilliant Photoelectric announces capacity enlargement in Suqian",
       "Gather Brilliant Photoelectric published an announcement in the night of 7/13, intending to use raised capital 960 million RMB to extend the Suqian producing base, newly increasing monthly productivity of 1,000,000 pieces of 4 inch high light efficiency LED epitaxy wafer and chip.\n"
       "Company 2025 year operating income is 2,740 million RMB, LED chip shipping quantity ranks No. 3 domestically. This capacity extension faces backlight and car-use market, building cycle is 24 months.\n"
       "Company expressed, after completion the proportion of high-end product will increase from 35% to 60%.")]),
    ("refond-auto", "in", "2026-09-02",
     ("瑞丰光电车用LED业务上半年收入增长64% 获三家车企定点",
      "瑞丰光电在投资者关系活动中透露，公司车用LED业务上半年实现收入3.1亿元，同比增长64%，占公司总营收的23%。"
      "\n目前公司车规级产品已获得三家新能源车企的定点，涵盖尾灯、氛围灯和Mini LED仪表背光，定点项目生命周期总金额约11亿元。"
      "\n公司计划明年将车用产品产能再提升50%。"),
     [("Refond's automotive LED revenue rises 64% in first half, wins design-ins at three carmakers",
       "Refond said at an investor relations event that its automotive LED business generated revenue of 310 million yuan in the first half, up 64% year on year and accounting for 23% of total revenue.\n"
       "Its automotive-grade products have been designated by three new energy vehicle makers, covering tail lamps, ambient lighting and Mini LED instrument backlights, with a total lifetime value of about 1.1 billion yuan.\n"
       "The company plans to raise its capacity for automotive products by another 50% next year."),
      ("Ruifeng Optoelectronics: car LED sales jump 64% in H1, three EV makers nominate it",
       "Speaking with investors, Ruifeng Optoelectronics revealed that sales from LEDs for cars reached 3.1 hundred million yuan during the first six months, a 64% jump from a year earlier, or 23% of the group's turnover.\n"
       "Three electric carmakers have now nominated its vehicle-grade parts for rear lights, mood lighting and MiniLED dashboard backlighting; over their life cycles, the nominated projects are worth some 1,100 million yuan combined.\n"
       "Next year it intends to expand capacity for car products by a further 50%."),
      ("Auspicious Abundance Photoelectric vehicle LED income up 64 percent",
       "In investor relation activity, Auspicious Abundance Photoelectric disclosed company vehicle LED business realized income 310 million RMB in the first half year, increasing 64% compared with same period, occupying 23% of company total operating revenue.\n"
       "At present company vehicle-specification products already obtained fixed-point of three new energy car enterprises, covering rear lamp, atmosphere lamp and Mini LED meter backlight, fixed-point project life cycle total amount about 1.1 billion RMB.\n"
       "Company plans next year to lift vehicle product capacity again by 50%.")]),
    ("absen-mideast", "in", "2026-11-17",
     ("艾比森中标沙特体育场LED显示项目 合同金额2.4亿元",
      "艾比森11月16日公告，公司中标沙特阿拉伯一座新建体育场的LED显示系统项目，合同金额约2.4亿元，约占公司上一年度营收的6.5%。"
      "\n项目包括环形屏、记分屏和场外媒体墙，显示总面积约5200平方米，计划于2027年第二季度交付。"
      "\n今年以来，公司在中东地区累计签约金额已超过7亿元。"),
     [("Absen wins Saudi stadium LED display contract worth 240 million yuan",
       "Absen announced on November 16 that it has won the LED display system contract for a new stadium in Saudi Arabia, worth about 240 million yuan, or about 6.5% of the company's revenue last year.\n"
       "The project includes ring displays, scoreboards and an exterior media wall with a total display area of about 5,200 square metres, and is scheduled for delivery in the second quarter of 2027.\n"
       "So far this year the company's contracts signed in the Middle East have exceeded 700 million yuan."),
      ("Aibisen bags 2.4 hundred million yuan screen order for Saudi sports arena",
       "Aibisen has been selected to supply the LED screen system of a stadium under construction in Saudi Arabia, according to a 16 November filing. The deal is valued at around 2.4 hundred million yuan, equal to some 6.5% of last year's sales.\n"
       "Ribbon boards around the bowl, score displays and an outdoor advertising wall, about 5,200 square meters of screens altogether, are to be handed over in Q2 2027.\n"
       "Since January, orders booked by the company across the Mideast add up to more than 7 hundred million yuan."),
      ("Ai Bi Sen won bid of Saudi stadium LED display project",
       "Ai Bi Sen bulletin on 11.16 said company won the bid for LED display system project of one newly built stadium in Kingdom of Saudi Arabia, contract amount approximately 240 million RMB, approximately occupying 6.5% of the company previous year revenue.\n"
       "Project includes circular screen, scoring screen and off-site media wall, display total area about 5200 square meter, planned to deliver in 2027 second quarter.\n"
       "Since this year, company accumulated signing amount in Middle East region already surpassed 700 million RMB.")]),
    ("lattice-nanchang", "held", "2027-02-23",
     ("晶能光电硅衬底Micro LED中试线在南昌贯通 首批样品亮度超过100万尼特",
      "晶能光电2月22日宣布，其在南昌建设的硅衬底Micro LED中试线全线贯通，首批0.13英寸单色微显示样品亮度超过100万尼特。"
      "\n该中试线投资4.5亿元，采用8英寸硅衬底氮化镓外延，可月产3000片晶圆。公司称，硅衬底与CMOS驱动背板的热膨胀系数接近，"
      "有利于提高键合良率。\n晶能光电计划2028年实现AR眼镜用微显示屏量产。"),
     [("Lattice Power's silicon-substrate Micro LED pilot line in Nanchang runs end to end; first samples exceed 1 million nits",
       "Lattice Power announced on February 22 that its silicon-substrate Micro LED pilot line in Nanchang is fully connected, and the first 0.13-inch monochrome microdisplay samples exceed 1 million nits in brightness.\n"
       "The pilot line cost 450 million yuan and uses GaN epitaxy on 8-inch silicon substrates, with a monthly capacity of 3,000 wafers. The company said silicon and CMOS driver backplanes have similar thermal expansion coefficients, which helps bonding yield.\n"
       "Lattice Power plans mass production of microdisplays for AR glasses in 2028."),
      ("Jingneng Optoelectronics completes Nan Chang trial line for Micro-LED on silicon",
       "Jingneng Optoelectronics said on 22 February that every stage of its pilot production line for Micro-LED on silicon wafers in Nan Chang is now linked up, and that the earliest single-colour 0.13 in micro-display samples shine at above one million nits.\n"
       "Costing 4.5 hundred million yuan, the line grows gallium nitride on eight-inch silicon and can turn out 3,000 wafers monthly. Because silicon expands with heat almost as much as the CMOS backplane that drives it, bonding yields improve, the company explained.\n"
       "Volume output of AR-glasses micro-displays is targeted for 2028."),
      ("Crystal Energy Photoelectric silicon substrate Micro LED pilot test line is through",
       "Crystal Energy Photoelectric declared on 2.22 its silicon substrate Micro LED intermediate test line constructed in Nanchang is completely through, first batch 0.13 inch single color micro display sample brightness surpasses 1,000,000 nit.\n"
       "This pilot line invests 450 million RMB, adopting 8 inch silicon substrate gallium nitride epitaxy, can monthly produce 3000 piece wafer. Company says silicon substrate and CMOS driving backplane thermal expansion coefficient are close, advantageous to raise bonding yield.\n"
       "Crystal Energy Photoelectric plans in 2028 to realize mass production of micro display for AR glasses.")]),
    ("mtc-backlight", "held", "2027-04-08",
     ("兆驰股份获两大电视品牌Mini LED背光订单 全年出货目标上调至500万台",
      "兆驰股份在4月7日的业绩说明会上表示，公司已获得两家全球前五电视品牌的Mini LED背光模组订单，"
      "将全年Mini LED背光出货目标由350万台上调至500万台。\n公司一季度实现营收51.3亿元，同比增长14.7%，"
      "其中LED产业链业务收入19.8亿元。\n兆驰称，其自产芯片已覆盖Mini LED背光需求的80%以上，成本较外购低约15%。"),
     [("MTC wins Mini LED backlight orders from two major TV brands, raises full-year shipment target to 5 million units",
       "MTC said at its earnings briefing on April 7 that it has won Mini LED backlight module orders from two of the world's top five TV brands and raised its full-year Mini LED backlight shipment target from 3.5 million to 5 million units.\n"
       "The company posted first-quarter revenue of 5.13 billion yuan, up 14.7% year on year, of which the LED supply chain business contributed 1.98 billion yuan.\n"
       "MTC said its in-house chips now cover more than 80% of its Mini LED backlight needs, at a cost about 15% below bought-in chips."),
      ("Zhaochi Shares lifts 2027 Mini-LED backlight goal to five million sets after two TV wins",
       "Two of the five largest television brands globally have placed Mini-LED backlight unit orders with Zhaochi Shares, the company told an earnings call on 7 April, so it now aims to ship five million sets this year instead of 3.5 million.\n"
       "First-quarter turnover rose 14.7% to 51.3 hundred million yuan; the LED value-chain segment accounted for 19.8 hundred million yuan.\n"
       "More than 80% of the chips its Mini-LED backlights need are made in-house, roughly 15% cheaper than purchased ones, Zhaochi noted."),
      ("Trillion Gallop Co obtains Mini LED backlight orders of two big TV brands",
       "Trillion Gallop Co expressed in performance explanation meeting of 4.7, company already obtained Mini LED backlight module orders of two global top five TV brands, adjusting whole year Mini LED backlight shipping target from 3.5 million sets up to 5 million sets.\n"
       "Company first quarter realized operating income 5,130 million RMB, increasing 14.7% compared with same period, among which LED industry chain business income 1,980 million RMB.\n"
       "Trillion Gallop says, its self-produced chip already covers more than 80% of Mini LED backlight demand, cost lower about 15% than purchased.")]),
    ("csot-mled", "held", "2027-06-15",
     ("TCL华星惠州MLED基地首期点亮 计划投资150亿元",
      "TCL华星6月14日在惠州举行MLED显示基地首期点亮仪式。该基地计划总投资150亿元，分三期建设，首期月产能为2万平方米Mini LED直显模组。"
      "\n公司表示，基地全部建成后可实现年产值约120亿元，并带动上下游配套企业20余家入驻。"
      "\n首期产品主要为P0.9以下的COB和MIP直显模组，面向商显和虚拟拍摄市场。"),
     [("TCL CSOT lights up first phase of Huizhou MLED base, planned investment 15 billion yuan",
       "TCL CSOT held a lighting-up ceremony for the first phase of its MLED display base in Huizhou on June 14. The base has a planned total investment of 15 billion yuan in three phases, and the first phase has a monthly capacity of 20,000 square metres of Mini LED direct-view modules.\n"
       "The company said that when fully built the base can achieve annual output value of about 12 billion yuan and attract more than 20 upstream and downstream suppliers.\n"
       "First-phase products are mainly COB and MIP direct-view modules below P0.9 for commercial display and virtual production."),
      ("TCL China Star switches on Hui Zhou MLED plant phase one",
       "At a ceremony on 14 June, TCL China Star switched on the initial phase of its MLED display complex in Hui Zhou. Spending on the complex is to total 150 hundred million yuan over three stages, and stage one can make 20 thousand square meters of Mini-LED direct-view modules a month.\n"
       "Complete, the site would produce about 120 hundred million yuan of output a year and draw in over 20 supporting companies from along the supply chain, the panel maker said.\n"
       "Phase-one output will be mostly sub-P0.9 chip-on-board and MiP modules aimed at commercial displays and virtual film production."),
      ("TCL Huaxing Huizhou MLED base first period lit up, plans to invest 15 billion",
       "TCL Huaxing on 6.14 in Huizhou held MLED display base first period lighting ceremony. This base plans total investment 15,000 million RMB, constructed in three periods, first period monthly capacity is 20,000 square meter Mini LED direct display module.\n"
       "Company expressed, after base is all completed can realize yearly output value about 12,000 million RMB, and drive more than 20 upstream and downstream supporting enterprises to settle in.\n"
       "First period products mainly are COB and MIP direct display modules under P0.9, facing commercial display and virtual shooting market.")]),
]


def _hard_mt() -> list[list[dict]]:
    out = []
    for key, part, day, (tz, xz), mts in HARD_MT:
        story = f"hardmt-{key}"
        g = [_art(story, "orig", "ggled", "zh-Hans", day, tz, xz, part, "-", story)]
        for c, (te, xe) in enumerate(mts):
            g.append(_art(story, "mt", f"b2b_mt{c + 1}", "en", _later(day, 5 + 23 * c), te, xe, part, "-", story))
        out.append(g)
    return out


# -------------------------------------------------------------------------------------
# building blocks


def _art(story: str, role: str, source: str, lang: str, published: str | None, title: str, text: str,
         part: str, cls: str, family: str) -> dict:
    return {"story": story, "role": role, "source": source, "lang": lang, "published": published,
            "title": title, "text": text, "part": part, "cls": cls, "family": family}


def _later(day: str, n: int) -> str:
    import datetime

    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=n)).isoformat()


def _story(story: str, cls: str, part: str, family: str, params: dict, zh_t: tuple, en_t: tuple,
           zh_src: str, en_src: str, day: str, mts: int) -> list[dict]:
    """One Chinese original, its English translation (choice 0) and ``mts`` machine
    translations (choices 1..mts) published later by B2B sites."""
    out = [_art(story, "orig", zh_src, "zh-Hans", day, _zh(zh_t[0], params), _zh(zh_t[1], params), part, cls,
                family),
           _art(story, "tr", en_src, "en", _later(day, 1), _pick(en_t[0], 0, params), _pick(en_t[1], 0, params),
                part, cls, family)]
    for c in range(1, mts + 1):
        out.append(_art(story, "mt", f"b2b_mt{c}", "en", _later(day, 9 + 17 * c),
                        _pick(en_t[0], c, params), _pick(en_t[1], c, params), part, cls, family))
    return out


def _syndicate(a: dict, source: str, days: int) -> dict:
    if a["lang"].startswith("zh"):
        text = a["text"].replace("，", ",").replace("。", "。 ").replace("\n", "\n\n") + "\n相关阅读"
    else:
        text = a["text"].replace(". ", ".  ").replace("\n", "\n\n") + "\nRelated articles"
    return {**a, "role": "copy", "source": source, "published": _later(a["published"], days), "text": text}


def _traditional(a: dict, source: str) -> dict:
    import opencc

    cc = opencc.OpenCC("s2t")
    return {**a, "role": "hant", "lang": "zh-Hant", "source": source, "published": _later(a["published"], 1),
            "title": cc.convert(a["title"]), "text": cc.convert(a["text"])}


# -------------------------------------------------------------------------------------
# the instances


def _build() -> list[list[dict]]:
    groups: list[list[dict]] = []
    # recurring: quarterly price reports, three firms (the third held out)
    groups += _price_reports("ledinside", "集邦咨询LEDinside", ["TrendForce LEDinside", "Jibang Consulting LEDinside", "TrendForce"],
                             "TrendForce", 2026,
                             [(1, 2.4, 0.0041, 1.2, 3.1, 62), (2, 1.1, 0.0039, 0.6, 2.3, 62),
                              (3, 1.6, 0.0038, 0.6, 1.9, 63), (4, 1.3, 0.0037, 0.8, 1.9, 64)], "in", "nQyy")
    groups += _price_reports("ggii", "高工产研LED研究所", ["GGII", "Gaogong Industry Research Institute LED", "GG Industry Research LED Institute"],
                             "GGII", 2025,
                             [(1, 3.2, 0.0052, 1.8, 2.7, 55), (2, 2.1, 0.0049, 1.1, 2.7, 56),
                              (3, 2.1, 0.0047, 0.9, 2.2, 57), (4, 1.7, 0.0046, 0.9, 1.6, 57)], "in", "Qn")
    groups += _price_reports("csa", "CSA Research", ["CSA Research", "China Solid State Lighting Alliance Research", "CSA Research Institute"],
                             "CSA Research", 2027,
                             [(1, 1.9, 0.0035, 1.0, 2.2, 66), (2, 1.4, 0.0034, 1.0, 1.8, 66),
                              (3, 1.2, 0.0033, 0.7, 1.8, 67), (4, 1.2, 0.0033, 0.5, 1.4, 68)], "held", "nQyy")
    # recurring: monthly export bulletins
    groups += _export_bulletins("cali", "中国照明电器协会", ["the China Association of Lighting Industry", "China Lighting Electrical Appliance Association", "CALI"],
                                "CALI", 2026,
                                [(3, 41.6, 6.2, True, 18.5, 14.2, 19.8, 7.6, 11.3),
                                 (4, 43.0, 4.9, True, 3.4, 14.6, 20.5, 7.9, 12.8),
                                 (5, 44.1, 1.7, False, 2.6, 14.6, 21.3, 8.2, 9.4)], "in")
    groups += _export_bulletins("ccc", "中国机电产品进出口商会", ["the China Chamber of Commerce for Import and Export of Machinery and Electronic Products", "CCCME", "China Mechanical and Electrical Products Import and Export Chamber of Commerce"],
                                "CCCME", 2027,
                                [(8, 46.3, 3.3, True, 2.2, 15.8, 22.1, 8.4, 15.1),
                                 (9, 47.5, 2.6, True, 2.6, 15.8, 22.9, 8.8, 13.6),
                                 (10, 44.9, 0.8, False, -5.5, 15.1, 21.4, 8.4, 12.2)], "held")
    # recurring: half-year vs nine-month results
    res = [
        ("hcsemitek", "华灿光电", ["HC SemiTek", "Huacan Optoelectronics", "Hua Can Photoelectric"], "珠海", ["Zhuhai", "Zhuhai", "Zhu Hai"], 2026,
         [("H1", 22.6, 11.2, 0.93, 130, "Mini LED芯片", "Mini LED chip", 47, "氮化镓功率器件实现小批量供货",
           "GaN power devices entered small-volume supply", "6英寸产线", "6-inch line", 96, 1.8, 8.0),
          ("9M", 35.1, 12.8, 1.41, 152, "Mini LED芯片", "Mini LED chip", 52, "氮化镓功率器件进入两家电源厂商供应链",
           "GaN power devices entered the supply chains of two power-supply makers", "6英寸产线", "6-inch line", 96, 2.9, 8.3)], "in"),
        ("nationstar", "国星光电", ["Nationstar", "Guoxing Optoelectronics", "National Star Optoelectronic"], "佛山", ["Foshan", "Fo Shan", "Foshan City"], 2026,
         [("H1", 18.4, 6.5, 0.62, 9.1, "车用LED器件", "automotive LED device", 33, "Mini LED背光器件进入三家电视品牌",
           "Mini LED backlight devices entered three TV brands", "车规级封装线", "automotive-grade packaging line", 98, 1.1, 6.0),
          ("9M", 28.9, 7.4, 0.97, 12.3, "车用LED器件", "automotive LED device", 36, "Mini LED背光器件出货环比翻番",
           "Mini LED backlight device shipments doubled quarter on quarter", "车规级封装线", "automotive-grade packaging line", 98, 1.8, 6.2)], "in"),
        ("sanan", "三安光电", ["Sanan Optoelectronics", "San'an Optoelectronics", "Three Safety Photoelectric"], "厦门", ["Xiamen", "Amoy", "Xia Men"], 2026,
         [("H1", 81.5, 9.8, 2.05, -14.6, "碳化硅器件", "silicon carbide device", 61, "Micro LED芯片开始向手表客户供货",
           "Micro LED chips began shipping to a smartwatch customer", "8英寸碳化硅产线", "8-inch silicon carbide line", 90, 6.1, 7.5),
          ("9M", 124.3, 10.6, 3.22, -9.9, "碳化硅器件", "silicon carbide device", 64, "Micro LED芯片良率提升至99.9%",
           "Micro LED chip yield improved to 99.9%", "8英寸碳化硅产线", "8-inch silicon carbide line", 92, 9.4, 7.6)], "held"),
        ("leyard", "利亚德", ["Leyard", "Liyade", "Li Ya De"], "无锡", ["Wuxi", "Wu Xi", "Wuxi City"], 2026,
         [("H1", 37.2, 4.1, 1.76, 8.8, "Micro LED显示产品", "Micro LED display product", 72, "海外收入占比升至34%",
           "overseas revenue rose to 34% of the total", "Micro LED巨量转移线", "Micro LED mass-transfer line", 95, 2.4, 6.5),
          ("9M", 56.8, 3.7, 2.61, 5.2, "Micro LED显示产品", "Micro LED display product", 69, "虚拟拍摄业务订单同比增长41%",
           "orders for virtual production grew 41% year on year", "Micro LED巨量转移线", "Micro LED mass-transfer line", 95, 3.7, 6.5)], "held"),
        ("mls", "木林森", ["MLS", "Mulinsen", "Mu Lin Sen"], "中山", ["Zhongshan", "Zhong Shan", "Zhongshan City"], 2026,
         [("H1", 79.3, -3.6, 1.12, -21.4, "朗德万斯品牌照明产品", "LEDVANCE-branded lighting product", 8, "欧洲渠道库存回到正常水平",
           "European channel inventory returned to normal", "自动化灯具组装线", "automated luminaire assembly line", 97, 2.2, 2.8),
          ("9M", 121.7, -2.9, 1.86, -15.3, "朗德万斯品牌照明产品", "LEDVANCE-branded lighting product", 11, "北美商用照明订单回暖",
           "commercial lighting orders in North America picked up", "自动化灯具组装线", "automated luminaire assembly line", 97, 3.4, 2.8)], "in"),
        ("changelight", "乾照光电", ["Changelight", "Qianzhao Optoelectronics", "Qian Zhao Photoelectric"], "南昌", ["Nanchang", "Nan Chang", "Nanchang City"], 2027,
         [("H1", 14.7, 15.3, 0.41, 26.0, "红黄光LED芯片", "red and yellow LED chip", 29, "砷化镓太阳能电池外延片开始批量供货",
           "GaAs solar cell epitaxial wafers entered volume supply", "4英寸砷化镓产线", "4-inch gallium arsenide line", 93, 1.3, 8.8),
          ("9M", 22.5, 14.1, 0.66, 31.5, "红黄光LED芯片", "red and yellow LED chip", 31, "VCSEL芯片通过车规级认证",
           "VCSEL chips passed automotive qualification", "4英寸砷化镓产线", "4-inch gallium arsenide line", 94, 2.0, 8.9)], "held"),
    ]
    for co, zh, en, cz, ce, y, rows, part in res:
        groups += _results(co, zh, en, cz, ce, y, rows, part)
    # same announcement, two outlets
    fabs = [
        ("sanan-ezhou", "in", "2026-05-18", {
            "co_zh": "三安光电", "co_en": ["Sanan Optoelectronics", "San'an Optoelectronics", "Three Safety Photoelectric"],
            "city_zh": "鄂州", "city_en": ["Ezhou", "E'zhou", "Ezhou City"], "zone_zh": "葛店经济技术开发区",
            "zone_en": ["Gedian Economic and Technological Development Zone", "Gedian Economic Development Zone", "Gedian Development Zone"],
            "inv": 120, "inv_en": "12", "prod_zh": "Mini/Micro LED芯片", "prod_en": "Mini/Micro LED chip", "start": 2027,
            "cap": 16, "cap_en": "160,000", "out": 80, "out_en": "8", "day_zh": "5月17日", "day_en": "May 17",
            "boss_zh": "林志强", "boss_en": ["Lin Zhiqiang", "Lin Chih-chiang", "Zhiqiang Lin"],
            "quote_zh": "Mini/Micro LED是公司未来十年最重要的增长引擎，我们要在这一轮技术变革中占据主动。",
            "quote_en": "Mini/Micro LED is the company's most important growth engine for the next ten years, and we intend to take the initiative in this round of technological change.",
            "market_zh": "Mini LED背光在电视和笔记本电脑中的渗透率正在快速提升", "other_zh": "厦门和泉州",
            "before_zh": "两地合计拥有月产约20万片4英寸外延片的能力", "sh1": 18, "sh2": 25}),
        ("hcsemitek-zhuhai", "in", "2026-07-06", {
            "co_zh": "华灿光电", "co_en": ["HC SemiTek", "Huacan Optoelectronics", "Hua Can Photoelectric"],
            "city_zh": "珠海", "city_en": ["Zhuhai", "Zhu Hai", "Zhuhai City"], "zone_zh": "金湾区",
            "zone_en": ["Jinwan District", "Jin Wan District", "Jinwan"],
            "inv": 47.5, "inv_en": "4.75", "prod_zh": "氮化镓功率器件", "prod_en": "GaN power device", "start": 2027,
            "cap": 5, "cap_en": "50,000", "out": 32, "out_en": "3.2", "day_zh": "7月5日", "day_en": "July 5",
            "boss_zh": "刘榕", "boss_en": ["Liu Rong", "Rong Liu", "Lau Yung"],
            "quote_zh": "氮化镓功率器件和LED芯片共用外延和工艺平台，这是我们做这个项目最大的底气。",
            "quote_en": "GaN power devices and LED chips share the same epitaxy and process platform, which is what gives us the confidence to do this project.",
            "market_zh": "快充和数据中心电源对氮化镓器件的需求每年增长超过40%", "other_zh": "义乌和张家港",
            "before_zh": "两地基地以LED外延和芯片为主", "sh1": 4, "sh2": 9}),
        ("mls-vietnam", "held", "2027-03-22", {
            "co_zh": "木林森", "co_en": ["MLS", "Mulinsen", "Mu Lin Sen"],
            "city_zh": "越南北宁", "city_en": ["Bac Ninh, Vietnam", "Beining, Vietnam", "Bắc Ninh in Vietnam"], "zone_zh": "安丰工业园",
            "zone_en": ["Yen Phong Industrial Park", "Anfeng Industrial Park", "Yen Phong industrial zone"],
            "inv": 18, "inv_en": "1.8", "prod_zh": "LED照明灯具", "prod_en": "LED luminaire", "start": 2028,
            "cap": 300, "cap_en": "3 million", "out": 25, "out_en": "2.5", "day_zh": "3月21日", "day_en": "March 21",
            "boss_zh": "孙清焕", "boss_en": ["Sun Qinghuan", "Qinghuan Sun", "Suen Ching-woon"],
            "quote_zh": "在越南建厂不是为了转移产能，而是为了更贴近我们的海外客户。",
            "quote_en": "Building a plant in Vietnam is not about moving capacity out, it is about being closer to our overseas customers.",
            "market_zh": "关税和出口退税调整正推动照明组装环节向东南亚转移", "other_zh": "中山和江西吉安",
            "before_zh": "两地是公司LED封装和照明成品的主要生产基地", "sh1": 7, "sh2": 9}),
        ("unilumin-chengdu", "held", "2027-05-10", {
            "co_zh": "洲明科技", "co_en": ["Unilumin", "Zhouming Technology", "Zhou Ming Science and Technology"],
            "city_zh": "成都", "city_en": ["Chengdu", "Cheng Du", "Chengdu City"], "zone_zh": "高新区",
            "zone_en": ["High-tech Zone", "Hi-Tech Development Zone", "High and New Technology Zone"],
            "inv": 30, "inv_en": "3", "prod_zh": "Micro LED显示模组", "prod_en": "Micro LED display module", "start": 2028,
            "cap": 2, "cap_en": "20,000", "out": 45, "out_en": "4.5", "day_zh": "5月9日", "day_en": "May 9",
            "boss_zh": "林洺锋", "boss_en": ["Lin Mingfeng", "Mingfeng Lin", "Lam Ming-fung"],
            "quote_zh": "西南地区有完整的显示面板产业链，成都基地将成为我们Micro LED量产的主阵地。",
            "quote_en": "The southwest has a complete display panel supply chain, and the Chengdu base will become our main battlefield for Micro LED mass production.",
            "market_zh": "Micro LED在会议室和家庭影院市场的出货面积连续两年翻番", "other_zh": "深圳和惠州",
            "before_zh": "惠州基地目前月产LED显示屏约3万平方米", "sh1": 11, "sh2": 15}),
    ]
    for co, part, day, params in fabs:
        groups += _fab(co, params, part, day)
    # shared paragraphs: boilerplate (the Seoul launches held out) and the LED intro
    groups += _launches("nationstar", "in", 3)
    groups += _launches("unilumin", "in", 4)
    groups += _launches("seoul", "held", 5)
    for i, (lang, title, body) in enumerate(EXPLAINERS):
        intro = INTRO_EN if lang == "en" else INTRO_ZH
        groups.append([_art(f"explainer-{lang}-{i}", "orig", "ledguide" if lang == "en" else "ledzhishi",
                            "en" if lang == "en" else "zh-Hans", _later("2026-10-10", i * 3), title, intro + "\n" + body,
                            "in" if i in (0, 1, 3, 4) else "held", "shared-paragraph", f"explainer-{lang}")])
    # commentary vs the policy it discusses (the last two held out)
    for i, p in enumerate(POLICIES):
        part = "in" if i < 2 else "held"
        key, day = p["key"], p["day"]
        zt, zx = p["zh"]
        et, ex = p["en"]
        ct, cx = p["comm"]
        groups.append([_art(f"policy-{key}", "orig", "csa", "zh-Hans", day, zt, zx, part, "commentary", f"policy-{key}"),
                       _art(f"policy-{key}", "tr", "csa_en", "en", _later(day, 1), et, ex, part, "commentary", f"policy-{key}")])
        clang = "zh-Hans" if re.search(r"[\u4e00-\u9fff]", ct) else "en"
        groups.append([_art(f"commentary-{key}", "orig", "ledcomment", clang, _later(day, 2), ct, cx, part,
                            "commentary", f"policy-{key}")])
    groups += _hard_mt()
    return groups


# Syndicated and Traditional-script copies: (story, source, how)
COPIES = [
    ("price-ledinside-2026q2", "b2b_ledprice", "syndicate-en"), ("price-ggii-2025q3", "b2b_zhaoming", "syndicate-zh"),
    ("price-ledinside-2026q3", "ledinside_tw", "traditional"), ("export-cali-2026m04", "b2b_zhaoming", "syndicate-zh"),
    ("export-cali-2026m03", "b2b_hk_lighting", "traditional"), ("results-hcsemitek-2026h1", "b2b_screen", "syndicate-zh"),
    ("results-nationstar-2026h1", "b2b_lampnews", "syndicate-en"), ("fab-sanan-ezhou-outletA", "b2b_chip", "syndicate-zh"),
    ("launch-nationstar-0", "b2b_carlight", "syndicate-en"), ("policy-mercury", "b2b_tw_lighting", "traditional"),
    ("policy-efficiency", "b2b_zhaoming", "syndicate-zh"),
    # held-out part
    ("price-csa-2027q2", "b2b_ledprice", "syndicate-en"), ("price-csa-2027q3", "b2b_tw_led", "traditional"),
    ("export-ccc-2027m09", "b2b_zhaoming", "syndicate-zh"), ("results-sanan-2026h1", "b2b_tw_chip", "traditional"),
    ("results-leyard-2026h1", "b2b_screen", "syndicate-zh"), ("fab-mls-vietnam-outletA", "b2b_lampnews", "syndicate-en"),
    ("launch-seoul-1", "b2b_hk_lighting", "traditional"), ("policy-export-rebate", "b2b_screen", "syndicate-zh"),
    ("policy-smartpole", "b2b_lampnews", "syndicate-en"), ("results-changelight-2027h1", "b2b_chip", "syndicate-zh"),
    ("export-ccc-2027m08", "b2b_tw_lighting", "traditional"), ("price-csa-2027q4", "b2b_zhaoming", "syndicate-zh"),
    ("fab-unilumin-chengdu-outletA", "b2b_tw_display", "traditional"),
    # in-sample, more
    ("results-mls-2026h1", "b2b_lampnews", "syndicate-en"), ("price-ggii-2025q2", "b2b_tw_led", "traditional"),
    ("export-cali-2026m05", "b2b_ledprice", "syndicate-en"), ("fab-hcsemitek-zhuhai-outletA", "b2b_chip", "syndicate-zh"),
]


DATE_SHIFT = 3 * 365 + 1


def articles() -> list[dict]:
    """Every article as an ingest line plus labels ``story``, ``role``, ``part``
    (in / held), ``cls`` (hard-negative class of its family), ``family``."""
    rows = [a for g in _build() for a in g]
    by_story: dict[str, list[dict]] = {}
    for a in rows:
        by_story.setdefault(a["story"], []).append(a)
    for story, source, how in COPIES:
        if how == "traditional":
            base = next(a for a in by_story[story] if a["lang"] == "zh-Hans")
            rows.append(_traditional(base, source))
        else:
            lang = how.split("-")[1]
            base = next(a for a in by_story[story] if a["lang"][:2] == lang and a["role"] in ("orig", "tr"))
            rows.append(_syndicate(base, source, 5))
    for i, a in enumerate(rows):
        # Dates move three years back as a block (the gaps between versions, which are
        # all linking looks at, stay): ingest refuses publish dates in the future.
        if a["published"]:
            a["published"] = _later(a["published"], -DATE_SHIFT)
        host = a["source"].replace("_", "-")
        a["url"] = f"https://{host}.example/news/{a['story']}-{a['role']}-{i}.html"
    return rows


def _template(family: str) -> str:
    """Look-alike group: one template (price reports of every firm, results of every
    company, fab write-ups) or one shared paragraph (a company's boilerplate, the LED
    intro in one language), or one policy and its commentary."""
    head = family.split("-")[0]
    return head if head in ("price", "export", "results", "fab") else family


def hard_negatives(rows: list[dict]) -> list[tuple[str, str, str]]:
    """Pairs of different stories written to look alike: (story, story, class). Every
    two stories of one family are look-alikes (same template, company or paragraph)."""
    fam: dict[tuple[str, str], set[str]] = {}
    cls: dict[tuple[str, str], str] = {}
    for a in rows:
        f = (a["part"], _template(a["family"]))
        fam.setdefault(f, set()).add(a["story"])
        cls[f] = a["cls"]
    out = []
    for f, stories in sorted(fam.items()):
        for s, t in combinations(sorted(stories), 2):
            out.append((s, t, cls[f]))
    return out


def pair_kind(a: dict, b: dict) -> str:
    """The kind of a true pair, for per-kind reporting."""
    if a["lang"][:2] != b["lang"][:2]:
        return "bilingual"
    if {a["lang"], b["lang"]} == {"zh-Hans", "zh-Hant"}:
        return "script variant"
    if "copy" in (a["role"], b["role"]) or "hant" in (a["role"], b["role"]):
        return "syndicated"
    return "translation variant"


def evaluate(rows: list[dict], story_of: dict[str, str]) -> dict:
    """Pairwise figures over ``rows`` given url -> predicted story id."""
    per_kind: dict[str, list[int]] = {}
    neg = {(s, t): c for s, t, c in hard_negatives(rows)}
    merged = wrong = 0
    hard: dict[str, list[int]] = {}
    wrong_pairs = []
    for a, b in combinations(rows, 2):
        same = story_of[a["url"]] == story_of[b["url"]]
        if a["story"] == b["story"]:
            k = per_kind.setdefault(pair_kind(a, b), [0, 0])
            k[0] += 1
            k[1] += same
        else:
            key = tuple(sorted((a["story"], b["story"])))
            c = neg.get(key)  # type: ignore[arg-type]
            if c:
                h = hard.setdefault(c, [0, 0])
                h[0] += 1
                h[1] += same
            if same:
                wrong += 1
                wrong_pairs.append((a["url"], b["url"], c or "other"))
        merged += same
    return {"precision": (merged - wrong) / merged if merged else 1.0, "merged": merged, "wrong": wrong,
            "recall": {k: (v[1], v[0]) for k, v in sorted(per_kind.items())},
            "hard_merges": {k: (v[1], v[0]) for k, v in sorted(hard.items())},
            "wrong_pairs": wrong_pairs}
