// qmllint disable unqualified
// The extended-hours lines are Loader components that reach the row by id. Qt 6.4 has no
// `pragma ComponentBehavior: Bound` (Qt 6.5), so its linter reports every such access as
// unqualified; only that check is off. Replace this with the pragma past Qt 6.4.
import QtQuick
import QtQuick.Layouts

// One symbol's row. Its price cell flashes green/red for ~500 ms when the price moves (unless
// turned off); the row dims and says "stale" when its data is not live, and is highlighted
// while an alert of its symbol has fired.
Rectangle {
    id: row

    required property int index
    required property string symbol
    required property string name
    required property var last
    required property var change
    required property var changePct
    required property var bid
    required property var ask
    required property string volumeText
    required property var dayLow
    required property var dayHigh
    required property int direction
    required property int ticks
    required property bool stale
    required property bool hasQuote
    required property string unavailable  // why the data source does not carry it; "" if it does
    required property string lastTrade  // outside regular hours: when it last traded
    // Outside regular hours: the latest close and the extended-hours change against it.
    required property var close
    required property var extChange
    required property var extChangePct
    required property string extLabel
    required property Theme theme
    required property bool flashEnabled
    required property bool selected
    required property var columnWidths
    property bool alerted: false
    // Where the row's price line is drawn from.
    property QuoteBook book: null
    property list<string> lists
    property int currentList: 0

    signal clicked()
    signal removeRequested()
    signal alertRequested()
    signal portfolioRequested()
    signal moveRequested(int list)
    signal copyRequested(int list)

    function price(v: var): string {
        return row.hasQuote && v !== undefined ? Number(v).toFixed(2) : "—"
    }

    // What a screen reader says for the row: "AAPL, 229.43, down 0.03 percent".
    Accessible.role: Accessible.Row
    Accessible.name: !row.hasQuote ? row.symbol + ", " + (row.unavailable !== "" ? row.unavailable : qsTr("no quote yet"))
                     : qsTr("%1, %2, %3 %4 percent").arg(row.symbol).arg(row.price(row.last))
                           .arg(row.changePct > 0 ? qsTr("up") : row.changePct < 0 ? qsTr("down") : qsTr("unchanged"))
                           .arg(Math.abs(Number(row.changePct)).toFixed(2))
                       + (row.extLabel !== "" ? qsTr(", %1 %2 percent since the close of %3")
                                                  .arg(row.extLabel).arg(row.theme.signed(Number(row.extChangePct), 2))
                                                  .arg(row.price(row.close)) : "")
                       + (row.stale ? qsTr(", stale") : "") + (row.alerted ? qsTr(", alert fired") : "")

    function openMenu() {
        contextMenu.popup(row, 40, row.height / 2)
    }

    implicitHeight: 40
    color: row.selected ? Qt.alpha(row.theme.accent, 0.14)
                        : row.alerted ? Qt.alpha(row.theme.warning, 0.18)
                        : (row.index % 2 ? row.theme.surfaceAlt : row.theme.surface)
    opacity: row.stale ? 0.55 : 1.0

    onTicksChanged: {
        if (row.flashEnabled && row.ticks > 1 && row.direction !== 0) {
            flash.color = row.direction > 0 ? row.theme.flashUp : row.theme.flashDown
            flashAnimation.restart()
        }
    }

    NumberAnimation {
        id: flashAnimation

        target: flash
        property: "opacity"
        from: 1
        to: 0
        duration: 500
        easing.type: Easing.OutQuad
    }
    MouseArea {
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        onClicked: mouse => {
            row.clicked()
            if (mouse.button === Qt.RightButton)
                contextMenu.popup()
        }
    }
    RowMenu {
        id: contextMenu

        lists: row.lists
        currentList: row.currentList
        onRemove: row.removeRequested()
        onAlert: row.alertRequested()
        onToPortfolio: row.portfolioRequested()
        onMoveTo: list => row.moveRequested(list)
        onCopyTo: list => row.copyRequested(list)
    }
    Rectangle {
        // The fired alert's mark, beside the colour.
        visible: row.alerted
        width: 4
        height: parent.height
        color: row.theme.warning
    }
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 10
        anchors.rightMargin: 10
        spacing: 0

        Column {
            Layout.preferredWidth: row.columnWidths[0]
            Text {
                text: row.symbol + (row.unavailable !== "" ? "  ·  " + qsTr("unavailable")
                                                  : row.stale ? "  ·  " + qsTr("stale") : "")
                color: row.theme.text
                font.bold: true
                font.pixelSize: row.theme.px(13)
            }
            Text {
                width: parent.width - 8
                // Why there is no price, where the data source refuses the symbol; outside
                // regular hours, when the price shown was traded.
                text: row.unavailable !== "" ? row.unavailable
                    : row.extLabel !== "" ? qsTr("Close %1 · at %2").arg(row.price(row.close)).arg(row.lastTrade)
                    : row.lastTrade !== "" ? qsTr("at %1 · %2").arg(row.lastTrade).arg(row.name)
                    : row.name
                color: row.unavailable !== "" ? row.theme.warning : row.theme.textMuted
                font.pixelSize: row.theme.px(11)
                elide: Text.ElideRight
            }
        }
        Text {
            Layout.preferredWidth: row.columnWidths[1]
            Layout.fillHeight: true
            horizontalAlignment: Text.AlignRight
            verticalAlignment: Text.AlignVCenter
            rightPadding: 6
            text: row.price(row.last)
            color: row.theme.text
            font.pixelSize: row.theme.px(14)
            font.bold: true

            Rectangle {
                id: flash

                anchors.fill: parent
                anchors.topMargin: 6
                anchors.bottomMargin: 6
                anchors.leftMargin: 14
                radius: 3
                opacity: 0
                z: -1
            }
        }
        Text {
            Layout.preferredWidth: row.columnWidths[2]
            horizontalAlignment: Text.AlignRight
            text: row.hasQuote ? row.theme.signed(Number(row.change), 2) : "—"
            color: row.theme.moveColor(row.hasQuote ? row.change : 0)
            font.pixelSize: row.theme.px(13)

            // Outside regular hours, under the day's change: the move since the close shown under
            // the symbol. Loaded only then, so that the rows of a regular session (the 500-row
            // benchmark's) carry no extra items.
            Loader {
                anchors.top: parent.bottom
                anchors.right: parent.right
                active: row.extLabel !== ""
                sourceComponent: Text {
                    objectName: "extChange"
                    text: row.extLabel + " " + row.theme.signed(Number(row.extChange), 2)
                    color: row.theme.moveColor(Number(row.extChange))
                    font.pixelSize: row.theme.px(10)
                }
            }
        }
        Text {
            Layout.preferredWidth: row.columnWidths[3]
            horizontalAlignment: Text.AlignRight
            text: row.hasQuote ? row.theme.signed(Number(row.changePct), 2) + "%" : "—"
            color: row.theme.moveColor(row.hasQuote ? row.changePct : 0)
            font.pixelSize: row.theme.px(13)

            Loader {
                anchors.top: parent.bottom
                anchors.right: parent.right
                active: row.extLabel !== ""
                sourceComponent: Text {
                    text: row.theme.signed(Number(row.extChangePct), 2) + "%"
                    color: row.theme.moveColor(Number(row.extChangePct))
                    font.pixelSize: row.theme.px(10)
                }
            }
        }
        Text {
            Layout.preferredWidth: row.columnWidths[4]
            horizontalAlignment: Text.AlignRight
            text: row.price(row.bid)
            color: row.theme.textMuted
            font.pixelSize: row.theme.px(12)
        }
        Text {
            Layout.preferredWidth: row.columnWidths[5]
            horizontalAlignment: Text.AlignRight
            text: row.price(row.ask)
            color: row.theme.textMuted
            font.pixelSize: row.theme.px(12)
        }
        Text {
            Layout.preferredWidth: row.columnWidths[6]
            horizontalAlignment: Text.AlignRight
            text: row.hasQuote ? row.volumeText : "—"
            color: row.theme.textMuted
            font.pixelSize: row.theme.px(12)
        }
        Text {
            Layout.preferredWidth: row.columnWidths[7]
            horizontalAlignment: Text.AlignRight
            text: row.hasQuote ? row.price(row.dayLow) + " – " + row.price(row.dayHigh) : "—"
            color: row.theme.textMuted
            font.pixelSize: row.theme.px(12)
        }
        Item {
            Layout.preferredWidth: 12
        }
        HistoryLine {
            Layout.fillWidth: true
            Layout.preferredHeight: 26
            book: row.book
            symbol: row.symbol
            revision: row.ticks
            lineColor: row.theme.moveColor(row.hasQuote ? row.change : 0)
        }
    }
}
