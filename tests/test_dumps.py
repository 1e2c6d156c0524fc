"""Dump files: the content of `hckg export`, gzipped, once per data version."""

from __future__ import annotations

import gzip
import io

import pytest

from hckg_web.dumps import Dumps, UnknownDump, format_of
from hckg.reports.export import export
from hckg_web.runtime.live import data_version


def test_a_dump_holds_exactly_what_export_writes(store, tmp_path):
    dump = Dumps(tmp_path).get(store, data_version(store), "nq")
    expected = io.BytesIO()
    export(store, "nq", expected)
    assert gzip.decompress(dump.path.read_bytes()) == expected.getvalue()
    assert (dump.name, dump.media_type) == ("hckg.nq.gz", "application/n-quads")
    assert dump.etag == f'"{data_version(store)}-nq"'


def test_a_dump_is_written_once_and_replaced_for_a_new_version(store, tmp_path):
    dumps = Dumps(tmp_path)
    first = dumps.get(store, "v1", "ttl")
    assert dumps.get(store, "v1", "ttl").last_modified == first.last_modified
    dumps.get(store, "v2", "ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hckg-v2.ttl.gz"]


@pytest.mark.parametrize(("name", "fmt"), [("hckg.ttl.gz", "ttl"), ("hckg.jsonld.gz", "jsonld"), ("hckg.trig.gz", "trig")])
def test_public_dump_names_map_to_export_formats(name, fmt):
    assert format_of(name) == fmt


def test_an_unknown_dump_name_lists_the_real_ones():
    with pytest.raises(UnknownDump) as err:
        format_of("hckg.csv.gz")
    assert "hckg.ttl.gz" in str(err.value) and err.value.http_status == 404
