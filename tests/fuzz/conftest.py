"""The fuzz tests (issue 11): marker `fuzz`; they run by default with the rest of the suite.

`pytest -m "not fuzz"` leaves them out; `pytest -m fuzz` runs only them.
"""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "fuzz: hostile generated inputs run through the CLI under time and memory limits (issue 11)",
    )
