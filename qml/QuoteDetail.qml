// qmllint disable unqualified
// Delegates here reach their view by id. Qt 6.4 has no `pragma ComponentBehavior: Bound`
// (Qt 6.5), so its linter reports every such access as unqualified; only that check is off,
// only in files with delegates. Replace this with the pragma when the project moves past 6.4.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire.Models

// The selected symbol's full quote and its intraday chart: the session's one-minute bars from
// the server (GET /v1/bars), kept current by every tick (IntradayBars), with 1D and, where bars
// of more than one trading day exist, 5D. It reads the row through an Instantiator-free
// binding on the model, so it updates with each tick.
Rectangle {
    id: detail

    objectName: "quoteDetail"
    required property Theme theme
    required property WatchlistModel model
    required property int row
    property QuoteBook book: null
    property IntradayBars bars: null
    property bool fiveDays: false

    signal closed()
    signal alertRequested(string symbol)

    readonly property var fields: [
        { label: qsTr("Last"), role: WatchlistModel.LastRole },
        { label: qsTr("Change"), role: WatchlistModel.ChangeRole },
        { label: qsTr("Change %"), role: WatchlistModel.ChangePctRole },
        { label: qsTr("Bid"), role: WatchlistModel.BidRole },
        { label: qsTr("Ask"), role: WatchlistModel.AskRole },
        { label: qsTr("Day low"), role: WatchlistModel.DayLowRole },
        { label: qsTr("Day high"), role: WatchlistModel.DayHighRole },
        { label: qsTr("Volume"), role: WatchlistModel.VolumeTextRole }
    ]
    // Bumped on every change of the shown row, so the bindings below re-read the model.
    property int revision: 0

    function value(role: int): var {
        void detail.revision
        if (detail.row < 0 || detail.row >= detail.model.rowCount())
            return undefined
        return detail.model.data(detail.model.index(detail.row, 0), role)
    }

    color: detail.theme.surface
    border.color: detail.theme.border

    Connections {
        target: detail.model
        function onDataChanged(topLeft: var) {
            if (topLeft.row === detail.row)
                detail.revision++
        }
    }
    onRowChanged: detail.revision++

    // The chart's bars follow the shown symbol while the panel is open.
    Binding {
        target: detail.bars
        property: "symbol"
        value: detail.visible ? String(detail.value(WatchlistModel.SymbolRole) ?? "") : ""
        when: detail.bars !== null
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 14
        spacing: 8

        RowLayout {
            Layout.fillWidth: true
            Text {
                objectName: "detailSymbol"
                Layout.fillWidth: true
                text: String(detail.value(WatchlistModel.SymbolRole) ?? "")
                color: detail.theme.text
                font.pixelSize: detail.theme.px(22)
                font.bold: true
            }
            Button {
                objectName: "detailAlert"
                text: qsTr("Alert…")
                Accessible.name: qsTr("Add an alert for this symbol")
                onClicked: detail.alertRequested(String(detail.value(WatchlistModel.SymbolRole) ?? ""))
            }
            ToolButton {
                text: "✕"
                Accessible.name: qsTr("Close the detail")
                onClicked: detail.closed()
            }
        }
        Text {
            Layout.fillWidth: true
            text: String(detail.value(WatchlistModel.NameRole) ?? "")
            color: detail.theme.textMuted
            wrapMode: Text.WordWrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 4
            Text {
                Layout.fillWidth: true
                text: detail.fiveDays && detail.bars && detail.bars.multiDay
                      ? qsTr("Last trading days, 1-minute bars") : qsTr("Today, 1-minute bars")
                color: detail.theme.textMuted
                font.pixelSize: detail.theme.px(11)
            }
            Button {
                objectName: "range1D"
                text: qsTr("1D")
                flat: true
                checkable: true
                checked: !detail.fiveDays
                Accessible.name: qsTr("Show today")
                onClicked: detail.fiveDays = false
            }
            Button {
                objectName: "range5D"
                text: qsTr("5D")
                flat: true
                checkable: true
                checked: detail.fiveDays
                enabled: detail.bars !== null && detail.bars.multiDay
                Accessible.name: qsTr("Show the last five trading days")
                ToolTip.visible: hovered && !enabled
                ToolTip.text: qsTr("The server holds bars of one trading day only")
                onClicked: detail.fiveDays = true
            }
        }
        IntradayChart {
            objectName: "detailChart"
            Layout.fillWidth: true
            Layout.preferredHeight: 200
            bars: detail.bars
            fiveDays: detail.fiveDays && detail.bars !== null && detail.bars.multiDay
            lineColor: detail.theme.moveColor(detail.value(WatchlistModel.ChangeRole) ?? 0)
            textColor: detail.theme.textMuted
            gridColor: detail.theme.border
            volumeColor: detail.theme.textMuted
            fontPixels: detail.theme.px(10)
            Accessible.role: Accessible.Chart
            Accessible.name: qsTr("Intraday chart of %1").arg(String(detail.value(WatchlistModel.SymbolRole) ?? ""))
        }
        GridLayout {
            Layout.fillWidth: true
            columns: 2
            rowSpacing: 6

            Repeater {
                model: detail.fields
                delegate: RowLayout {
                    required property var modelData

                    Layout.fillWidth: true
                    Text {
                        text: modelData.label
                        color: detail.theme.textMuted
                        font.pixelSize: detail.theme.px(12)
                    }
                    Item {
                        Layout.fillWidth: true
                    }
                    Text {
                        readonly property var v: detail.value(modelData.role)
                        text: v === undefined ? "—" : (typeof v === "number" ? v.toFixed(2) : String(v))
                        color: detail.theme.text
                        font.pixelSize: detail.theme.px(13)
                    }
                }
            }
        }
        Item {
            Layout.fillHeight: true
        }
    }
}
