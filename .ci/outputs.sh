#!/usr/bin/env bash
# Every DOCX, XLSX, CSV, PDF and calendar the demo hands out, opened by independent clients (issue 12):
#   1. .ci/outputs.py writes them from a scratch demo database and checks PDFs (pikepdf, pdfua: tagged, Russian,
#      titled, fonts embedded) and calendars (vobject validate=True, icalendar);
#   2. LibreOffice headless converts every DOCX and XLSX to PDF and the registry CSV (read as Russian Excel
#      would: `;`, UTF-8, Russian locale) to XLSX; any error or missing result fails the run, and the CSV's
#      identifiers must come back as text and its amounts as numbers;
#   3. qpdf --check on every PDF (ours and LibreOffice's);
#   4. the first page of each document rendered to PNG (poppler) in test-artifacts/outputs/.
# Installs Debian's libreoffice-writer-nogui, libreoffice-calc-nogui, poppler-utils and qpdf when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PY:-.venv/bin/python}"
OUT="test-artifacts/outputs"

missing=()
for package in libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils qpdf; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== outputs: installing ${missing[*]} =="
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# shellcheck source=.ci/scratch-demo.sh
source .ci/scratch-demo.sh
rm -rf "$OUT"
mkdir -p "$OUT/files" "$OUT/libreoffice"

scratch_demo outputs

echo "== outputs: files of the demo, PDFs and calendars checked =="
"$PY" .ci/outputs.py "$OUT/files"

failures=0
fail() { echo "ОШИБКА: $*" >&2; failures=$((failures + 1)); }
soffice_convert() {  # soffice_convert TARGET FILE [--infilter=…]: a fresh profile, so runs never share state
  local target="$1" file="$2"
  shift 2
  timeout 180 soffice -env:UserInstallation="file://$work/lo-profile" --headless --norestore "$@" \
    --convert-to "$target" --outdir "$OUT/libreoffice" "$file" >"$work/soffice.log" 2>&1 || return 1
  ! grep -qi "error" "$work/soffice.log"
}

echo "== outputs: LibreOffice $(soffice --version 2>/dev/null | awk '{print $2}') converts every DOCX and XLSX =="
count=0
for file in "$OUT"/files/*.docx "$OUT"/files/*.xlsx; do
  [ -e "$file" ] || continue
  count=$((count + 1))
  name="$(basename "${file%.*}")"
  if soffice_convert pdf "$file" && [ -s "$OUT/libreoffice/$name.pdf" ]; then
    echo "  $(basename "$file") → PDF"
  else
    fail "LibreOffice не открыл $(basename "$file"): $(cat "$work/soffice.log")"
  fi
done
[ "$count" -gt 0 ] || fail "демо не дало ни одного DOCX или XLSX"

echo "== outputs: the registry CSV opened as Russian Excel opens it =="
# CSV filter: separator ; (59), quote " (34), UTF-8 (76), from line 1, default column types, language ru-RU (1049).
if soffice_convert xlsx "$OUT/files/organisations.csv" --infilter="CSV:59,34,76,1,,1049"; then
  "$PY" - "$OUT/libreoffice/organisations.xlsx" <<'PYEOF'
import sys
from openpyxl import load_workbook
sheet = load_workbook(sys.argv[1]).active
headers = [cell.value for cell in sheet[1]]
rows = list(sheet.iter_rows(min_row=2, values_only=True))
assert rows, "в CSV нет строк"
for header in ("ИНН", "ОГРН"):
    values = [row[headers.index(header)] for row in rows if row[headers.index(header)]]
    assert values and all(isinstance(v, str) and v.strip("\u2060").isdigit() for v in values), (header, values[:3])
revenue = [row[headers.index("Выручка, руб.")] for row in rows if row[headers.index("Выручка, руб.")] is not None]
assert revenue and all(isinstance(v, (int, float)) for v in revenue), revenue[:3]
founded = [row[headers.index("Дата регистрации")] for row in rows if row[headers.index("Дата регистрации")]]
assert founded and all(hasattr(v, "year") for v in founded), founded[:3]
print(f"  organisations.csv: {len(rows)} строк; ИНН и ОГРН — текст, выручка — числа, даты — даты")
PYEOF
  [ $? -eq 0 ] || fail "CSV прочитан не так, как задумано"
else
  fail "LibreOffice не открыл organisations.csv: $(cat "$work/soffice.log")"
fi

echo "== outputs: qpdf --check and the first page of each document as PNG =="
for pdf in "$OUT"/files/*.pdf "$OUT"/libreoffice/*.pdf; do
  [ -e "$pdf" ] || continue
  qpdf --check "$pdf" >"$work/qpdf.log" 2>&1 || fail "qpdf --check: $(basename "$pdf"): $(tail -3 "$work/qpdf.log")"
  name="$(basename "${pdf%.*}")"
  [ "$(dirname "$pdf")" = "$OUT/libreoffice" ] && name="$name-libreoffice"
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$pdf" "$OUT/$name" || fail "pdftoppm: $(basename "$pdf")"
done

pngs=$(find "$OUT" -maxdepth 1 -name '*.png' | wc -l)
echo "Итого: документов сконвертировано $count, страниц в PNG $pngs, ошибок $failures"
[ "$failures" -eq 0 ]
