# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The visiting order of a day of visits (issue 27): pure Python, no ORM.

A tour is a path: it leaves a start point, visits every stop once and ends at
an end point (the same place or not). Its cost is the sum of the distances of
its legs, read from a matrix (symmetric: great-circle distances).

- Up to ``EXACT_LIMIT`` stops the order is optimal: Held-Karp's dynamic
  programme over the subsets of stops (n² 2ⁿ steps).
- Beyond, a local search: nearest-neighbour and random starts improved by 2-opt
  (reverse a stretch) and Or-opt (move a run of 1 to 3 stops, either way
  round) until neither improves, restarted until a time budget runs out; the
  best tour found is kept. A fixed seed makes the answer reproducible.

OR-Tools was weighed and not taken: see docs/field-sales.md.
"""

import random
import time

EXACT_LIMIT = 12  # stops; 2¹² × 12² steps stay well under a second
TIME_BUDGET = 0.8  # seconds of local search beyond EXACT_LIMIT
MIN_RESTARTS = 8  # even on a slow machine
EPSILON = 1e-9


def path_length(matrix, start, order, end):
    """Length of the path ``start → order… → end`` (indices of ``matrix``)."""
    total, previous = 0.0, start
    for node in order:
        total += matrix[previous][node]
        previous = node
    return total + matrix[previous][end]


def solve(matrix, start, stops, end, time_budget=TIME_BUDGET, seed=0):
    """The order of ``stops`` (indices of ``matrix``) that makes the path from
    ``start`` to ``end`` shortest: exact up to ``EXACT_LIMIT`` stops, the best
    of a local search restarted for ``time_budget`` seconds beyond.

    :return: the stops in visiting order (a new list)
    """
    stops = list(stops)
    if len(stops) <= 2:
        if len(stops) == 2 and path_length(
            matrix, start, stops[::-1], end
        ) < path_length(matrix, start, stops, end):
            stops.reverse()
        return stops
    if len(stops) <= EXACT_LIMIT:
        return held_karp(matrix, start, stops, end)
    return local_search(matrix, start, stops, end, time_budget, seed)


def held_karp(matrix, start, stops, end):
    """Optimal order by dynamic programming: ``cost[mask][j]`` is the shortest
    path from ``start`` through the stops of ``mask`` ending at stop ``j``."""
    count = len(stops)
    full = (1 << count) - 1
    inf = float("inf")
    cost = [[inf] * count for _mask in range(full + 1)]
    parent = [[-1] * count for _mask in range(full + 1)]
    # Distances between stops by position, read once.
    legs = [[matrix[a][b] for b in stops] for a in stops]
    for j, stop in enumerate(stops):
        cost[1 << j][j] = matrix[start][stop]
    for mask in range(1, full + 1):
        row = cost[mask]
        for j in range(count):
            base = row[j]
            if base == inf or not mask >> j & 1:
                continue
            leg = legs[j]
            for k in range(count):
                if mask >> k & 1:
                    continue
                following = mask | 1 << k
                value = base + leg[k]
                if value < cost[following][k]:
                    cost[following][k] = value
                    parent[following][k] = j
    last = min(range(count), key=lambda j: cost[full][j] + matrix[stops[j]][end])
    order, mask = [], full
    while last != -1:
        order.append(stops[last])
        last, mask = parent[mask][last], mask & ~(1 << last)
    order.reverse()
    return order


def nearest_neighbour(matrix, start, stops):
    """The greedy order: always the nearest stop not visited yet."""
    left, order, current = set(stops), [], start
    while left:
        current = min(left, key=lambda node: (matrix[current][node], node))
        order.append(current)
        left.remove(current)
    return order


def improve(matrix, path):
    """2-opt and Or-opt on ``path`` (start and end fixed at its two ends) until
    no move shortens it; changes ``path`` in place."""
    last = len(path) - 1
    improved = True
    while improved:
        improved = False
        # 2-opt: reverse path[i..j].
        for i in range(1, last - 1):
            a, b = path[i - 1], path[i]
            row_a, row_b = matrix[a], matrix[b]
            for j in range(i + 1, last):
                c, e = path[j], path[j + 1]
                delta = row_a[c] + row_b[e] - row_a[b] - matrix[c][e]
                if delta < -EPSILON:
                    path[i : j + 1] = path[i : j + 1][::-1]
                    a, b = path[i - 1], path[i]
                    row_a, row_b = matrix[a], matrix[b]
                    improved = True
        # Or-opt: move path[i..i+length-1] between two other neighbours.
        for length in (1, 2, 3):
            i = 1
            while i + length <= last:
                first, final = path[i], path[i + length - 1]
                before, after = path[i - 1], path[i + length]
                removed = (
                    matrix[before][first] + matrix[final][after] - matrix[before][after]
                )
                best, best_position, best_reversed = -EPSILON, None, False
                for position in range(0, last):
                    if i - 1 <= position < i + length:
                        continue
                    left, right = path[position], path[position + 1]
                    base = matrix[left][right]
                    forward = matrix[left][first] + matrix[final][right] - base
                    backward = matrix[left][final] + matrix[first][right] - base
                    for added, backwards in ((forward, False), (backward, True)):
                        gain = removed - added
                        if gain > best + EPSILON:
                            best, best_position, best_reversed = (
                                gain,
                                position,
                                backwards,
                            )
                if best_position is not None:
                    segment = path[i : i + length]
                    if best_reversed:
                        segment.reverse()
                    del path[i : i + length]
                    position = (
                        best_position if best_position < i else best_position - length
                    )
                    path[position + 1 : position + 1] = segment
                    improved = True
                else:
                    i += 1
    return path


def local_search(matrix, start, stops, end, time_budget=TIME_BUDGET, seed=0):
    """The best of improved tours from the nearest-neighbour order, then from
    random orders, until ``time_budget`` seconds have passed (at least
    ``MIN_RESTARTS`` tours)."""
    generator = random.Random(seed)
    deadline = time.perf_counter() + time_budget
    best_order, best_length = None, float("inf")
    tries = 0
    while tries < MIN_RESTARTS or time.perf_counter() < deadline:
        if tries == 0:
            order = nearest_neighbour(matrix, start, stops)
        else:
            order = stops[:]
            generator.shuffle(order)
        path = improve(matrix, [start, *order, end])
        length = path_length(matrix, start, path[1:-1], end)
        if length < best_length - EPSILON:
            best_order, best_length = path[1:-1], length
        tries += 1
    return best_order
