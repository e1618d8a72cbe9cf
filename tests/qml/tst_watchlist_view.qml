import QtQuick
import QtTest
import Tickwire.Ui
import Tickwire.Testing
import Tickwire.Models

// The TestCase is invisible by design: views are created under this visible root so that
// mouse and key events reach them.
Item {
    id: root

    width: 1200
    height: 600

    Component {
        id: viewComponent

        WatchlistView {
            width: 1200
            height: 600
            model: Fixtures.watchlist
            search: Fixtures.search
            quotes: Fixtures.quotes
            intraday: Fixtures.intraday
            theme: Theme {
            }
            flashEnabled: true
        }
    }

    TestCase {
        id: testCase

        name: "WatchlistView"
        when: windowShown

        function texts(item: Item): list<string> {
            let out = [];
            if (item.text !== undefined && typeof item.text === "string")
                out.push(item.text);
            for (let i = 0; i < item.children.length; ++i)
                out = out.concat(texts(item.children[i]));
            return out;
        }

        function init() {
            Fixtures.setFeedLive(false);
        }

        function test_rows_follow_the_model() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            verify(rows);
            tryCompare(rows, "count", Fixtures.watchlist.rowCount());
            verify(rows.count >= 11);
            tryVerify(() => rows.itemAtIndex(0) !== null);
            const first = texts(rows.itemAtIndex(0));
            verify(first[0].endsWith("·  stale"), "a row without live data says so: " + first);
            Fixtures.setFeedLive(true);
            Fixtures.applyQuote(first[0].split(" ")[0], 50, 1);
            tryVerify(() => !texts(rows.itemAtIndex(0))[0].endsWith("stale"));
        }

        function test_a_tick_shows_in_its_row() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            Fixtures.setFeedLive(true);
            Fixtures.applyQuote("AAPL", 123.45, 1.5);
            tryVerify(() => texts(rows.itemAtIndex(0)).indexOf("123.45") >= 0);
            const shown = texts(rows.itemAtIndex(0));
            verify(shown.indexOf("AAPL") >= 0, shown);
            verify(shown.indexOf("Apple Inc.") >= 0, shown);
            verify(shown.indexOf("▲ +1.50") >= 0, shown);
            verify(shown.indexOf("2.50M") >= 0, shown);
            Fixtures.applyQuote("AAPL", 124.00, 2.05);
            tryVerify(() => texts(rows.itemAtIndex(0)).indexOf("124.00") >= 0);
        }

        function test_a_row_reads_out_for_screen_readers_and_shows_direction_in_glyphs() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            Fixtures.setFeedLive(true);
            Fixtures.applyQuote("AAPL", 123.45, -1.5);
            tryVerify(() => texts(rows.itemAtIndex(0)).indexOf("123.45") >= 0);
            compare(rows.itemAtIndex(0).Accessible.name, "AAPL, 123.45, down 1.20 percent");
            verify(texts(rows.itemAtIndex(0)).indexOf("▼ −1.50") >= 0, texts(rows.itemAtIndex(0)));
            // The colour-blind-safe scheme and the text size reach the theme.
            const theme = view.theme;
            theme.scheme = "blueOrange";
            compare(String(theme.up), String(theme.blue));
            compare(String(theme.down), String(theme.orange));
            theme.fontScale = 1.5;
            compare(theme.px(12), 18);
            theme.scheme = "greenUp";
            theme.fontScale = 1.0;
        }

        function test_delete_key_removes_the_selected_row() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            tryVerify(() => rows.itemAtIndex(1) !== null);
            const before = rows.count;
            const removed = texts(rows.itemAtIndex(1))[0].split(" ")[0];
            const target = rows.itemAtIndex(1);
            mouseClick(target, 40, target.height / 2);
            tryCompare(view, "selectedRow", 1);
            keyClick(Qt.Key_Delete);
            tryCompare(rows, "count", before - 1);
            tryVerify(() => texts(rows.itemAtIndex(1))[0].split(" ")[0] !== removed);
            verify(Fixtures.watchlist.addSymbol(removed));
        }

        function test_arrow_keys_move_the_selection_and_ctrl_moves_the_row() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            tryVerify(() => rows.itemAtIndex(0) !== null);
            mouseClick(rows.itemAtIndex(0), 40, 20);
            tryCompare(view, "selectedRow", 0);
            keyClick(Qt.Key_Down);
            compare(view.selectedRow, 1);
            keyClick(Qt.Key_Down);
            keyClick(Qt.Key_Up);
            compare(view.selectedRow, 1);
            const second = texts(rows.itemAtIndex(1))[0].split(" ")[0];
            keyClick(Qt.Key_Down, Qt.ControlModifier);
            compare(view.selectedRow, 2, "the selection follows the moved row");
            tryVerify(() => texts(rows.itemAtIndex(2))[0].split(" ")[0] === second);
            keyClick(Qt.Key_Up, Qt.ControlModifier);
            tryVerify(() => texts(rows.itemAtIndex(1))[0].split(" ")[0] === second);
            keyClick(Qt.Key_Escape);
            compare(view.selectedRow, -1);
        }

        function test_add_field_adds_a_symbol() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            const before = rows.count;
            const field = findChild(view, "addField");
            view.focusSearch();
            verify(field.activeFocus);
            keySequence("i");
            keySequence("b");
            keySequence("m");
            keyClick(Qt.Key_Return);
            tryCompare(rows, "count", before + 1);
            compare(field.text, "");
            compare(findChild(view, "addError").text, "");
            Fixtures.watchlist.removeSymbolAt(rows.count - 1);
        }

        function test_add_field_refuses_what_the_server_does_not_list() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            const before = rows.count;
            const field = findChild(view, "addField");
            const error = findChild(view, "addError");
            view.focusSearch();
            for (const c of "micro")
                keySequence(c);
            keyClick(Qt.Key_Return);
            compare(error.text, "MICRO is not listed by the server; pick a suggestion");
            verify(error.visible);
            compare(rows.count, before, "nothing added");
            compare(field.text, "micro", "the text stays to be corrected");
            // Typing again clears the message; a malformed symbol gets its own.
            keyClick(Qt.Key_A, Qt.ControlModifier);
            keySequence("a");
            compare(error.text, "");
            keySequence("$");
            keyClick(Qt.Key_Return);
            verify(error.text.indexOf("is not a symbol") >= 0, error.text);
            compare(rows.count, before);
            // A symbol already in the list says so.
            keyClick(Qt.Key_A, Qt.ControlModifier);
            for (const c of "aapl")
                keySequence(c);
            keyClick(Qt.Key_Return);
            compare(error.text, "AAPL is already in this list");
            compare(rows.count, before);
        }

        function test_outside_regular_hours_a_row_shows_the_close_and_the_extended_change() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            tryVerify(() => rows.itemAtIndex(0) !== null);
            const symbol = texts(rows.itemAtIndex(0))[0].split(" ")[0];
            Fixtures.applyQuote(symbol, 101, 1);  // previous close 100
            Fixtures.setOutsideRegularHours(true, "Pre-market");
            tryVerify(() => findChild(rows.itemAtIndex(0), "extChange") !== null);
            const shown = texts(rows.itemAtIndex(0)).join(" | ");
            verify(shown.indexOf("Close 100.00") >= 0, shown);
            verify(shown.indexOf("Pre-market ▲ +1.00") >= 0, shown);
            verify(shown.indexOf("+1.00%") >= 0, shown);
            Fixtures.setOutsideRegularHours(false, "");
            tryVerify(() => findChild(rows.itemAtIndex(0), "extChange") === null, 1000,
                      "nothing extra in a regular session's rows");
        }

        function test_clicking_a_row_opens_its_detail() {
            const view = createTemporaryObject(viewComponent, root);
            const rows = findChild(view, "watchlistRows");
            const detail = findChild(view, "quoteDetail");
            verify(!detail.visible);
            tryVerify(() => rows.itemAtIndex(0) !== null);
            const symbol = texts(rows.itemAtIndex(0))[0].split(" ")[0];
            for (let i = 0; i < 30; ++i)
                Fixtures.applyQuote(symbol, 100 + Math.sin(i / 3) * 2, 1);
            mouseClick(rows.itemAtIndex(0), 40, 20);
            tryVerify(() => detail.visible);
            compare(findChild(detail, "detailSymbol").text, symbol);
            const before = detail.revision;
            Fixtures.applyQuote(symbol, 105, 6);
            tryVerify(() => detail.revision > before, 1000, "the panel follows ticks");
            // Every quote of the symbol so far (other tests add some): the 31 here at least.
            const history = detail.value(WatchlistModel.HistoryRole).length;
            verify(history >= 31, history);
            // The chart shows the symbol's bars, built from those quotes (no server here): all
            // of this minute's quotes in one or two bars (a minute may have turned), one line.
            const chart = findChild(detail, "detailChart");
            compare(Fixtures.intraday.symbol, symbol);
            tryVerify(() => chart.shownBars >= 1 && chart.shownBars <= 2);
            compare(chart.segments, 1);
            verify(!findChild(detail, "range5D").enabled, "one trading day only");
            waitForRendering(view);
            grabImage(view).save("quote-detail.png");
        }
    }
}
