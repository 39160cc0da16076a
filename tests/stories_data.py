"""The labelled story set: hand-written LED-industry articles with their true stories.

Written for lednews (not copied from any site). Each story has an original and the
versions the trade really produces: an English translation of a Chinese original (or
the reverse), other machine-translation wordings, syndicated copies, "spun" copies with
synonyms swapped, and Traditional-script copies. The look-alikes (``story`` starting
with ``neg-``) are different stories written to resemble one of them: the next quarter's
price report, another period's export figures, the same company's other news.

Copies are derived by the explicit, documented transforms below (what syndicators do);
every other text is written out in full.
"""

from __future__ import annotations

import re

# (story, role, source, lang, published, title, text). Roles: orig, tr (human
# translation), mt (machine-translation wording), neg (look-alike of another story).
ORIGINALS: list[tuple[str, str, str, str, str | None, str, str]] = [
    # s01 -----------------------------------------------------------------------------
    ("s01-guangdong-streetlight", "orig", "csa", "zh-Hans", "2026-03-02",
     "广东省完成12.6万盏LED路灯改造 年节电1.8亿千瓦时",
     "记者从广东省住房和城乡建设厅获悉，截至2026年2月底，全省21个地级市累计完成12.6万盏传统路灯的LED改造，"
     "总投资约9.4亿元。\n改造后每年可节约用电约1.8亿千瓦时，相当于减少二氧化碳排放14万吨。"
     "改造项目采用合同能源管理模式，由节能服务公司先行垫资，政府在八年内以节省的电费分期支付。\n"
     "广州、佛山和东莞三市的改造量占全省总量的46%。下一步，广东将推动新装路灯全部接入智慧灯杆管理平台。"),
    ("s01-guangdong-streetlight", "tr", "csa_en", "en", "2026-03-02",
     "Guangdong completes LED retrofit of 126,000 street lights, saving 180 million kWh a year",
     "By the end of February 2026, Guangdong's 21 prefecture-level cities had retrofitted a total of "
     "126,000 conventional street lights with LED, for a total investment of about 940 million yuan, "
     "according to the provincial Department of Housing and Urban-Rural Development.\n"
     "The retrofit saves about 180 million kWh of electricity every year, equivalent to cutting carbon "
     "dioxide emissions by 140,000 tonnes. The projects use energy performance contracting: energy "
     "service companies pay up front and the government repays them over eight years out of the saved "
     "electricity bills.\nGuangzhou, Foshan and Dongguan account for 46% of the province's retrofits. "
     "Next, Guangdong will connect every newly installed street light to a smart pole management platform."),
    ("s01-guangdong-streetlight", "mt", "b2b_lampco", "en", "2026-04-19",
     "Guangdong Province Finished 126 Thousand LED Street Lamp Transformation, Annual Power Saving 180 Million KWh",
     "Reporter learned from Guangdong Province housing and urban and rural construction hall, as of end of "
     "February 2026, province 21 prefecture city accumulated complete 126 thousand traditional street lamp "
     "LED transformation, total investment approximately 940 million yuan.\nAfter transformation every "
     "year can save electricity approximately 180 million kWh, equal to reduce carbon dioxide emission 140 "
     "thousand ton. Transformation project adopt contract energy management mode, energy saving service "
     "company first advance the fund, government within eight years pay by installments with the saved "
     "electricity fee.\nGuangzhou, Foshan and Dongguan three city transformation quantity occupy province "
     "total 46%. Next step, Guangdong will promote new street lamp all access smart lamp pole management platform."),
    # s02 -----------------------------------------------------------------------------
    ("s02-uvc-water", "orig", "ofweek", "zh-Hans", "2026-05-11",
     "UV-C LED水处理模组出货量首季同比增长38% 家用净水器成主要驱动",
     "据行业调研，2026年第一季度国内UV-C LED水处理模组出货量约为620万颗，同比增长38%。"
     "家用净水器和即热式饮水机贡献了约七成的需求。\n目前主流模组的光功率为50mW至100mW，"
     "单颗价格已降至18元左右，较去年同期下降约22%。业内人士预计，随着275nm芯片外量子效率提升，"
     "全年出货量有望突破3000万颗。"),
    ("s02-uvc-water", "tr", "ofweek_en", "en", "2026-05-12",
     "UV-C LED water treatment module shipments up 38% year on year in first quarter, led by home purifiers",
     "China's shipments of UV-C LED water treatment modules reached about 6.2 million units in the first "
     "quarter of 2026, up 38% year on year, according to an industry survey. Household water purifiers "
     "and instant hot water dispensers accounted for roughly 70% of demand.\nMainstream modules deliver "
     "50mW to 100mW of optical power, and the unit price has fallen to around 18 yuan, about 22% lower "
     "than a year earlier. Industry insiders expect full-year shipments to exceed 30 million units as the "
     "external quantum efficiency of 275nm chips improves."),
    # s03 -----------------------------------------------------------------------------
    ("s03-tf-microled-2027", "orig", "trendforce_cn", "zh-Hans", "2026-06-16",
     "2027年Micro LED芯片产值预估达6.8亿美元 车用与穿戴装置为主要应用",
     "根据TrendForce集邦咨询最新研究，Micro LED芯片产值将在2027年达到6.8亿美元，2026至2030年的年复合成长率"
     "约为81%。\n穿戴装置仍是最先放量的应用，智能手表与AR眼镜合计占2027年芯片产值的52%。车用透明显示与"
     "抬头显示器则将从2028年起加速导入。\n集邦咨询指出，巨量转移良率已提升至99.99%，但检测与修复成本"
     "仍占模组成本约三成，是价格下降的主要瓶颈。"),
    ("s03-tf-microled-2027", "tr", "trendforce_en", "en", "2026-06-16",
     "Micro LED Chip Revenue to Reach US$680 Million in 2027, Led by Automotive and Wearables, Says TrendForce",
     "TrendForce's latest research shows that Micro LED chip revenue will reach US$680 million in 2027, "
     "with a compound annual growth rate of about 81% between 2026 and 2030.\nWearables remain the first "
     "application to ramp, with smartwatches and AR glasses together taking 52% of chip revenue in 2027. "
     "Transparent automotive displays and head-up displays will accelerate from 2028.\nTrendForce notes "
     "that mass transfer yield has risen to 99.99%, but inspection and repair still account for about 30% "
     "of module cost and remain the main obstacle to lower prices."),
    # s04 (English original) ------------------------------------------------------------
    ("s04-ledinside-q1-price", "orig", "ledinside", "en", "2026-04-08",
     "2026 Q1 LED Price Trend: Mid-Power LED Prices Slip 0.8% as Demand Recovers",
     "LEDinside's latest price survey shows that average prices of mid-power lighting LEDs fell 0.8% "
     "quarter on quarter in the first quarter of 2026, the smallest decline in six quarters. Prices of "
     "2835 packages at 0.2W settled at US$0.0041 per unit.\nHigh-power ceramic LED prices were flat, while "
     "COB products fell 1.5% as Chinese packagers added capacity. LEDinside attributes the stabilisation "
     "to recovering demand for commercial lighting in Europe and North America and to higher gold and "
     "substrate costs.\nLEDinside expects prices to stay broadly stable in the second quarter."),
    ("s04-ledinside-q1-price", "tr", "ledinside_cn", "zh-Hans", "2026-04-09",
     "2026年第一季LED价格趋势：中功率LED价格小跌0.8%，需求回温",
     "LEDinside最新价格调查显示，2026年第一季度中功率照明LED平均价格环比下跌0.8%，为六个季度以来最小跌幅。"
     "0.2W的2835封装产品价格落在每颗0.0041美元。\n大功率陶瓷LED价格持平，COB产品则因中国封装厂扩产下跌1.5%。"
     "LEDinside认为，价格趋稳主要来自欧美商业照明需求回温以及黄金与基板成本上涨。\n"
     "LEDinside预计第二季度价格将大致保持稳定。"),
    # s05 -----------------------------------------------------------------------------
    ("s05-sanan-hubei-fab", "orig", "ggled", "zh-Hans", "2026-07-21",
     "三安光电拟投资86亿元在鄂州建设Mini/Micro LED芯片基地",
     "三安光电7月20日晚间公告，公司拟通过全资子公司在湖北鄂州投资86亿元，建设Mini/Micro LED外延与芯片"
     "生产基地，项目分两期建设，全部达产后年产值约72亿元。\n一期工程计划于2027年底投产，主要生产6英寸"
     "Mini LED背光芯片；二期将导入8英寸Micro LED外延片产线。公告称，项目资金来源为自有资金及银行贷款。"),
    ("s05-sanan-hubei-fab", "tr", "ggled_en", "en", "2026-07-21",
     "Sanan Optoelectronics to invest 8.6 billion yuan in Mini/Micro LED chip base in Ezhou",
     "Sanan Optoelectronics announced on the evening of July 20 that it plans to invest 8.6 billion yuan, "
     "through a wholly owned subsidiary, in a Mini/Micro LED epitaxy and chip production base in Ezhou, "
     "Hubei. The project will be built in two phases and is expected to generate annual output of about "
     "7.2 billion yuan at full capacity.\nPhase one is scheduled to start production at the end of 2027 "
     "and will make 6-inch Mini LED backlight chips; phase two will add an 8-inch Micro LED epitaxial wafer "
     "line. The funds will come from the company's own capital and bank loans."),
    ("s05-sanan-hubei-fab", "mt", "b2b_chipled", "en", "2026-08-30",
     "San'an Photoelectric Plans Invest 8.6 Billion Yuan Build Mini/Micro LED Chip Base In Ezhou",
     "San'an photoelectric announcement on the night of July 20, the company intends through wholly-owned "
     "subsidiary invest 8.6 billion yuan in Hubei Ezhou, construct Mini/Micro LED epitaxy and chip "
     "production base, the project divide two stage construction, after fully reaching production the "
     "annual output value approximately 7.2 billion yuan.\nThe first stage plan at end of 2027 put into "
     "production, mainly produce 6 inch Mini LED backlight chip; the second stage will import 8 inch "
     "Micro LED epitaxial wafer production line. Announcement say, project fund source is own fund and bank loan."),
    # s06 -----------------------------------------------------------------------------
    ("s06-leyard-cob", "orig", "ledinside_cn", "zh-Hans", "2026-08-27",
     "利亚德上半年营收41.3亿元 COB小间距出货面积同比增长63%",
     "利亚德发布2026年半年报，上半年实现营业收入41.3亿元，同比增长9.7%；归母净利润2.86亿元，同比增长21%。"
     "\n报告期内，公司COB小间距LED显示屏出货面积同比增长63%，P1.2以下产品占比提升至38%。公司表示，"
     "会议室与指挥调度中心需求回暖，海外收入占比达到35%。"),
    ("s06-leyard-cob", "tr", "ledinside", "en", "2026-08-28",
     "Leyard's first-half revenue reaches 4.13 billion yuan as COB fine-pitch shipments rise 63%",
     "Leyard reported revenue of 4.13 billion yuan for the first half of 2026, up 9.7% year on year, with "
     "net profit attributable to shareholders of 286 million yuan, up 21%.\nIn the period, the company's "
     "shipments of COB fine-pitch LED displays grew 63% by area, and products below P1.2 rose to 38% of the "
     "mix. Leyard said demand from meeting rooms and command and dispatch centres recovered, and overseas "
     "revenue reached 35% of the total."),
    # s07 -----------------------------------------------------------------------------
    ("s07-csa-export-9m", "orig", "csa", "zh-Hans", "2026-10-22",
     "前三季度我国LED照明产品出口额达327亿美元 同比增长5.2%",
     "据国家半导体照明工程研发及产业联盟（CSA）统计，2026年前三季度我国LED照明产品出口额达327亿美元，"
     "同比增长5.2%。其中LED灯具出口额为241亿美元，占比73.7%。\n从出口市场看，美国、德国和日本位列前三，"
     "对东盟出口增速最快，同比增长19.4%。CSA预计全年出口额将超过440亿美元。"),
    ("s07-csa-export-9m", "tr", "csa_en", "en", "2026-10-23",
     "China's LED lighting exports reach US$32.7 billion in first three quarters, up 5.2%",
     "China exported US$32.7 billion of LED lighting products in the first three quarters of 2026, up "
     "5.2% year on year, according to the China Solid State Lighting Alliance (CSA). LED luminaires "
     "accounted for US$24.1 billion, or 73.7% of the total.\nThe United States, Germany and Japan were the "
     "top three markets, while exports to ASEAN grew fastest, up 19.4%. CSA expects full-year exports to "
     "exceed US$44 billion."),
    # s08 -----------------------------------------------------------------------------
    ("s08-nationstar-auto", "orig", "ggled", "zh-Hans", "2026-09-09",
     "国星光电车规级LED产品通过AEC-Q102认证 切入三家新能源车企供应链",
     "国星光电9月8日宣布，其车规级Mini LED背光模组与高功率前照灯LED系列产品已通过AEC-Q102认证，"
     "并已进入三家国内新能源车企的供应链。\n公司预计2026年车用LED业务营收将超过5亿元，同比增长约45%。"
     "国星光电表示，将在佛山新建一条年产能12亿颗的车规级封装产线。"),
    ("s08-nationstar-auto", "tr", "b2b_autolamp", "en", "2026-09-15",
     "Nationstar's automotive LED products pass AEC-Q102 qualification and enter three EV makers' supply chains",
     "Nationstar Optoelectronics announced on September 8 that its automotive-grade Mini LED backlight "
     "modules and high-power headlamp LED series have passed AEC-Q102 qualification and have entered the "
     "supply chains of three Chinese new energy vehicle makers.\nThe company expects revenue from "
     "automotive LEDs to exceed 500 million yuan in 2026, an increase of about 45%. Nationstar said it will "
     "build a new automotive-grade packaging line in Foshan with an annual capacity of 1.2 billion units."),
    # s09 -----------------------------------------------------------------------------
    ("s09-horticulture-export", "orig", "ggled", "zh-Hans", "2026-11-03",
     "植物照明出口回暖：前三季度LED植物灯出口额9.6亿美元 同比增长24%",
     "海关数据显示，2026年前三季度我国LED植物灯出口额为9.6亿美元，同比增长24%，扭转了过去两年的下滑趋势。"
     "\n荷兰、加拿大和美国是主要出口目的地，三国合计占比58%。高工LED调研显示，全光谱灯具的平均光效已达到"
     "3.1μmol/J，较2024年提升约15%。"),
    ("s09-horticulture-export", "tr", "ggled_en", "en", "2026-11-04",
     "Horticulture lighting exports recover: LED grow light exports reach US$960 million in first three quarters",
     "Customs data show that China's exports of LED grow lights reached US$960 million in the first three "
     "quarters of 2026, up 24% year on year, reversing the decline of the previous two years.\nThe "
     "Netherlands, Canada and the United States were the main destinations, together taking 58% of the "
     "total. A GGII survey found that the average efficacy of full-spectrum fixtures has reached 3.1μmol/J, "
     "about 15% higher than in 2024."),
    # s10 (English original, edited rewrite, Chinese translation) -------------------------
    ("s10-tcl-miniled-tv", "orig", "ledinside", "en", "2026-02-10",
     "Mini LED TV Shipments to Reach 16.5 Million Units in 2026 as TCL and Hisense Expand Lineups",
     "Global Mini LED backlit TV shipments are forecast to reach 16.5 million units in 2026, up 42% from "
     "11.6 million in 2025, LEDinside reports. TCL and Hisense together will account for 61% of shipments "
     "as both brands bring Mini LED backlights to 55-inch models priced below US$600.\nThe number of local "
     "dimming zones keeps rising: flagship models now exceed 5,000 zones, and the average chip count per "
     "set has grown to about 18,000. LEDinside expects Mini LED penetration of the TV market to reach 8.1% in 2026."),
    ("s10-tcl-miniled-tv", "mt", "semiconductor_today", "en", "2026-02-11",
     "Mini-LED backlit TV shipments to grow 42% to 16.5 million in 2026",
     "Shipments of TVs with Mini-LED backlights will climb to 16.5 million units this year, a rise of 42% "
     "on 2025's 11.6 million, according to market research firm LEDinside. Chinese brands TCL and Hisense "
     "are expected to take 61% of the total, helped by 55-inch Mini-LED sets now selling for under US$600.\n"
     "Flagship TVs now have more than 5,000 local dimming zones, and the average set uses around 18,000 "
     "LED chips. Mini-LED penetration of the overall TV market should hit 8.1% in 2026, reckons LEDinside."),
    ("s10-tcl-miniled-tv", "tr", "ledinside_cn", "zh-Hans", "2026-02-10",
     "2026年Mini LED电视出货量将达1650万台 TCL与海信扩充产品线",
     "LEDinside报告指出，2026年全球Mini LED背光电视出货量预计达到1650万台，较2025年的1160万台增长42%。"
     "TCL与海信合计将占出货量的61%，两大品牌都将Mini LED背光导入售价低于600美元的55英寸机型。\n"
     "局部调光分区数持续增加，旗舰机型已超过5000区，每台电视的平均芯片用量增至约1.8万颗。"
     "LEDinside预计2026年Mini LED在电视市场的渗透率将达到8.1%。"),
    # s11 -----------------------------------------------------------------------------
    ("s11-far-uvc-standard", "orig", "led_professional", "en", "2026-09-29",
     "IEC Working Group Drafts First Exposure Limits for 222nm Far-UVC Lamps in Occupied Rooms",
     "An IEC working group has published a committee draft that sets exposure limits for 222nm far-UVC "
     "lamps used in occupied rooms. The draft allows a daily dose of up to 480 mJ/cm2 at eye level, six "
     "times the current general guideline, provided the lamp filters out wavelengths above 230nm.\n"
     "Manufacturers welcomed the proposal because it would let far-UVC fixtures run continuously in "
     "schools and hospital waiting areas. Comments on the draft are due by 15 January, and a final vote "
     "is expected in late 2027."),
    # s12 -----------------------------------------------------------------------------
    ("s12-shenzhen-smart-pole", "orig", "ofweek", "zh-Hans", "2026-06-03",
     "深圳前海新建智慧灯杆2300根 集成5G微基站与环境监测",
     "深圳前海管理局透露，前海合作区已建成智慧灯杆2300根，单杆集成LED照明、5G微基站、视频监控、"
     "环境监测和充电桩等功能，项目总投资3.2亿元。\n与传统路灯相比，智慧灯杆的LED灯具可按车流量自动调光，"
     "综合节能率达到62%。前海计划在2027年前将智慧灯杆数量扩大到6000根。"),
    ("s12-shenzhen-smart-pole", "tr", "ofweek_en", "en", "2026-06-04",
     "Shenzhen Qianhai builds 2,300 smart poles integrating 5G small cells and environmental monitoring",
     "The Qianhai authority in Shenzhen says the cooperation zone has built 2,300 smart light poles, each "
     "combining LED lighting, a 5G small cell, video surveillance, environmental monitoring and an EV "
     "charger, for a total investment of 320 million yuan.\nCompared with conventional street lights, the "
     "poles' LED luminaires dim automatically with traffic flow, saving 62% of energy overall. Qianhai plans "
     "to expand the network to 6,000 poles before 2027."),
    # s13 -----------------------------------------------------------------------------
    ("s13-innoscience-gan", "orig", "ofweek", "zh-Hans", "2026-04-15",
     "英诺赛科8英寸硅基氮化镓晶圆月产能提升至2万片 快充与数据中心电源需求旺盛",
     "英诺赛科宣布，其苏州基地8英寸硅基氮化镓晶圆月产能已提升至2万片，较去年底增加33%。"
     "\n公司表示，快充适配器仍是最大应用，但数据中心服务器电源和48V配电的订单增长最快，"
     "2026年第一季度相关出货量同比增长170%。英诺赛科计划在2027年将月产能进一步扩大至3万片。"),
    ("s13-innoscience-gan", "tr", "compound_semiconductor", "en", "2026-04-16",
     "Innoscience raises 8-inch GaN-on-silicon capacity to 20,000 wafers per month",
     "Innoscience has raised the capacity of its Suzhou fab to 20,000 8-inch GaN-on-silicon wafers per "
     "month, 33% more than at the end of last year.\nFast-charger adapters remain the largest application, "
     "the company says, but orders for data-centre server power supplies and 48V power distribution are "
     "growing fastest, with related shipments up 170% year on year in the first quarter of 2026. "
     "Innoscience plans to expand capacity further to 30,000 wafers per month in 2027."),
    ("s13-innoscience-gan", "mt", "b2b_powerchip", "en", "2026-05-20",
     "Innoscience 8 Inch Silicon Based Gallium Nitride Wafer Monthly Capacity Increase To 20 Thousand Pieces",
     "Innoscience announce, its Suzhou base 8 inch silicon based gallium nitride wafer monthly production "
     "capacity already increase to 20 thousand pieces, compared with end of last year increase 33%.\n"
     "Company say, fast charging adapter still is the biggest application, but data center server power "
     "and 48V power distribution order grow the fastest, 2026 first quarter related shipment year on year "
     "increase 170%. Innoscience plan in 2027 further expand monthly capacity to 30 thousand pieces."),
    ("s13-innoscience-gan", "mt", "b2b_gandevice", "en", None,
     "Innoscience 8-inch GaN-on-Si Wafer Month Capacity Rise to 20000 Pieces, Quick Charge and Data Center Power Demand Strong",
     "Innoscience declared that the 8-inch silicon-based GaN wafer monthly capacity of its Suzhou base "
     "has risen to 20000 pieces, up 33% than the end of last year.\nThe company said quick charge adapter "
     "is still the largest application, but the orders of data center server power supply and 48V power "
     "distribution grow most quickly, the related shipment in Q1 2026 grew 170% year-on-year. Innoscience "
     "plans to further enlarge the monthly capacity to 30000 pieces in 2027."),
    # s14 -----------------------------------------------------------------------------
    ("s14-display-market-2026", "orig", "ggled", "zh-Hans", "2026-01-20",
     "2026年中国LED显示屏市场规模预计达865亿元 小间距占比过半",
     "高工产研LED研究所（GGII）预计，2026年中国LED显示屏市场规模将达到865亿元，同比增长7.5%，其中小间距"
     "产品占比将首次超过50%。\nGGII指出，P1.0以下微间距产品价格在过去一年下降了28%，推动其在教育和企业会议"
     "市场快速普及。户外广告屏需求则受地方财政影响，预计同比下降4%。"),
    # s15 -----------------------------------------------------------------------------
    ("s15-aixtron-order", "orig", "compound_semiconductor", "en", "2026-03-24",
     "Aixtron receives order for 14 MOCVD systems from Chinese Micro LED maker",
     "Aixtron has received an order for 14 G10-AsP and G10-GaN MOCVD systems from a Chinese Micro LED "
     "manufacturer, the German equipment maker said. The systems will be delivered from the third quarter "
     "of 2026 and will be used for red, green and blue Micro LED epitaxy on 200mm wafers.\nAixtron said the "
     "order is its largest single Micro LED order to date and raised its 2026 order intake guidance to "
     "between EUR 720 million and EUR 800 million."),
    ("s15-aixtron-order", "tr", "ledinside_cn", "zh-Hans", "2026-03-25",
     "爱思强获中国Micro LED厂商14台MOCVD设备订单",
     "德国设备厂商爱思强（Aixtron）宣布，获得一家中国Micro LED制造商14台G10-AsP与G10-GaN MOCVD设备订单。"
     "设备将自2026年第三季度起交付，用于200mm晶圆上的红、绿、蓝三色Micro LED外延生产。\n"
     "Aixtron表示，这是公司迄今最大的单笔Micro LED订单，并将2026年订单预期上调至7.2亿至8亿欧元。"),
    # s16 -----------------------------------------------------------------------------
    ("s16-mls-acquisition", "orig", "ledinside_cn", "zh-Hans", "2026-05-28",
     "木林森拟以15.8亿元收购海外照明品牌 加码欧洲渠道",
     "木林森5月27日公告，拟以15.8亿元收购一家欧洲照明品牌公司100%股权，交易完成后将获得其在德国、"
     "法国和意大利的销售渠道及约1200家经销商。\n木林森表示，收购标的2025年营收约为21亿元，其中专业照明占比"
     "64%。交易尚需获得监管部门批准，预计于2026年第四季度完成交割。"),
    ("s16-mls-acquisition", "tr", "ledinside", "en", "2026-05-28",
     "MLS to acquire European lighting brand for 1.58 billion yuan to expand its channels in Europe",
     "MLS announced on May 27 that it plans to acquire 100% of a European lighting brand for 1.58 billion "
     "yuan, gaining its sales channels in Germany, France and Italy and about 1,200 distributors.\nMLS said "
     "the target had revenue of about 2.1 billion yuan in 2025, with professional lighting making up 64%. "
     "The deal still needs regulatory approval and is expected to close in the fourth quarter of 2026."),
    # s17 -----------------------------------------------------------------------------
    ("s17-uv-curing-printing", "orig", "led_professional", "en", "2026-07-07",
     "UV LED Curing Replaces Mercury Lamps in 40% of New Offset Presses",
     "Forty percent of new sheet-fed offset presses sold in 2026 ship with UV LED curing instead of mercury "
     "lamps, according to a survey of European press makers. Energy use per cured sheet falls by about 60% "
     "and warm-up time disappears.\nThe survey found that 395nm modules with an irradiance of 16W/cm2 are "
     "now the standard configuration, and that ink suppliers have cut the price premium for LED-curable "
     "inks to around 12%. The Minamata Convention's mercury phase-out is expected to push adoption past "
     "70% by 2029."),
    ("s17-uv-curing-printing", "mt", "b2b_uvlamp", "en", "2026-09-02",
     "UV LED Curing Take Place Of Mercury Lamp In 40% New Offset Printing Machine",
     "According to investigation of European printing machine manufacturers, 40% of new sheet-fed offset "
     "printing machine sold in 2026 equipped with UV LED curing but not mercury lamp. Energy consumption of "
     "each cured sheet reduce about 60%, and no need warm-up time.\nInvestigation find 395nm module with "
     "irradiance 16W/cm2 now become standard configuration, ink supplier already cut price premium of LED "
     "curable ink to about 12%. Minamata Convention mercury phase-out expect to push adoption exceed 70% by 2029."),
    # look-alikes: different stories ---------------------------------------------------------
    ("neg-ledinside-q2-price", "neg", "ledinside", "en", "2026-07-08",
     "2026 Q2 LED Price Trend: Mid-Power LED Prices Edge Down 1.1% on Weak Demand",
     "LEDinside's latest price survey shows that average prices of mid-power lighting LEDs fell 1.1% "
     "quarter on quarter in the second quarter of 2026 as demand weakened. Prices of 2835 packages at 0.2W "
     "settled at US$0.0039 per unit.\nHigh-power ceramic LED prices fell 0.6%, while COB products dropped "
     "2.3% as Chinese packagers kept adding capacity. LEDinside attributes the decline to softer demand "
     "for residential lighting in Europe and to inventory clearing.\nLEDinside expects prices to fall "
     "slightly again in the third quarter."),
    ("neg-ledinside-q2-price", "neg", "ledinside_cn", "zh-Hans", "2026-07-09",
     "2026年第二季LED价格趋势：中功率LED价格下跌1.1%，需求疲软",
     "LEDinside最新价格调查显示，2026年第二季度中功率照明LED平均价格环比下跌1.1%，主因需求转弱。"
     "0.2W的2835封装产品价格落在每颗0.0039美元。\n大功率陶瓷LED价格下跌0.6%，COB产品则因中国封装厂持续扩产"
     "下跌2.3%。LEDinside认为，价格下滑来自欧洲住宅照明需求疲软以及库存去化。\nLEDinside预计第三季度价格将再小幅下跌。"),
    ("neg-ledinside-q3-price", "neg", "ledinside", "en", "2026-10-07",
     "2026 Q3 LED Price Trend: Mid-Power LED Prices Fall 1.6% Ahead of Year-End Stocking",
     "LEDinside's latest price survey shows that average prices of mid-power lighting LEDs fell 1.6% "
     "quarter on quarter in the third quarter of 2026. Prices of 2835 packages at 0.2W settled at "
     "US$0.0037 per unit.\nHigh-power ceramic LED prices fell 0.9%, and COB products dropped 2.0%. LEDinside "
     "attributes the decline to cautious year-end stocking by lighting brands and to lower substrate costs.\n"
     "LEDinside expects prices to stabilise in the fourth quarter."),
    ("neg-csa-export-h1", "neg", "csa", "zh-Hans", "2026-07-24",
     "上半年我国LED照明产品出口额达212亿美元 同比增长3.1%",
     "据国家半导体照明工程研发及产业联盟（CSA）统计，2026年上半年我国LED照明产品出口额达212亿美元，"
     "同比增长3.1%。其中LED灯具出口额为156亿美元，占比73.6%。\n从出口市场看，美国、德国和日本位列前三，"
     "对东盟出口增速最快，同比增长16.8%。CSA预计下半年出口将继续温和增长。"),
    ("neg-csa-export-h1", "neg", "csa_en", "en", "2026-07-25",
     "China's LED lighting exports reach US$21.2 billion in first half, up 3.1%",
     "China exported US$21.2 billion of LED lighting products in the first half of 2026, up 3.1% year on "
     "year, according to the China Solid State Lighting Alliance (CSA). LED luminaires accounted for "
     "US$15.6 billion, or 73.6% of the total.\nThe United States, Germany and Japan were the top three "
     "markets, while exports to ASEAN grew fastest, up 16.8%. CSA expects exports to keep growing moderately "
     "in the second half."),
    ("neg-customs-export-9m", "neg", "ledinside_cn", "zh-Hans", "2026-10-24",
     "前三季度中国LED照明产品出口额309.4亿美元 同比下降1.7%",
     "根据海关总署数据整理，2026年前三季度中国LED照明产品出口额为309.4亿美元，同比下降1.7%。"
     "LED灯具出口额为228亿美元，LED光源出口额为61亿美元。\n分区域看，对北美出口下降6.2%，对东盟出口增长"
     "12.5%。LEDinside认为，统计口径差异导致数据与行业协会公布的数字有所不同。"),
    ("neg-sanan-results", "neg", "ggled", "zh-Hans", "2026-10-30",
     "三安光电前三季度营收118亿元 化合物半导体业务增长31%",
     "三安光电发布2026年三季报，前三季度实现营业收入118亿元，同比增长8.9%；归母净利润4.7亿元，同比增长15%。"
     "\n其中化合物半导体业务收入同比增长31%，碳化硅衬底与器件出货量持续提升；LED芯片业务收入同比下降2.4%。"
     "公司表示，湖北鄂州Mini/Micro LED项目建设进度符合预期。"),
    ("neg-leyard-order", "neg", "ledinside_cn", "zh-Hans", "2026-09-18",
     "利亚德中标北京地铁指挥中心COB小间距显示项目 金额2.3亿元",
     "利亚德公告，公司中标北京地铁线网指挥中心COB小间距LED显示系统项目，中标金额2.3亿元，约占公司2025年营收的"
     "2.8%。\n项目将采用P0.9的COB显示屏，总面积约1100平方米，计划于2027年第一季度完成交付。"),
    ("neg-tf-microled-2026", "neg", "trendforce_en", "en", "2026-06-18",
     "Micro LED Display Panel Revenue to Reach US$540 Million in 2026 on Smartwatch Launches, Says TrendForce",
     "TrendForce's latest research shows that Micro LED display panel revenue will reach US$540 million in "
     "2026, up 135% year on year, as two smartwatch brands launch Micro LED models.\nLarge-format displays "
     "still account for 61% of panel revenue in 2026, but wearables are catching up quickly. TrendForce "
     "notes that panel costs remain about 3.5 times those of OLED for the same size, which limits adoption "
     "in phones before 2029."),
    ("neg-shenzhen-streetlight", "neg", "csa", "zh-Hans", "2026-03-05",
     "深圳完成4.2万盏LED路灯改造 年节电5600万千瓦时",
     "深圳市城市管理和综合执法局表示，截至2026年2月，全市累计完成4.2万盏传统路灯的LED改造，总投资约3.1亿元。"
     "\n改造后每年可节约用电约5600万千瓦时。项目采用合同能源管理模式，由节能服务公司先行垫资，"
     "政府在六年内以节省的电费分期支付。深圳计划在2027年底前实现全市道路照明智能化控制。"),
    ("neg-nationstar-results", "neg", "ggled", "zh-Hans", "2026-08-26",
     "国星光电上半年营收19.7亿元 车用LED业务收入增长52%",
     "国星光电发布2026年半年报，上半年实现营业收入19.7亿元，同比增长6.3%；归母净利润1.12亿元，同比增长18%。"
     "\n其中车用LED业务收入同比增长52%，Mini LED背光业务收入同比增长27%。公司表示，AEC-Q102认证产品已进入"
     "多家车企供应链，下半年将继续扩充产能。"),
    ("neg-display-market-2025", "neg", "ggled", "zh-Hans", "2025-01-16",
     "2025年中国LED显示屏市场规模预计达805亿元 小间距占比升至46%",
     "高工产研LED研究所（GGII）预计，2025年中国LED显示屏市场规模将达到805亿元，同比增长5.8%，其中小间距"
     "产品占比将升至46%。\nGGII指出，P1.0以下微间距产品价格在过去一年下降了31%，教育和企业会议市场需求"
     "快速增长。户外广告屏需求预计同比持平。"),
    ("neg-uvc-water-hisense", "neg", "ofweek", "zh-Hans", "2026-05-13",
     "海信推出UV-C LED杀菌净水器 过流式模组光功率达120mW",
     "海信家电发布新款UV-C LED杀菌净水器，采用自研过流式UV-C LED模组，光功率达到120mW，"
     "对大肠杆菌的杀灭率为99.99%。\n该产品定价2999元，将于6月上市。海信表示，2026年UV-C LED净水产品"
     "销量目标为50万台。"),
    ("neg-navitas-gan", "neg", "compound_semiconductor", "en", "2026-04-17",
     "Navitas ships 100 million GaN power ICs as data-centre demand grows",
     "Navitas Semiconductor has shipped its 100 millionth GaNFast power IC, the company said, as demand "
     "from data-centre power supplies adds to its mobile fast-charger business.\nData-centre and AI "
     "server power now account for 28% of Navitas's GaN revenue, up from 9% a year earlier, and the "
     "company expects its 4.5kW and 8.5kW power supply platforms to enter volume production in the second "
     "half of 2026."),
    # Written after the thresholds were frozen (held out): 4/4 true pairs found, no
    # look-alike merged, on the first run.
    ("h01-osram-sale", "orig", "ledinside", "en", "2026-10-12",
     "ams OSRAM to sell its automotive lamp business to a Chinese buyer for EUR 570 million",
     "ams OSRAM has agreed to sell its automotive lamp business, which makes halogen and xenon replacement "
     "lamps, to a Chinese lighting group for EUR 570 million. The unit had revenue of about EUR 410 million "
     "in 2025 and employs some 2,900 people in Germany, Slovakia and China.\nThe company said the sale lets "
     "it focus on semiconductor products such as infrared LEDs, VCSELs and micro-LED. Closing is expected "
     "in the second half of 2027, subject to regulatory approvals."),
    ("h01-osram-sale", "tr", "ledinside_cn", "zh-Hans", "2026-10-13",
     "艾迈斯欧司朗拟以5.7亿欧元出售汽车灯泡业务给中国买家",
     "艾迈斯欧司朗（ams OSRAM）已同意以5.7亿欧元将其生产卤素与氙气替换灯泡的汽车灯泡业务出售给一家中国照明集团。"
     "该业务2025年营收约4.1亿欧元，在德国、斯洛伐克和中国拥有约2900名员工。\n公司表示，出售后将专注于红外LED、"
     "VCSEL与Micro LED等半导体产品。交易预计于2027年下半年完成，尚需获得监管部门批准。"),
    ("h01-osram-sale", "mt", "b2b_carbulb", "en", None,
     "Ams Osram Plans To Sell Car Bulb Business To Chinese Buyer With 570 Million Euro",
     "Ams OSRAM already agree with 570 million euro sell its automobile bulb business which produce halogen "
     "and xenon replacement bulb to one Chinese lighting group. This business 2025 revenue about 410 million "
     "euro, in Germany, Slovakia and China have about 2900 employees.\nCompany say, after selling will focus "
     "on infrared LED, VCSEL and Micro LED etc semiconductor products. The transaction expect complete in "
     "second half of 2027, still need get regulator approval."),
    ("h02-hc-semitek-h1", "orig", "ofweek", "zh-Hans", "2026-08-20",
     "华灿光电上半年营收22.6亿元 Mini LED芯片出货增长47%",
     "华灿光电发布2026年半年报，上半年实现营业收入22.6亿元，同比增长11.2%；净利润0.93亿元，同比扭亏为盈。"
     "\n报告期内，公司Mini LED芯片出货量同比增长47%，氮化镓功率器件实现小批量供货。公司表示，珠海基地"
     "6英寸产线良率已提升至96%。"),
    ("h02-hc-semitek-h1", "tr", "ofweek_en", "en", "2026-08-21",
     "HC SemiTek's first-half revenue rises to 2.26 billion yuan as Mini LED chip shipments grow 47%",
     "HC SemiTek reported revenue of 2.26 billion yuan for the first half of 2026, up 11.2% year on year, "
     "and returned to profit with net income of 93 million yuan.\nMini LED chip shipments grew 47% in the "
     "period, and the company began small-volume supply of GaN power devices. HC SemiTek said the yield of "
     "the 6-inch line at its Zhuhai base has risen to 96%."),
    ("neg-hc-semitek-q3", "neg", "ofweek", "zh-Hans", "2026-10-28",
     "华灿光电前三季度营收35.1亿元 Mini LED芯片出货增长52%",
     "华灿光电发布2026年三季报，前三季度实现营业收入35.1亿元，同比增长12.8%；净利润1.41亿元。"
     "\n报告期内，公司Mini LED芯片出货量同比增长52%，氮化镓功率器件进入两家电源厂商供应链。公司表示，"
     "珠海基地6英寸产线良率稳定在96%以上。"),
    ("neg-osram-results", "neg", "ledinside", "en", "2026-10-30",
     "ams OSRAM third-quarter revenue falls 4% to EUR 810 million on weak automotive demand",
     "ams OSRAM reported third-quarter revenue of EUR 810 million, down 4% year on year, as automotive "
     "customers cut orders for lamps and LEDs. The adjusted EBIT margin was 9.2%.\nThe company confirmed that "
     "the sale of its automotive lamp business is on track and said demand for infrared LEDs and VCSELs in "
     "smartphones and cars remained solid."),
]

