"""Demo directory data: the organisation types and fields of activity of a national association of
culture centres, a believable Lithuanian directory of about 50 member centres with their branches
and collectives (written for this project; every organisation in it is fictional), and a
deterministic large data set for benchmarks. Used by the seed_demo command."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils.text import slugify

from .models import FieldOfActivity, Municipality, Organisation, OrganisationType
from .services import directory_changed, load_places, read_places, refresh_search

TYPES = [
    # slug, legal entity, top level, allowed parents, names: en, lt, sl, sv (singular, plural)
    ("centre", True, True, [], {
        "en": ("Culture centre", "Culture centres"),
        "lt": ("Kultūros centras", "Kultūros centrai"),
        "sl": ("Kulturni center", "Kulturni centri"),
        "sv": ("Kulturhus", "Kulturhus"),
    }),
    ("branch", False, False, ["centre"], {
        "en": ("Branch", "Branches"),
        "lt": ("Filialas", "Filialai"),
        "sl": ("Podružnica", "Podružnice"),
        "sv": ("Filial", "Filialer"),
    }),
    ("division", False, False, ["centre"], {
        "en": ("Division", "Divisions"),
        "lt": ("Skyrius", "Skyriai"),
        "sl": ("Oddelek", "Oddelki"),
        "sv": ("Avdelning", "Avdelningar"),
    }),
    ("collective", False, False, ["centre", "branch", "division"], {
        "en": ("Art collective", "Art collectives"),
        "lt": ("Meno kolektyvas", "Meno kolektyvai"),
        "sl": ("Umetniška skupina", "Umetniške skupine"),
        "sv": ("Konstnärlig grupp", "Konstnärliga grupper"),
    }),
    ("studio", False, False, ["centre", "branch", "division"], {
        "en": ("Studio", "Studios"),
        "lt": ("Studija", "Studijos"),
        "sl": ("Studio", "Studii"),
        "sv": ("Studio", "Studior"),
    }),
    ("club", False, False, ["centre", "branch", "division"], {
        "en": ("Club", "Clubs"),
        "lt": ("Klubas", "Klubai"),
        "sl": ("Klub", "Klubi"),
        "sv": ("Klubb", "Klubbar"),
    }),
]  # fmt: skip

FIELDS = [
    ("folk-dance", "Folk dance", "Liaudies šokis", "Ljudski ples", "Folkdans"),
    ("choir", "Choir", "Choras", "Pevski zbor", "Kör"),
    ("vocal-ensemble", "Vocal ensemble", "Vokalinis ansamblis", "Vokalna skupina", "Sånggrupp"),
    ("folk-music", "Folk music", "Liaudies muzika", "Ljudska glasba", "Folkmusik"),
    ("brass-band", "Brass band", "Pučiamųjų orkestras", "Pihalni orkester", "Blåsorkester"),
    ("theatre", "Theatre", "Teatras", "Gledališče", "Teater"),
    ("modern-dance", "Modern dance", "Šiuolaikinis šokis", "Sodobni ples", "Modern dans"),
    ("folk-art", "Folk art", "Tautodailė", "Ljudska umetnost", "Folkkonst"),
    ("crafts", "Crafts", "Amatai", "Rokodelstvo", "Hantverk"),
    ("visual-arts", "Visual arts", "Dailė", "Likovna umetnost", "Bildkonst"),
    ("photography", "Photography", "Fotografija", "Fotografija", "Fotografi"),
    ("amateur-film", "Amateur film", "Mėgėjų kinas", "Ljubiteljski film", "Amatörfilm"),
    ("literature", "Literature", "Literatūra", "Literatura", "Litteratur"),
    ("children", "Children's activities", "Vaikų užimtumas", "Dejavnosti za otroke",
     "Barnverksamhet"),
    ("seniors", "Seniors' activities", "Senjorų veikla", "Dejavnosti za starejše",
     "Seniorverksamhet"),
]  # fmt: skip

# (type, field, Lithuanian name pattern): the kinds of units a culture centre keeps.
UNIT_KINDS = [
    ("collective", "folk-dance", "Liaudiškų šokių kolektyvas „{}“"),
    ("collective", "choir", "Mišrus choras „{}“"),
    ("collective", "vocal-ensemble", "Vokalinis ansamblis „{}“"),
    ("collective", "folk-music", "Folkloro ansamblis „{}“"),
    ("collective", "brass-band", "Pučiamųjų instrumentų orkestras „{}“"),
    ("collective", "theatre", "Mėgėjų teatras „{}“"),
    ("collective", "modern-dance", "Šiuolaikinio šokio grupė „{}“"),
    ("studio", "visual-arts", "Vaikų dailės studija „{}“"),
    ("studio", "photography", "Fotografijos studija „{}“"),
    ("studio", "amateur-film", "Mėgėjų kino studija „{}“"),
    ("club", "crafts", "Rankdarbių klubas „{}“"),
    ("club", "folk-art", "Tautodailininkų klubas „{}“"),
    ("club", "literature", "Literatų klubas „{}“"),
    ("club", "seniors", "Senjorų klubas „{}“"),
]
UNIT_NAMES = [
    "Rūta", "Aidas", "Žilvitis", "Gintaras", "Vaivorykštė", "Ratilėlis", "Linelis", "Dobilas",
    "Jievaras", "Šilas", "Vyturys", "Kankliai", "Sutartinė", "Vingis", "Aušrinė", "Verdenė",
    "Kupolė", "Saulutė", "Žaliasis šilas", "Nemunas", "Girios aidas", "Ąžuoliukas", "Viltis",
    "Pynimas", "Jūra", "Lankstis", "Sodauto", "Šaltinėlis", "Gija", "Versmė", "Svajonė",
    "Žemyna", "Laumė", "Tėviškė", "Skamba", "Pušynėlis", "Kalvelė", "Vakarė", "Liepa", "Gegutė",
]  # fmt: skip
VILLAGES = [
    "Daugų", "Butrimonių", "Simno", "Punios", "Nemunaičio", "Raitininkų", "Krokialaukio",
    "Miroslavo", "Kavarsko", "Troškūnų", "Svėdasų", "Andrioniškio", "Pabiržės", "Vabalninko",
    "Nemunėlio Radviliškio", "Papilio", "Kupreliškio", "Ariogalos", "Šeduvos", "Baisogalos",
    "Šeštokų", "Kapčiamiesčio", "Veisiejų", "Leipalingio", "Seirijų", "Kalvarijos", "Liudvinavo",
    "Gelgaudiškio", "Kudirkos Naumiesčio", "Lukšių", "Žemaičių Naumiesčio", "Kvėdarnos",
    "Laukuvos", "Varnių", "Luokės", "Tryškių", "Kuršėnų", "Gruzdžių", "Joniškėlio", "Pumpėnų",
    "Salako", "Dusetų", "Obelių", "Kriaunų", "Linkmenų", "Ignalinos", "Dūkšto", "Vidiškių",
    "Siesikų", "Taujėnų", "Žaslių", "Rumšiškių", "Čekiškės", "Babtų", "Vandžiogalos",
    "Salantų", "Darbėnų", "Plungės", "Kulių", "Alsėdžių", "Viešvilės", "Lauksargių", "Skaudvilės",
    "Švėkšnos", "Endriejavo", "Veiviržėnų", "Priekulės", "Juknaičių", "Rusnės", "Kintų",
]  # fmt: skip
FIRST_NAMES = [
    "Rasa", "Inga", "Jūratė", "Vida", "Asta", "Daiva", "Laima", "Rūta", "Eglė", "Aušra",
    "Tomas", "Mindaugas", "Darius", "Vytautas", "Saulius", "Giedrius", "Rimas", "Audrius",
]  # fmt: skip
LAST_NAMES = [
    "Kazlauskienė", "Petrauskienė", "Jankauskienė", "Stankevičienė", "Vasiliauskienė",
    "Žukauskienė", "Butkienė", "Paulauskienė", "Urbonienė", "Kavaliauskienė",
]  # fmt: skip
CENTRE_STORIES = [
    "{name} – {place} bendruomenės susibūrimo vieta, veikianti nuo {year} m. Čia repetuoja "
    "mėgėjų meno kolektyvai, rengiami koncertai, parodos ir tradicinės kalendorinės šventės.",
    "Nuo {year} m. {name} puoselėja {place} krašto tradicijas ir kviečia į šiuolaikinius "
    "renginius. Centras rengia edukacijas vaikams, jaunimui ir senjorams.",
    "{name} jungia {place} filialus ir skyrius, kuriuose veikia chorai, šokių ir teatro "
    "kolektyvai. Kasmet centras organizuoja krašto dainų šventę ir vasaros koncertų ciklą.",
]  # fmt: skip
UNIT_STORIES = [
    "Kolektyvas įkurtas {year} m. ir repetuoja kartą per savaitę. Nauji nariai laukiami.",
    "Nuo {year} m. kolektyvas dalyvauja respublikinėse šventėse ir krašto festivaliuose.",
    "Užsiėmimai vyksta rudenį ir žiemą, vasarą kolektyvas koncertuoja kaimo šventėse.",
]  # fmt: skip


@transaction.atomic
def _create_or_update(model, slug, values):
    """The row with this slug, created or brought up to date. Unchanged rows are not saved: a
    saved type or field makes every organisation's search text be rebuilt."""
    row = model.objects.filter(slug=slug).first()
    if row is None:
        return model.objects.create(slug=slug, **values)
    if any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row


