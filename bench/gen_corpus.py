#!/usr/bin/env python3
"""Deterministic synthetic corpus of research-partnership news for the benchmark.

Writes N documents into OUT/seeds/: raw .txt scrapes (title line, dek, byline, date
line, paragraphs, page clutter) and .md notes with TOML (+++) front matter (title, date,
author, tags). With --hugo DIR, the same .md documents (only those) are also written
to DIR/content/posts/, where Hugo reads the same TOML front matter and `tags` becomes
its taxonomy.

Every organization, person, place and country is invented from syllables; no real names.
The output depends only on --n, --seed and --md-share (fixed-seed random.Random, no
hash(), no clock), so two runs with the same arguments write identical files.

Standard library only.

    python3 bench/gen_corpus.py --n 1000 --out /tmp/corpus --hugo /tmp/hugo-site
"""

import argparse
import datetime
import os
import random

# --- invented vocabulary ----------------------------------------------------------------

ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "gl", "h", "k", "kl", "l", "m", "n",
          "p", "qu", "r", "s", "st", "t", "tr", "v", "w", "z", "th", "sk"]
VOWELS = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "y"]
CODAS = ["", "n", "r", "l", "s", "th", "nd", "rn", "lk", "st", "m", "x"]
PLACE_ENDS = ["mere", "holt", "wick", "vale", "stead", "moor", "ford", "haven", "dale",
              "bury", "shire", "port", "ridge", "fell", "gard", "wyn"]
COUNTRY_ENDS = ["ia", "land", "mark", "ora", "istan", "avia", "enia", "ovia"]
GIVEN = ["Ada", "Bram", "Calla", "Dorin", "Elsa", "Fennick", "Greta", "Halvard", "Ines",
         "Joran", "Kestra", "Lior", "Maren", "Niall", "Odile", "Petra", "Quill", "Rasmus",
         "Sabine", "Tomas", "Ulla", "Viggo", "Wren", "Xavi", "Yara", "Zeno", "Amara",
         "Bastian", "Corin", "Delphine", "Emrys", "Fiora", "Gideon", "Hana", "Ilse",
         "Jovan", "Kaia", "Leontine", "Matteo", "Noor", "Oskar", "Priya", "Rune", "Saskia",
         "Teodor", "Vesna", "Wilmer", "Ysolde"]
FIELDS = ["marine robotics", "quantum sensing", "battery materials", "climate modeling",
          "precision agriculture", "semiconductor design", "gene editing",
          "autonomous vehicles", "fusion energy", "space weather", "public health data",
          "low-carbon cement", "computational linguistics", "coral restoration",
          "hydrogen storage", "earthquake early warning", "neuromorphic computing",
          "water purification", "wildfire detection", "photonic chips",
          "vaccine manufacturing", "soil microbiomes", "offshore wind", "digital twins"]
MINISTRY_TOPICS = ["Coastal Innovation", "Science and Frontier Research",
                   "Digital Affairs", "Energy Transition", "Higher Learning",
                   "Oceans and Fisheries", "Industry and Skills", "Health Research"]
UNI_ROLES = ["President", "Provost", "Vice President for Research", "Dean of Engineering",
             "Chancellor", "Director of the Robotics Lab", "Professor of Physics"]
CO_ROLES = ["Chief Executive Officer", "Chief Technology Officer", "Head of Research",
            "Managing Director", "Senior Vice President"]
