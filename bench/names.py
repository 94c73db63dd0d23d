"""Word lists for the synthetic desk (bench/synthetic.py): names, titles, publishers.

Names in other scripts come as (native, Latin) pairs, so a person can carry both: a display
name in one script and an other name in the other, as a real desk records them.
"""


def _words(text: str) -> list[str]:
    return text.split()


GIVEN_NAMES = _words(
    "Aaron Abigail Adam Adrian Aisha Alan Alex Alice Amara Amelia Ana Andrea Andrew Anna "
    "Anton Arjun Ava Beatriz Ben Bianca Brian Camila Carlos Caroline Chloe Chris Clara Daniel "
    "David Diana Diego Elena Eli Elif Emily Emma Eric Eva Felix Fiona Gabriel Grace Hannah "
    "Hassan Helen Henrik Ian Ingrid Isaac Isabel Jack James Jana Javier Jessica Joanna John "
    "Jonas Jordan Julia Kai Karen Kate Kevin Lars Laura Leo Lina Lucas Lucia Luis Maya Marco "
    "Maria Mark Marta Mateo Max Mia Michael Mira Nadia Nathan Nina Noah Nora Olivia Omar Oscar "
    "Paul Paula Pedro Peter Priya Rachel Rafael Ravi Rebecca Robert Rosa Ruth Samuel Sara "
    "Sebastian Sofia Stefan Susan Theo Thomas Tom Valentina Victor Yara Zoe Łukasz Zoë Søren "
    "Björn José Renée"
)

FAMILY_NAMES = _words(
    "Abbott Adams Alvarez Andersen Bailey Baker Becker Bennett Berg Blake Brooks Brown "
    "Campbell Carter Castro Chavez Clark Collins Cooper Costa Cruz Davies Diaz Dubois Evans "
    "Fischer Fisher Flores Ford Foster Garcia Gomez Gonzalez Graham Gray Green Hall Hansen "
    "Harris Hayes Hernandez Hill Hoffmann Howard Hughes Jansen Jensen Johnson Jones Kaiser "
    "Keller Kelly Khan King Klein Koch Kowalski Larsen Lee Lewis Lopez Martin Martinez Meyer "
    "Miller Mitchell Moore Morales Moreau Morgan Murati Murphy Nelson Nguyen Nielsen Novak "
    "Olsen Ortiz Parker Patel Perez Peters Petrov Phillips Price Ramirez Reed Reyes Richter "
    "Rivera Roberts Rodriguez Rossi Russo Sanchez Santos Schmidt Schneider Schulz Scott "
    "Silva Smith Stewart Sullivan Taylor Thomas Thompson Torres Turner Walker Wagner Ward "
    "Weber Weiss White Williams Wilson Wolf Wood Wright Young Zimmermann Nowak Müller "
    "Sørensen García Ó'Brien"
)

