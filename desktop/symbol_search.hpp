// Completion for the add-symbol field: asks the frontend's /v1/symbols?q= as the user types
// (the latest query wins), and loads company names for the QuoteBook once per server. Both carry
// the server's TLS trust and token; a refused token or certificate is the feed client's to
// report, so here it only stops the retries.
#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "backoff.hpp"
#include "quote_book.hpp"
#include "server_access.hpp"

namespace tickwire::desktop {

class SymbolSearch : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("provided by the application")
  Q_PROPERTY(QVariantList results READ results NOTIFY resultsChanged)

 public:
  SymbolSearch(QuoteBook& book, QObject* parent = nullptr);
  void setServer(const ServerAccess& server);
  QVariantList results() const { return results_; }
  Q_INVOKABLE void search(const QString& text);
  // Why `text` cannot be added as a symbol, for an add field's inline message; empty when it
  // can. A malformed symbol is refused. A well-formed one is refused once the server's symbol
  // list has loaded without it; before that it is taken (the server then names it as not
  // listed, and its row says so), so a slow or unreachable server never blocks editing.
  Q_INVOKABLE QString problemWith(const QString& text) const;

 Q_SIGNALS:
  void resultsChanged();

 private:
  void loadNames();

  QuoteBook& book_;
  QNetworkAccessManager nam_;
  ServerAccess server_;
  QPointer<QNetworkReply> loading_;
  QTimer reload_;
  Backoff backoff_;
  QPointer<QNetworkReply> pending_;
  QVariantList results_;
};

}  // namespace tickwire::desktop
