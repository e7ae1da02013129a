from tests.accounts.fixtures import (  # noqa: F401  (autouse fixtures)
    _english,
    _fast_password_hashing,
    _fresh_cache,
    _plain_static_storage,
)