def load_vocabularies():
    """Organisation types, fields of activity and the Lithuanian places, created or updated."""
    types = {}
    for slug, legal, top, _parents, names in TYPES:
        defaults = {"order": len(types), "is_legal_entity": legal, "can_be_top_level": top}
        for code, (singular, plural) in names.items():
            defaults[f"name_{code}"] = singular
            defaults[f"name_plural_{code}"] = plural
        types[slug] = _create_or_update(OrganisationType, slug, defaults)
    for slug, _legal, _top, parents, _names in TYPES:
        types[slug].allowed_parents.set([types[parent] for parent in parents])
    for order, (slug, *names) in enumerate(FIELDS):
        _create_or_update(
            FieldOfActivity,
            slug,
            {"order": order}
            | {
                f"name_{code}": name
                for code, name in zip(["en", "lt", "sl", "sv"], names, strict=True)
            },
        )
    if not Municipality.objects.filter(region__country="LT").exists():
        load_places(read_places("lt"))


class _Builder:
    """Creates organisations in tree order with bulk inserts: flush() saves what was added,
    and what is added after a flush may have the saved ones as parents (the tree trigger reads
    the parent's path from the database)."""

    def __init__(self, rng, prefix):
        self.rng = rng
        self.prefix = prefix
        self.types = {kind.slug: kind for kind in OrganisationType.objects.all()}
        self.fields = {field.slug: field for field in FieldOfActivity.objects.all()}
        self.pending = []  # (organisation, field slugs)
        self.saved_ids = []

    @property
    def count(self):
        return len(self.saved_ids) + len(self.pending)

    def add(self, *, kind, name, parent, municipality, fields, story, **figures):
        number = self.count + 1
        year = self.rng.randint(1955, 2018)
        organisation = Organisation(
            name=name,
            slug=f"{slugify(name)[:200]}-{number}",
            type=self.types[kind],
            parent=parent,
            municipality=municipality,
            latitude=round(municipality.latitude + self.rng.uniform(-0.08, 0.08), 5),
            longitude=round(municipality.longitude + self.rng.uniform(-0.12, 0.12), 5),
            address=f"{self.rng.choice(['Vilniaus', 'Laisvės', 'Kultūros', 'Sodų'])} g. "
            f"{self.rng.randint(1, 60)}",
            postal_code=f"LT-{self.rng.randint(10000, 99999)}",
            founding_year=year,
            description=f"<p>{story.format(name=name, year=year, place=municipality.name)}</p>",
            external_id=f"{self.prefix}-{number}",
            membership_status=Organisation.MembershipStatus.MEMBER,
            **figures,
        )
        organisation.set_derived_fields()
        self.pending.append((organisation, fields))
        return organisation

    def flush(self):
        Organisation.objects.bulk_create([organisation for organisation, _ in self.pending])
        through = Organisation.fields_of_activity.through
        through.objects.bulk_create(
            through(organisation_id=organisation.pk, fieldofactivity_id=self.fields[slug].pk)
            for organisation, slugs in self.pending
            for slug in slugs
        )
        self.saved_ids.extend(organisation.pk for organisation, _ in self.pending)
        self.pending = []

    def finish(self):
        self.flush()
        refresh_search(self.saved_ids)
        transaction.on_commit(directory_changed)
        return len(self.saved_ids)


