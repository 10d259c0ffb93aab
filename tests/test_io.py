"""Fuzzing the upload loader: ``load_array`` returns a finite float array of an accepted
dimension, or raises ValueError, and nothing else, whatever the bytes."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnls_core.io as nio
from nnls_core.io import load_array

pytestmark = pytest.mark.filterwarnings("ignore:loadtxt. input contained no data")

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

EXTENSIONS = ["npy", "csv", "txt", "NPY", "CSV", "npz", "pkl", "json", ""]
NDIMS = st.sampled_from([1, 2, (1, 2), (2,), 3, (0, 1, 2, 3)])


def npy_bytes(arr: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


def check(data: bytes, filename: str, ndim=(1, 2)) -> np.ndarray | None:
    """The contract: a finite float64 array of an accepted ndim, or ValueError."""
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    try:
        arr = load_array(data, filename, name="X", ndim=ndim)
    except ValueError as exc:
        assert str(exc)  # a message, not an empty error
        return None
    assert isinstance(arr, np.ndarray)
    assert arr.dtype == np.float64
    assert arr.ndim in dims
    assert arr.size > 0
    assert np.isfinite(arr).all()
    assert len(data) <= nio.MAX_BYTES
    assert arr.size <= nio.MAX_UPLOAD_ENTRIES
    return arr


# ---------------------------------------------------------------- fuzzing

@FUZZ
@given(data=st.binary(max_size=400), ext=st.sampled_from(EXTENSIONS), ndim=NDIMS)
def test_random_bytes(data, ext, ndim):
    check(data, f"upload.{ext}" if ext else "upload", ndim)


@FUZZ
@given(header=st.binary(max_size=200), ndim=NDIMS)
def test_random_bytes_after_npy_magic(header, ndim):
    """Past the magic string, so np.load's header parser is exercised."""
    for version in (b"\x01\x00", b"\x02\x00", b"\x03\x00"):
        check(b"\x93NUMPY" + version + header, "A.npy", ndim)


CSV_ALPHABET = st.sampled_from(list("0123456789.,-+eE \t\n\r;#") +
                               ["nan", "inf", "-inf", "NaN", "1e308", "1e400", "\ufeff",
                                "\x00", "é", '"', "0x1F", "1_000", "True"])


@FUZZ
@given(parts=st.lists(CSV_ALPHABET, max_size=60), ext=st.sampled_from(["csv", "txt"]),
       ndim=NDIMS, bom=st.booleans())
def test_random_csv_like_text(parts, ext, ndim, bom):
    text = "".join(parts)
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    check(data, f"b.{ext}", ndim)


ELEMENTS = {"allow_nan": True, "allow_infinity": True}
DTYPES = st.one_of(
    hnp.floating_dtypes(endianness="="), hnp.integer_dtypes(endianness="="),
    hnp.unsigned_integer_dtypes(), hnp.complex_number_dtypes(), hnp.boolean_dtypes(),
    st.just(np.dtype(">f8")), st.just(np.dtype("<f4")),
)


@FUZZ
@given(arr=hnp.arrays(DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)),
       ndim=NDIMS)
def test_npy_arrays_of_any_numeric_dtype(arr, ndim):
    """Valid finite real arrays of an accepted ndim round-trip exactly; the rest is refused."""
    dims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    got = check(npy_bytes(arr), "A.npy", ndim)
    acceptable = (arr.ndim in dims and arr.size > 0 and not np.iscomplexobj(arr)
                  and np.isfinite(arr.astype(np.float64)).all())
    assert (got is not None) == acceptable
    if got is not None:
        np.testing.assert_array_equal(got, arr.astype(np.float64))


@FUZZ
@given(arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=6),
                      elements=st.floats(**ELEMENTS)))
def test_csv_of_floats(arr):
    """A CSV of any floats (NaN/Inf included) loads exactly or is refused for NaN/Inf."""
    text = "\n".join(",".join(repr(float(v)) for v in np.atleast_1d(row))
                     for row in (arr if arr.ndim == 2 else arr[:, None]))
    got = check(text.encode(), "A.csv", (1, 2))
    if np.isfinite(arr).all():
        assert got is not None
        np.testing.assert_array_equal(np.squeeze(got), np.squeeze(arr))
    else:
        assert got is None


@FUZZ
@given(arr=hnp.arrays(st.one_of(hnp.datetime64_dtypes(), hnp.timedelta64_dtypes(),
                                hnp.byte_string_dtypes(), hnp.unicode_string_dtypes(),
                                st.just(np.dtype([("a", "<f8"), ("b", "<i4")]))),
                      hnp.array_shapes(min_dims=0, max_dims=2, max_side=4)),
       ndim=NDIMS)
def test_npy_non_numeric_dtypes(arr, ndim):
    """Dates, durations, strings, records: the contract still holds."""
    got = check(npy_bytes(arr), "A.npy", ndim)
    if arr.dtype.kind in "MSUV":
        assert got is None


PICKLABLE = st.one_of(st.integers(), st.text(max_size=5), st.none(), st.lists(st.integers()),
                      st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@FUZZ
@given(values=st.lists(PICKLABLE, min_size=1, max_size=5), ext=st.sampled_from(["npy", "csv"]))
def test_object_and_pickled_payloads_refused(values, ext):
    obj = np.empty(len(values), dtype=object)
    obj[:] = values
    with pytest.raises(ValueError):
        load_array(npy_bytes(obj, allow_pickle=True), f"A.{ext}")
    with pytest.raises(ValueError):
        load_array(pickle.dumps(values), f"A.{ext}")


@FUZZ
@given(arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=12),
                      elements=st.floats(-1e6, 1e6)),
       max_bytes=st.integers(0, 400), max_entries=st.integers(0, 60),
       as_csv=st.booleans())
