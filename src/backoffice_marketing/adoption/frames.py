"""Frames in, frames out: the narwhals boundary of the adoption analytics.

Every function of :mod:`backoffice_marketing.adoption` accepts any dataframe
narwhals supports (pandas, polars, pyarrow, duckdb, dask, ...) or a CSV or
Parquet path, and hands back the same kind of frame. Small helper tables
(the period spine, the roster intervals) are built in the backend of the
events, so that a lazy query stays one lazy query.
"""

from __future__ import annotations

import functools
import os
import typing
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from backoffice_marketing.exceptions import (
    BackofficeMarketingError,
    InputColumnsError,
    LoadError,
    MissingExtraError,
    Problem,
    UnsupportedFormatError,
)

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:
    from types import ModuleType

__all__ = [
    "FrameHolder",
    "InputColumnsError",
    "backend_errors_as_load_errors",
    "narwhals",
    "require_columns",
    "table_like",
    "to_frame",
    "to_native",
]

#: Backends tried, in order, to read a CSV or Parquet path.
_PATH_BACKENDS = ("polars", "pyarrow", "pandas")


class FrameHolder:
    """Mixin of objects that carry a native frame (a report over rates): every function takes them.

    :func:`to_frame` unwraps a holder through :meth:`to_native`, so the
    module that defines the holder may import this one, never the reverse.
    """

    __slots__ = ()

    def to_native(self) -> Any:
        """The frame held, as the library that made it gave it."""
        raise NotImplementedError


def narwhals() -> ModuleType:
    """The ``narwhals.stable.v2`` module, or :class:`MissingExtraError` naming ``[data]``."""
    try:
        import narwhals.stable.v2 as nw  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "narwhals") from error
    return nw


def _path_backend() -> str:
    import importlib.util  # noqa: PLC0415

    for name in _PATH_BACKENDS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise MissingExtraError("data", "polars")  # pragma: no cover - pyarrow ships with the tests


#: Files up to this size are checked whole for their encoding before they are read.
_DECODE_WHOLE = 8 << 20


