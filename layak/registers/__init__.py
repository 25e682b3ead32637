"""The register kit: what every register app (taskforces, trainings, plans, partners, participation, and the
coming facilities and protection) shares, written once. See docs/development.md ("Adding a register") and
docs/decisions/0008-register-kit.md.

- `access`: who may read and change a kab/kota's registers, and the region-or-404 getter;
- `forms`: the date widget, the OPD field and the upload form of an import;
- `views`: a form page, a form posted from a detail page, an import from a sheet, and `RowsPage` (a record's
  page listing its rows with the add and import forms under the list);
- `models`: abstract `Recorded` (created by/at) and `Person` (a named person with OPD or organisation).

The spreadsheet module (`layak.common.spreadsheets`) and the API error shape (`layak.common.api`) live in
`common`, because apps below the registers (evaluations, regions, frameworks, evidence) use them too.
"""