# What a spinner swaps (a "spun" copy keeps the meaning, changes the words).
SPIN = {"announced": "declared", "plans": "intends", "expects": "anticipates", "company": "firm",
        "revenue": "turnover", "increase": "rise", "capacity": "output capability", "new": "fresh",
        "build": "construct", "main": "principal", "about": "roughly", "reached": "hit",
        "products": "items", "exceed": "surpass", "Next": "Going forward", "grew": "climbed",
        "published": "released", "allows": "permits", "welcomed": "applauded", "draft": "proposal",
        "continuously": "non-stop", "expected": "anticipated", "schools": "classrooms"}


def _spin(text: str) -> str:
    return re.sub(r"\b(" + "|".join(SPIN) + r")\b", lambda m: SPIN[m.group(1)], text)


def _syndicate(text: str, lang: str) -> str:
    """A syndicated copy: same words, the republisher's spacing and punctuation, its
    own chrome line at the end (removed again by the clean stage)."""
    if lang.startswith("zh"):
        body = text.replace("，", ",").replace("。", "。 ").replace("\n", "\n\n")
        return body + "\n相关阅读"
    return text.replace(". ", ".  ").replace("\n", "\n\n") + "\nRelated articles"


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


# (story, role, source, lang, published, derived-from index in ORIGINALS, transform)
DERIVED = [
    ("s01-guangdong-streetlight", "copy", "b2b_zhaoming", "zh-Hans", "2026-03-04", 0, "syndicate"),
    ("s02-uvc-water", "hant", "ledinside_tw", "zh-Hant", "2026-05-12", 3, "traditional"),
    ("s03-tf-microled-2027", "hant", "trendforce_tw", "zh-Hant", "2026-06-16", 5, "traditional"),
    ("s04-ledinside-q1-price", "copy", "b2b_ledprice", "en", "2026-04-20", 7, "syndicate"),
    ("s08-nationstar-auto", "spun", "b2b_carlight", "en", "2026-09-21", 17, "spin"),
    ("s09-horticulture-export", "copy", "b2b_growlight", "zh-Hans", "2026-11-05", 18, "syndicate"),
    ("s11-far-uvc-standard", "spun", "b2b_uvclean", "en", "2026-10-14", 23, "spin"),
    ("s12-shenzhen-smart-pole", "hant", "b2b_hk_lighting", "zh-Hant", None, 24, "traditional"),
    ("s14-display-market-2026", "copy", "b2b_screen", "zh-Hans", "2026-01-22", 30, "syndicate"),
    ("s14-display-market-2026", "hant", "b2b_tw_display", "zh-Hant", "2026-01-23", 30, "traditional"),
    ("s16-mls-acquisition", "spun", "b2b_lampnews", "en", "2026-06-02", 34, "spin"),
    ("s06-leyard-cob", "copy", "b2b_screen", "zh-Hans", "2026-08-29", 12, "syndicate"),
]


