"""Demo data of the dashboards: none is invented.

The dashboards show Layak's own cycles once their results exist, and the published KLA history, which
`python manage.py load_history` loads from data/history/ with its sources. Results are never made up as if real.
"""


def seed_demo_data(*, stdout) -> None:
    """Creates nothing; says where the dashboards' data comes from."""
    stdout.write(
        "Dashboards: no demo results are invented; run `python manage.py load_history` for the published history."
    )
