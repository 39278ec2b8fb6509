"""The PNG: per operation, sockimpl's time over the stdlib's, and the share of
the stdlib's overhead above the C floor that sockimpl still pays, each
against its target."""

from __future__ import annotations

from pathlib import Path

from bench.report import PINGPONG_OPERATIONS, PINGPONG_SHARE_TARGET, RATIO_TARGET, Row

MET, MISSED, NO_TARGET = "#3a923a", "#c0392b", "#7f8fa6"
# Shares far outside [0, 1] come from a floor nearly as slow as the stdlib
# (noise); the bar is clipped and the number printed.
SHARE_AXIS = (-0.25, 1.5)


def draw(rows: list[Row], path: Path, subtitle: str) -> str:
    """Write the chart to `path`; returns '' or why no chart was drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        return f"n/a: matplotlib is not installed ({error})"
    shown = [row for row in rows if row.ratio is not None]
    if not shown:
        return "n/a: no operation was measured for both implementations"
    names = [row.name for row in shown]
    positions = range(len(shown))
    figure, (left, right) = plt.subplots(1, 2, sharey=True, figsize=(12, 0.42 * len(shown) + 1.8))

    ratios = [row.ratio or 0.0 for row in shown]
    left.barh(positions, ratios, color=[MET if r <= RATIO_TARGET else MISSED for r in ratios])
    left.axvline(
        RATIO_TARGET, color="black", linestyle="--", linewidth=1, label=f"target {RATIO_TARGET}"
    )
    left.axvline(1.0, color="grey", linewidth=1, label="stdlib")
    for y, ratio in zip(positions, ratios, strict=True):
        left.text(ratio, y, f" {ratio:.2f}", va="center", fontsize=8)
    # Where a Python layer with no overhead at all would land.
    floors = [(y, row.floor_ratio) for y, row in zip(positions, shown, strict=True)]
    left.scatter(
        [f for _, f in floors if f is not None],
        [y for y, f in floors if f is not None],
        marker="|",
        s=260,
        color="black",
        linewidths=2,
        zorder=3,
    )
    left.set_yticks(list(positions), names, fontsize=9)
    left.invert_yaxis()
    left.set_xlim(0, max(1.2, max(ratios) * 1.15))
    left.set_xlabel("sockimpl time / stdlib time (lower is better)")
    left.set_title(f"dashed: target {RATIO_TARGET}, solid: the stdlib, |: the C floor", fontsize=9)

    for y, row in zip(positions, shown, strict=True):
        share = row.overhead_share
        if share is None:
            right.text(
                0.02,
                y,
                "n/a (floor missing or stdlib at floor)",
                va="center",
                fontsize=8,
                color="grey",
            )
            continue
        # The issue sets a share target for the ping-pong only.
        if row.name in PINGPONG_OPERATIONS:
            color = MET if share <= PINGPONG_SHARE_TARGET else MISSED
        else:
            color = NO_TARGET
        clipped = min(max(share, SHARE_AXIS[0]), SHARE_AXIS[1])
        right.barh(y, clipped, color=color)
        right.text(clipped, y, f" {share:.2f}", va="center", fontsize=8)
    right.axvline(
        PINGPONG_SHARE_TARGET,
        color="black",
        linestyle="--",
        linewidth=1,
        label=f"ping-pong target {PINGPONG_SHARE_TARGET}",
    )
    right.axvline(1.0, color="grey", linewidth=1, label="stdlib's overhead")
    right.set_xlim(*SHARE_AXIS)
    right.set_xlabel("(sockimpl - floor) / (stdlib - floor)")
    right.set_title(
        f"dashed: ping-pong target {PINGPONG_SHARE_TARGET}, solid: the stdlib; grey: no target",
        fontsize=9,
    )
    figure.suptitle(f"sockimpl against the stdlib and the C syscall floor\n{subtitle}", fontsize=11)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return ""
