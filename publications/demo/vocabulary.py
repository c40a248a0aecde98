"""The words demo publications are made of: topics for the seeded themes, regions, angles,
people and sentences, in English, Russian and (titles and abstracts only) Korean.

Every Russian closing sentence of an abstract has "сотрудничества"; no text here uses the
form "сотрудничеством", so a search for it can only match through the Russian stemmer.
"""

from members.enums import InstituteKind
from publications.enums import Language, PublicationKind

# theme slug → English, Russian and Korean topic, English and Russian keywords
TOPICS: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "peace-and-stability": ("Peace and Stability", "Мир и стабильность", "평화와 안정",
        ("conflict prevention", "confidence building"), ("предотвращение конфликтов", "доверие")),
    "multipolarity": ("Multipolarity", "Многополярность", "다극화",
        ("great powers", "world order"), ("великие державы", "мировой порядок")),
    "multilateralism": ("Multilateral Diplomacy", "Многосторонняя дипломатия", "다자 외교",
        ("international organisations", "diplomacy"), ("международные организации", "дипломатия")),
    "globalization": ("Globalization", "Глобализация", "세계화",
        ("supply chains", "investment"), ("цепочки поставок", "инвестиции")),
    "energy": ("Energy Security", "Энергетическая безопасность", "에너지 안보",
        ("renewable energy", "oil and gas"), ("возобновляемая энергетика", "нефть и газ")),
    "food": ("Food Security", "Продовольственная безопасность", "식량 안보",
        ("agriculture", "grain markets"), ("сельское хозяйство", "рынок зерна")),
    "climate": ("Climate Adaptation", "Адаптация к изменению климата", "기후 적응",
        ("glaciers", "drought"), ("ледники", "засуха")),
    "water-resources": ("Water Resources", "Водные ресурсы", "수자원",
        ("transboundary rivers", "irrigation"), ("трансграничные реки", "орошение")),
    "economy-and-trade": ("Trade and Economic Ties", "Торгово-экономические связи", "무역과 경제",
        ("transport corridors", "tariffs"), ("транспортные коридоры", "тарифы")),
    "digital-economy": ("The Digital Economy", "Цифровая экономика", "디지털 경제",
        ("e-government", "data governance"), ("электронное правительство", "данные")),
    "youth": ("Youth Policy", "Молодежная политика", "청년 정책",
        ("education", "employment"), ("образование", "занятость")),
    "small-and-medium-sized-enterprises": ("Small and Medium-Sized Enterprises",
        "Малый и средний бизнес", "중소기업", ("entrepreneurship", "credit"),
        ("предпринимательство", "кредитование")),
    "asian-security": ("Regional Security", "Региональная безопасность", "지역 안보",
        ("terrorism", "border management"), ("терроризм", "управление границами")),
    "gender-equality": ("Gender Equality", "Гендерное равенство", "성평등",
        ("women's leadership", "labour market"), ("лидерство женщин", "рынок труда")),
}  # fmt: skip
# English, Russian nominative, Russian "in …", Korean
REGIONS = (
    ("Central Asia", "Центральная Азия", "в Центральной Азии", "중앙아시아"),
    ("Eurasia", "Евразия", "в Евразии", "유라시아"),
    ("Northeast Asia", "Северо-Восточная Азия", "в Северо-Восточной Азии", "동북아시아"),
    ("the CICA Region", "регион СВМДА", "в регионе СВМДА", "CICA 지역"),
    ("the Caspian Region", "Каспийский регион", "в Каспийском регионе", "카스피해 지역"),
    ("Kazakhstan", "Казахстан", "в Казахстане", "카자흐스탄"),
    ("Uzbekistan", "Узбекистан", "в Узбекистане", "우즈베키스탄"),
    ("Korea and Central Asia", "Корея и Центральная Азия", "в Корее и Центральной Азии",
     "한국과 중앙아시아"),
)  # fmt: skip
ANGLES = (
    ("Risks and Opportunities", "риски и возможности", "위험과 기회"),
    ("Scenarios to 2035", "сценарии до 2035 года", "2035년까지의 시나리오"),
    ("Lessons of the Past Decade", "уроки последнего десятилетия", "지난 10년의 교훈"),
    ("An Agenda for Cooperation", "повестка взаимодействия", "협력의 의제"),
    ("Trends and Policy Options", "тенденции и варианты политики", "동향과 정책 방향"),
    ("Results and Prospects", "итоги и перспективы", "성과와 전망"),
)
# English; Russian "in …" and "from …"
COUNTRY_NAMES = {
    "KZ": ("Kazakhstan", "Казахстане", "Казахстана"),
    "KG": ("Kyrgyzstan", "Кыргызстане", "Кыргызстана"),
    "TJ": ("Tajikistan", "Таджикистане", "Таджикистана"),
    "TM": ("Turkmenistan", "Туркменистане", "Туркменистана"),
    "UZ": ("Uzbekistan", "Узбекистане", "Узбекистана"),
    "KR": ("Korea", "Корее", "Кореи"),
    "MN": ("Mongolia", "Монголии", "Монголии"),
    "AZ": ("Azerbaijan", "Азербайджане", "Азербайджана"),
    "CN": ("China", "Китае", "Китая"),
    "IN": ("India", "Индии", "Индии"),
}
# Family and given name, in Latin and in Cyrillic letters
PEOPLE = (
    ("Abenov", "Nurlan", "Абенов", "Нурлан"), ("Kim", "Min-jun", "Ким", "Мин Джун"),
    ("Lee", "Seo-yeon", "Ли", "Со Ён"), ("Park", "Ji-hoon", "Пак", "Джи Хун"),
    ("Tokayeva", "Aigerim", "Токаева", "Айгерим"), ("Sadykov", "Timur", "Садыков", "Тимур"),
    ("Rakhimov", "Jasur", "Рахимов", "Жасур"), ("Karimova", "Dilnoza", "Каримова", "Дилноза"),
    ("Asanov", "Bakyt", "Асанов", "Бакыт"), ("Mamatova", "Gulnara", "Маматова", "Гульнара"),
    ("Nazarov", "Farrukh", "Назаров", "Фаррух"), ("Saidova", "Malika", "Саидова", "Малика"),
    ("Atayev", "Merdan", "Атаев", "Мердан"), ("Orazova", "Jeren", "Оразова", "Джерен"),
    ("Batbayar", "Enkhjin", "Батбаяр", "Энхжин"), ("Aliyev", "Rashad", "Алиев", "Рашад"),
    ("Ivanova", "Elena", "Иванова", "Елена"), ("Petrov", "Sergei", "Петров", "Сергей"),
    ("Sharma", "Priya", "Шарма", "Прия"), ("Choi", "Hye-jin", "Цой", "Хе Джин"),
    ("Japarov", "Azamat", "Джапаров", "Азамат"), ("Yusupova", "Kamila", "Юсупова", "Камила"),
)  # fmt: skip
INSTITUTE_NAMES = (
    ("Demo Institute of Regional Studies", InstituteKind.RESEARCH_CENTRE),
    ("Demo Centre for Strategic Research", InstituteKind.STRATEGIC_STUDIES),
    ("Demo Foundation for Eurasian Dialogue", InstituteKind.FOUNDATION),
    ("Demo University of International Relations", InstituteKind.UNIVERSITY),
    ("Demo Institute of Economic Policy", InstituteKind.RESEARCH_CENTRE),
    ("Demo Academy of Security Studies", InstituteKind.STRATEGIC_STUDIES),
    ("Demo Centre for Water and Energy Studies", InstituteKind.RESEARCH_CENTRE),
)
KINDS = {
    PublicationKind.ANALYTICAL_REPORT: ("report", 20),
    PublicationKind.POLICY_BRIEF: ("policy brief", 20),
    PublicationKind.ARTICLE: ("article", 20),
    PublicationKind.FORECAST_REPORT: ("forecast", 8),
    PublicationKind.KEY_TAKEAWAYS: ("summary", 8),
    PublicationKind.SECURITY_OUTLOOK: ("outlook", 5),
    PublicationKind.BOOK: ("book", 5),
    PublicationKind.HANDBOOK: ("handbook", 4),
    PublicationKind.JOINT_STATEMENT: ("statement", 3),
    PublicationKind.OTHER: ("paper", 7),
}
LANGUAGES = {Language.ENGLISH: 55, Language.RUSSIAN: 38, Language.KOREAN: 7}