def articles() -> list[dict]:
    """Every labelled article as an ingest line plus ``story``/``role`` labels."""
    out = []
    for i, (story, role, source, lang, published, title, text) in enumerate(ORIGINALS):
        out.append({"url": f"https://{source.replace('_', '-')}.example/news/{story}-{i}.html",
                    "title": title, "text": text, "lang": lang, "published": published,
                    "source": source, "story": story, "role": role})
    for j, (story, role, source, lang, published, src, how) in enumerate(DERIVED):
        base = out[src]
        assert base["story"] == story and base["lang"][:2] == lang[:2], (story, src)
        title, text = base["title"], base["text"]
        if how == "syndicate":
            text = _syndicate(text, lang)
        elif how == "spin":
            title, text = _spin(title), _spin(text)
        else:
            title, text = _traditional(title), _traditional(text)
        out.append({"url": f"http://www.{source.replace('_', '-')}.example/a/{j}.html?utm_source=feed",
                    "title": title, "text": text, "lang": lang, "published": published,
                    "source": source, "story": story, "role": role})
    return out


def pair_kind(a: dict, b: dict) -> str:
    """The kind of a true pair, for per-kind reporting."""
    ga, gb = a["lang"][:2], b["lang"][:2]
    if ga != gb:
        return "bilingual"
    if {a["lang"], b["lang"]} == {"zh-Hans", "zh-Hant"}:
        return "script variant"
    if "copy" in (a["role"], b["role"]) or "spun" in (a["role"], b["role"]):
        return "syndicated"
    return "translation variant"
