"""Growth rates, the one definition every screen, the briefing and the targets use."""

from __future__ import annotations


def growth_rate(now: float, then: float) -> float | None:
    """Change from THEN to NOW as a fraction (0.308 = +30.8 %); None without a base."""
    return (now - then) / then if then else None


def annual_rate(now: float, then: float, years: int) -> float | None:
    """Compound annual growth rate from THEN to NOW over YEARS; None where undefined."""
    if then <= 0 or now < 0 or years <= 0:
        return None
    return float((now / then) ** (1 / years) - 1)
