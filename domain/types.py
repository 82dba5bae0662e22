"""Column types shared by the ORM model."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Enum, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

Quantity = Numeric(14, 3, asdecimal=True)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns aware datetimes on every database (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def string_enum(enum_class: type[StrEnum]) -> Enum:
    """Store an enum by its value as a plain string column (portable, readable in SQL)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
    )


def quantity(value: Decimal | int | str) -> Decimal:
    """Quantities are exact decimals with three places, as stored."""
    return Decimal(value).quantize(Decimal("0.001"))


def written(value: Decimal) -> str:
    """`10`, `2.5`: as a person writes it, without the stored trailing zeros."""
    return f"{value.normalize():f}"


def written_quantity(value: Decimal, unit: str) -> str:
    """`10 pcs`, `2.5 kg`."""
    return f"{written(value)} {unit}"
