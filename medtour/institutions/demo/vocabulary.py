# ruff: noqa: RUF001  (Cyrillic and full-width punctuation are the point here)
"""Words for fictional names and plausible addresses, in the six languages.

Every demo name starts with a demo marker and the word for "fictional", so that no one mistakes a
demo record for a real clinic, whatever language they read it in. Street names are real streets of
each district; the building numbers are made up.
"""

from __future__ import annotations

# Brand words: (ko, en, zh-hans, ja, ru, kk).
BRANDS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("하늘", "Sky", "天空", "そら", "Небо", "Аспан"),
    ("바다", "Sea", "大海", "うみ", "Море", "Теңіз"),
    ("별", "Star", "星辰", "ほし", "Звезда", "Жұлдыз"),
    ("달", "Moon", "月光", "つき", "Луна", "Ай"),
    ("해", "Sun", "太阳", "たいよう", "Солнце", "Күн"),
    ("숲", "Forest", "森林", "もり", "Лес", "Орман"),
    ("강", "River", "江河", "かわ", "Река", "Өзен"),
    ("산", "Mountain", "高山", "やま", "Гора", "Тау"),
    ("바람", "Wind", "清风", "かぜ", "Ветер", "Жел"),
    ("구름", "Cloud", "白云", "くも", "Облако", "Бұлт"),
    ("봄", "Spring", "春天", "はる", "Весна", "Көктем"),
    ("여름", "Summer", "夏天", "なつ", "Лето", "Жаз"),
    ("가을", "Autumn", "秋天", "あき", "Осень", "Күз"),
    ("겨울", "Winter", "冬天", "ふゆ", "Зима", "Қыс"),
    ("새벽", "Dawn", "黎明", "あけぼの", "Рассвет", "Таң"),
    ("노을", "Sunset", "晚霞", "ゆうやけ", "Закат", "Шапақ"),
    ("이슬", "Dew", "露珠", "つゆ", "Роса", "Шық"),
    ("무지개", "Rainbow", "彩虹", "にじ", "Радуга", "Кемпірқосақ"),
    ("소나무", "Pine", "青松", "まつ", "Сосна", "Қарағай"),
    ("대나무", "Bamboo", "翠竹", "たけ", "Бамбук", "Бамбук"),
    ("매화", "Plum Blossom", "梅花", "うめ", "Слива", "Өрік гүлі"),
    ("연꽃", "Lotus", "莲花", "はす", "Лотос", "Лотос"),
    ("국화", "Chrysanthemum", "菊花", "きく", "Хризантема", "Хризантема"),
    ("목련", "Magnolia", "玉兰", "もくれん", "Магнолия", "Магнолия"),
    ("진달래", "Azalea", "杜鹃", "つつじ", "Азалия", "Азалия"),
    ("은행나무", "Ginkgo", "银杏", "いちょう", "Гинкго", "Гинкго"),
    ("호수", "Lake", "湖泊", "みずうみ", "Озеро", "Көл"),
    ("샘", "Wellspring", "清泉", "いずみ", "Родник", "Бұлақ"),
    ("들판", "Meadow", "原野", "のはら", "Луг", "Шалғын"),
    ("섬", "Island", "海岛", "しま", "Остров", "Арал"),
    ("등대", "Lighthouse", "灯塔", "とうだい", "Маяк", "Шамшырақ"),
    ("나침반", "Compass", "罗盘", "らしんばん", "Компас", "Компас"),
    ("다리", "Bridge", "桥梁", "はし", "Мост", "Көпір"),
    ("정원", "Garden", "花园", "ていえん", "Сад", "Бақ"),
    ("오솔길", "Path", "小径", "こみち", "Тропа", "Соқпақ"),
    ("은하", "Galaxy", "银河", "ぎんが", "Галактика", "Галактика"),
    ("유성", "Meteor", "流星", "りゅうせい", "Метеор", "Метеор"),
    ("학", "Crane", "白鹤", "つる", "Журавль", "Тырна"),
    ("제비", "Swallow", "燕子", "つばめ", "Ласточка", "Қарлығаш"),
    ("고래", "Whale", "鲸鱼", "くじら", "Кит", "Кит"),
    ("나비", "Butterfly", "蝴蝶", "ちょう", "Бабочка", "Көбелек"),
    ("사슴", "Deer", "小鹿", "しか", "Олень", "Бұғы"),
    ("호랑이", "Tiger", "老虎", "とら", "Тигр", "Жолбарыс"),
    ("비둘기", "Dove", "白鸽", "はと", "Голубь", "Көгершін"),
    ("돌고래", "Dolphin", "海豚", "いるか", "Дельфин", "Дельфин"),
    ("진주", "Pearl", "珍珠", "しんじゅ", "Жемчужина", "Інжу"),
    ("비취", "Jade", "翡翠", "ひすい", "Нефрит", "Нефрит"),
    ("수정", "Crystal", "水晶", "すいしょう", "Кристалл", "Хрусталь"),
    ("은빛", "Silver", "银光", "ぎんいろ", "Серебро", "Күміс"),
    ("금빛", "Gold", "金光", "きんいろ", "Золото", "Алтын"),
    ("쪽빛", "Azure", "蔚蓝", "あいいろ", "Лазурь", "Көгілдір"),
    ("햇살", "Sunbeam", "阳光", "ひざし", "Луч", "Сәуле"),
    ("물결", "Wave", "波浪", "なみ", "Волна", "Толқын"),
    ("메아리", "Echo", "回声", "こだま", "Эхо", "Жаңғырық"),
    ("보름달", "Full Moon", "满月", "まんげつ", "Полнолуние", "Толған ай"),
    ("아침", "Morning", "清晨", "あさ", "Утро", "Таңертең"),
    ("미소", "Smile", "微笑", "ほほえみ", "Улыбка", "Күлкі"),
    ("온기", "Warmth", "温暖", "ぬくもり", "Тепло", "Жылу"),
    ("희망", "Hope", "希望", "きぼう", "Надежда", "Үміт"),
    ("조화", "Harmony", "和谐", "ちょうわ", "Гармония", "Үйлесім"),
)

