"""Generated files are committed: `make generate` must reproduce them exactly, and deterministically."""

from __future__ import annotations

import pytest

from streamguard import generate
from streamguard.paths import ROOT

pytestmark = pytest.mark.fast


def test_committed_output_matches_a_fresh_generation():
    rendered = generate.render(ROOT)
    stale = [str(p.relative_to(ROOT)) for p, text in rendered.items()
             if not p.is_file() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"run `make generate` and commit: {stale}"


def test_no_leftover_generated_files():
    rendered = set(generate.render(ROOT))
    on_disk = generate.generated_on_disk(ROOT)
    assert on_disk <= rendered, sorted(str(p) for p in on_disk - rendered)


def test_generation_is_deterministic():
    assert generate.render(ROOT) == generate.render(ROOT)
