"""The cache heals itself: a damaged wheel, release list, listing or pair diff is a miss, rebuilt with one
notice line, and the answer is the same as from a clean cache. Unreachable indexes and unwritable caches
end in one error line.

Each test runs ``botocontract`` in a child process on a private cache seeded from the shared one.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.faults.conftest import NEW, OLD, SERVICE, UNREACHABLE, Run, assert_one_line_error, cache_env, run

DIFF = ("diff", OLD, NEW, "--service", SERVICE)
WALK = ("diff", "--from", OLD, "--to", NEW, "--service", SERVICE)
NOTICE = "botocontract: note: "
#: Fail pip at once instead of retrying an index that refuses connections.
NO_PIP = {"PIP_INDEX_URL": UNREACHABLE, "PIP_RETRIES": "0", "PIP_TIMEOUT": "2", "PIP_NO_INPUT": "1"}


@pytest.fixture(scope="module")
def expected(shared_wheels: dict[str, Path]) -> str:
    """The README's example from the shared cache: what every healed run must print, byte for byte."""
    result = run(*DIFF)
    assert result.code == 0 and "5 updated api methods" in result.out, result.err
    return result.out


def assert_healed(result: Run, expected: str, *needles: str) -> None:
    """The right answer, and exactly one notice line about the repair."""
    assert "Traceback" not in result.err, result.err
    assert result.code == 0, result.err
    assert result.out == expected
    assert len(result.err_lines) == 1 and result.err_lines[0].startswith(NOTICE), result.err_lines
    for needle in needles:
        assert needle in result.err_lines[0], (needle, result.err_lines[0])


def assert_clean(result: Run, expected: str) -> None:
    assert result.code == 0 and result.out == expected and result.err_lines == [], result.err


