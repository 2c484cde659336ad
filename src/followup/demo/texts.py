"""How people write things by hand: phone numbers, names, specialists' comments and free answers.

All drawn from a seeded random.Random, so a corpus is reproducible; every name and number is synthetic.
"""

from __future__ import annotations

import random

from followup.demo.names import FIRST_NAMES, PATRONYMICS, SURNAMES

# fmt: off
_MOBILE_CODES = (
    "900", "901", "902", "904", "908", "912", "913", "915", "916", "917", "919", "920", "921", "922", "924",
    "926", "927", "929", "950", "951", "952", "953", "960", "961", "962", "964", "965", "967", "977", "978",
    "981", "982", "985", "987", "989", "991", "995", "996", "999",
)
# fmt: on


def new_phone(rng: random.Random) -> str:
    """A Russian mobile number as its 10 national digits, e.g. "9123456789"."""
    return rng.choice(_MOBILE_CODES) + f"{rng.randrange(10**7):07d}"


def format_phone(digits: str, style: int) -> str:
    """Write 10 national digits in one of the five ways people type them (style 0..4)."""
    code, a, b, c = digits[:3], digits[3:6], digits[6:8], digits[8:]
    return (
        f"+7 ({code}) {a}-{b}-{c}",
        f"8{digits}",
        f"8-{code}-{a}-{b}-{c}",
        digits,
        f"+7{digits}",
    )[style]


def spoken_phone(digits: str) -> str:
    """A phone as written inside a sentence: "8 912 000-11-22"."""
    return f"8 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


def genitive(first_name: str) -> str:
    """Genitive of a female first name: Ирина → Ирины, Ольга → Ольги, Мария → Марии, Любовь → Любови."""
    if first_name.endswith("ь"):
        return first_name[:-1] + "и"
    if first_name.endswith("я"):
        return first_name[:-1] + "и"
    if first_name[-2] in "гкхжчшщ":
        return first_name[:-1] + "и"
    return first_name[:-1] + "ы"


def dative(word: str) -> str:
    """Dative of a female first name or patronymic: Наталья Викторовна → Наталье Викторовне."""
    if word.endswith("ь"):
        return word[:-1] + "и"
    if word.endswith("ия"):
        return word[:-1] + "и"
    return word[:-1] + "е"


def respell_name(surname: str, first: str, patronymic: str, rng: random.Random) -> str:
    """The same name as a woman types it into a form: sometimes "Имя Фамилия Отчество", lower or upper
    case, «ё» as «е», stray spaces. An exact match on normalised names still finds her."""
    parts = [first, surname, patronymic] if rng.random() < 0.2 else [surname, first, patronymic]
    parts = [part for part in parts if part]
    text = ("  " if rng.random() < 0.08 else " ").join(parts)
    case = rng.random()
    if case < 0.15:
        text = text.lower()
    elif case < 0.19:
        text = text.upper()
    if rng.random() < 0.4:
        text = text.replace("ё", "е").replace("Ё", "Е")
    if rng.random() < 0.06:
        text = rng.choice((" ", "  ")) + text + rng.choice(("", " "))
    return text


def typed_name(surname: str, first: str, patronymic: str, rng: random.Random) -> str:
    """The same name as a staff member types it into a coding sheet: always "Фамилия Имя Отчество", but
    «ё» sometimes as «е» and now and then a double space."""
    text = ("  " if rng.random() < 0.05 else " ").join(part for part in (surname, first, patronymic) if part)
    return text.replace("ё", "е") if rng.random() < 0.5 else text


def staff_name(rng: random.Random) -> str:
    """A staff member as colleagues write her: "Смирнова Е. А."."""
    return f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)[0]}. {rng.choice(PATRONYMICS)[0]}."


def add_typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard inside a word (never the first letter): a swap, a drop or a doubling."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _other_person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(SURNAMES), rng.choice(FIRST_NAMES), rng.choice(PATRONYMICS)


_COMMENTS = (
    "Выписана в связи с окончанием срока проживания.",
    "Трудоустроена продавцом, график 2/2.",
    "Рекомендовано продолжить консультации психолога.",
    "Оформлено пособие на ребёнка, встала на учёт в центре занятости.",
    "Ребёнок устроен в детский сад, очередь подошла в августе.",
    "Отказалась от дальнейшего сопровождения.",
    "Ушла досрочно по собственному желанию, на связь выходит редко.",
    "Нуждается в помощи юриста по взысканию алиментов.",
    "Переезжает к родственникам в Пермский край.",
    "Сняла комнату вместе с подругой, первый месяц оплачен фондом.",
    "Восстановлен паспорт, подано заявление на материнский капитал.",
)
_COMMENTS_WITH_PERSON = (
    "Созвонились с мамой {gen}, тел. {phone}.",
    "Контакт сестры: {o_first} {o_patr}, {phone}.",
    "Куратор случая — {o_first} {o_patr} {o_sur}.",
    "Если не отвечает, звонить подруге {o_first_d}: {phone}.",
    "Бабушка ребёнка ({o_sur} {o_first}) готова помогать, тел. {phone}.",
)


