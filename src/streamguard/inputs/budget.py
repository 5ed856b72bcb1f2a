"""The instances one scan may report, counted across every module it reads.

`count`, `for_each` and counted module calls multiply the addresses a block is reported at. One
block is bounded (reading.MAX_INSTANCES), but 200 blocks of `count = 10000` in a 14 KB file made
2,000,000 addresses, and both engines passed 4 GiB: so the whole scan shares one budget, spent
before any address is built, and the module that would overdraw it is that module's input error.
"""

from __future__ import annotations

from streamguard.inputs.errors import InputError
from streamguard.inputs.reading import MAX_INSTANCES


class InstanceBudget:
    def __init__(self, total: int = MAX_INSTANCES):
        self.total = total
        self.left = total

    def spend(self, path: str, addresses: list[str], instances: list[tuple[str, dict[str, list | None]]]) -> None:
        """Take what module_instances.reported will build for one module: in each of its instances
        (prefix, instance keys), each counted block's instances and, below a module call, each
        other address."""
        needed = sum(len(keys[a]) if keys.get(a) is not None else bool(prefix)
                     for prefix, keys in instances for a in addresses)
        if needed > self.left:
            raise InputError(path, f"its count, for_each and module calls take the scan past {self.total:,} "
                                   "instances (streamguard's limit per scan)")
        self.left -= needed
