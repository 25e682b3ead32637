#!/usr/bin/env bash
# Backs up Layak: the PostgreSQL database (pg_dump, custom format) and every evidence file, wherever it is stored
# (the media folder, or the S3 bucket when LAYAK_S3_BUCKET is set), with a SHA-256 list of the files.
# Usage, with the app servers' environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, LAYAK_MEDIA_ROOT or LAYAK_S3_*):
#   scripts/backup.sh /backups/layak-$(date +%F)
# Run it from cron or a systemd timer; keep copies off the machine. See README.md, "Backup and restore".
set -euo pipefail
out="${1:?usage: scripts/backup.sh OUTPUT_FOLDER}"
: "${DATABASE_URL:?set DATABASE_URL}"
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"
# The database first: evidence files are never deleted, so the files copied after it include every one it names.
pg_dump --format=custom --no-owner --no-privileges --file="$out/db.dump" "$DATABASE_URL"
"${PYTHON:-$here/.venv/bin/python}" "$here/manage.py" backup_evidence_files "$out"
echo "Backup written to $out"
