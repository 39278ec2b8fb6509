"""A diverging sequence as a Python program to paste: it runs the steps on
the stdlib and on the implementation under test, each in a network
namespace and a directory of its own, and prints what each step did.

The program drives the steps through the engine's own executor, so what it
prints is exactly what the engine compared (addresses with symbolic ports,
blocked calls cut short); the steps themselves are plain data, one a line,
to read as the scenario.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from lab.engine.lockstep import Divergence
from lab.paths import ARTIFACTS

ENGINE_ARTIFACTS = ARTIFACTS / "engine"

TEMPLATE = '''\
# socklab engine: a {family} sequence on which {target} and the stdlib diverge
# at its last step.  Run from a socklab checkout, as root (namespaces):
#   .venv/3.11/bin/python {name}
{findings}
from lab.engine.families import FAMILIES
from lab.engine.world import World

STEPS = [
{steps}]

worlds = {{name: World(name, FAMILIES[{family!r}], seat) for seat, name in enumerate(("stdlib", {target!r}))}}
for index, step in enumerate(STEPS):
    print(index, step)
    for name, world in worlds.items():
        world.ask(step)
        outcome, state, frames = world.answer()
        print(f"    {{name:10}} {{outcome!r}}")
        print(f"    {{'':10}} state {{state!r}}")
        for frame in frames:
            print(f"    {{'':10}} wire  {{frame!r}}")
for world in worlds.values():
    world.end()
'''


def render(divergence: Divergence) -> str:
    steps = "".join(f"    {step!r},\n" for step in divergence.steps)
    findings = "".join(f"#   {line}\n" for line in str(divergence).splitlines())
    return TEMPLATE.format(family=divergence.family, target=divergence.target, steps=steps,
                           findings=findings, name="REPRODUCER.py")


def save(divergence: Divergence, folder: Path = ENGINE_ARTIFACTS) -> Path:
    text = render(divergence)
    digest = hashlib.sha256(repr(divergence.steps).encode()).hexdigest()[:10]
    path = folder / f"{divergence.family}-{divergence.target}-{digest}.py"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text.replace("REPRODUCER.py", str(path)))
    return path
