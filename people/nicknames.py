"""Given names and their common short forms, for "possibly the same person" (people/checks.py).

Each group is one name: any two spellings in a group are taken for the same given name
("Matt Knight" and "Matthew Knight"). Small on purpose: the desk warns, a person decides.
"""

from __future__ import annotations

GROUPS: tuple[tuple[str, ...], ...] = (
    ("matthew", "matt", "matty"),
    ("william", "bill", "will", "billy", "willy", "liam"),
    ("robert", "bob", "rob", "bobby", "robbie", "bert"),
    ("richard", "rick", "dick", "rich", "ricky"),
    ("james", "jim", "jimmy", "jamie"),
    ("john", "jack", "johnny", "jon"),
    ("joseph", "joe", "joey"),
    ("joshua", "josh"),
    ("michael", "mike", "mick", "mikey"),
    ("thomas", "tom", "tommy"),
    ("christopher", "chris", "kit"),
    ("daniel", "dan", "danny"),
    ("daniela", "dani"),
    ("david", "dave", "davey"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("elizabeth", "liz", "beth", "betty", "eliza", "lisa"),
    ("katherine", "kate", "katie", "kathy", "catherine", "kat"),
    ("margaret", "maggie", "meg", "peggy"),
    ("jennifer", "jen", "jenny"),
    ("rebecca", "becky", "becca"),
    ("samuel", "sam", "sammy"),
    ("samantha", "sam"),
    ("alexander", "alex", "sasha", "xander"),
    ("alexandra", "alex", "sasha"),
    ("benjamin", "ben", "benny"),
    ("nicholas", "nick", "nicky"),
    ("anthony", "tony"),
    ("andrew", "andy", "drew"),
    ("stephen", "steve", "steven", "stevie"),
    ("gregory", "greg"),
    ("jonathan", "jon", "jonny"),
    ("timothy", "tim", "timmy"),
    ("patrick", "pat", "paddy"),
    ("peter", "pete"),
    ("kenneth", "ken", "kenny"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donny"),
    ("charles", "charlie", "chuck"),
    ("frederick", "fred", "freddie"),
    ("jacob", "jake", "jakub", "kuba"),
    ("ilya", "ilia", "ilja"),
    ("susan", "sue", "suzy"),
    ("deborah", "debbie", "deb"),
    ("kevin", "kev"),
    ("emmett", "em"),
    ("barret", "barrett"),
)

# Every spelling maps to its group's first name. A spelling in two groups ("sam", "alex")
# keeps its first group: the warning is a hint, and the full forms still match exactly.
CANONICAL: dict[str, str] = {}
for _group in GROUPS:
    for _spelling in _group:
        CANONICAL.setdefault(_spelling, _group[0])
