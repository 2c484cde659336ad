"""The organisations of a network served by one home (`[[organisations]]` in followup.toml), and which of them
an export and each of its forms belong to.

An export's organisation comes from the inbox subfolder it was dropped in (`inbox/<code>/`), else from a
file-name pattern of an organisation (`files`). A form's organisation is its organisation column's answer,
written as an organisation's code, name or alias (any case, ё as е), else its export's. A home without
`[[organisations]]` is one organisation (`organisation` in followup.toml), as before.

In a network, a graduate's pseudonym is made with her organisation's code: two women of one name in two
shelters are two graduates, and a follow-up is linked first among the graduates of its own organisation.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from followup.config import Organisation, Settings

_WORD = re.compile(r"[^\W\d_]+")


def _key(text: str) -> str:
    return " ".join(re.sub(r"[\"«»'`]", " ", text).lower().replace("ё", "е").split())


@dataclass(frozen=True)
class Network:
    organisations: tuple[Organisation, ...]
    default: str  # the home's `organisation`: a form's organisation when nothing else says

    @classmethod
    def of(cls, settings: Settings) -> Network:
        return cls(tuple(settings.organisations), settings.organisation)

    @property
    def configured(self) -> bool:
        return bool(self.organisations)

    @property
    def codes(self) -> list[str]:
        return [o.code for o in self.organisations]

    def by_code(self, code: str) -> Organisation:
        return next(o for o in self.organisations if o.code == code)

    def of_export(self, relative_path: str, file_name: str) -> Organisation | None:
        """The organisation an export belongs to by where it lies (`<code>/...` relative to the inbox) or,
        else, by its file name matching one of an organisation's `files` patterns."""
        parts = PurePosixPath(relative_path).parts
        if len(parts) > 1 and parts[0] in self.codes:
            return self.by_code(parts[0])
        name = file_name.lower()
        for org in self.organisations:
            if any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in org.files):
                return org
        return None

    def of_file(self, inbox: Path, path: Path, original_name: str | None = None) -> Organisation | None:
        """`of_export` for a file in the inbox (or filed under it) and its original name."""
        where = path.relative_to(inbox).as_posix() if path.is_relative_to(inbox) else path.name
        return self.of_export(where, original_name or path.name)

    def named(self, answer: str) -> Organisation | None:
        """The organisation an organisation column's answer names: its code, name or an alias."""
        key = _key(answer)
        for org in self.organisations:
            if key in {_key(org.code), _key(org.name), *(_key(a) for a in org.aliases)}:
                return org
        return None

    def canonical(self, answer: str) -> str:
        """An organisation column's answer as the warehouse keeps it: the organisation's name when it names
        one of the network, else as written."""
        org = self.named(answer)
        return org.name if org else answer

    def code(self, name: str) -> str:
        """The code of the organisation of this name (as the warehouse keeps it); '' when it is none of the
        network's."""
        org = self.named(name)
        return org.code if org else ""

    def unknown_reason(self, inbox: Path) -> str:
        """Why an export of no known organisation is set aside, and what to do."""
        codes = ", ".join(f"{inbox / o.code}/ ({o.name})" for o in self.organisations)
        return (
            "this home serves several organisations and nothing says whose export this is: no organisation "
            "column, and neither its folder nor its name is one of an organisation's. Put it in its "
            f"organisation's folder: {codes}, or add a pattern of its name to `files` of its organisation in "
            "followup.toml"
        )

    def words(self) -> set[str]:
        """The words of the organisations' names, aliases and codes (lower case, е for ё), which the redactor
        never takes for a woman's name when they stand alone: «КЦ Надежда», `nadezhda_monitoring.csv`."""
        texts = [self.default] + [t for o in self.organisations for t in (o.name, o.code, *o.aliases)]
        return {w for t in texts for w in _WORD.findall(_key(t).replace("_", " ")) if len(w) >= 3}
