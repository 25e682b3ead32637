from __future__ import annotations

import sys
import time

import pytest
from django.core.exceptions import ValidationError

from layak.audit.models import AuditEvent
from layak.regions.choices import RegionKind
from layak.regions.models import Region, RegionDataset
from layak.regions.services import region_kind_of, regions_load

from .conftest import FIXTURE_POINTS


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("63", "Kalimantan Selatan", RegionKind.PROVINSI),
        ("63.71", "Kota Banjarmasin", RegionKind.KOTA),
        ("31.71", "Kota Administrasi Jakarta Pusat", RegionKind.KOTA),
        ("63.03", "Kabupaten Banjar", RegionKind.KABUPATEN),
        ("31.71.01", "Gambir", RegionKind.KECAMATAN),
        ("91.01.01", "Merauke", RegionKind.DISTRIK),
        ("31.71.01.1001", "Gambir", RegionKind.KELURAHAN),
        ("63.03.01.2001", "Any", RegionKind.DESA),
        ("91.03.01.3001", "Any", RegionKind.DESA_ADAT),
    ],
)
def test_kind_follows_kemendagri_rules(code, name, kind):
    assert region_kind_of(code, name) == kind


def test_upper_levels_load_exact_counts_and_kinds(db):
    result = regions_load(levels=(1, 2))

    assert result.counts == {1: 38, 2: 514}
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(kind=RegionKind.KABUPATEN).count() == 416
    assert Region.objects.filter(kind=RegionKind.KOTA).count() == 98
    jakpus = Region.objects.get(code="31.71")
    assert (jakpus.name, jakpus.search_name, jakpus.parent_id) == (
        "Kota Administrasi Jakarta Pusat",
        "kota administrasi jakarta pusat",
        "31",
    )


def test_second_run_takes_the_fast_path_and_writes_nothing(db, django_assert_max_num_queries):
    first = regions_load(levels=(1, 2))
    Region.objects.filter(code="31.71").update(name="Changed by hand")

    with django_assert_max_num_queries(3):
        second = regions_load(levels=(1, 2))

    assert second.skipped
    assert second.counts == first.counts
    assert Region.objects.get(code="31.71").name == "Changed by hand"
    assert Region.objects.count() == 552
    assert AuditEvent.objects.filter(verb="regions.loaded").count() == 1


def test_force_rewrites_rows_without_duplicates(db):
    regions_load(levels=(1, 2))
    Region.objects.filter(code="31.71").update(name="Changed by hand")

    result = regions_load(levels=(1, 2), force=True)

    assert not result.skipped
    assert result.written == 552
    assert Region.objects.get(code="31.71").name == "Kota Administrasi Jakarta Pusat"
    assert Region.objects.count() == 552


def test_missing_rows_defeat_the_fast_path(db):
    regions_load(levels=(1, 2))
    Region.objects.filter(code="31.71").delete()

    result = regions_load(levels=(1, 2))

    assert not result.skipped
    assert result.written == 1  # only the missing row; the others already match the source
    assert Region.objects.filter(code="31.71").exists()


def test_a_new_level_is_loaded_even_when_the_upper_ones_are_current(db):
    regions_load(levels=(1,))

    result = regions_load(levels=(1, 2))

    assert not result.skipped
    assert RegionDataset.objects.get().counts == {"1": 38, "2": 514}


def test_province_filter_loads_only_that_province_and_keeps_the_fingerprint(db):
    regions_load(levels=(1, 2))
    result = regions_load(levels=(3,), provinces={"31"})

    assert result.counts == {3: 44}
    assert not Region.objects.filter(level=3).exclude(code__startswith="31.").exists()
    assert RegionDataset.objects.get().counts == {"1": 38, "2": 514}


def test_level_without_its_parents_is_refused(db):
    with pytest.raises(ValidationError, match="load level 2 too"):
        regions_load(levels=(3,))


def test_unknown_level_is_refused(db):
    with pytest.raises(ValidationError):
        regions_load(levels=(5,))


