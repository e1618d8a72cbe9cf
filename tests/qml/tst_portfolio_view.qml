import QtQuick
import QtTest
import Tickwire.Ui
import Tickwire.Testing

// The TestCase is invisible by design: views are created under this visible root so that
// mouse and key events reach them.
Item {
    id: root

    width: 1200
    height: 500

    Component {
        id: viewComponent

        PortfolioView {
            width: 1200
            height: 500
            model: Fixtures.portfolio
            search: Fixtures.search
            theme: Theme {}
        }
    }

    TestCase {
        id: testCase

        name: "PortfolioView"
        when: windowShown

        function test_totals_follow_quotes() {
            const view = createTemporaryObject(viewComponent, root)
            const positions = findChild(view, "positions")
            while (Fixtures.portfolio.rowCount() > 0)
                Fixtures.portfolio.removeAt(0)
            verify(Fixtures.portfolio.setPosition("MSFT", 10, 400))
            tryCompare(positions, "count", 1)
            const total = findChild(view, "totalValue")
            compare(total.text, "$4,000.00")
            Fixtures.applyQuote("MSFT", 410, 2)
            tryCompare(total, "text", "$4,100.00")
        }

        function test_a_watchlist_row_starts_a_position_with_its_symbol() {
            const view = createTemporaryObject(viewComponent, root)
            view.prefill("IBM")
            compare(findChild(view, "positionSymbol").text, "IBM")
            verify(findChild(view, "positionQuantity").activeFocus, "the quantity is next")
        }

        function test_the_form_refuses_what_the_server_does_not_list() {
            const view = createTemporaryObject(viewComponent, root)
            const positions = findChild(view, "positions")
            while (Fixtures.portfolio.rowCount() > 0)
                Fixtures.portfolio.removeAt(0)
            const symbol = findChild(view, "positionSymbol")
            const error = findChild(view, "positionError")
            waitForRendering(view)
            symbol.text = "micro"
            findChild(view, "positionQuantity").text = "10"
            findChild(view, "positionCost").text = "5"
            mouseClick(findChild(view, "positionAdd"))
            compare(error.text, "MICRO is not listed by the server; pick a suggestion")
            compare(positions.count, 0)
            // A listed symbol without a quote yet: no price is shown for it (its cost is not one).
            symbol.text = "IBM"
            mouseClick(findChild(view, "positionAdd"))
            compare(error.text, "")
            tryCompare(positions, "count", 1)
            tryVerify(() => findChild(positions.itemAtIndex(0), "positionLast") !== null)
            compare(findChild(positions.itemAtIndex(0), "positionLast").text, "—")
        }
    }
}