def _text_frame(text: str, backend: str) -> Any:
    """A CSV ``text`` (already decoded) as a native frame of ``backend``."""
    import io  # noqa: PLC0415

    if backend == "polars":
        import polars  # noqa: PLC0415  (optional extra)

        return polars.read_csv(io.BytesIO(text.encode("utf-8"))).lazy()
    if backend == "pyarrow":  # pragma: no cover - polars is part of the test environment
        import importlib  # noqa: PLC0415

        csv = importlib.import_module("pyarrow.csv")
        return csv.read_csv(io.BytesIO(text.encode("utf-8")))
    import pandas  # noqa: PLC0415  # pragma: no cover

    return pandas.read_csv(io.StringIO(text))  # pragma: no cover


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold (dates ISO, whole numbers without .0)."""
    import datetime as dt  # noqa: PLC0415

    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_frame(path: Path, backend: str, what: str) -> Any:
    """The first sheet of an Excel workbook as a native frame (header in the first row)."""
    from backoffice_marketing.foundation.io.bounded import read_bytes_bounded  # noqa: PLC0415
    from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES  # noqa: PLC0415
    from backoffice_marketing.foundation.io.workbooks import xlsx_rows  # noqa: PLC0415

    rows = xlsx_rows(read_bytes_bounded(path, limit=MAX_LOG_BYTES, what=what), str(path))
    first = next(rows, None)
    header = [] if first is None else [str(cell or "").strip() for cell in first[1]]
    data: dict[str, list[Any]] = {name: [] for name in header}
    for _, cells in rows:
        if all(cell is None or cell == "" for cell in cells):
            continue
        for index, name in enumerate(header):
            value = cells[index] if index < len(cells) else None
            data[name].append(None if value is None or value == "" else _cell_text(value))
    nw = narwhals()
    table = _arrow_table(data, {name: nw.String() for name in header})
    if backend == "polars":
        import polars  # noqa: PLC0415  (optional extra)

        return polars.DataFrame(table).lazy()
    return table  # pragma: no cover - polars is part of the test environment


def _csv_source(path: Path, backend: str, what: str, encoding: str | None) -> Any:
    """A CSV file: scanned lazily when it is UTF-8, else decoded (cp932 or ``encoding``)."""
    nw = narwhals()
    from backoffice_marketing.foundation.io.bounded import read_bytes_bounded  # noqa: PLC0415
    from backoffice_marketing.foundation.io.encodings import (  # noqa: PLC0415
        decode_text,
        detect_encoding,
        is_utf8_prefix,
    )
    from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES  # noqa: PLC0415

    if encoding is None and path.stat().st_size > _DECODE_WHOLE:
        # A large log: its first bytes decide, and UTF-8 is scanned lazily as it is.
        with path.open("rb") as stream:
            head = stream.read(1 << 16)
        if is_utf8_prefix(head):
            return nw.scan_csv(str(path), backend=backend)
    elif encoding is None:
        # A roster or a small log is checked whole, so that a bad byte anywhere is reported
        # with this file's name and line (not by the backend, later, under another name).
        raw = read_bytes_bounded(path, limit=MAX_LOG_BYTES, what=what)
        if detect_encoding(raw, file=str(path)) == "utf-8-sig":
            return nw.scan_csv(str(path), backend=backend)
        return nw.from_native(_text_frame(decode_text(raw, file=str(path)), backend))
    raw = read_bytes_bounded(path, limit=MAX_LOG_BYTES, what=what)
    text = decode_text(raw, file=str(path), encoding=encoding)
    return nw.from_native(_text_frame(text, backend))


def input_name(data: Any, what: str) -> str:
    """How an error names an input: its path when it is a file, else ``<what>``."""
    return os.fspath(data) if isinstance(data, str | os.PathLike) else f"<{what}>"


def to_frame(data: Any, *, what: str = "events", encoding: str | None = None) -> Any:
    """Wrap ``data`` (a native frame or a CSV/Parquet/xlsx path) as a narwhals frame.

    Paths are read lazily where the backend can (polars first, then pyarrow,
    then pandas). A CSV file may be UTF-8 (with or without a byte-order mark)
    or cp932 (Excel's "CSV" on Japanese Windows); ``encoding`` names it
    explicitly. An ``.xlsx`` file's first sheet is read through the bounded
    reader. Anything else that narwhals cannot wrap is a ``TypeError``
    naming ``what`` was expected.
    """
    nw = narwhals()
    if isinstance(data, FrameHolder):  # a report over a frame hands its own frame over
        data = data.to_native()
    if isinstance(data, nw.DataFrame | nw.LazyFrame):
        return data
    if isinstance(data, str | os.PathLike):
        path = Path(data)
        suffix = path.suffix.lower()
        if suffix not in {".csv", ".parquet", ".pq", ".xlsx"}:
            raise UnsupportedFormatError(str(path), (".csv", ".parquet", ".xlsx"))
        from backoffice_marketing.foundation.io.bounded import (  # noqa: PLC0415
            check_log_rows,
            check_regular_file,
        )
        from backoffice_marketing.foundation.io.limits import MAX_LOG_BYTES  # noqa: PLC0415

        check_regular_file(path, limit=MAX_LOG_BYTES, what=what)
        if suffix != ".xlsx":  # a workbook's rows are bounded by its reader
            check_log_rows(path, what=what)  # rows as well as bytes, before anything is loaded
        backend = _path_backend()
        if suffix == ".csv":
            return _csv_source(path, backend, what, encoding)
        if suffix == ".xlsx":
            return nw.from_native(_xlsx_frame(path, backend, what))
        return nw.scan_parquet(str(path), backend=backend)
    try:
        return nw.from_native(data, pass_through=False)
    except TypeError:
        raise TypeError(
            f"{what}: expected a dataframe (pandas, polars, pyarrow, duckdb, ...) or a "
            f"CSV/Parquet path; found {type(data).__name__}"
        ) from None


def require_columns(frame: Any, columns: Sequence[str], *, what: str) -> None:
    """Raise :class:`InputColumnsError` unless ``frame`` has every one of ``columns``."""
    found = list(frame.collect_schema().names())
    missing = [name for name in columns if name not in found]
    if missing:
        raise InputColumnsError(what, missing, found)


def _arrow_table(data: Mapping[str, Sequence[Any]], schema: Mapping[str, Any]) -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415  (optional extra)
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise MissingExtraError("data", "pyarrow") from error
    nw = narwhals()
    types = {
        nw.String: pa.string(),
        nw.Int64: pa.int64(),
        nw.Date: pa.date32(),
        nw.Boolean: pa.bool_(),
        nw.Float64: pa.float64(),
    }
    fields = [pa.field(name, types[type(dtype)]) for name, dtype in schema.items()]
    return pa.table({name: list(data[name]) for name in schema}, schema=pa.schema(fields))


def table_like(data: Mapping[str, Sequence[Any]], schema: Mapping[str, Any], like: Any) -> Any:
    """A small table with ``data`` and ``schema``, in the backend (and laziness) of ``like``.

    Built as a pyarrow table first (exact types, also when empty), then
    handed to the backend of ``like``.
    """
    nw = narwhals()
    implementation = like.implementation
    if implementation is nw.Implementation.POLARS:  # no detour through pyarrow
        built = nw.from_dict(dict(data), schema=dict(schema), backend=implementation)
        return built.lazy() if isinstance(like, nw.LazyFrame) else built
    table = nw.from_native(_arrow_table(data, schema), eager_only=True)
    lazy = isinstance(like, nw.LazyFrame)
    # A CSV scanned with pyarrow or pandas is a "lazy" frame of an eager backend:
    # build the table eagerly there, then wrap it the same way.
    eager_kinds = {nw.Implementation.PYARROW, nw.Implementation.PANDAS}
    if lazy and implementation not in eager_kinds:
        # Spark-like backends build the table in the session of ``like``.
        session = like.to_native().sparkSession if implementation.is_spark_like() else None
        return table.lazy(backend=implementation, session=session)
    if implementation is nw.Implementation.PYARROW:
        result = table
    elif implementation is nw.Implementation.PANDAS:
        import pandas as pd  # noqa: PLC0415  (the events are pandas: it is installed)
        import pyarrow as pa  # noqa: PLC0415

        def dates_as_arrow(kind: Any) -> Any:
            return pd.ArrowDtype(kind) if kind == pa.date32() else None

        result = nw.from_native(table.to_native().to_pandas(types_mapper=dates_as_arrow))
    else:
        return nw.from_dict(data, schema=schema, backend=implementation)  # pragma: no cover
    return result.lazy() if lazy else result


def to_native(frame: Any) -> Any:
    """The native object behind a narwhals frame."""
    return frame.to_native()


def collect(frame: Any) -> Any:
    """An eager narwhals DataFrame: ``frame`` itself, or ``frame`` collected."""
    nw = narwhals()
    if isinstance(frame, nw.LazyFrame):
        return frame.collect()
    return frame


def _backend_errors() -> tuple[type[BaseException], ...]:
    """The error classes of the dataframe libraries that are installed (parse errors and kin)."""
    import importlib  # noqa: PLC0415

    found: list[type[BaseException]] = []
    for module, name in (
        ("narwhals.exceptions", "NarwhalsError"),
        ("polars.exceptions", "PolarsError"),
        ("pyarrow.lib", "ArrowException"),
        ("pandas.errors", "ParserError"),
        ("pandas.errors", "EmptyDataError"),
        ("duckdb", "Error"),
    ):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def backend_errors_as_load_errors(function: F) -> F:
    """Report a dataframe library's failure to read the events (first argument) as a LoadError."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except BackofficeMarketingError:
            raise
        except BaseException as error:
            # A Rust panic inside polars (pyo3's PanicException) is a BaseException.
            panic = type(error).__name__ == "PanicException"
            if not panic and (
                not isinstance(error, _backend_errors()) or isinstance(error, MemoryError)
            ):
                raise
            events = args[0] if args else kwargs.get("events")
            source = input_name(events, "events")
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            if panic:
                first = f"the dataframe library failed ({first[:200]})"
            raise LoadError(
                [Problem(source, None, None, "", f"cannot read the events: {first[:300]}")]
            ) from None

    return typing.cast("F", wrapper)
