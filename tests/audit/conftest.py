from tests.accounts.fixtures import _english  # noqa: F401  (autouse fixture)
