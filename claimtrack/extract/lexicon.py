"""Word lists of the extractor: cue verbs with their inflections, and the words of a source.

Plain data and a few compiled regexes, built once at import. The cue verbs are grouped by how
much they promise: a *speech* verb ("said", "told") nearly always introduces what somebody
said; a *weak* verb ("found", "believes", "called for") often does, but also often does not,
so candidates built on it get a lower confidence.
"""

from __future__ import annotations

import re


def _w(words: str) -> list[str]:
    return words.split()

# Irregular forms written out; regular ones are inflected by `_forms`.
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "tweet": ("tweet", "tweets", "tweeted", "tweeting"),
    "think": ("think", "thinks", "thought", "thinking"),
    "find": ("find", "finds", "found", "finding"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "predict": ("predict", "predicts", "predicted", "predicting"),
    "deny": ("deny", "denies", "denied", "denying"),
    "reply": ("reply", "replies", "replied", "replying"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "admit": ("admit", "admits", "admitted", "admitting"),
    "forget": ("forget", "forgets", "forgot", "forgotten", "forgetting"),
    "hear": ("hear", "hears", "heard", "hearing"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "speak": ("speak", "speaks", "spoke", "speaking"),
}

#: verbs that introduce speech (high confidence)
SPEECH = _w(
    "say tell add claim deny state write tweet report announce explain argue insist note warn "
    "confirm acknowledge admit assert allege contend declare reply respond ask urge accuse recall "
    "testify comment remark concede complain reiterate stress emphasize emphasise counter quip "
    "predict vow pledge promise boast caution charge continue estimate maintain observe post "
    "suggest agree write explain describe"
)

#: verbs that often, not always, introduce an attribution (lower confidence)
WEAK = _w(
    "believe think find show cite call blame criticize criticise question mention point "
    "hope expect want worry fear demand propose threaten reveal indicate conclude acknowledge "
    "dispute reject dismiss praise attack blast slam echo chant recommend plan"
)

#: phrases that are one cue; the first word is inflected
PHRASES = (
    "point out", "point to", "call for", "call on", "go on to say", "went on", "weigh in",
    "speak out", "make clear", "make the case",
)


def _forms(verb: str) -> tuple[str, ...]:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith("e"):
        return (verb, verb + "s", verb + "d", verb[:-1] + "ing")
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return (verb, verb + "es", verb + "ed", verb + "ing")
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return (verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing")
    return (verb, verb + "s", verb + "ed", verb + "ing")


# forms that are far more often nouns than verbs in news ("the state", "Editor's note")
_NOUNS = {"state", "states", "note", "report", "reports", "post", "posts", "plan", "plans", "comment",
          "comments", "charge", "charges", "estimate", "estimates", "call", "calls", "finding", "findings",
          "hope", "hopes", "fear", "fears", "attack", "attacks", "demand", "demands", "promise", "promises",
          "question", "questions", "tweet", "tweets", "answer", "answers", "echo", "echoes", "reply",
          "replies", "worry", "worries", "point", "points", "continue", "counter", "slam", "blast", "show",
          "writing", "thinking", "feeling", "hearing", "knowing", "planning", "reporting", "posting"}


def _alternation(words: set[str]) -> str:
    """A regex matching any of `words`, as a trie: Python's re tries alternatives one by one,
    so a flat list of ~500 words is 5× slower than the same words sharing their prefixes."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [(" " if ch == " " else ch, child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    parts = [(r"\s+" if ch == " " else re.escape(ch)) + _trie_regex(child) for ch, child in branches]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    # longest match first: the optional end comes after the longer branches
    return f"(?:{body})?" if ends else body


SPEECH_FORMS = {f for v in SPEECH for f in _forms(v)} - _NOUNS
WEAK_FORMS = {f for v in WEAK for f in _forms(v)} - SPEECH_FORMS - _NOUNS
PHRASE_FORMS = {" ".join((f, *p.split()[1:])) for p in PHRASES for f in _forms(p.split()[0])}
#: participles and gerunds that are not finite ("saying", "written") — weaker cues
NONFINITE = {f for f in SPEECH_FORMS | WEAK_FORMS if f.endswith("ing")}

#: stance hints: the cue (lower case, whitespace folded) → stance
STANCE_BY_CUE = {
    **{f: "denies" for f in _forms("deny") + _forms("reject") + _forms("dismiss")},
    **{f: "confirms" for f in _forms("confirm")},
    **{f: "disputes" for f in _forms("dispute") + _forms("counter")},
}
NO_COMMENT = re.compile(
    r"\b(?P<cue>(?:did|does|do|has|have|had)\s+not\s+(?:immediately\s+)?(?:respond|reply)(?:ed)?"
    r"|(?:could|can|would)\s+not\s+be\s+reached|(?:declined|refused)\s+to\s+comment"
    r"|did\s+not\s+(?:immediately\s+)?return\s+(?:a\s+)?(?:requests?|calls?|messages?))\b",
    re.IGNORECASE,
)

#: the cue regex: "according to", phrases, speech and weak verbs, as whole words
CUE = re.compile(
    r"(?<![\w’'-])(?P<cue>" + _alternation(PHRASE_FORMS | SPEECH_FORMS | WEAK_FORMS | {"according to"})
    + r")(?![\w’'-])",
    re.IGNORECASE,
)

#: auxiliaries and adverbs that belong to the cue when right before it ("has said", "also said")
AUX_BEFORE = re.compile(
    r"(?:(?<=\s)|^)(?P<aux>(?:(?:has|have|had|also|later|previously|once|repeatedly|again|"
    r"recently|often|then|would|will|had|did|does|do|publicly|privately|further|"
    r"has\s+long|have\s+long|long)\s+)+)$",
    re.IGNORECASE,
)

#: adjuncts that may stand between a postposed cue and the end of the clause
ADJUNCT_AFTER = re.compile(
    r"(?:\s+(?:in\s+(?:an?|the|his|her|their)\s+[\w-]+(?:\s+[\w-]+)?|on\s+(?:[A-Z][\w-]+|the\s+[\w-]+)"
    r"|at\s+(?:an?|the)\s+[\w-]+(?:\s+[\w-]+)?|last\s+\w+|this\s+\w+|earlier|later|recently|"
    r"previously|yesterday|today|tonight|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?:\s+(?:morning|"
    r"afternoon|evening|night))?|(?:to|in)\s+(?:reporters|journalists|AFP|Reuters|AP|CNN|Fox\s+News"
    r"|NPR|the\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)|via\s+\w+|(?:to|on)\s+(?:Telegram|Twitter|Facebook|"
    r"Instagram|X|TikTok)|(?:wrote|posted)\s+on\s+\w+))*"
)

#: words before a cue that make it a noun ("the claim", "his call")
DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "this", "that", "these", "those", "our", "my",
               "your", "no", "any", "each", "every", "to"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which"}
#: lower-case nouns that can head a source ("the spokeswoman said", "officials said")
ROLE_NOUNS = set(_w(
    """spokesman spokeswoman spokesperson spokespeople aide aides official officials source sources
    minister ministry secretary president senator governor director chairman chairwoman chair leader
    leaders lawyer lawyers attorney attorneys adviser advisers advisor advisors analyst analysts
    expert experts critic critics report reports study studies poll polls survey surveys statement
    campaign department police group monitor agency embassy government administration people person
    residents resident witness witnesses protester protesters researchers researcher economist economists
    officer officers authorities prosecutor prosecutors investigators investigator democrats republicans
    voters voter supporters supporter organizers ally allies friend friends wife husband daughter son
    mother father judge court committee commission representative representatives executive founder
    member members staff staffer staffers observers activist activists journalist journalists reporter
    reporters newspaper paper website site ministry office council party spokesmen candidate candidates
    nominee manager strategist strategists pollster pollsters consultant consultants historian
    professor scientist scientists doctor doctors neighbor neighbours neighbors insider insiders
    association federation board institute foundation center centre trust authority bureau service
    watchdog regulator army military ministry spokesperson
    someone anyone others organization network newspaper outlet magazine channel broadcaster station organisation company firm union coalition network data document
    documents letter memo filing lawsuit complaint release agency mayor chief head"""
))
#: lower-case words allowed inside a source before its head ("a senior administration official")
SOURCE_MODIFIERS = set(_w(
    """the a an his her their its our another one two three four some several many other both
    senior former top key chief local independent state federal national foreign russian american
    u.s. white house campaign administration government military police party press news new
    democratic republican conservative liberal longtime close anonymous unnamed longtime deputy
    acting assistant vice general special prominent leading fellow rival opposition
    of for and at to in from"""
))
#: capitalised words that never start or end a source
CAPITAL_STOP = set(_w(
    """But And Or So Yet However Still Also Then When While After Before Although Though Because If
    In On At For From With Without By As Of Since Until This That These Those There Here Asked
    Meanwhile Instead Indeed Let's Let’s Let Later Earlier Now Today Yesterday Last Next Speaking Writing Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December"""
))
ABBREVIATIONS = set(_w(
    """mr mrs ms dr gov sen rep st jr sr gen col lt sgt capt maj prof rev hon pres sec dept no vs
    inc corp co ltd u.s u.k u.n e.u a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec mt ft
    ave blvd fig est approx"""
))