def _centre(builder, municipality, place_stem, **extra):
    rng = builder.rng
    return builder.add(
        kind="centre",
        name=f"{place_stem} kultūros centras",
        parent=None,
        municipality=municipality,
        fields=rng.sample(list(builder.fields), 4),
        story=rng.choice(CENTRE_STORIES),
        staff_count=rng.randint(8, 60),
        members_count=rng.randint(120, 900),
        volunteers_count=rng.randint(5, 80),
        **extra,
    )


def _unit(builder, parent, municipality):
    rng = builder.rng
    kind, field, pattern = rng.choice(UNIT_KINDS)
    return builder.add(
        kind=kind,
        name=pattern.format(rng.choice(UNIT_NAMES)),
        parent=parent,
        municipality=municipality,
        fields=[field],
        story=rng.choice(UNIT_STORIES),
        members_count=rng.randint(8, 60),
        volunteers_count=rng.randint(0, 8),
    )


def _branch(builder, parent, municipality):
    rng = builder.rng
    kind = rng.choice(["branch", "branch", "division"])
    label = "filialas" if kind == "branch" else "skyrius"
    return builder.add(
        kind=kind,
        name=f"{rng.choice(VILLAGES)} {label}",
        parent=parent,
        municipality=municipality,
        fields=rng.sample(list(builder.fields), 2),
        story=rng.choice(CENTRE_STORIES),
        staff_count=rng.randint(1, 5),
        members_count=rng.randint(20, 150),
        volunteers_count=rng.randint(0, 20),
    )