def test_points_from_csv_are_applied_in_the_same_load(db):
    result = regions_load(levels=(1, 2), points_path=FIXTURE_POINTS)

    assert result.points_applied == 3
    assert result.points_unknown == []
    jakpus = Region.objects.get(code="31.71")
    assert (str(jakpus.latitude), str(jakpus.longitude), jakpus.point_source) == (
        "-6.186486",
        "106.834091",
        "Test fixture",
    )
    assert Region.objects.filter(latitude__isnull=False).count() == 3


def test_points_with_unknown_codes_are_reported_not_fatal(db, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("code,latitude,longitude,source\n31.71,-6.18,106.83,OSM\n99.99,0,0,OSM\n")

    result = regions_load(levels=(1, 2), points_path=path)

    assert result.points_applied == 1
    assert result.points_unknown == ["99.99"]


def test_default_points_file_is_read_when_present_and_a_change_reloads(db, settings):
    regions_load(levels=(1, 2))
    points = settings.LAYAK_DATA_DIR / "regions" / "points.csv"
    points.parent.mkdir(parents=True)
    points.write_bytes(FIXTURE_POINTS.read_bytes())

    result = regions_load(levels=(1, 2))

    assert not result.skipped
    assert (result.points_applied, result.written) == (3, 3)
    assert regions_load(levels=(1, 2)).skipped


def test_bad_coordinate_refuses_the_points_file_naming_the_line(db, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("code,latitude,longitude,source\n31.71,-6.18,106.83,OSM\n63.71,north,114.5,OSM\n")

    with pytest.raises(ValidationError, match="line 3: latitude"):
        regions_load(levels=(1, 2), points_path=path)
    assert not Region.objects.exists()


def test_points_file_without_the_header_is_refused(db, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("kode,lat,lon\n31.71,-6.18,106.83\n")

    with pytest.raises(ValidationError, match="code,latitude,longitude,source"):
        regions_load(levels=(1, 2), points_path=path)


def test_progress_reports_every_batch_up_to_the_total(db):
    calls = []

    regions_load(levels=(1, 2), progress=lambda done, total: calls.append((done, total)))

    assert calls[-1] == (552, 552)


@pytest.mark.slow
def test_full_load_has_the_exact_kemendagri_counts(db, capsys):
    started = time.perf_counter()
    result = regions_load()
    seconds = time.perf_counter() - started

    assert result.counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.count() == 91599
    assert Region.objects.filter(level=4).count() == 83762
    # The time is reported, not asserted (a busy machine must not fail the suite): `make bench` measures it.
    again = regions_load()
    assert again.skipped
    with capsys.disabled():
        sys.stdout.write(f"\nfull region load: {seconds:.2f} s, no-op re-run: {again.seconds:.3f} s\n")


def test_village_points_are_applied_when_desa_are_loaded(db, settings):
    folder = settings.LAYAK_DATA_DIR / "regions"
    folder.mkdir(parents=True)
    (folder / "points_villages.csv").write_text(
        "code,latitude,longitude,source\n"
        "31.75.01.1001,-6.211704,106.868984,boundary centroid\n"
        "32.01.01.2001,-6.5,106.8,boundary centroid\n"
    )

    regions_load(levels=(1, 2))
    result = regions_load(levels=(3, 4), provinces={"31"})

    desa = Region.objects.get(code="31.75.01.1001")
    assert (str(desa.latitude), str(desa.longitude), desa.point_source) == (
        "-6.211704",
        "106.868984",
        "boundary centroid",
    )
    assert result.points_applied == 1  # the West Java row is outside the provinces loaded: not even read
    assert Region.objects.filter(level=4, latitude__isnull=False).count() == 1


def test_village_points_are_not_read_for_the_upper_levels(db, settings):
    folder = settings.LAYAK_DATA_DIR / "regions"
    folder.mkdir(parents=True)
    (folder / "points_villages.csv").write_text("code,latitude,longitude,source\n31.75.01.1001,north,106.8,x\n")

    assert regions_load(levels=(1, 2)).counts == {1: 38, 2: 514}  # a bad village row does not stop levels 1-2
    with pytest.raises(ValidationError, match="line 2: latitude"):
        regions_load(levels=(3, 4), provinces={"31"})