# What the place is: (ko, en, zh-hans, ja, ru, kk). Keys are kinds or clinic departments.
KINDS: dict[str, tuple[str, str, str, str, str, str]] = {
    "tertiary_hospital": (
        "대학교병원",
        "University Hospital",
        "大学医院",
        "大学病院",
        "Университетская больница",
        "университеттік ауруханасы",
    ),
    "general_hospital": (
        "종합병원",
        "General Hospital",
        "综合医院",
        "総合病院",
        "Многопрофильная больница",
        "көпсалалы ауруханасы",
    ),
    "hospital": ("병원", "Hospital", "医院", "病院", "Больница", "ауруханасы"),
    "dental": (
        "치과의원",
        "Dental Clinic",
        "牙科诊所",
        "歯科クリニック",
        "Стоматологическая клиника",
        "стоматология клиникасы",
    ),
    "korean_medicine": (
        "한의원",
        "Korean Medicine Clinic",
        "韩医诊所",
        "韓医院",
        "Клиника корейской медицины",
        "корей медицинасы клиникасы",
    ),
    "plastic_surgery": (
        "성형외과의원",
        "Plastic Surgery Clinic",
        "整形外科诊所",
        "形成外科クリニック",
        "Клиника пластической хирургии",
        "пластикалық хирургия клиникасы",
    ),
    "dermatology": (
        "피부과의원",
        "Dermatology Clinic",
        "皮肤科诊所",
        "皮膚科クリニック",
        "Дерматологическая клиника",
        "дерматология клиникасы",
    ),
    "internal_medicine": (
        "내과의원",
        "Internal Medicine Clinic",
        "内科诊所",
        "内科クリニック",
        "Терапевтическая клиника",
        "терапия клиникасы",
    ),
    "orthopedics": (
        "정형외과의원",
        "Orthopedic Clinic",
        "骨科诊所",
        "整形外科クリニック",
        "Ортопедическая клиника",
        "ортопедия клиникасы",
    ),
    "ophthalmology": (
        "안과의원",
        "Eye Clinic",
        "眼科诊所",
        "眼科クリニック",
        "Офтальмологическая клиника",
        "офтальмология клиникасы",
    ),
    "obstetrics_gynecology": (
        "산부인과의원",
        "Women's Clinic",
        "妇产科诊所",
        "産婦人科クリニック",
        "Клиника акушерства и гинекологии",
        "акушерлік және гинекология клиникасы",
    ),
    "health_checkup": (
        "건강검진센터",
        "Health Screening Center",
        "体检中心",
        "健診センター",
        "Центр медицинского обследования",
        "медициналық тексеру орталығы",
    ),
    "family_medicine": (
        "가정의학과의원",
        "Family Medicine Clinic",
        "家庭医学科诊所",
        "家庭医療クリニック",
        "Клиника семейной медицины",
        "отбасылық медицина клиникасы",
    ),
    "otorhinolaryngology": (
        "이비인후과의원",
        "ENT Clinic",
        "耳鼻喉科诊所",
        "耳鼻咽喉科クリニック",
        "ЛОР-клиника",
        "ЛОР клиникасы",
    ),
    "neurosurgery": (
        "신경외과의원",
        "Spine and Neurosurgery Clinic",
        "神经外科诊所",
        "脳神経外科クリニック",
        "Нейрохирургическая клиника",
        "нейрохирургия клиникасы",
    ),
    "urology": (
        "비뇨의학과의원",
        "Urology Clinic",
        "泌尿外科诊所",
        "泌尿器科クリニック",
        "Урологическая клиника",
        "урология клиникасы",
    ),
    "rehabilitation_medicine": (
        "재활의학과의원",
        "Rehabilitation Clinic",
        "康复医学科诊所",
        "リハビリテーション科クリニック",
        "Реабилитационная клиника",
        "оңалту клиникасы",
    ),
}