def test_size_limits(arr, max_bytes, max_entries, as_csv):
    data = (("\n".join(",".join(repr(float(v)) for v in np.atleast_1d(r)) for r in arr)).encode()
            if as_csv else npy_bytes(arr))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nio, "MAX_BYTES", max_bytes)
        mp.setattr(nio, "MAX_UPLOAD_ENTRIES", max_entries)
        got = check(data, "A.csv" if as_csv else "A.npy", (1, 2))
    if len(data) > max_bytes or arr.size > max_entries:
        assert got is None
    else:
        assert got is not None and got.size == arr.size


# ---------------------------------------------------------------- explicit cases

@pytest.mark.parametrize("data, expected", [
    (b"1,2,3\n4,5,6\n", [[1, 2, 3], [4, 5, 6]]),
    (b"1 2 3\n4 5 6\n", [[1, 2, 3], [4, 5, 6]]),
    (b"1\t2\n3\t4", [[1, 2], [3, 4]]),
    (b"\xef\xbb\xbf1,2\n3,4\n", [[1, 2], [3, 4]]),  # UTF-8 byte-order mark (Excel)
    (b"1\r\n2\r\n3\r\n", [1, 2, 3]),
    (b"# a comment\n1.5e-3,-2\n", [1.5e-3, -2]),
    (b"7", [7.0]),
])
def test_valid_csv(data, expected):
    got = load_array(data, "A.csv")
    np.testing.assert_array_equal(got, np.array(expected, dtype=float))
    assert got.dtype == np.float64


@pytest.mark.parametrize("arr", [np.arange(6.0).reshape(2, 3), np.array([0.1 + 0.2, -1e-300]),
                                 np.arange(4, dtype=np.int32), np.array([True, False]),
                                 np.asfortranarray(np.eye(3)), np.eye(2, dtype=">f8")])
def test_npy_round_trip(arr):
    got = load_array(npy_bytes(arr), "A.npy")
    np.testing.assert_array_equal(got, arr.astype(float))
    assert got.dtype == np.float64


def test_pickle_refused_even_for_plain_numbers():
    payload = npy_bytes(np.array([1.0, 2.0], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="A.npy"):
        load_array(payload, "A.npy")


@pytest.mark.parametrize("filename", ["A.pkl", "A.npz", "A.json", "A", "A.csv.exe", "A.xlsx"])
def test_extension_refused(filename):
    with pytest.raises(ValueError, match="only .csv and .npy"):
        load_array(b"1,2\n3,4\n", filename)


@pytest.mark.parametrize("data, filename, ndim, match", [
    (b"1,nan\n", "A.csv", (1, 2), "non-finite"),
    (b"1,inf\n", "A.csv", (1, 2), "non-finite"),
    (b"1,2\n3\n", "A.csv", (1, 2), "could not read"),
    (b"1,2\n3,4\n", "b.csv", 1, "1-D"),
    (b"", "A.csv", (1, 2), "empty"),
    (b"\xff\xfe1,2", "A.csv", (1, 2), "UTF-8"),
    (b"not an npy", "A.npy", (1, 2), "A.npy"),
])
def test_explicit_refusals(data, filename, ndim, match):
    with pytest.raises(ValueError, match=match):
        load_array(data, filename, ndim=ndim)


def test_npy_complex_and_3d_refused():
    with pytest.raises(ValueError, match="real"):
        load_array(npy_bytes(np.array([1 + 2j])), "A.npy")
    with pytest.raises(ValueError, match="2-D"):
        load_array(npy_bytes(np.zeros((2, 2, 2))), "A.npy", ndim=2)


# --------------------------------------------------------------------------- uploads
def test_streamlit_upload_limit_matches_the_loader():
    """Streamlit refuses an upload over server.maxUploadSize (MB) before the page sees
    it: that limit must be the loader's own."""
    import tomllib
    from pathlib import Path

    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    with open(config, "rb") as f:
        server = tomllib.load(f)["server"]
    assert server["maxUploadSize"] == nio.MAX_BYTES // 2**20


class _Upload:
    """Stands in for Streamlit's UploadedFile: records whether the bytes were read."""

    def __init__(self, name: str, data: bytes, size: int | None = None):
        self.name, self._data, self.read = name, data, False
        self.size = len(data) if size is None else size

    def getvalue(self) -> bytes:
        self.read = True
        return self._data


def test_oversized_upload_refused_before_it_is_read():
    big = _Upload("big.csv", b"1,2\n", size=190 * 2**20)  # declares 190 MB
    with pytest.raises(ValueError, match="190.0 MB is over the 20 MB upload limit"):
        nio.load_upload(big, name="M", ndim=2)
    assert not big.read
    edge = _Upload("edge.csv", b"1,2\n", size=nio.MAX_BYTES)  # at the limit: read
    nio.check_upload_size(edge)
    with pytest.raises(ValueError, match="over the 20 MB"):
        nio.check_upload_size(_Upload("x.csv", b"", size=nio.MAX_BYTES + 1))


def test_load_upload_is_load_array():
    data = b"1,0,2\n0,1,3\n"
    up = _Upload("M.csv", data)
    np.testing.assert_array_equal(nio.load_upload(up, name="M", ndim=2),
                                  load_array(data, "M.csv", name="M", ndim=2))
    assert up.read
    with pytest.raises(ValueError, match="only .csv and .npy"):
        nio.load_upload(_Upload("M.pkl", pickle.dumps([1.0])), name="M", ndim=2)
