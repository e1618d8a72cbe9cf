#include "csv_table.hpp"

#include <QCoreApplication>
#include <QStringDecoder>

namespace tickwire::desktop {

CsvTable CsvTable::parse(const QByteArray& bytes) {
  CsvTable t;
  const auto tr = [](const char* s) { return QCoreApplication::translate("CsvTable", s); };
  if (bytes.size() > kMaxBytes) {
    t.error = tr("the file is larger than 4 MiB");
    return t;
  }
  QStringDecoder utf8(QStringDecoder::Utf8);
  QString text = utf8(bytes);
  if (utf8.hasError() || text.contains(QChar(0))) {
    t.error = tr("the file is not UTF-8 text");
    return t;
  }
  if (text.startsWith(QChar(0xFEFF))) text.remove(0, 1);

  CsvRow row;
  QString field;
  bool quoted = false, fieldStarted = false;
  int line = 1, quoteLine = 0;
  row.line = 1;
  const auto endField = [&] {
    row.fields.append(field);
    field.clear();
    fieldStarted = false;
  };
  const auto endRow = [&] {
    endField();
    // Blank lines are skipped.
    if (!(row.fields.size() == 1 && row.fields.front().trimmed().isEmpty())) t.rows.append(row);
    row = CsvRow{};
    row.line = line;
  };
  for (qsizetype i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (quoted) {
      if (c == u'"') {
        if (i + 1 < text.size() && text[i + 1] == u'"') {
          field += u'"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == u'\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == u'"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    } else if (c == u',') {
      endField();
    } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
      continue;  // the LF ends the row
    } else if (c == u'\n' || c == u'\r') {
      ++line;
      endRow();
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) {
    t.rows.clear();
    t.error = tr("line %1: a quoted field is not closed").arg(quoteLine);
    return t;
  }
  if (fieldStarted || !field.isEmpty() || !row.fields.isEmpty()) endRow();
  return t;
}

QString CsvTable::quote(const QString& field) {
  if (!field.contains(u',') && !field.contains(u'"') && !field.contains(u'\n') &&
      !field.contains(u'\r')) {
    return field;
  }
  QString out = field;
  out.replace(u'"', QStringLiteral("\"\""));
  return u'"' + out + u'"';
}

}  // namespace tickwire::desktop
