import QtQuick
import QtTest
import Tickwire.Ui
import Tickwire.Testing

TestCase {
    id: testCase

    name: "PortfolioView"
    when: windowShown
    width: 1200
    height: 500

    Component {
        id: viewComponent

        PortfolioView {
            width: 1200
            height: 500
            model: Fixtures.portfolio
            theme: Theme {}
        }
    }

    function test_totals_follow_quotes() {
        const view = createTemporaryObject(viewComponent, testCase)
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
}