GOV_ROLES = ["Minister", "Deputy Minister", "Permanent Secretary", "Chief Scientist"]
REPORTER_ROLES = ["Senior Reporter", "Science Editor", "Staff Writer", "Jr. Editor",
                  "Correspondent"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
VAGUE_TIMES = ["last summer", "earlier this year", "last spring", "in the coming months",
               "by the end of the decade", "late last year", "next autumn"]
VERBS = ["signed a memorandum of understanding", "announced a partnership",
         "launched a joint research center", "agreed to collaborate",
         "formed a research alliance", "signed a five-year agreement"]
QUOTES = [
    "This partnership lets our researchers work on problems no single lab could tackle alone",
    "We have spent years building trust, and today that trust becomes a shared program",
    "Our students will learn side by side with engineers who ship real systems",
    "The questions in {field} are too large for any one country",
    "Open data and open doors are the heart of this agreement",
    "We expect the first results within eighteen months",
    "Funding matters, but people matter more, and this brings the right people together",
]
CLUTTER = ["Advertisement", "Share this article", "Sign up for our newsletter",
           "Subscribe", "Photo: file image", "Getty Images", "Listen to this article"]


class Vocabulary:
    """Invented places, countries, organizations and people, sized to the corpus."""

    def __init__(self, rng, n_docs):
        self.rng = rng
        used = set()
        self.places = self._unique(lambda: self._word(1) + rng.choice(PLACE_ENDS),
                                   max(60, n_docs // 3), used)
        self.countries = self._unique(lambda: self._word(1) + rng.choice(COUNTRY_ENDS),
                                      max(12, n_docs // 200), used)
        surnames = self._unique(lambda: self._word(2),
                                max(120, n_docs), used)
        self.orgs = []
        for i in range(max(50, n_docs // 4)):
            place = self.places[i % len(self.places)]
            country = rng.choice(self.countries)
            kind = rng.choice(["university", "university", "institute", "company",
                               "company", "group", "ministry"])
            if kind == "university":
                name, roles = f"University of {place}", UNI_ROLES
            elif kind == "institute":
                name, roles = f"{place} Institute of Technology", UNI_ROLES
            elif kind == "company":
                name, roles = f"{place} Corp.", CO_ROLES
            elif kind == "group":
                name, roles = f"{place} Group", CO_ROLES
            else:
                topic = MINISTRY_TOPICS[i % len(MINISTRY_TOPICS)]
                name, roles = f"Ministry of {topic} of {country}", GOV_ROLES
            self.orgs.append({"name": name, "kind": kind, "country": country,
                              "roles": roles, "place": place})
        self.people = []
        for i in range(max(100, n_docs // 2)):
            org = self.orgs[rng.randrange(len(self.orgs))]
            self.people.append({"name": f"{rng.choice(GIVEN)} {surnames[i]}",
                                "role": rng.choice(org["roles"]), "org": org})
        self.staff = {}
        for person in self.people:
            self.staff.setdefault(person["org"]["name"], []).append(person)
        self.funders = [o for o in self.orgs if o["kind"] in ("company", "group", "ministry")]
        self.reporters = [f"{rng.choice(GIVEN)} {surnames[-1 - i]}" for i in range(20)]

    def _word(self, syllables):
        rng = self.rng
        s = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                    for _ in range(syllables))
        return s.capitalize()

    @staticmethod
    def _unique(make, count, used):
        out = []
        while len(out) < count:
            w = make()
            if w not in used:
                used.add(w)
                out.append(w)
        return out


# --- one document ------------------------------------------------------------------------

def money(rng):
    amount = rng.choice([3, 5, 8, 12, 15, 20, 25, 40, 60, 110, 250])
    style = rng.randrange(5)
    if style == 0:
        return f"${amount} million"
    if style == 1:
        return f"€{amount}m"
    if style == 2:
        return f"¥{rng.choice([2, 5, 10, 30])} billion"
    if style == 3:
        return f"£{amount}.{rng.randrange(10)} million"
    return f"US${amount} million"


def and_list(items):
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def long_date(d):
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def quote(rng, person, field, curly):
    text = rng.choice(QUOTES).format(field=field)
    open_q, close_q = ("\u201c", "\u201d") if curly else ('"', '"')
    who = f"{person['name']}, {person['role']} of {person['org']['name']}"
    if rng.random() < 0.5:
        stop = "" if who.endswith(".") else "."  # "of Bronwick Corp." ends the sentence
        return f"{open_q}{text},{close_q} said {who}{stop}"
    return f"{open_q}{text}.{close_q} {who} said the work would start {rng.choice(VAGUE_TIMES)}."


def article(rng, vocab, index):
    """Returns (fields, body paragraphs) for document number `index`."""
    k = 2 if rng.random() < 0.75 else 3
    parties = rng.sample(vocab.orgs, k)
    fields = rng.sample(FIELDS, rng.choice([1, 2, 3]))
    field = fields[0]
    when = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(5 * 365))
    venue_place = rng.choice(vocab.places)
    speakers = [p for o in parties for p in vocab.staff.get(o["name"], [])][:2]
    while len(speakers) < 2:
        speakers.append(rng.choice(vocab.people))
    funder = rng.choice(vocab.funders)
    names = [o["name"] for o in parties]
    joined = and_list(names)
    title = rng.choice([
        f"{names[0]} and {names[1]} team up on {field}",
        f"{names[0]} partners with {names[1]} to advance {field}",
        f"New {field} alliance links {parties[0]['place']} and {parties[1]['place']}",
        f"{parties[0]['country']} and {parties[1]['country']} researchers join forces on {field}",
    ])
    dek = (f"The agreement brings {money(rng)} in funding and shared labs for "
           f"{and_list(fields)}.")
    curly = rng.random() < 0.6
    paras = [
        f"{joined} {rng.choice(VERBS)} on {long_date(when)} to jointly research "
        f"{and_list(fields)}.",
        f"{funder['name']} will provide {money(rng)} to support the partnership over "
        f"{rng.choice(['three', 'four', 'five', 'seven'])} years, with a further "
        f"{money(rng)} expected {rng.choice(VAGUE_TIMES)}.",
        quote(rng, speakers[0], field, curly),
        f"The announcement was made at {venue_place} Convention Hall during the annual "
        f"{rng.choice(vocab.places)} Science Forum.",
        f"Researchers from {parties[1]['place']} first visited {parties[0]['place']} "
        f"{rng.choice(VAGUE_TIMES)}, and the two teams have co-authored "
        f"{rng.randrange(3, 40)} papers since {when.year - rng.randrange(1, 6)}.",
        quote(rng, speakers[1], field, curly),
    ]
    extra = {
        "headings": ["What the agreement covers", "Why it matters", "What comes next"],
        "bullets": [f"a shared {rng.choice(fields)} testbed in {rng.choice(vocab.places)}",
                    f"{rng.randrange(4, 60)} doctoral fellowships",
                    f"an exchange program for {rng.choice(['engineers', 'students', 'postdocs'])}",
                    f"open datasets on {rng.choice(FIELDS)}"],
        "closing": (f"The partners plan to review progress in {MONTHS[rng.randrange(12)]} "
                    f"{when.year + 1} and to invite other {parties[0]['country']} "
                    f"institutions to join."),
    }
    # A few filler paragraphs so documents have realistic length (roughly 3-6 KB).
    for _ in range(rng.randrange(2, 6)):
        o = rng.choice(vocab.orgs)
        paras.append(
            f"{o['name']}, which is based in {o['place']}, {o['country']}, has worked on "
            f"{rng.choice(FIELDS)} since {rng.randrange(1960, 2020)} and employs about "
            f"{rng.randrange(2, 90) * 100} people. Its previous collaborations covered "
            f"{rng.choice(FIELDS)} and {rng.choice(FIELDS)}.")
    meta = {"title": title, "dek": dek, "date": when, "author": rng.choice(vocab.reporters),
            "tags": sorted(set(fields + [parties[0]["country"].lower()])), "parties": names}
    return meta, paras, extra


def render_txt(rng, meta, paras, extra):
    lines = [meta["title"], "", meta["dek"], "",
             f"{meta['author']}, {rng.choice(REPORTER_ROLES)}", "", long_date(meta["date"]), "",
             f"{rng.randrange(2, 8)} Min Read"]
    if rng.random() < 0.5:
        lines.append(f"{meta['parties'][0]} campus, file photo")
        lines.append(rng.choice(CLUTTER))
    lines.append("")
    for i, p in enumerate(paras):
        lines += [p, ""]
        if i == 2 and rng.random() < 0.5:
            lines += [rng.choice(CLUTTER), ""]
    lines += ["The agreement covers:", ""] + [f"- {b}" for b in extra["bullets"]] + [""]
    lines += [extra["closing"], ""]
    lines += [f"Related: {rng.choice(FIELDS).capitalize()} funding round closes early", ""]
    lines += [rng.choice(CLUTTER), ""]
    return "\n".join(lines)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_md(rng, meta, paras, extra):
    tags = ", ".join(toml_str(t) for t in meta["tags"])
    front = ["+++", f"title = {toml_str(meta['title'])}", f"date = {meta['date'].isoformat()}",
             f"author = {toml_str(meta['author'])}", f"tags = [{tags}]", "+++", ""]
    h = extra["headings"]
    body = [f"*{meta['dek']}*", "", paras[0], "", paras[1], "", f"## {h[0]}", ""]
    body += [f"- {b}" for b in extra["bullets"]] + [""]
    body += [paras[2], "", f"## {h[1]}", "", paras[3], "", paras[4], ""]
    for p in paras[6:]:
        body += [p, ""]
    body += [paras[5], "", f"## {h[2]}", "", f"**{extra['closing']}**", ""]
    return "\n".join(front + body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True, help="number of documents")
    ap.add_argument("--out", required=True, help="accord site root (documents go to OUT/seeds)")
    ap.add_argument("--hugo", help="Hugo site root: the .md documents also go to DIR/content/posts")
    ap.add_argument("--seed", type=int, default=20240415)
    ap.add_argument("--md-share", type=float, default=0.5, help="share of .md documents")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    vocab = Vocabulary(rng, args.n)
    seeds = os.path.join(args.out, "seeds")
    os.makedirs(seeds, exist_ok=True)
    posts = os.path.join(args.hugo, "content", "posts") if args.hugo else None
    if posts:
        os.makedirs(posts, exist_ok=True)
    n_md = 0
    width = len(str(args.n))
    for i in range(args.n):
        meta, paras, extra = article(rng, vocab, i)
        stem = f"doc-{i:0{width}d}"
        if rng.random() < args.md_share:
            text = render_md(rng, meta, paras, extra)
            n_md += 1
            with open(os.path.join(seeds, stem + ".md"), "w", encoding="utf-8") as f:
                f.write(text)
            if posts:
                with open(os.path.join(posts, stem + ".md"), "w", encoding="utf-8") as f:
                    f.write(text)
        else:
            with open(os.path.join(seeds, stem + ".txt"), "w", encoding="utf-8") as f:
                f.write(render_txt(rng, meta, paras, extra))
    print(f"{args.n} documents ({n_md} .md, {args.n - n_md} .txt) in {seeds}")


if __name__ == "__main__":
    main()