TITLES = {
    "en": (
        "{topic} in {region}: {angle}",
        "{topic} and the Future of {region}",
        "Rethinking {topic_l} in {region}",
        "{topic} in {region}, {y1}–{y2}",
    ),
    "ru": (
        "{topic} {region_in}: {angle}",
        "{topic}: {angle}",
        "{topic} {region_in} в {y1}–{y2} годах",
    ),
    "ko": ("{region} {topic}: {angle}", "{region}의 {topic}, {y1}–{y2}"),
}
# An abstract is one opening, one middle and one closing sentence. Every Russian closing
# sentence says "сотрудничества", which the stemming test looks for in another form.
ABSTRACTS = {
    "en": (
        (
            "This {kind} examines {topic_l} in {region} between {y1} and {y2}, with attention "
            "to the interests of the forum's member states.",
            "The {kind} reviews recent developments in {topic_l} across {region} and what "
            "they mean for the states of the region.",
        ),
        (
            "Using official statistics, expert interviews and national strategy documents, "
            "the authors identify the main drivers of change and the points where national "
            "positions converge.",
            "It compares the approaches of the participating states, maps the existing "
            "institutions and points to the gaps that joint research could fill.",
        ),
        (
            "It concludes with recommendations for deeper regional cooperation and for the "
            "forum's next action plan.",
            "The final section proposes practical steps that research institutes can take "
            "together over the next five years.",
        ),
    ),
    "ru": (
        (
            "Работа посвящена теме «{topic}» {region_in} в {y1}–{y2} годах с учетом "
            "интересов государств — участников форума.",
            "Авторы анализируют последние изменения по теме «{topic}» {region_in} и их "
            "значение для государств региона.",
        ),
        (
            "На основе официальной статистики, экспертных интервью и национальных стратегий "
            "выявлены основные факторы изменений и области, в которых позиции государств "
            "сближаются.",
            "Сравниваются подходы государств-участников, описываются существующие институты "
            "и пробелы, которые могли бы восполнить совместные исследования.",
        ),
        (
            "В заключение предлагаются рекомендации по углублению регионального "
            "сотрудничества и по следующему плану действий форума.",
            "Предложены практические шаги для развития сотрудничества исследовательских "
            "институтов на ближайшие пять лет.",
        ),
    ),
    "ko": (
        (
            "본 연구는 {y1}–{y2}년 {region}의 {topic} 문제를 "
            "회원국의 이해관계를 중심으로 분석한다.",
            "본 보고서는 {region} {topic} 분야의 최근 동향과 그 함의를 검토한다.",
        ),
        (
            "공식 통계와 전문가 인터뷰, 각국의 국가 전략 문서를 바탕으로 주요 변화 요인과 "
            "각국의 입장이 수렴하는 지점을 도출한다.",
            "참여국의 접근 방식을 비교하고 기존 제도와 공동 연구가 보완할 수 있는 공백을 제시한다.",
        ),
        (
            "결론에서는 지역 협력 심화와 포럼의 차기 행동계획을 위한 정책 제언을 제시한다.",
            "마지막으로 향후 5년간 연구기관들이 함께 추진할 수 있는 실천 방안을 제안한다.",
        ),
    ),
}
BODY = {
    "en": (
        "Over the past decade, {topic_l} has moved from the margins to the centre of the "
        "regional agenda in {region}.",
        "Official data for {year} show a marked difference between the larger and the smaller "
        "economies of the region.",
        "Experts interviewed for this study in {country} stressed the need for comparable "
        "statistics.",
        "National strategies adopted since {year} share several goals but differ in their "
        "instruments.",
        "The participating institutes agreed that joint field research would give the forum a "
        "common evidence base.",
        "Cross-border projects remain few, and most of them depend on external financing.",
        "The analysis distinguishes short-term measures from structural reforms that take a "
        "decade or more.",
        "In {country}, the debate has been shaped by demographic change and the growth of cities.",
        "A recurring theme of the workshops was the role of research institutes as a bridge "
        "between governments.",
        "The scenarios presented here are not forecasts but tools for discussing the choices "
        "ahead.",
        "Regional organisations have built a dense network of dialogues, yet implementation "
        "lags behind declarations.",
        "The authors recommend a shared database and an annual review of progress within the "
        "forum.",
        "Much depends on transport links, which set the cost of trade between landlocked states.",
        "Young researchers from {country} contributed the case studies summarised in the annex.",
        "Several governments have asked for a common methodology before sharing their data.",
        "The first draft of this text was discussed at a closed expert seminar.",
        "Local authorities often know the problems best but have the fewest resources.",
        "Where pilot projects succeeded, they relied on long-term funding and trained staff.",
        "International partners can help, provided that national ownership is respected.",
        "A comparison with other regions suggests that progress is possible within a decade.",
    ),
    "ru": (
        "За последнее десятилетие тема «{topic}» переместилась с периферии в центр "
        "региональной повестки.",
        "Официальные данные за {year} год показывают заметный разрыв между крупными и малыми "
        "экономиками региона.",
        "Эксперты, опрошенные в {country_in}, подчеркивали необходимость сопоставимой статистики.",
        "Национальные стратегии, принятые после {year} года, имеют общие цели, но различаются "
        "инструментами.",
        "Институты-участники согласились, что совместные полевые исследования дадут форуму "
        "общую доказательную базу.",
        "Трансграничных проектов по-прежнему немного, и большинство из них зависит от внешнего "
        "финансирования.",
        "В анализе краткосрочные меры отделены от структурных реформ, требующих десяти и более "
        "лет.",
        "В {country_in} дискуссию определили демографические изменения и рост городов.",
        "Сквозной темой семинаров стала роль исследовательских институтов как моста между "
        "правительствами.",
        "Представленные сценарии — не прогнозы, а инструмент обсуждения предстоящих решений.",
        "Региональные организации создали плотную сеть диалогов, однако выполнение отстает от "
        "деклараций.",
        "Авторы рекомендуют общую базу данных и ежегодный обзор хода работы в рамках форума.",
        "Многое зависит от транспортных связей, которые определяют стоимость торговли между "
        "странами, не имеющими выхода к морю.",
        "Молодые исследователи из {country_from} подготовили тематические исследования, "
        "собранные в приложении.",
        "Ряд правительств предлагает сначала согласовать общую методику, а затем обмениваться "
        "данными.",
        "Первый вариант текста обсуждался на закрытом экспертном семинаре.",
        "Местные органы власти лучше всех знают проблемы, но располагают наименьшими ресурсами.",
        "Там, где пилотные проекты удались, они опирались на долгосрочное финансирование и "
        "подготовленные кадры.",
        "Международные партнеры могут помочь при условии, что ведущая роль остается за "
        "государствами региона.",
        "Сравнение с другими регионами показывает, что заметный прогресс возможен в течение "
        "десятилетия.",
    ),
}
MARKER_SENTENCE = {
    "en": "The working file of this synthetic document is catalogued under the code word {}.",
    "ru": "Рабочий файл этого синтетического документа зарегистрирован под кодовым словом {}.",
}
LABEL = {
    "en": "SYNTHETIC DEMO DOCUMENT, generated by seed_demo for trying the portal; "
    "not a real publication.",
    "ru": "СИНТЕТИЧЕСКИЙ ДЕМОНСТРАЦИОННЫЙ ДОКУМЕНТ, создан командой seed_demo для знакомства "
    "с порталом; не является реальной публикацией.",
}
SYLLABLES = ("ka", "lo", "ri", "vo", "tu", "ma", "zu", "do", "qua", "bo", "ni", "sa", "ti")

# The journals demo articles appeared in (a publication's number picks one, so that the
# seeded random draws, and with them every other demo value, stay as they were).
JOURNALS = (
    "Central Asian Affairs",
    "Asia Policy",
    "Journal of Eurasian Studies",
    "Вестник Евразийской безопасности",
    "Korean Journal of Defense Analysis",
)