AGENCY_KINDS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "메디컬 트래블",
        "Medical Travel",
        "医疗旅行社",
        "メディカルトラベル",
        "Медицинское турагентство",
        "медициналық туризм агенттігі",
    ),
    (
        "헬스케어 컨시어지",
        "Healthcare Concierge",
        "健康管家",
        "ヘルスケアコンシェルジュ",
        "Медицинский консьерж-сервис",
        "медициналық консьерж қызметі",
    ),
    (
        "의료관광",
        "Medical Tourism",
        "医疗观光",
        "医療観光",
        "Агентство медицинского туризма",
        "медициналық туризм компаниясы",
    ),
)

LANGUAGES = ("ko", "en", "zh-hans", "ja", "ru", "kk")
# Marker, "fictional", brand, kind, branch number: arranged as each language names a place.
NAME_PATTERNS = {
    "ko": "(Demo) 가상 {brand} {kind}{branch}",
    "en": "(Demo) Fictional {brand} {kind}{branch}",
    "zh-hans": "(演示) 虚构 {brand}{kind}{branch}",
    "ja": "(デモ) 架空 {brand}{kind}{branch}",
    "ru": "(Демо) {kind} «{brand}»{branch}",
    "kk": "(Демо) «{brand}» {kind}{branch}",
}

PROFILE = {
    "ko": "데모용으로 만든 가상의 의료기관입니다. 실제 기관이 아니며 예약할 수 없습니다.",
    "en": "A fictional institution made up for demonstration. It is not real and cannot be booked.",
    "zh-hans": "为演示而虚构的医疗机构。并非真实机构，无法预约。",
    "ja": "デモ用に作られた架空の医療機関です。実在せず、予約はできません。",
    "ru": "Вымышленное медицинское учреждение для демонстрации. Оно не существует, "
    "записаться в него нельзя.",
    "kk": "Көрсету үшін ойдан шығарылған медициналық мекеме. Ол шын мәнінде жоқ, "
    "оған жазылу мүмкін емес.",
}