# script: (language tag, note, given names, family names, family name first, separator)
SCRIPTS = {
    "ja": (
        "ja",
        "kanji",
        [("健太", "Kenta"), ("翔", "Sho"), ("花子", "Hanako"), ("美咲", "Misaki"),
         ("大輔", "Daisuke"), ("由美", "Yumi"), ("拓也", "Takuya"), ("直子", "Naoko"),
         ("陽菜", "Hina"), ("蓮", "Ren"), ("結衣", "Yui"), ("悠斗", "Yuto")],
        [("佐藤", "Sato"), ("鈴木", "Suzuki"), ("高橋", "Takahashi"), ("田中", "Tanaka"),
         ("伊藤", "Ito"), ("渡辺", "Watanabe"), ("山本", "Yamamoto"), ("中村", "Nakamura"),
         ("小林", "Kobayashi"), ("加藤", "Kato"), ("吉田", "Yoshida"), ("山田", "Yamada")],
        True,
        " ",
    ),
    "zh": (
        "zh-Hans",
        "",
        [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"),
         ("强", "Qiang"), ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"), ("勇", "Yong"),
         ("军", "Jun"), ("杰", "Jie")],
        [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
         ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou")],
        True,
        "",
    ),
    "ko": (
        "ko",
        "hangul",
        [("민준", "Min-jun"), ("서연", "Seo-yeon"), ("지훈", "Ji-hoon"), ("수빈", "Su-bin"),
         ("예준", "Ye-jun"), ("하은", "Ha-eun"), ("도윤", "Do-yoon"), ("지우", "Ji-woo")],
        [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"),
         ("강", "Kang"), ("조", "Cho"), ("윤", "Yoon")],
        True,
        "",
    ),
    "ru": (
        "ru",
        "Cyrillic",
        [("Иван", "Ivan"), ("Анна", "Anna"), ("Дмитрий", "Dmitry"), ("Ольга", "Olga"),
         ("Сергей", "Sergey"), ("Мария", "Maria"), ("Алексей", "Alexey"), ("Елена", "Elena")],
        [("Иванов", "Ivanov"), ("Смирнов", "Smirnov"), ("Кузнецов", "Kuznetsov"),
         ("Попов", "Popov"), ("Соколов", "Sokolov"), ("Лебедев", "Lebedev"),
         ("Козлов", "Kozlov"), ("Новиков", "Novikov")],
        False,
        " ",
    ),
    "el": (
        "el",
        "Greek",
        [("Γιώργος", "Giorgos"), ("Μαρία", "Maria"), ("Νίκος", "Nikos"), ("Ελένη", "Eleni"),
         ("Δημήτρης", "Dimitris"), ("Κατερίνα", "Katerina")],
        [("Παπαδόπουλος", "Papadopoulos"), ("Οικονόμου", "Oikonomou"),
         ("Γεωργίου", "Georgiou"), ("Νικολάου", "Nikolaou")],
        False,
        " ",
    ),
    "ar": (
        "ar",
        "Arabic",
        [("محمد", "Mohammed"), ("فاطمة", "Fatima"), ("أحمد", "Ahmed"), ("ليلى", "Layla"),
         ("يوسف", "Youssef"), ("مريم", "Mariam")],
        [("حداد", "Haddad"), ("منصور", "Mansour"), ("خوري", "Khoury"), ("سليمان", "Suleiman")],
        False,
        " ",
    ),
    "hi": (
        "hi",
        "Devanagari",
        [("राहुल", "Rahul"), ("प्रिया", "Priya"), ("अमित", "Amit"), ("अनीता", "Anita"),
         ("विक्रम", "Vikram"), ("सुनीता", "Sunita")],
        [("शर्मा", "Sharma"), ("वर्मा", "Verma"), ("गुप्ता", "Gupta"), ("सिंह", "Singh")],
        False,
        " ",
    ),
}  # fmt: skip

ORGANIZATION_WORDS = _words(
    "Acme Aether Alpine Anchor Apex Arbor Arc Atlas Aurora Axiom Beacon Birch Blue Bright "
    "Cascade Cedar Cinder Cirrus Clear Cobalt Comet Coral Crest Crystal Delta Drift Echo "
    "Ember Epoch Equinox Falcon Fern Flint Forge Frontier Fusion Gale Garnet Glacier Granite "
    "Harbor Helix Horizon Indigo Iris Iron Jade Juniper Keystone Kinetic Lattice Lumen Lunar "
    "Maple Meridian Mesa Nebula Nimbus Noble Nova Oak Onyx Orbit Orchid Pacific Parallel "
    "Peak Pine Pixel Polar Prism Pulse Quantum Quartz Radiant Raven Redwood Ridge River "
    "Sable Sage Signal Silver Solar Sparrow Spruce Stellar Summit Swift Tandem Terra Tidal "
    "Topaz Torch Vector Vertex Violet Vista Willow Zenith Zephyr"
)

ORGANIZATION_NOUNS = _words(
    "Analytics Automation Biotech Cloud Compute Data Devices Dynamics Energy Foundry "
    "Genomics Graphics Health Intelligence Interactive Labs Learning Logic Machines Media "
    "Micro Mobility Networks Optics Payments Photonics Research Robotics Security Semiconductor "
    "Software Space Storage Studios Systems Technologies Ventures Vision Works"
)

ORGANIZATION_SUFFIXES = ("", "", "", "Inc.", "AI", "Group", "Corp.", "Co.", "Holdings", "GmbH")

# Katakana spellings for other names of organizations that also trade in Japan.
KATAKANA = {
    "Acme": "アクメ", "Atlas": "アトラス", "Aurora": "オーロラ", "Beacon": "ビーコン",
    "Delta": "デルタ", "Echo": "エコー", "Falcon": "ファルコン", "Helix": "ヘリックス",
    "Horizon": "ホライゾン", "Nova": "ノヴァ", "Orbit": "オービット", "Pixel": "ピクセル",
    "Quantum": "クォンタム", "Summit": "サミット", "Vector": "ベクター", "Zenith": "ゼニス",
}  # fmt: skip

# (title, counts as leadership); every organization has a chief executive.
TITLES = (
    ("Chief Executive Officer", True),
    ("President", True),
    ("Chief Technology Officer", True),
    ("Chief Financial Officer", True),
    ("Chief Operating Officer", True),
    ("Chief Product Officer", True),
    ("Chief Scientist", True),
    ("Senior Vice President of Engineering", True),
    ("Vice President of Research", False),
    ("Vice President of Sales", False),
    ("General Counsel", False),
    ("Head of Policy", False),
    ("Head of Communications", False),
    ("Head of Design", False),
)

PUBLISHERS = (
    ("techwire.example", "TechWire"),
    ("thebyte.example", "The Byte"),
    ("siliconledger.example", "Silicon Ledger"),
    ("dailycompute.example", "Daily Compute"),
    ("newswire.example", "Newswire Press Releases"),
    ("nikkei-tech.example", "テック日報"),
    ("social.example", "Social"),
)