def specialist_comment(first: str, rng: random.Random) -> str:
    """A specialist's note at case closure; about a third mention another person and a phone."""
    if rng.random() < 0.35:
        o_sur, o_first, o_patr = _other_person(rng)
        return rng.choice(_COMMENTS_WITH_PERSON).format(
            gen=genitive(first),
            phone=spoken_phone(new_phone(rng)),
            o_sur=o_sur,
            o_first=o_first,
            o_first_d=dative(o_first),
            o_patr=o_patr,
        )
    return rng.choice(_COMMENTS)


_ANSWERS = (
    "Спасибо вам за всё! Без вас мы бы не справились.",
    "Сейчас работаю, сын ходит в садик, всё потихоньку налаживается.",
    "Нужна консультация юриста по алиментам.",
    "Живём у мамы, ищу комнату поближе к работе.",
    "Тяжело одной, хотелось бы группу поддержки для мам.",
    "Получили квартиру по соцнайму, очень рады!",
    "Оформила пособие, стало полегче.",
    "Опять проблемы с бывшим мужем, боюсь за детей.",
    "Всё хорошо)",
    "Хочу пойти учиться на парикмахера, подскажите курсы.",
)
_ANSWERS_WITH_PERSON = (
    "Передайте спасибо {o_first_d} {o_patr_d}, она очень помогла.",
    "Мой новый номер {phone}, старый не работает.",
    "Если можно, перезвоните мне: {phone}, {first}.",
    "Дочка {o_first} пошла в первый класс!",
    "Всем привет! Ваша {first} {surname}",
)


def free_answer(surname: str, first: str, rng: random.Random) -> str:
    """A graduate's open answer in the follow-up form; some carry a name or a phone number."""
    if rng.random() < 0.4:
        _, o_first, o_patr = _other_person(rng)
        return rng.choice(_ANSWERS_WITH_PERSON).format(
            o_first_d=dative(o_first),
            o_patr_d=dative(o_patr),
            o_first=o_first,
            phone=format_phone(new_phone(rng), rng.randrange(5)),
            first=first,
            surname=surname,
        )
    return rng.choice(_ANSWERS)


_QUOTES = (
    "«Самое трудное было первые два месяца, потом привыкли».",
    "«Работаю на полставки, с садиком помогает мама».",
    "«Хозяйка квартиры подняла цену, ищем другую».",
    "«Сын пошёл в школу, учительница хорошая».",
    "«Если бы не вы, я бы не справилась».",
    "«Иногда срываюсь на ребёнка, потом жалею».",
    "«Хочу выучиться и работать нормально, а не по ночам».",
    "«Опять звонил бывший, я не беру трубку».",
)
_INTERVIEW_NOTES = (
    "Интервью по телефону, связь прерывалась.",
    "Разговор в офисе, пришла с ребёнком.",
    "Просит консультацию юриста по алиментам.",
    "Нуждается в продуктовом наборе, передано куратору.",
    "Сменила номер; новый записан в карточке.",
)
_INTERVIEW_NOTES_WITH_PERSON = (
    "Трубку взяла мама {gen}, перезвонили вечером.",
    "Новый номер: {phone}.",
    "Просит передать привет {o_first_d} {o_patr_d}.",
    "Контакт подруги на случай, если не ответит: {o_first}, {phone}.",
)


def interview_quote(rng: random.Random) -> str:
    """A quote the interviewer wrote down word for word."""
    return rng.choice(_QUOTES)


def interviewer_comment(first: str, rng: random.Random) -> str:
    """An interviewer's note after the call; some name another person or carry a phone number."""
    if rng.random() < 0.4:
        _, o_first, o_patr = _other_person(rng)
        return rng.choice(_INTERVIEW_NOTES_WITH_PERSON).format(
            gen=genitive(first),
            phone=spoken_phone(new_phone(rng)),
            o_first=o_first,
            o_first_d=dative(o_first),
            o_patr_d=dative(o_patr),
        )
    return rng.choice(_INTERVIEW_NOTES)