# Real streets of each district (ko, en); building numbers are drawn at random.
STREETS: dict[str, tuple[tuple[str, str], ...]] = {
    "11110": (("종로", "Jong-ro"), ("율곡로", "Yulgok-ro"), ("대학로", "Daehak-ro")),
    "11140": (("을지로", "Eulji-ro"), ("퇴계로", "Toegye-ro"), ("세종대로", "Sejong-daero")),
    "11170": (
        ("이태원로", "Itaewon-ro"),
        ("한강대로", "Hangang-daero"),
        ("녹사평대로", "Noksapyeong-daero"),
    ),
    "11200": (
        ("왕십리로", "Wangsimni-ro"),
        ("뚝섬로", "Ttukseom-ro"),
        ("성수일로", "Seongsuil-ro"),
    ),
    "11215": (("능동로", "Neungdong-ro"), ("아차산로", "Achasan-ro"), ("자양로", "Jayang-ro")),
    "11230": (
        ("왕산로", "Wangsan-ro"),
        ("경희대로", "Kyungheedae-ro"),
        ("천호대로", "Cheonho-daero"),
    ),
    "11260": (("망우로", "Mangu-ro"), ("동일로", "Dongil-ro"), ("봉화산로", "Bonghwasan-ro")),
    "11290": (("보문로", "Bomun-ro"), ("인촌로", "Inchon-ro"), ("동소문로", "Dongsomun-ro")),
    "11305": (("도봉로", "Dobong-ro"), ("삼양로", "Samyang-ro"), ("솔매로", "Solmae-ro")),
    "11320": (("도봉로", "Dobong-ro"), ("노해로", "Nohae-ro"), ("방학로", "Banghak-ro")),
    "11350": (("동일로", "Dongil-ro"), ("노해로", "Nohae-ro"), ("한글비석로", "Hangeulbiseok-ro")),
    "11380": (("통일로", "Tongil-ro"), ("연서로", "Yeonseo-ro"), ("은평로", "Eunpyeong-ro")),
    "11410": (("연세로", "Yonsei-ro"), ("신촌로", "Sinchon-ro"), ("통일로", "Tongil-ro")),
    "11440": (("양화로", "Yanghwa-ro"), ("월드컵로", "World Cup-ro"), ("마포대로", "Mapo-daero")),
    "11470": (("목동로", "Mokdong-ro"), ("오목로", "Omok-ro"), ("안양천로", "Anyangcheon-ro")),
    "11500": (("공항대로", "Gonghang-daero"), ("화곡로", "Hwagok-ro"), ("강서로", "Gangseo-ro")),
    "11530": (
        ("구로중앙로", "Guro jungang-ro"),
        ("디지털로", "Digital-ro"),
        ("경인로", "Gyeongin-ro"),
    ),
    "11545": (("시흥대로", "Siheung-daero"), ("독산로", "Doksan-ro"), ("가산로", "Gasan-ro")),
    "11560": (
        ("여의대로", "Yeoui-daero"),
        ("영중로", "Yeongjung-ro"),
        ("국제금융로", "Gukjegeumyung-ro"),
    ),
    "11590": (("상도로", "Sangdo-ro"), ("노량진로", "Noryangjin-ro"), ("흑석로", "Heukseok-ro")),
    "11620": (
        ("관악로", "Gwanak-ro"),
        ("남부순환로", "Nambusunhwan-ro"),
        ("봉천로", "Bongcheon-ro"),
    ),
    "11650": (
        ("서초대로", "Seocho-daero"),
        ("강남대로", "Gangnam-daero"),
        ("반포대로", "Banpo-daero"),
    ),
    "11680": (
        ("테헤란로", "Teheran-ro"),
        ("강남대로", "Gangnam-daero"),
        ("도산대로", "Dosan-daero"),
        ("압구정로", "Apgujeong-ro"),
        ("논현로", "Nonhyeon-ro"),
        ("선릉로", "Seolleung-ro"),
    ),
    "11710": (
        ("올림픽로", "Olympic-ro"),
        ("송파대로", "Songpa-daero"),
        ("백제고분로", "Baekjegobun-ro"),
    ),
    "11740": (
        ("천호대로", "Cheonho-daero"),
        ("양재대로", "Yangjae-daero"),
        ("성내로", "Seongnae-ro"),
    ),
}


def localized_name(brand: tuple[str, ...], kind: tuple[str, ...], branch: int) -> dict[str, str]:
    names = {}
    for index, language in enumerate(LANGUAGES):
        kind_text = kind[index]
        if language == "ru":
            kind_text = kind_text[:1].upper() + kind_text[1:]
        names[language] = NAME_PATTERNS[language].format(
            brand=brand[index], kind=kind_text, branch=f" {branch}" if branch > 1 else ""
        )
    return names
