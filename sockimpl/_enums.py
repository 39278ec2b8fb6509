"""The IntEnum/IntFlag views of the C module's integer constants.

`_sockimpl` knows only integers.  The package turns each family of
constants (AF_*, SOCK_*, MSG_*, AI_*) into an enum and replaces the
module-level names by the members, so `sockimpl.AF_INET` prints as a name
and `sockimpl.AF_INET is sockimpl.AddressFamily.AF_INET`.
"""

from __future__ import annotations

import enum
from types import SimpleNamespace

# typing costs milliseconds to import and only annotations need it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, TypeVar

    EnumT = TypeVar("EnumT", enum.IntEnum, enum.IntFlag)

# Names the C module may export that the stdlib's socket does not, and whose
# value another member already has.  The enum picks a value's canonical
# member by name order, so AF_LOCAL would take over AF_UNIX's repr; such
# aliases stay plain ints.
_ALIASES_KEPT_AS_INTS = frozenset({"AF_LOCAL", "AF_FILE"})


def _is_member(name: str, prefix: str) -> bool:
    return name.startswith(prefix) and name.isupper() and name not in _ALIASES_KEPT_AS_INTS


def convert(
    base: type[EnumT],
    enum_name: str,
    prefix: str,
    module_name: str,
    namespace: Mapping[str, Any],
) -> type[EnumT]:
    """Build `enum_name` from the `prefix` constants in `namespace`.

    `enum._convert_` is the enum module's own factory for exactly this job:
    it gives the members the same repr, str, pickling and flag boundary as
    the stdlib's socket enums on every Python version, and writes the
    members back into the globals of `module_name`.
    """
    members = {
        name: value
        for name, value in namespace.items()
        if _is_member(name, prefix) and isinstance(value, int)
    }
    converted: type[EnumT] = base._convert_(  # type: ignore[attr-defined]
        enum_name,
        module_name,
        lambda name: name in members,
        source=SimpleNamespace(**members),
    )
    return converted


def value_map(enum_class: type[enum.Enum]) -> dict[int, Any]:
    """Value -> canonical member, for converting ints without a try/except."""
    return {member.value: member for member in enum_class}
