"""Built-in person and company names for fixtures (`$person:`), so default fixtures need not import Faker.

Faker's import scans every locale it ships (about 0.1 s) and holds ~10 MB; the default fixtures only need
plausible names, so they use these lists and start faster. `$faker:` stays available for anything richer.
"""
from __future__ import annotations

from .random import RandomSource

FIRST_NAMES = (
    "Amelia", "Noah", "Olivia", "Liam", "Emma", "Mateo", "Ava", "Lucas", "Sofia", "Ethan", "Mia", "Arjun", "Isla",
    "Leo", "Chloe", "Kenji", "Zara", "Omar", "Priya", "Jonas", "Elena", "Tomás", "Hana", "Felix", "Nora", "Ravi",
    "Lena", "Diego", "Maya", "Samuel", "Aisha", "Hugo", "Ines", "Wei", "Clara", "Ibrahim", "Freya", "Marco",
    "Yuki", "Daniel", "Grace", "Ali", "Julia", "Oscar", "Layla", "Erik", "Rosa", "Kwame", "Anna", "Victor",
)
LAST_NAMES = (
    "Smith", "Garcia", "Müller", "Johnson", "Silva", "Kim", "Nguyen", "Patel", "Rossi", "Brown", "Martin",
    "Kowalski", "Tanaka", "Haddad", "Andersen", "Lopez", "Okafor", "Dubois", "Schmidt", "Chen", "Novak", "Ali",
    "Fischer", "Jensen", "Costa", "Walker", "Ivanova", "Moreau", "Sato", "Berg", "Santos", "Clarke", "Weber",
    "Hughes", "Rahman", "Lindqvist", "Mendes", "Park", "Bianchi", "Owusu", "Fernandez", "Khan", "Murphy",
    "Nakamura", "Petrov", "Reyes", "Sullivan", "Yilmaz", "Zhang", "Young",
)
COMPANY_WORDS = (
    "Bright", "North", "Pixel", "Harbor", "Summit", "Cedar", "Nova", "Atlas", "Blue", "Copper", "Lumen", "Orbit",
    "Pine", "Quartz", "River", "Signal", "Tidal", "Vertex", "Willow", "Zenith",
)
COMPANY_KINDS = ("Media", "Labs", "Digital", "Reviews", "Partners", "Studio", "Collective", "Works")


def person(random: RandomSource, part: str) -> str:
    """`name`, `first_name`, `last_name` or `company`, drawn from the seeded source."""
    if part == "first_name":
        return random.choice(FIRST_NAMES)
    if part == "last_name":
        return random.choice(LAST_NAMES)
    if part == "name":
        return f"{random.choice(FIRST_NAMES)} {random.choice(LAST_NAMES)}"
    if part == "company":
        return f"{random.choice(COMPANY_WORDS)} {random.choice(COMPANY_KINDS)}"
    raise ValueError(f"$person takes name, first_name, last_name or company, not {part!r}")