def flip_member_byte(wheel: Path, member: str) -> None:
    """Flip one byte in the middle of a member's compressed data; the zip's structure stays intact."""
    with zipfile.ZipFile(wheel) as zf:
        info = zf.getinfo(member)
    data = bytearray(wheel.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    data[start + info.compress_size // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))


def new_wheel(cache: Path) -> Path:
    return next((cache / "wheels").glob(f"botocore-{NEW}-*.whl"))


MODEL = f"botocore/data/{SERVICE}/2017-07-24/service-2.json"


# -- wheels --------------------------------------------------------------------------------------------
def test_damaged_wheel_offline_is_one_line(cache: Path) -> None:
    flip_member_byte(new_wheel(cache), MODEL)
    result = run(*DIFF, env={**cache_env(cache, index=UNREACHABLE), **NO_PIP})
    assert_one_line_error(result, "damaged", NEW, "cannot download")


def test_truncated_wheel_offline_is_one_line(cache: Path) -> None:
    wheel = new_wheel(cache)
    wheel.write_bytes(wheel.read_bytes()[: wheel.stat().st_size // 2])  # a download cut short
    result = run(*DIFF, env={**cache_env(cache, index=UNREACHABLE), **NO_PIP})
    assert_one_line_error(result, "damaged", NEW)


@pytest.mark.network
def test_bit_flipped_wheel_is_downloaded_again(cache: Path, expected: str) -> None:
    flip_member_byte(new_wheel(cache), MODEL)
    env = cache_env(cache)
    assert_healed(run(*DIFF, env=env), expected, "damaged", "downloaded it again")
    assert_clean(run(*DIFF, env=env), expected)
    with zipfile.ZipFile(new_wheel(cache)) as zf:
        assert zf.testzip() is None


@pytest.mark.network
def test_damage_after_the_check_is_healed_on_read(cache: Path, expected: str) -> None:
    """Bit rot after the one-time CRC check (same size and mtime): the read fails its CRC, then heals."""
    env = cache_env(cache)
    assert_clean(run(*DIFF, env=env), expected)  # checks and stamps both wheels
    wheel = new_wheel(cache)
    stat = wheel.stat()
    flip_member_byte(wheel, MODEL)
    os.utime(wheel, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert_healed(run(*DIFF, env=env), expected, "damaged", "downloaded it again")
    assert_clean(run(*DIFF, env=env), expected)


@pytest.mark.network
def test_interrupted_download_leaves_nothing_that_matters(cache: Path, expected: str) -> None:
    wheel = new_wheel(cache)
    leftover = cache / "wheels" / ".download-interrupted"
    leftover.mkdir()
    (leftover / wheel.name).write_bytes(wheel.read_bytes()[:1000])
    os.utime(leftover, (0, 0))
    wheel.write_bytes(wheel.read_bytes()[:5000])
    env = cache_env(cache)
    assert_healed(run(*DIFF, env=env), expected, "damaged")
    assert not leftover.exists()
    assert_clean(run(*DIFF, env=env), expected)


# -- release list --------------------------------------------------------------------------------------
def _index_file(cache: Path) -> Path:
    return next((cache / "index").glob("botocore.v*.json"))


DAMAGED_JSON = {
    "garbage": b"\x00\x01 not json",
    "truncated": None,
    "wrong-kind": json.dumps({"botocontract-cache": 2, "kind": "listing", "data": []}).encode(),
    "wrong-shape": json.dumps(
        {"botocontract-cache": 2, "kind": "release-list", "data": {"fetched": 1, "releases": "all of them"}}
    ).encode(),
    "other-version": json.dumps({"botocontract-cache": 999, "kind": "release-list", "data": {}}).encode(),
    "bare-list": b"[]",
}


def _damage(path: Path, how: str) -> None:
    body = DAMAGED_JSON[how]
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2] if body is None else body)


@pytest.mark.parametrize("how", ["garbage", "wrong-shape"])
def test_damaged_release_list_offline_uses_the_cached_wheels(cache: Path, how: str) -> None:
    """Offline, the list cannot be rebuilt: the run goes on from the cached wheels, as with no list at all
    (release dates are then unknown), and says once why."""
    env = {**cache_env(cache, index=UNREACHABLE), **NO_PIP}
    index = _index_file(cache)
    saved = index.read_bytes()
    index.unlink()
    without_list = run(*DIFF, env=env)
    assert without_list.code == 0 and "5 updated api methods" in without_list.out, without_list.err
    index.write_bytes(saved)
    _damage(index, how)
    assert_healed(run(*DIFF, env=env), without_list.out, "damaged cache file")


@pytest.mark.network
@pytest.mark.parametrize("how", ["truncated", "bare-list", "wrong-kind"])
def test_damaged_release_list_is_fetched_again(cache: Path, expected: str, how: str) -> None:
    _damage(_index_file(cache), how)
    env = cache_env(cache)
    assert_healed(run(*DIFF, env=env), expected, "damaged cache file")
    assert_clean(run(*DIFF, env=env), expected)


def test_unreachable_index_and_empty_cache_is_one_line(tmp_path: Path) -> None:
    env = {**cache_env(tmp_path / "empty", index=UNREACHABLE), **NO_PIP}
    for args in (DIFF, ("diff", "--since", "2020-08-14")):
        assert_one_line_error(run(*args, env=env), "cannot read botocore's release list", "127.0.0.1:9")


def test_unreachable_package_index_for_a_download_is_one_line(cache: Path) -> None:
    for wheel in (cache / "wheels").glob("*.whl"):
        wheel.unlink()
    env = {**cache_env(cache, index=UNREACHABLE), **NO_PIP}  # the cached list knows it; pip cannot fetch it
    assert_one_line_error(run(*DIFF, env=env), "cannot download botocore 1.17.4", "check the network")
    assert not list((cache / "wheels").glob("*.whl"))


def test_unwritable_cache_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert_one_line_error(run(*DIFF, env=cache_env(blocker / "cache")), "BOTOCONTRACT_CACHE")


# -- listings and pair diffs ---------------------------------------------------------------------------
LIST = ("services", "--source", NEW)


def test_damaged_listing_is_rebuilt(cache: Path) -> None:
    env = {**cache_env(cache, index=UNREACHABLE), **NO_PIP}
    first = run(*LIST, env=env)
    assert first.code == 0 and f"{SERVICE} " in first.out, first.err
    listing = next((cache / "listings").glob(f"botocore-{NEW}-*.json"))
    doc = json.loads(listing.read_bytes())
    doc["data"][0]["protocol"] = ["not", "text"]
    listing.write_text(json.dumps(doc))
    again = run(*LIST, env=env)
    assert again.code == 0 and again.out == first.out
    notices = [line for line in again.err_lines if line.startswith(NOTICE)]
    assert notices == [
        f"{NOTICE}ignoring the damaged cache file {str(listing)!r} "
        "(unexpected listing content); rebuilding it"
    ]
    _damage(listing, "truncated")
    assert run(*LIST, env=env).out == first.out
    assert any(r["name"] == SERVICE for r in json.loads(listing.read_bytes())["data"])


@pytest.fixture
def walk_expected(cache: Path) -> str:
    env = {**cache_env(cache, index=UNREACHABLE), **NO_PIP}
    first = run(*WALK, env=env)
    assert first.code == 0 and "5 updated api methods" in first.out, first.err
    return first.out


def _pair_file(cache: Path) -> Path:
    found = sorted((cache / "diffs").glob(f"{OLD}_{NEW}_*.json"))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("how", ["garbage", "wrong-shape", "other-pair"])
def test_damaged_pair_diff_is_rebuilt(cache: Path, walk_expected: str, how: str) -> None:
    env = {**cache_env(cache, index=UNREACHABLE), **NO_PIP}
    path = _pair_file(cache)
    if how == "other-pair":
        doc = json.loads(path.read_bytes())
        doc["data"]["new"]["version"] = "1.17.44"
        path.write_text(json.dumps(doc))
    elif how == "wrong-shape":
        doc = json.loads(path.read_bytes())
        doc["data"]["services"] = [{"service": SERVICE}]
        path.write_text(json.dumps(doc))
    else:
        _damage(path, how)
    assert_healed(run(*WALK, env=env), walk_expected, "damaged cache file")
    assert_clean(run(*WALK, env=env), walk_expected)
