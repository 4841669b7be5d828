"""Risk flags for one post (exposed patient information, unsourced health claims, unprofessional content) and redaction.

Rules, in short:
- Redaction is broader than flagging. Every phone number, e-mail, record/account/member/SSN number, date of birth,
  street address and detected patient name is replaced by its placeholder ([PHONE], [RECORD], [NAME]...).
- Patient information (`phi`) is an identifier tied to a patient. Record numbers, dates of birth and a person's name
  near condition, procedure or admission wording are patient-linked by nature. A phone number, e-mail or street
  address counts only with patient wording within WINDOW characters (our patient, his/her mom, room 412, admitted,
  "about your results"...) and not when the organization introduces it as its own ("call our appointment line at",
  "email us at"), unless it is said to be a person's own ("her number"). Such contacts are redacted, not flagged.
- Names need a cue, since no entity model is available offline: an honorific (Mr., Ms., Sra.), "patient" or "baby",
  a greeting ("Get well soon, ..."), or a patient verb after two or three capitalised words ("... was admitted").
  A clinician title or credential (Dr., Nurse, ", MD", "our new oncologist") marks staff; words of organizations,
  places, departments and the calendar are never names (pipelines/config/risk_terms.csv), nor are conditions
  ("pt. Ebola") or capitals after "in", "from", "visited" ("who visited Sierra Leone hospitalized").
- Names in news are not patients (news_subject): headlines in Title Case, news wording (Gov., RIP, "what is it?",
  "according to", "CDC says", "@account says"), or a shared link with a third-person report and neither a greeting
  nor first-person words, unless the post tells of the organization's own care ("our patient", "we treated").
  Measured on hand-labelled real posts by pipelines/analytics/phi_eval.py (data/eval/PHI.md).
- The posting organization's type is a cue when known (`assess(text, org_type)`): for news accounts (NEWS_ORG_TYPES,
  `health_media`) a named person with a condition is a news subject unless the post tells of its own care ("our
  patient", "my patient"), greets the person or holds a hard identifier; record numbers, dates of birth and
  patient-linked contacts are flagged for every type.
- A date of birth needs birth wording (DOB, born on, b.) or a full date right after a patient's name; event dates and
  years are left alone. A condition word followed by a service noun ("cancer center", "flu shots") is a topic.
- Unsourced claim: claim wording, not negated in the same sentence ("no miracle cure", "not proven"), in a post with
  no link, bare domain or citation wording. Unprofessional: profanity (also f*ck, sh!t) or insults, whole words only.
- Reasons never contain a detected value. A cheap pre-screen (the post's words against the detectors' cue words, and
  a few character shapes) returns most posts before any detector runs.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

PHI_KINDS = ("phone", "email", "record_number", "dob", "address", "name_condition")
PLACEHOLDERS = {
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "record_number": "[RECORD]",
    "dob": "[DOB]",
    "address": "[ADDRESS]",
    "name_condition": "[NAME]",
}
TERMS_FILE = Path(__file__).resolve().parents[1] / "config" / "risk_terms.csv"
# Characters either side of a phone, e-mail or address searched for patient wording (a sentence or two).
WINDOW = 100
# Characters either side of a patient name searched for condition or procedure wording.
CONDITION_WINDOW = 150
# Characters before a contact searched for the organization's own wording ("call our nurse line at").
ORG_WINDOW = 50
# Bump when the logic changes in a way the patterns and word lists do not show.
REVISION = 4  # 3: names in news and public-figure posts are not patients; 4: the posting organization's type (issue 16)
# Organization types (core.organizations.org_type) whose posts report the news: a person they name with a condition is
# a news subject unless the post tells of its own care ("our patient", "my patient") or holds a hard identifier.
NEWS_ORG_TYPES = frozenset(("health_media",))


@dataclass(frozen=True, slots=True)
class Risk:
    phi: tuple[str, ...]  # patient-information kinds found, in PHI_KINDS order
    unsourced_claim: bool
    unprofessional: bool
    reasons: tuple[str, ...]  # one per finding, never containing the detected value
    redacted: str | None  # the text with identifiers replaced; None when there was nothing to replace
    health_claim: bool = False  # claim wording not negated, sourced or not (the denominator of "claims sourced")


NO_RISK = Risk((), False, False, (), None)


def _load_terms(path: Path) -> dict[str, tuple[str, ...]]:
    terms: dict[str, list[str]] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            terms.setdefault(row["list"], []).append(row["term"])
    return {name: tuple(values) for name, values in terms.items()}


# Lists in TERMS_FILE, one term a row: condition, condition_service (nouns that make a condition a topic),
# care_event, claim, not_claim (idioms such as "miracle baby"), citation, citation_acronym, profanity, insult,
# not_name, calendar and org_word (words that are never part of a person's name).
TERMS = _load_terms(TERMS_FILE)


def _alternation(terms: tuple[str, ...]) -> str:
    """Longest first, so "heart failure" wins over "heart"; spaces match any run of whitespace."""
    escaped = (re.escape(t).replace(r"\ ", r"\s+").replace("%", r"\s?%") for t in sorted(terms, key=len, reverse=True))
    return "|".join(escaped)


def _lowered(name: str) -> str:
    return _alternation(tuple(t.lower() for t in TERMS[name]))


# Letters swapped for look-alikes when people dodge filters; "*" and "#" stand for any letter but the first.
_LEET = {"a": "a@4", "e": "e3", "i": "i1!|", "o": "o0", "s": "s$", "l": "l1"}
# Endings a swear word or insult may take ("fucking", "shitty", "asshole"); anything else is another word.
_ENDINGS = ("", "s", "es", "ed", "er", "ers", "ing", "in", "y", "ty", "ted", "head", "heads", "hole", "holes", "face",
            "bag", "bags", "ic", "ity")


def _obfuscated(word: str) -> str:
    if " " in word:
        return re.escape(word).replace(r"\ ", r"\s+")
    parts = []
    for i, ch in enumerate(word):
        chars = re.escape(_LEET.get(ch, ch))
        parts.append(f"[{chars}]" if i == 0 else f"[{chars}*#]")
    return "".join(parts)


def _swear_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(_obfuscated(w) for w in sorted(words, key=len, reverse=True))
    endings = "|".join(e for e in _ENDINGS if e) + "|in'"
    # Whole words only: "Scunthorpe", "assessment", "class" and "shitake" are not profanity.
    return re.compile(rf"(?<![\w*#])(?:{body})(?:{endings})?(?![\w*#])")


# --- identifiers ---------------------------------------------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\w+/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}"
    r"(?:\s*(?:ext\.?|x|#)\s*\d{1,5})?(?![\w/-])"
    # International: +44 20 7946 0958, +34 912 345 678
    r"|(?<![\w+])\+(?!1\b)\d{1,3}(?:[\s.-]\(?\d{1,4}\)?){1,3}[\s.-]\d{3,4}(?![\w/-])"
)
# A 7-digit local number or 10 bare digits count only a few words after phone wording ("her number ...: 555-0143").
_PHONE_CUED = re.compile(
    r"(?i:\b(?:call|phone|tel|telephone|cell|mobile|text|fax|dial|number|llame|llamen|tel[eé]fono|n[uú]mero"
    r"|m[oó]vil)\b)"
    r"\.?[^\d\n.!?]{0,60}?((?<![\d-])(?:\d{3}[.-]\d{4}|\d{10})(?![\d-]))"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_RECORD = re.compile(
    r"(?i:\b(?:mrn|medical\s+record|record|chart|acct|account|member(?:ship)?|subscriber|policy|claim|patient"
    r"|insurance|medicare|medicaid|beneficiary|health\s+plan|ssn|social\s+security|expediente|historia\s+cl[ií]nica"
    r"|n[uú]mero\s+de\s+(?:afiliado|p[oó]liza|cuenta))"
    r"(?:\s+(?:number|no\.?|num\.?|id|#|n[uú]mero))?)"
    r"\s*(?:#|:|is|es)?\s*#?\s*"
    # The value: four or more characters holding at least three digits in a row ("00482913", "XJH123456789").
    r"((?=[A-Za-z0-9-]*\d{3})[A-Za-z0-9][A-Za-z0-9-]{3,}(?<!-))"
)
# "MRN", "acct", "SSN" mark a number on their own; "record", "patient", "claim" need "number", "no.", "#", "ID" or ":".
_RECORD_BARE_OK = re.compile(r"(?i)^(?:mrn|medical\s+record|acct|ssn|expediente|historia|n[uú]mero\s+de)")
_RECORD_QUALIFIED = re.compile(r"(?i)(?:number|no\.?|num\.?|id|#|n[uú]mero)\s*[#:]?\s*$|#\s*$|:\s*$")

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre"
)
_FULL_DATE = (
    rf"\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})(?!\d)|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?!\d)"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?\d{{4}}"
)
# After birth wording, month and day without a year, or month and year, are still date elements.
_ANY_DATE = rf"{_FULL_DATE}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|(?:{_MONTHS})\.?\s+\d{{4}}"
_DOB = re.compile(
    r"(?:(?i:\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s?date|born(?:\s+on)?|fecha\s+de\s+nacimiento"
    r"|nacid[oa](?:\s+el)?|f\.\s?nac\.?))|(?<![\w.])b\.)"
    rf"\s*[:-]?\s*(?:is\s+|was\s+|on\s+|el\s+)?((?i:{_ANY_DATE}))"
)
_DATE_AFTER_NAME = re.compile(rf"\s*(?:,|\(|-)\s*(?:dob:?\s*|born\s+)?((?i:{_FULL_DATE}))")

_STREET_SUFFIX = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Court|Ct|Way|Place|Pl|Terrace|Ter|Parkway|Pkwy"
    r"|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Pike|Plaza"
)
_ADDRESS = re.compile(
    r"(?<![\w$#.,/-])\d{1,6}(?:-\d{1,4})?\s+"
    r"(?:(?:[NSEW]\.?|North|South|East|West|\d{1,3}(?:st|nd|rd|th)|[A-Z][a-z]+)\s+){1,4}"
    # The dot of "St." belongs to the address only when more of it follows.
    rf"(?:{_STREET_SUFFIX})\b(?:\.(?=,|\s+(?:Apt|Apartment|Unit|Suite|Ste|#)))?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*#?\w{1,6})?"
    r"(?:,\s*(?:[A-Z][a-z]+\s?){1,3},?\s+[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?|,?\s+\d{5}(?:-\d{4})?)?"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
)

# Patterns from here on whose literals are lowercase run on the lowercased text (four times faster than IGNORECASE).

# Words that tie a nearby contact to a patient.
_PATIENT_CONTEXT = re.compile(
    r"\b(?:the|our|a|this|that|my|your)\s+patient\b(?!s)(?!\s+(?:portal|experience|care|safety|services?|advocates?"
    r"|advocacy|access|education|financial|famil(?:y|ies)|relations|transport\w*|support|satisfaction|navigat\w+|line"
    r"|hotline|rights|info\w*|feedback|cent(?:er|re)|registration|billing|engagement|stor(?:y|ies)|parking"
    r"|entrance|records?|volunteers?)\b)"
    r"|\bpatient['’]s\b|\bpt\.\s|\bpaciente\b(?!s)"
    r"|(?:\b(?:his|her|their|my|your)|['’]s)\s+(?:mom|mother|dad|father|son|daughter|wife|husband|grand\w+|baby"
    r"|sister|brother|child|kid|partner)\b"
    r"|\b(?:room|bed|habitaci[oó]n|cama)\s+#?\d+|\b(?:admitted|discharged|diagnosed|hospitali[sz]ed|intubated)\b"
    r"|\bin\s+the\s+(?:icu|er|nicu)\b|\babout\s+(?:your|his|her|their)\s+(?:\w+\s+)?results\b"
    r"|\b(?:your|his|her|their)\s+(?:discharge|test|lab|biopsy|imaging|scan|pathology)\s+"
    r"(?:papers|results|report|summary|instructions)\b"
    r"|\b(?:ingresad[oa]|dad[oa]\s+de\s+alta|diagnosticad[oa])\b"
    r"|\bsu\s+(?:madre|padre|hij[oa]|espos[oa]|mam[aá]|pap[aá])\b"
)
# At least one of these words occurs wherever _PATIENT_CONTEXT matches; the regex runs only then.
_CONTEXT_KEYS = frozenset(
    w.encode()
    for w in (
        "patient pt paciente mom mother dad father son daughter wife husband baby sister brother child kid partner "
        "room bed habitación habitacion cama admitted discharged diagnosed hospitalized hospitalised intubated icu er "
        "nicu results discharge test lab biopsy imaging scan pathology ingresado ingresada alta diagnosticado "
        "diagnosticada madre padre hijo hija esposo esposa mamá papá mama papa grandma grandmother grandpa "
        "grandfather grandson granddaughter grandchild grandbaby"
    ).split()
)
# A contact said to be a person's own ("her number", "his e-mail"): patient information even next to "our desk".
_PERSONAL_CONTACT = re.compile(
    r"\b(?:his|her|their|my)\s+(?:own\s+)?(?:number|phone|cell|mobile|e-?mail|address)\b"
    r"|\b(?:patient|mom|mother|dad|father|son|daughter|wife|husband|family)['’]s\s+"
    r"(?:number|phone|cell|mobile|e-?mail|address)\b"
    r"|\bsu\s+(?:n[uú]mero|tel[eé]fono|celular|correo|direcci[oó]n)\b"
)
# The organization introducing its own contact ("our appointment line", "the pharmacy", "call us").
_ORG_CONTACT = re.compile(
    r"\bour\s+(?:[\w'-]+\s+){0,3}?(?:line|number|office|desk|hotline|helpline|cent(?:er|re)|clinic|team"
    r"|department|nurses?|staff|scheduling|pharmacy|hospital|campus|location|site|address|e-?mail|inbox)\b"
    r"|\bthe\s+(?:[\w'-]+\s+){0,2}?(?:line|office|desk|hotline|helpline|cent(?:er|re)|clinic|department|pharmacy"
    r"|hospital|campus)\b"
    r"|\b(?:call|contact|reach|text|e-?mail|write\s+to|visit|find|join|message)\s+us\b"
    r"|\bll[aá]menos\b|\bcont[aá]ctenos\b|\bvis[ií]tenos\b|\bnuestr[oa]\s+(?:l[ií]nea|oficina|cl[ií]nica|centro)"
)

# --- names ---------------------------------------------------------------------------------------------------------

_UP = "A-ZÀ-ÖØ-ÞŞİŁŽŠČ"
# A name word: a capital, then letters of either case ("McDonald", "Núñez", "Yılmaz", "O'Brien"); all-capital words
# are dropped later, so "[NAME]" and "ICU" are never names.
_TOKEN = rf"(?:[OD]['’])?[{_UP}][^\W\d_]+(?:-[^\W\d_]+|['’][{_UP}][^\W\d_]+)*"
_RUN = rf"{_TOKEN}(?:\s+(?:[{_UP}]\.\s+)?{_TOKEN}){{0,3}}"
HONORIFICS = ("Mr", "Mrs", "Ms", "Mx", "Miss", "Sr", "Sra", "Srta")
PATIENT_WORDS = ("patient", "pt", "paciente", "baby", "bebé")
# Regular expressions, each starting with a plain word (the pre-screen looks for it); a space matches any whitespace.
GREETINGS = (
    "get well soon", "get well", "feel better(?: soon)?", "congratulations", "congrats", "welcome home",
    "welcome back", "praying for", "prayers (?:for|to)", "thoughts (?:are )?with", "thinking of",
    r"happy (?:\d+(?:st|nd|rd|th) )?birthday", "shout-?out to", "shout out to", "cheering (?:for|on)",
    "rooting for", "stay strong", "hang in there", "meet", "proud of", "thank you", "thanks",
    "pronta recuperación", "recupérate(?: pronto)?", "mejore(?: pronto)?", "mejórese(?: pronto)?", "mejórate",
    "felicidades", "fuerza",
)
PATIENT_VERBS = (
    "recovering", "admitted", "diagnosed", "discharged", "hospitalized", "hospitalised", "undergoing", "underwent",
    "battling", "fighting", "beat", "survived", "completed", "finished", "rang", "passed away", "died", "treated",
    "transferred", "intubated", "suffered", "suffering", "struggling", "ingresado", "ingresada", "diagnosticado",
    "diagnosticada", "dado de alta", "dada de alta", "operado", "operada", "falleció", "se recupera",
)
# Each cue pattern starts at its cue word, so it is tried only where the cue occurs.
_HONORIFIC = re.compile(rf"(?:{'|'.join(HONORIFICS)})\.?\s+({_RUN})")
_PATIENT_CUE = re.compile(rf"(?i:patient|pt\.|paciente|baby|bebé)(?:\s+named)?\s+({_RUN})")


def _greeting(phrases: tuple[str, ...]) -> re.Pattern[str]:
    body = "|".join(p.replace(" ", r"\s+") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?i:{body}),?\s+(?:to\s+|a\s+)?({_RUN})")


# Two or three capitalised words before a patient verb, searched in a short window before each verb.
_VERB_AFTER = re.compile(
    rf"(?<![\w'’-])({_RUN})(?:['’]s)?\s*(?:\([^()]{{0,30}}\)\s*)?,?\s+(?:\d{{1,3}},\s+)?(?:who\s+|que\s+)?"
    rf"(?:(?:is|was|has\s+been|had|has|got|just|fue|est[aá]|ha\s+sido)\s+)?(?:now\s+|been\s+)?"
    rf"(?:{_alternation(PATIENT_VERBS)})\b"
)
_CLINICIAN_BEFORE = re.compile(
    r"(?i:\b(?:dr|dra|doctor|nurse|prof|professor|surgeon|physician|\w+ologist|\w+iatrist|pharmacist|therapist"
    r"|np|pa|rn|enfermer[oa]|m[eé]dic[oa]|cirujan[oa])\.?\s+(?:[A-Z]\.\s+)?)$"
)
_CLINICIAN_AFTER = re.compile(
    r"(?:['’]s)?,?\s*(?:(?:MD|M\.D\.|DO|D\.O\.|RN|NP|PA-C|PA|PhD|DNP|MSN|BSN|PharmD|DDS|DMD|FACS|FACP|MPH|LCSW|CNM"
    r"|CRNA|APRN|FNP)\b"
    r"|(?i:(?:(?:is|was)\s+)?(?:our|a|an|the)\s+(?:new\s+|lead\s+|chief\s+|head\s+|senior\s+|staff\s+)?"
    r"(?:[\w-]+\s+){0,2}?"
    r"(?:nurse|physician|doctor|surgeon|\w+ologist|\w+iatrist|pharmacist|therapist|clinician|midwife|resident"
    r"|fellow|provider|director|manager|chair|ceo|president)\b))"
)
_NONSPACE = re.compile(r"\S+")
_NOT_NAME = frozenset(TERMS["not_name"])
# Months and weekdays end a name ("... Lopez Monday") but may begin one (April, June).
_CALENDAR = frozenset(TERMS["calendar"])
_ORG_WORD = frozenset(TERMS["org_word"])
_CONDITION = re.compile(
    rf"(?<![\w-])(?:{_lowered('condition')})(?![\w-])(?!\s+(?:{_lowered('condition_service')})\b)"
)
# Words that say a person is receiving care when no condition is named ("Jamal Kowalski was admitted on Monday").
_CARE_EVENT = re.compile(rf"\b(?:{_lowered('care_event')})\b")
# One-word conditions, which are never part of a name ("pt. Ebola"); "Burns" is a surname as often.
_CONDITION_WORDS = frozenset(t.lower().strip("'’") for t in TERMS["condition"] if " " not in t) - {"burns"}
# A locative word right before capitals makes them a place, not a person ("who visited Sierra Leone hospitalized").
_PLACE_BEFORE = re.compile(r"(?i:\b(?:in|at|from|visited|visiting|near|across|throughout|outside|inside))\s+$")

# --- news subjects are not patients -----------------------------------------------------------------------------------
# A person named with a condition is an organization's patient only when nothing says otherwise. Health news ("Gov.
# Jerry Brown treated for prostate cancer", "Kate Middleton hospitalized: what is it?"), retweets and headlines
# ("Dallas Ebola Patient Was Not Diagnosed On First Hospital Visit") name public figures and news subjects; the name
# is not flagged there unless the post tells of the organization's own care ("our patient", "we treated").
_CARE_RELATION = re.compile(
    r"\b(?:our|my)\s+(?:\w+\s+){0,2}?(?:patients?|pt|nurses?|icu|nicu|unit|ward|floor|clinic|hospital|team|care|staff"
    r"|doctors?|physicians?|surgeons?)\b"
    r"|\bwe\s+(?:\w+\s+)?(?:treated|cared\s+for|admitted|discharged|delivered|operated)\b"
    r"|\b(?:in|at|from)\s+our\s+(?:\w+\s+){0,2}?(?:care|icu|nicu|unit|ward|hospital|clinic|center|centre)\b"
    r"|\bnuestr[oa]s?\s+(?:paciente|unidad|hospital|cl[ií]nica)"
)
_NEWS_CUE = re.compile(
    r"(?:^|\s)(?:rt|mt)\s+@|\b(?:gov|sen|rep|pres|gen|sgt|capt)\.\s|\b(?:president|prince|princess|duchess|duke|queen|king"
    r"|governor|senator|congress(?:man|woman)|mayor|minister|pope|star|singer|actor|actress|rapper|athlete|celebrity"
    r"|legend|pioneer|former|rip|r\.i\.p|obituary|according\s+to|officials?|researchers?"
    r"|what\s+is\s+it|learn\s+more\s+about|here['’]s\s+more|dog|pooch)\b"
    # An agency or an account quoted ("CDC says", "CDC director:", "@msf_field says"); case-sensitive, so "who says"
    # is not the WHO.
    r"|(?-i:(?:@\w+|\b(?:CDC|WHO|NIH|FDA|MSF|NHS))\s+(?:\w+\s+)?(?:says|said|reports|reported|confirms|confirmed)\b"
    r"|\b(?:CDC|WHO|NIH|FDA|MSF|NHS)\s+(?:director|chief|head|officials?|spokes\w+)\s*:)",
    re.IGNORECASE,
)
# Words of a post written by the organization about people it cares for or speaks to ("we", "our", "my", "I").
_FIRST_PERSON = re.compile(
    r"\b(?:we|our|ours|my|mine|nuestr[oa]s?|mis?)\b|\bwe['’]|(?-i:\b(?:us|I)\b)", re.IGNORECASE
)
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_HEADLINE_WORD = re.compile(r"(?<![@#\w/.])[A-Za-z][a-z’']{3,}")


def _headline(text: str) -> bool:
    """Title Case ("As Hepatitis C Sneaks Up On Baby Boomers, Treatment Options Grow"): a headline, whose capitals
    are not names. Links, mentions and hashtags are left out; at least six words of four letters or more, so a
    short greeting ("Happy Birthday, Jane Smith!") is not one."""
    body = re.sub(r"https?://\S+", " ", text)
    words = _HEADLINE_WORD.findall(body)
    return len(words) >= 6 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def news_subject(text: str, cues: frozenset[str] | set[str] = frozenset()) -> bool:
    """True when the people a post names are news subjects or public figures, not the organization's patients.

    cues are the kinds of cue that found the names (_patient_names). A shared link with a third-person report
    ("Neil Armstrong recovering well after cardiac bypass surgery http://...", "health care worker who treated
    patient Thomas Duncan tests positive: http://...") is news when the post neither greets anyone nor speaks in
    the first person (an organization tells of its own patients as "our patient", "we")."""
    if _CARE_RELATION.search(text.lower()):
        return False
    if _headline(text) or _NEWS_CUE.search(text) is not None:
        return True
    return bool(cues) and "greeting" not in cues and _URL.search(text) is not None and not _FIRST_PERSON.search(text)


# --- claims and tone -----------------------------------------------------------------------------------------------

_CLAIM = re.compile(rf"(?<![\w-])(?:{_lowered('claim')})(?![\w-])")
_NOT_CLAIM = re.compile(_lowered("not_claim"))
# Negation just before the claim word, in the same sentence ("there is no miracle cure", "beware of claims that").
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:no|not|never|without|myths?|false|fake|beware|scams?|hoax|claims?|claiming|promis\w*|nothing|ni|nunca"
    r"|sin|mitos?|falso|ning[uú]n|ninguna)|n['’]t)\b[^.!?\n]{0,30}$"
)
_NEGATED_AFTER = re.compile(
    r"[^.!?\n]{0,30}?\b(?:(?:do|does|did)\s*n[o']?t\s+exist|(?:is|are)\s+(?:a\s+)?myths?|(?:is|are)\s+(?:not|n't)\s+"
    r"(?:real|true)|(?:isn|aren)['’]t\s+(?:real|true)|is\s+false|no\s+existen?)"
)
_LINK = re.compile(r"https?://|www\.|\bdoi\b|bit\.ly/|\bt\.co/|\blink\s+in\s+(?:our\s+|the\s+)?bio\b")
# A bare domain ("cdc.gov/flu"); the word before the dot is checked in code, so an e-mail's domain does not count.
_DOMAIN = re.compile(r"\.(?:org|gov|com|edu|net|int)\b")
_CITATION = re.compile(rf"(?<![\w-])(?:{_lowered('citation')})")
_CITATION_ACRONYM = re.compile(rf"\b(?:{_alternation(TERMS['citation_acronym'])})\b")
_PROFANITY = _swear_pattern(tuple(t.lower() for t in TERMS["profanity"]))
_INSULT = _swear_pattern(tuple(t.lower() for t in TERMS["insult"]))

# --- the pre-screen: which detectors a post needs, from its words and a few character shapes -------------------------

# ASCII punctuation becomes a space, so "Miracle!" and "f*ck" split into plain words ("miracle"; "f", "ck").
_WORD_BYTES = bytes(b if chr(b).isalnum() or b >= 128 else 32 for b in range(256))
# Unicode punctuation that glues to words in Spanish and typeset text, by its leading UTF-8 bytes (emoji need none).
_UNICODE_PUNCT = {
    b"\xc2": tuple(c.encode() for c in "¡¿«»"),
    b"\xe2\x80": tuple(c.encode() for c in "’‘“”…—–"),
}
# Digits shaped like a phone number, SSN or date: "555-", "555) ", "555 2", "3/1", "2.5", ten digits in a row.
_DIGIT_SHAPE = re.compile(r"[0-9](?:[0-9]{2}(?:[.)/-]|[\s.)/-]{1,2}[0-9])|[0-9]?[/.-][0-9]|[0-9]{9})")
# A house number before a capitalised word ("1234 Oak", "42 N. Main"): street addresses are looked for only then.
_HOUSE_NUMBER = re.compile(r"[0-9]\s+(?:[NSEW]\.\s+)?[A-Z0-9]")
# "#4821": a number after a hash sign may be a record number ("patient #4821").
_HASH_NUMBER = re.compile(r"#\s?[0-9]{3}")
# A look-alike character between letters: "f*ck", "sh!t", "a$$", "m0ron".
_OBFUSCATED = re.compile(r"[*$!|@0134](?<=[a-z][*$!|@0134])[a-z*$!|@0134]")


def _words(phrase: str) -> list[bytes]:
    return phrase.lower().encode().translate(_WORD_BYTES).split()


# Words too common to stand for a claim phrase ("can cure" is looked for by "cure").
_WEAK = frozenset((b"no", b"can", b"will", b"instantly", b"sin"))


def _key(phrase: str, first: bool) -> bytes:
    """The word of a phrase the pre-screen looks for: its first word, or its first telling word."""
    words = _words(phrase)
    return words[0] if first else next(w for w in words if w not in _WEAK)


_SWEAR_FORMS = frozenset(
    (w + ending).encode() for w in TERMS["profanity"] + TERMS["insult"] if " " not in w for ending in _ENDINGS
) | frozenset(_key(w, first=True) for w in TERMS["insult"] if " " in w)
_CLAIM_KEYS = frozenset(_key(t, first=False) for t in TERMS["claim"])
# Words near which a record number, a date of birth or a street address is searched for, and how far around them.
_RECORD_CUES = (("mrn", "record", "chart", "acct", "account", "member", "membership", "subscriber", "policy", "claim",
                 "insurance", "medicare", "medicaid", "beneficiary", "ssn", "security", "id", "expediente", "historia",
                 "afiliado", "póliza", "cuenta"), 30, 40)
_DOB_CUES = (("dob", "d.o.b", "birth", "birthdate", "born", "nacimiento", "nacido", "nacida", "nac", "b."), 30, 60)
_STREET_CUES = (tuple(_STREET_SUFFIX.lower().split("|")) + ("box",), 60, 80)
# "d.o.b" is looked for by its "b", like "b.": a lone "d" or "o" would send every "vitamin D" post down the slow path.
_RECORD_KEYS, _DOB_KEYS, _STREET_KEYS = (
    frozenset(w for cue in cues for w in _words(cue)) - {b"d", b"o"}
    for cues, _, _ in (_RECORD_CUES, _DOB_CUES, _STREET_CUES)
)
# Cue words for names, each with the pattern that starts at it; patient verbs are searched in a window before them.
_NAME_CUES = {
    **{_key(h, first=True): _HONORIFIC for h in HONORIFICS},
    **{_key(w, first=True): _PATIENT_CUE for w in PATIENT_WORDS},
    # One pattern per first word, so "thank" tries only "thank you".
    **{
        first: _greeting(tuple(g for g in GREETINGS if _key(g, first=True) == first))
        for first in {_key(g, first=True) for g in GREETINGS}
    },
}
_VERB_KEYS = frozenset(max(_words(v), key=len) for v in PATIENT_VERBS)
_NAME_KEYS = frozenset(_NAME_CUES) | _VERB_KEYS
_OTHER_KEYS = _SWEAR_FORMS | _CLAIM_KEYS | _RECORD_KEYS | _DOB_KEYS | _STREET_KEYS


def _fingerprint() -> str:
    """A short hash of every pattern, word list and window, so stored flags say which rules produced them."""
    patterns = sorted((name, value.pattern) for name, value in globals().items() if isinstance(value, re.Pattern))
    text = repr((REVISION, WINDOW, CONDITION_WINDOW, ORG_WINDOW, patterns, sorted(TERMS.items()), PLACEHOLDERS,
                 sorted(NEWS_ORG_TYPES)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


RISK_VERSION = f"{REVISION}.{_fingerprint()}"


# --- detection -----------------------------------------------------------------------------------------------------

Span = tuple[int, int, str]  # start, end, kind


def _occurrences(lower: str, word: str) -> list[int]:
    """Offsets where word occurs in lower as a whole word."""
    found, i, n = [], lower.find(word), len(word)
    while i >= 0:
        if (i == 0 or not lower[i - 1].isalnum()) and (i + n == len(lower) or not lower[i + n].isalnum()):
            found.append(i)
        i = lower.find(word, i + n)
    return found


def _near(pattern: re.Pattern[str], text: str, lower: str, cues: tuple, aligned: bool) -> list[re.Match[str]]:
    """Matches of pattern in a window around each cue word; windows are widened to whole words."""
    if not aligned:
        return list(pattern.finditer(text))
    words, before, after = cues
    matches: dict[tuple[int, int], re.Match[str]] = {}
    for word in words:
        for i in _occurrences(lower, word):
            lo = text.rfind(" ", 0, max(0, i - before)) + 1
            hi = text.find(" ", i + len(word) + after)
            for m in pattern.finditer(text, lo, len(text) if hi < 0 else hi):
                matches.setdefault(m.span(), m)
    return list(matches.values())


def _name_span(text: str, match: re.Match[str], min_words: int) -> tuple[int, int] | None:
    """The person's name in a captured run, or None when it is staff, an organization or a calendar word."""
    start, end = match.span(1)
    tokens = [(m.start(), m.end(), m.group()) for m in _NONSPACE.finditer(text, start, end)]
    # Function words at either end are not part of the name ("Thanks Maria Lopez Monday").
    while tokens and tokens[0][2] in _NOT_NAME:
        tokens.pop(0)
    while tokens and (tokens[-1][2] in _NOT_NAME or tokens[-1][2] in _CALENDAR):
        tokens.pop()
    words = [t[2] for t in tokens if not t[2].endswith(".")]  # initials ("J.") do not count
    if not min_words <= len(words) <= 3:
        return None
    if any(w in _ORG_WORD or w in _NOT_NAME or w.isupper() or (w in _CALENDAR and i > 0) for i, w in enumerate(words)):
        return None
    # A condition is not a name ("Interesting pt. Ebola transmitted via...").
    if any(w.lower().strip("'’") in _CONDITION_WORDS for w in words):
        return None
    start, end = tokens[0][0], tokens[-1][1]
    if _CLINICIAN_BEFORE.search(text, max(0, start - 25), start) or _CLINICIAN_AFTER.match(text, end, end + 60):
        return None
    return start, end


def _patient_names(text: str, lower: str, words: set[bytes], aligned: bool) -> tuple[list[tuple[int, int]], set[str]]:
    """Spans of patient names: after an honorific, "patient" or a greeting, or before a patient verb; and the kinds
    of cue that found them ("greeting", "title" for an honorific or "patient", "verb")."""
    matches: list[tuple[re.Match[str], int, str]] = []
    for key in words.intersection(_NAME_CUES):
        pattern = _NAME_CUES[key]
        cue = "title" if pattern is _HONORIFIC or pattern is _PATIENT_CUE else "greeting"
        if aligned:
            matches += [(m, 1, cue) for i in _occurrences(lower, key.decode()) if (m := pattern.match(text, i))]
        else:
            matches += [(m, 1, cue) for m in pattern.finditer(text)]
    verbs = tuple(key.decode() for key in words.intersection(_VERB_KEYS))
    if verbs:
        matches += [(m, 2, "verb") for m in _near(_VERB_AFTER, text, lower, (verbs, 90, 30), aligned)
                    # capitals right after "in", "from", "visited" are a place ("doctor in Sierra Leone has died")
                    if not _PLACE_BEFORE.search(text, max(0, m.start(1) - 12), m.start(1))]
    names: list[tuple[int, int]] = []
    cues: set[str] = set()
    for match, min_words, cue in matches:
        span = _name_span(text, match, min_words)
        if span and not any(s < span[1] and span[0] < e for s, e in names):
            names.append(span)
            cues.add(cue)
    return names, cues


def _is_record(match: re.Match[str]) -> bool:
    cue = match.group(0)[: match.start(1) - match.start(0)]
    return bool(_RECORD_BARE_OK.match(cue) or _RECORD_QUALIFIED.search(cue))


def _patient_linked(lower: str, start: int, end: int, names: list[tuple[int, int]]) -> bool:
    """A contact belongs to a patient when patient wording or a patient's name is near it, unless the org owns it."""
    lo, hi = max(0, start - WINDOW), min(len(lower), end + WINDOW)
    if _PERSONAL_CONTACT.search(lower, lo, hi):
        return True
    if _ORG_CONTACT.search(lower, max(0, start - ORG_WINDOW), start):
        return False
    if any(s < hi and lo < e for s, e in names):
        return True
    nearby = lower[lo:hi].encode().translate(_WORD_BYTES).split()
    return not _CONTEXT_KEYS.isdisjoint(nearby) and _PATIENT_CONTEXT.search(lower, lo, hi) is not None


def _identifiers(
    text: str, lower: str, words: set[bytes], shape: bool, hashed: bool, names: list[tuple[int, int]]
) -> tuple[list[Span], dict[str, str]]:
    """Spans to redact, and the patient-information kinds found with their reasons."""
    spans: list[Span] = []
    found: dict[str, str] = {}
    aligned = len(lower) == len(text)

    if shape:
        for m in _SSN.finditer(text):
            spans.append((m.start(), m.end(), "record_number"))
            found.setdefault("record_number", "Social Security number")
    if hashed:
        records = list(_RECORD.finditer(text))
    elif not _RECORD_KEYS.isdisjoint(words):
        records = _near(_RECORD, text, lower, _RECORD_CUES, aligned)
    else:
        records = []
    for m in records:
        if _is_record(m):
            spans.append((m.start(1), m.end(1), "record_number"))
            ssn = m.group(0)[:3].lower() in ("ssn", "soc")
            found.setdefault(
                "record_number", "Social Security number" if ssn else "medical record, account or member number"
            )
    if not _DOB_KEYS.isdisjoint(words):
        for m in _near(_DOB, text, lower, _DOB_CUES, aligned):
            spans.append((m.start(1), m.end(1), "dob"))
            found["dob"] = "date of birth"
    for start, end in names:
        m = _DATE_AFTER_NAME.match(text, end)
        if m:
            spans.append((m.start(1), m.end(1), "dob"))
            found["dob"] = "date of birth"

    contacts: list[Span] = []
    if shape:
        contacts += [(m.start(), m.end(), "phone") for m in _PHONE.finditer(text)]
        contacts += [(m.start(1), m.end(1), "phone") for m in _PHONE_CUED.finditer(text)]
    if "@" in text:
        contacts += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if not _STREET_KEYS.isdisjoint(words) and (b"box" in words or _HOUSE_NUMBER.search(text)):
        contacts += [(m.start(), m.end(), "address") for m in _near(_ADDRESS, text, lower, _STREET_CUES, aligned)]
    labels = {"phone": "phone number", "email": "e-mail address", "address": "street address"}
    for start, end, kind in contacts:
        # A number already taken as a record, SSN or date is not also a phone number.
        if any(s <= start and end <= e for s, e, _ in spans):
            continue
        spans.append((start, end, kind))
        if kind not in found and _patient_linked(lower, start, end, names):
            found[kind] = f"{labels[kind]} next to patient wording"

    for start, end in names:
        spans.append((start, end, "name_condition"))
        if "name_condition" not in found:
            lo, hi = max(0, start - CONDITION_WINDOW), end + CONDITION_WINDOW
            condition = _CONDITION.search(lower, lo, hi) or _CARE_EVENT.search(lower, lo, hi)
            if condition:
                word = " ".join(condition.group().split())
                found["name_condition"] = f"person's name next to condition or procedure wording '{word}'"
    return spans, found


def _apply(text: str, spans: list[Span]) -> str:
    """Replace spans by placeholders; overlapping spans merge into one, so no fragment of a value survives."""
    merged: list[list] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            if end - start > last[1] - last[0]:
                last[2] = kind
            last[1] = max(last[1], end)
        else:
            merged.append([start, end, kind])
    out, pos = [], 0
    for start, end, kind in merged:
        out.append(text[pos:start])
        out.append(PLACEHOLDERS[kind])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _sourced(text: str, lower: str) -> bool:
    """A link, a bare domain or citation wording anywhere in the post."""
    if _LINK.search(lower) or _CITATION.search(lower) or _CITATION_ACRONYM.search(text):
        return True
    for m in _DOMAIN.finditer(lower):
        word = lower[lower.rfind(" ", 0, m.start()) + 1 : m.start()]
        if word[-1:].isalnum() and "@" not in word:
            return True
    return False


def _claim(text: str, lower: str) -> tuple[bool, str | None]:
    """Whether the post makes a health claim, and the claim's wording when it gives no source (else None)."""
    excluded = [m.span() for m in _NOT_CLAIM.finditer(lower)]
    for m in _CLAIM.finditer(lower):
        start, end = m.span()
        if any(s <= start and end <= e for s, e in excluded):
            continue
        if _NEGATED_BEFORE.search(lower, max(0, start - 40), start) or _NEGATED_AFTER.match(lower, end, end + 40):
            continue
        return True, (None if _sourced(text, lower) else " ".join(m.group().split()))
    return False, None


def assess(text: str, org_type: str | None = None) -> Risk:
    """Every risk flag of one post, its reasons, and the text redacted (None when nothing needed redacting).

    org_type is the posting organization's type (core.organizations.org_type), when known. For a news account
    (NEWS_ORG_TYPES) a person named with a condition is a news subject, not flagged or redacted, unless the post
    tells of its own care (_CARE_RELATION: "our patient", "my patient", "we treated"), greets the person ("Get well
    soon, Jane": direct address, not reporting) or holds a hard identifier of a patient (a record number, a date of
    birth, or a phone, e-mail or address tied to patient wording). Hard identifiers are flagged whatever the type;
    None (or any other type) changes nothing."""
    if not text:
        return NO_RISK
    lower = text.lower()
    data = lower.encode()
    if not lower.isascii():
        for lead, marks in _UNICODE_PUNCT.items():
            if lead in data:
                for mark in marks:
                    data = data.replace(mark, b" ")
    word_list = data.translate(_WORD_BYTES).split()
    shape = _DIGIT_SHAPE.search(text) is not None
    hashed = _HASH_NUMBER.search(text) is not None
    obfuscated = _OBFUSCATED.search(lower) is not None
    others = shape or hashed or obfuscated or "@" in text or not _OTHER_KEYS.isdisjoint(word_list)
    # Most posts stop here: no cue word, no phone- or date-shaped digits, no "@", no look-alike letters.
    if not others and _NAME_KEYS.isdisjoint(word_list):
        return NO_RISK
    words = set(word_list)
    # Cue words found in the lowercase text anchor patterns on the text while lowercasing kept every offset.
    names, cues = _patient_names(text, lower, words, len(lower) == len(text))
    if names and news_subject(text, cues):
        names = []  # a public figure or a news subject, named in the news: not a patient of the organization
    # Many posts stop here: "Thank you for..." has a greeting but no name after it.
    if not others and not names:
        return NO_RISK
    spans, found = _identifiers(text, lower, words, shape, hashed, names)
    if (names and org_type in NEWS_ORG_TYPES and "greeting" not in cues and found.keys() <= {"name_condition"}
            and not _CARE_RELATION.search(lower)):
        # a news account naming a person, with no care relation, no hard identifier and no greeting addressed to
        # them ("Get well soon, Jane" is direct address, not reporting): a news subject
        names = []
        spans, found = _identifiers(text, lower, words, shape, hashed, names)
    claimed, claim = _claim(text, lower) if not _CLAIM_KEYS.isdisjoint(words) else (False, None)
    swearing = obfuscated or not _SWEAR_FORMS.isdisjoint(words)
    profane = swearing and _PROFANITY.search(lower) is not None
    insult = swearing and _INSULT.search(lower) is not None

    phi = tuple(kind for kind in PHI_KINDS if kind in found)
    reasons = [found[kind] for kind in phi]
    if claim:
        reasons.append(f"claim wording '{claim}' with no link or citation")
    if profane:
        reasons.append("profanity")
    if insult:
        reasons.append("insult")
    if not spans and not reasons and not claimed:
        return NO_RISK
    return Risk(
        phi=phi,
        unsourced_claim=claim is not None,
        unprofessional=profane or insult,
        reasons=tuple(reasons),
        redacted=_apply(text, spans) if spans else None,
        health_claim=claimed,
    )


def redact(text: str, org_type: str | None = None) -> str:
    """The text with every detected identifier replaced by its placeholder (the text itself when none is found)."""
    redacted = assess(text, org_type).redacted
    return text if redacted is None else redacted
