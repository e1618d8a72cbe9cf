// qmllint disable unqualified
// Delegates here reach their view by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified; only that check is off,
// only in files with delegates. Replace this with the pragma when the project moves past 6.4.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// Positions with live value and gains, a totals row, and a form to add, edit or remove.
Item {
    id: view

    // Starts a position of `symbol` (a watchlist row's "Add to portfolio…"): the quantity is next.
    function prefill(symbol: string) {
        symbolField.text = symbol
        formError.text = ""
        quantityField.forceActiveFocus()
    }

    required property PortfolioModel model
    required property SymbolSearch search
    required property Theme theme

    signal importRequested()
    signal exportRequested()

    readonly property var widths: [170, 80, 150, 80, 120, 70, 150, 170]

    function money(v: real): string {
        return (v < 0 ? "-$" : "$") + Math.abs(v).toLocaleString(Qt.locale("en_US"), "f", 2)
    }
    // Gains carry their direction as a glyph too, not only as a colour.
    function signedMoney(v: real): string {
        return (v > 0 ? "▲ +" : v < 0 ? "▼ " : "") + view.money(v)
    }
    // A gain with its percentage of what it was measured against.
    function gain(v: real, base: real): string {
        return view.signedMoney(v) + (base > 0 ? " (" + (100 * v / base).toFixed(2) + "%)" : "")
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            spacing: 8

            TextField {
                id: symbolField

                objectName: "positionSymbol"
                placeholderText: qsTr("Symbol")
                Accessible.name: qsTr("Position symbol")
                Layout.preferredWidth: 110
            }
            TextField {
                id: quantityField

                objectName: "positionQuantity"
                placeholderText: qsTr("Quantity")
                validator: DoubleValidator { bottom: 0 }
                Layout.preferredWidth: 110
            }
            TextField {
                id: costField

                objectName: "positionCost"
                placeholderText: qsTr("Cost per share")
                validator: DoubleValidator { bottom: 0 }
                Layout.preferredWidth: 140
            }
            Button {
                objectName: "positionAdd"
                text: qsTr("Add / update")
                onClicked: {
                    // The same check as the watchlist's add field: an unknown symbol would have
                    // no price, and its cost would pass for one.
                    const problem = view.search.problemWith(symbolField.text)
                    if (problem !== "") {
                        formError.text = problem
                        return
                    }
                    if (view.model.setPosition(symbolField.text, Number(quantityField.text),
                                               Number(costField.text))) {
                        symbolField.clear()
                        quantityField.clear()
                        costField.clear()
                        formError.text = ""
                    } else {
                        formError.text = qsTr("Enter a symbol, a quantity and a cost above zero")
                    }
                }
            }
            Button {
                text: qsTr("Import CSV…")
                onClicked: view.importRequested()
            }
            Button {
                text: qsTr("Export CSV…")
                onClicked: view.exportRequested()
            }
            Text {
                id: formError

                objectName: "positionError"
                color: view.theme.red
            }
        }

        Text {
            // The first start's example positions say what they are.
            objectName: "demoNote"
            visible: view.model.demo
            Layout.leftMargin: 10
            Layout.bottomMargin: 6
            text: qsTr("Demo positions: add your own, or import a CSV (Yahoo Finance's portfolio export works), and these go away once you change anything.")
            color: view.theme.warning
            font.pixelSize: view.theme.px(12)
        }
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: view.theme.surfaceAlt

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                Repeater {
                    model: [qsTr("Symbol"), qsTr("Quantity"), qsTr("Cost basis"), qsTr("Last"),
                            qsTr("Market value"), qsTr("Weight"), qsTr("Day gain"), qsTr("Total gain")]
                    delegate: Text {
                        required property string modelData
                        required property int index

                        Layout.preferredWidth: view.widths[index]
                        horizontalAlignment: index === 0 ? Text.AlignLeft : Text.AlignRight
                        text: modelData
                        color: view.theme.textMuted
                        font.bold: true
                        font.pixelSize: view.theme.px(12)
                    }
                }
                Item {
                    Layout.fillWidth: true
                }
            }
        }

        ListView {
            id: positions

            objectName: "positions"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: view.model
            delegate: Rectangle {
                id: position

                required property int index
                required property string symbol
                required property string name
                required property real quantity
                required property real costBasis
                required property real last
                required property real marketValue
                required property real dayGain
                required property real totalGain
                required property real totalGainPct
                required property bool hasQuote
                required property int lots

                width: positions.width
                height: 40
                color: index % 2 ? view.theme.surfaceAlt : view.theme.surface

                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 10
                    spacing: 0

                    Column {
                        Layout.preferredWidth: view.widths[0]
                        Text {
                            text: position.symbol
                            color: view.theme.text
                            font.bold: true
                        }
                        Text {
                            width: view.widths[0] - 8
                            text: position.name
                            color: view.theme.textMuted
                            font.pixelSize: view.theme.px(11)
                            elide: Text.ElideRight
                        }
                    }
                    Text {
                        Layout.preferredWidth: view.widths[1]
                        horizontalAlignment: Text.AlignRight
                        text: position.quantity.toLocaleString(Qt.locale("en_US"), "f", 0)
                        color: view.theme.text
                    }
                    Text {
                        Layout.preferredWidth: view.widths[2]
                        horizontalAlignment: Text.AlignRight
                        text: view.money(position.costBasis) + (position.lots > 1 ? qsTr(" · %1 lots").arg(position.lots) : "")
                        color: view.theme.textMuted
                    }
                    Text {
                        Layout.preferredWidth: view.widths[3]
                        horizontalAlignment: Text.AlignRight
                        // No quote yet: no price to show (the totals value it at cost).
                        objectName: "positionLast"
                        text: position.hasQuote ? position.last.toFixed(2) : "—"
                        color: position.hasQuote ? view.theme.text : view.theme.textMuted
                    }
                    Text {
                        Layout.preferredWidth: view.widths[4]
                        horizontalAlignment: Text.AlignRight
                        text: view.money(position.marketValue)
                        color: view.theme.text
                        font.bold: true
                    }
                    Text {
                        // Its share of the portfolio's market value.
                        objectName: "positionWeight"
                        Layout.preferredWidth: view.widths[5]
                        horizontalAlignment: Text.AlignRight
                        text: view.model.totalValue > 0
                              ? (100 * position.marketValue / view.model.totalValue).toFixed(1) + "%" : "—"
                        color: view.theme.textMuted
                    }
                    Text {
                        Layout.preferredWidth: view.widths[6]
                        horizontalAlignment: Text.AlignRight
                        text: view.gain(position.dayGain, position.marketValue - position.dayGain)
                        color: view.theme.moveColor(position.dayGain)
                    }
                    Text {
                        Layout.preferredWidth: view.widths[7]
                        horizontalAlignment: Text.AlignRight
                        text: view.signedMoney(position.totalGain) + " (" + position.totalGainPct.toFixed(2) + "%)"
                        color: view.theme.moveColor(position.totalGain)
                    }
                    Item {
                        Layout.fillWidth: true
                    }
                    ToolButton {
                        text: qsTr("Edit")
                        onClicked: {
                            symbolField.text = position.symbol
                            quantityField.text = String(position.quantity)
                            costField.text = String(position.costBasis)
                        }
                    }
                    ToolButton {
                        text: qsTr("Remove")
                        onClicked: view.model.removeAt(position.index)
                    }
                }
            }
        }

        Rectangle {
            objectName: "totals"
            Layout.fillWidth: true
            Layout.preferredHeight: 44
            color: view.theme.surfaceAlt
            border.color: view.theme.border

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 10
                spacing: 0
                Text {
                    objectName: "totalCost"
                    Layout.preferredWidth: view.widths[0] + view.widths[1] + view.widths[2] + view.widths[3]
                    text: qsTr("Total · cost %1").arg(view.money(view.model.totalCost))
                    color: view.theme.text
                    font.bold: true
                }
                Text {
                    objectName: "totalValue"
                    Layout.preferredWidth: view.widths[4]
                    horizontalAlignment: Text.AlignRight
                    text: view.money(view.model.totalValue)
                    color: view.theme.text
                    font.bold: true
                }
                Item {
                    Layout.preferredWidth: view.widths[5]
                }
                Text {
                    Layout.preferredWidth: view.widths[6]
                    horizontalAlignment: Text.AlignRight
                    text: view.gain(view.model.totalDayGain, view.model.totalValue - view.model.totalDayGain)
                    color: view.theme.moveColor(view.model.totalDayGain)
                    font.bold: true
                }
                Text {
                    Layout.preferredWidth: view.widths[7]
                    horizontalAlignment: Text.AlignRight
                    text: view.signedMoney(view.model.totalGain) + " (" + view.model.totalGainPct.toFixed(2) + "%)"
                    color: view.theme.moveColor(view.model.totalGain)
                    font.bold: true
                }
                Item {
                    Layout.fillWidth: true
                }
            }
        }
    }
}