def _place_stem(municipality):
    return municipality.name.removesuffix(" savivaldybė").removesuffix(" r.").strip()


@transaction.atomic
def load_demo_directory():
    """About 50 member centres in real Lithuanian municipalities, with branches and units."""
    if Organisation.objects.filter(external_id__startswith="demo-").exists():
        return 0
    rng = random.Random(2002)  # noqa: S311 - demo data, not secrets
    builder = _Builder(rng, "demo")
    municipalities = list(Municipality.objects.filter(region__country="LT").order_by("code"))[:50]
    centres = []
    for municipality in municipalities:
        centre = _centre(
            builder,
            municipality,
            _place_stem(municipality),
            legal_name=f"Biudžetinė įstaiga {_place_stem(municipality)} kultūros centras",
            registration_code=str(rng.randint(100000000, 399999999)),
            member_since=date(rng.randint(2002, 2023), rng.randint(1, 12), 1),
            email=f"info@{slugify(_place_stem(municipality))}-kc.example.org",
            phone=f"+370 {rng.randint(300, 699)} {rng.randint(10000, 99999)}",
            website=f"https://{slugify(_place_stem(municipality))}-kc.example.org/",
        )
        centres.append((centre, municipality))
    builder.flush()
    branches = []
    for centre, municipality in centres:
        for _ in range(rng.randint(1, 5)):
            branches.append((_branch(builder, centre, municipality), municipality))
    builder.flush()
    for parent, municipality in centres + branches:
        for _ in range(rng.randint(1, 4)):
            _unit(builder, parent, municipality)
    _add_contacts(rng, [centre for centre, _ in centres])
    return builder.finish()


def _add_contacts(rng, centres):
    from .models import ContactPerson

    ContactPerson.objects.bulk_create(
        ContactPerson(
            organisation=centre,
            name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            role="Direktorė" if rng.random() < 0.6 else "Direktorius",
            email=centre.email,
            phone=centre.phone,
            consent=rng.random() < 0.8,
        )
        for centre in centres
    )


