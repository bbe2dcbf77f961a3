"""Where each area sits on a schematic tile map: given, or laid out from its neighbours.

A municipality's profile may give each area its tile (column, row; north up). Areas
without one are placed from the neighbour relation: a force-directed layout of the
graph of areas (networkx's spring layout, seeded, so the same areas always get the
same map), snapped to a grid, each area to the nearest free cell. Neighbours end up
near each other; the map is schematic, as Groningen's hand-made one is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np

from sim.wijken import GRONINGEN_AREAS, Area

LAYOUT_SEED = 1  # the spring layout's seed: the same areas always get the same map


def tile_layout(areas: Sequence[Area] | None = None) -> dict[str, tuple[int, int]]:
    """Each area's tile (column, row), north up; Groningen's map without areas."""
    areas = tuple(areas) if areas else GRONINGEN_AREAS
    given = {area.name: area.tile for area in areas if area.tile is not None}
    missing = [area for area in areas if area.tile is None]
    if not missing:
        return {name: (int(tile[0]), int(tile[1])) for name, tile in given.items()}
    graph = nx.Graph()
    graph.add_nodes_from(area.name for area in areas)
    graph.add_edges_from((area.name, other) for area in areas for other in area.near)
    side = math.ceil(math.sqrt(len(areas))) + 1
    fixed = {name: np.array([tile[0], -tile[1]], float) for name, tile in given.items()}
    positions = nx.spring_layout(
        graph,
        pos=fixed or None,
        fixed=list(fixed) or None,
        seed=LAYOUT_SEED,
        scale=None if fixed else side / 2,
    )
    taken = {(int(tile[0]), int(tile[1])) for tile in given.values()}
    tiles = {name: (int(tile[0]), int(tile[1])) for name, tile in given.items()}
    xs = np.array([positions[a.name][0] for a in missing])
    ys = np.array([-positions[a.name][1] for a in missing])
    # Scale the free layout onto a grid about as wide as it is tall.
    span = max(float(np.ptp(xs)), float(np.ptp(ys)), 1e-9)
    cols = (xs - xs.min()) / span * (side - 1)
    rows = (ys - ys.min()) / span * (side - 1)
    for area, col, row in sorted(
        zip(missing, cols, rows, strict=True), key=lambda item: (item[2], item[1])
    ):
        cell = min(
            (
                (c, r)
                for c in range(-1, side + 2)
                for r in range(-1, side + 2)
                if (c, r) not in taken
            ),
            key=lambda cell: (cell[0] - col) ** 2 + (cell[1] - row) ** 2,
        )
        taken.add(cell)
        tiles[area.name] = cell
    low_col = min(col for col, _ in tiles.values())
    low_row = min(row for _, row in tiles.values())
    return {name: (col - low_col, row - low_row) for name, (col, row) in tiles.items()}
