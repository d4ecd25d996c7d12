"""The demo council's people's names: varied, as in an English city's children's services.

Seeded choices from these lists give each demo person a unique, plausible name; nobody real
is meant.
"""

from __future__ import annotations

import random

FIRST = (
    "Aaliyah Abdul Adaeze Aisha Alex Alicia Amara Amina Andrzej Anita Aoife Ayesha Babajide "
    "Bartosz Beatrice Bethany Bilal Bogdan Bronwen Callum Carmen Chanel Chiamaka Chloe Ciaran "
    "Claire Danielle Darnell Deborah Declan Deepa Dominika Ebony Eilidh Elif Emeka Erin Esther "
    "Faisal Farah Fatima Femi Fiona Gareth Gemma Grace Gurpreet Hamza Hannah Harjit Helen Idris "
    "Imogen Isaac Jamal Janet Jasmine Jaspreet Joanne Jodie Kamala Karen Kasia Kemi Kerry "
    "Kwabena Lakshmi Leanne Lerato Liam Lindiwe Lucy Mairead Malik Marcus Mariam Marek Megan "
    "Mehmet Michelle Mohammed Monique Nadia Naomi Natasha Niamh Nikhil Noor Olga Olumide Omar "
    "Paula Precious Priya Rachel Rajesh Rebecca Rhys Rosa Ruth Safiya Samira Sandeep Sarah "
    "Shabana Shaun Simone Siobhan Sophie Stacey Sunita Tanisha Tariq Tomasz Tunde Usha "
    "Valentina Vikram Wanjiru Wendy Yasmin Yusuf Zainab Zara Zofia"
).split()
LAST = (
    "Abara Adeyemi Ahmed Akhtar Ali Anderson Asante Atkinson Bailey Banerjee Barker Begum Bennett "
    "Bhatt Boateng Bradley Brennan Brown Byrne Campbell Chaudhry Clarke Cole Collins Dhillon "
    "Dixon Doherty Dube Edwards Ellis Evans Farah Fernandes Fletcher Foster Gallagher Gordon "
    "Grant Green Hall Haque Harris Hassan Hughes Hussain Ibrahim Iqbal Jackson James Jones "
    "Joseph Kaur Kelly Kennedy Khan Kowalski Lewis Lloyd McCarthy McDonald Malik Mensah Miah "
    "Mistry Mitchell Moore Morgan Murphy Nowak Nwosu Obi Okafor Oliveira O'Neill Osei Owusu "
    "Palmer Parekh Patel Phillips Price Quinn Rahman Reid Richards Robinson Rossi Sandhu Scott "
    "Shah Sharma Singh Smith Sokolowska Stewart Sullivan Taylor Thomas Thompson Turner Walker "
    "Walsh Ward Watson Williams Wilson Wright Yilmaz Young"
).split()


class Names:
    """Hands out unique names and the email addresses that go with them."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain
        self.used: set[str] = set()

    def new(self) -> tuple[str, str]:
        """(name, email), never a name given before."""
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self.used:
                break
        self.used.add(name)
        local = name.lower().replace("'", "").replace(" ", ".")
        return name, f"{local}@{self.domain}"