@transaction.atomic
def load_large_directory(count, seed):
    """A deterministic directory of `count` organisations for benchmarks: 5 % centres, 10 %
    branches and divisions, the rest collectives, studios and clubs, all over the country."""
    prefix = f"bench{seed}"
    existing = Organisation.objects.filter(external_id__startswith=f"{prefix}-").count()
    if existing >= count:
        return 0
    if existing:
        raise ValueError(
            f"{existing} organisations of seed {seed} are loaded, fewer than {count}: "
            "start from an empty database to load another size."
        )
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    builder = _Builder(rng, prefix)
    municipalities = list(Municipality.objects.order_by("code"))
    centres = []
    for number in range(max(1, count // 20)):
        municipality = municipalities[number % len(municipalities)]
        stem = f"{rng.choice(VILLAGES)} {_place_stem(municipality)}"
        centres.append((_centre(builder, municipality, stem), municipality))
    builder.flush()
    branches = []
    for _ in range(count // 10):
        centre, municipality = rng.choice(centres)
        branches.append((_branch(builder, centre, municipality), municipality))
    builder.flush()
    parents = centres + branches
    while builder.count < count:
        parent, municipality = rng.choice(parents)
        _unit(builder, parent, municipality)
        if len(builder.pending) == 5000:
            builder.flush()
    return builder.finish()


def load_demo_roles():
    """The demo member-staff account administers the first demo centre (and so its subtree)."""
    from django.contrib.auth import get_user_model

    from .models import Role

    user = get_user_model().objects.get(email="staff@example.org")
    centre = Organisation.objects.filter(external_id="demo-1").first()
    if centre is not None:
        Role.objects.get_or_create(
            user=user, organisation=centre, defaults={"level": Role.Level.ADMIN}
        )
    return centre


# (centre's external id, title, kind, countries, topic slugs, months open, description)
PARTNER_OFFERS = [
    ("demo-1", "Folk dance youth exchange (Erasmus+)", "exchange", ["PL", "LV", "SI"],
     ["youth", "intangible-heritage"], 3,
     "We plan a ten-day youth exchange for dancers aged 16–25 next summer and look for two "
     "partner groups who keep their own folk dance tradition."),
    ("demo-2", "Choir co-production for Creative Europe", "co-production", ["SE", "FI", "EE"],
     ["amateur-arts", "international-cooperation"], 4,
     "A new choral work by composers from the Baltic Sea region, premiered in three countries. "
     "We look for choirs or culture centres to co-produce and host concerts."),
    ("demo-3", "Training for rural culture managers", "training", ["UA", "MD", "GE"],
     ["capacity-building", "rural-communities"], 5,
     "Peer learning on running a village culture house: audiences, volunteers and funding. "
     "Partners host one study visit each."),
    ("demo-4", "Nordic-Baltic mobility for craft makers", "exchange", ["NO", "IS", "DK"],
     ["cultural-heritage"], 2,
     "Short residencies for weavers and woodworkers. We host in spring and look for partners "
     "who host in autumn."),
    ("demo-5", "Interreg study of village festivals", "research", ["LV", "PL"],
     ["festivals", "rural-communities"], 6,
     "What do small festivals bring to their villages? A two-year study with universities and "
     "the organisers themselves."),
    ("demo-6", "Digital storytelling festival", "festival", ["SI", "HR", "RS", "BA"],
     ["digital-culture", "youth"], 4,
     "A festival of short films and podcasts made by young people about their home places, "
     "shown in each partner's town."),
]  # fmt: skip


@transaction.atomic
def load_demo_partner_offers():
    """Partner searches by demo centres, open for a few months from today, each added once
    (by its organisation and title). Returns how many were added."""
    from association.models import Topic

    from .models import ContactPerson, PartnerOffer

    centres = Organisation.objects.in_bulk(
        [spec[0] for spec in PARTNER_OFFERS], field_name="external_id"
    )
    topics = Topic.objects.in_bulk(
        [slug for spec in PARTNER_OFFERS for slug in spec[4]], field_name="slug"
    )
    today = date.today()
    added = 0
    for external_id, title, kind, countries, slugs, months, description in PARTNER_OFFERS:
        centre = centres.get(external_id)
        if centre is None or centre.partner_offers.filter(title=title).exists():
            continue
        contact = ContactPerson.objects.filter(organisation=centre).first()
        offer = PartnerOffer.objects.create(
            organisation=centre,
            title=title,
            description=description,
            project_kind=kind,
            countries=countries,
            valid_until=today + timedelta(days=30 * months),
            contact_name=contact.name if contact else centre.name,
            contact_email=centre.email or "partners@example.org",
        )
        offer.topics.set([topics[slug] for slug in slugs if slug in topics])
        added += 1
    return added
