// A CSV file as rows of fields (RFC 4180: comma-separated, fields in double quotes may hold
// commas, line breaks and doubled quotes; CRLF or LF line ends; a UTF-8 byte-order mark is
// skipped), each row with the line it starts on, for error messages. Written here because Qt
// has no CSV reader and the import needs only this much (Debian's C libraries for it would add a
// dependency for forty lines). Bounded: a file over kMaxBytes is refused whole.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace tickwire::desktop {

struct CsvRow {
  int line = 0;  // 1-based, where the row starts
  QStringList fields;
};

struct CsvTable {
  static constexpr qsizetype kMaxBytes = 4 * 1024 * 1024;
  QList<CsvRow> rows;
  QString error;  // the whole file refused (too big, not text, an unclosed quote)

  static CsvTable parse(const QByteArray& bytes);
  // One field as CSV: quoted when it holds a comma, a quote or a line break.
  static QString quote(const QString& field);
};

}  // namespace tickwire::desktop
